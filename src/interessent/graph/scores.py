"""An opinion leader's score: a weighted sum of components, each scaled to 0–1.

:class:`LeaderScore` is one stakeholder's place in a ranking and :func:`explain` reads it
out in one line. :func:`_rank` scores and orders a population of network nodes from their
centralities, declared influence and role weights, however the centralities were computed;
:func:`_weights` normalises the plan's ``[leaders]`` weights and hands the weight of a
component nobody has to the others.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ..plaindata import rounded
from ..plan import LeaderSettings, Plan
from .centrality import Floats, Ints

__all__ = ["COMPONENTS", "LeaderScore", "explain"]

#: The score's components, in the order they are shown.
COMPONENTS = ("pagerank", "betweenness", "influence", "role")


@attrs.frozen
class LeaderScore:
    """One stakeholder's place in an opinion-leader ranking.

    ``score`` (0–1) is the sum over :data:`COMPONENTS` of ``weights[c] × components[c]``;
    each component is scaled to 0–1 over the ranked population. ``pagerank`` and
    ``betweenness`` are the raw centralities (networkx's normalisation), ``influence``
    the declared 1–5 score and ``role`` the role that gave the role component.
    ``pinned`` leaders were put first by hand in the plan.
    """

    id: str
    name: str
    score: float
    rank: int
    pagerank: float
    betweenness: float
    influence: int | None
    role: str | None
    pinned: bool
    components: dict[str, float]
    weights: dict[str, float]

    def to_dict(self, *, explanation: bool = False) -> dict[str, Any]:
        """Plain data (the JSON of ``leaders``): rank, id, name, score, pinned and each
        component of the score by name (0–1), to four decimals; with ``explanation``, also
        the line :func:`explain` gives (``leaders --explain``). The raw centralities, the
        declared influence, the role and the weights are attributes."""
        out: dict[str, Any] = {"rank": self.rank, "id": self.id, "name": self.name,
                               "score": rounded(self.score), "pinned": self.pinned,
                               **{k: rounded(v) for k, v in self.components.items()}}
        if explanation:
            out["explanation"] = explain(self)
        return out


def explain(score: LeaderScore) -> str:
    """One line a board member can read:
    ``0.82 = 0.35×pagerank 1.00 + 0.25×betweenness 0.91 + 0.25×influence 0.75 + …``."""
    terms = [
        f"{score.weights[c]:.2f}×{c} {score.components[c]:.2f}"
        for c in COMPONENTS if score.weights.get(c, 0.0) > 0
    ]
    line = f"{score.score:.2f} = " + " + ".join(terms or ["0"])
    left_out = [c for c in ("influence", "role") if score.weights.get(c, 0.0) == 0]
    if left_out:
        line += f" ({' and '.join(left_out)} not counted)"
    if score.pinned:
        line += " — pinned in the plan"
    return line


@attrs.frozen
class _Ranked:
    """What :func:`_rank` decides, by node index."""

    order: list[int]
    score: Floats
    components: dict[str, Floats]
    weights: dict[str, float]
    pinned: frozenset[int]


def _weights(settings: LeaderSettings, has_influence: bool, has_role: bool) -> dict[str, float]:
    """The plan's weights, normalised to sum to one.

    A declared component that nobody in the ranked population has (no declared influence,
    no weighted role) gives its weight to the network components in proportion to theirs;
    if both of those weigh zero, to the components left in proportion, else half to each
    network component. If every weight is zero, PageRank alone decides.
    """
    w = {c: float(getattr(settings, c)) for c in COMPONENTS}
    if sum(w.values()) <= 0:
        return {c: 1.0 if c == "pagerank" else 0.0 for c in COMPONENTS}
    moved = 0.0
    for name, present in (("influence", has_influence), ("role", has_role)):
        if not present:
            moved += w[name]
            w[name] = 0.0
    if moved:
        receivers = [c for c in ("pagerank", "betweenness") if w[c] > 0] or [
            c for c in COMPONENTS if w[c] > 0]
        if receivers:
            share = sum(w[c] for c in receivers)
            for c in receivers:
                w[c] += moved * w[c] / share
        else:
            w["pagerank"] = w["betweenness"] = moved / 2
    total = sum(w.values())
    return {c: v / total for c, v in w.items()}


def _scaled(values: Floats, population: Ints) -> Floats:
    top = float(values[population].max()) if len(population) else 0.0
    if top <= 0:
        return np.zeros_like(values)
    return np.clip(values / top, 0.0, 1.0)


def _rank(
    *,
    pagerank: Floats,
    betweenness: Floats,
    influence: Floats,
    role: Floats,
    population: Ints,
    pinned: Sequence[int],
    settings: LeaderSettings,
    top: int | None,
    ids_of: Callable[[Ints], Sequence[str]],
) -> _Ranked:
    """Score and order the ``population`` (node indices). ``influence`` is NaN where
    undeclared, ``role`` 0 where the stakeholder holds no weighted role."""
    declared = ~np.isnan(influence[population])
    has_influence = bool(declared.any())
    has_role = bool((role[population] > 0).any())
    weights = _weights(settings, has_influence, has_role)
    components = {
        "pagerank": _scaled(pagerank, population),
        "betweenness": _scaled(betweenness, population),
        # undeclared influence counts as the middle of the scale, neither up nor down
        "influence": np.clip(np.where(np.isnan(influence), 0.5, (influence - 1.0) / 4.0),
                             0.0, 1.0) if has_influence else np.zeros_like(influence),
        "role": np.clip(role, 0.0, 1.0),
    }
    score = np.zeros(len(pagerank))
    for name in COMPONENTS:
        if weights[name] > 0:
            score += weights[name] * components[name]
    score = np.clip(score, 0.0, 1.0)

    in_population = set(population.tolist())
    first = [i for i in dict.fromkeys(pinned) if i in in_population]
    chosen = set(first)
    rest = np.array([i for i in population.tolist() if i not in chosen], dtype=np.int64)
    want = len(rest) if top is None else max(0, min(len(rest), top - len(first)))
    order = first + _best(rest, score, want, ids_of)
    if top is not None:
        order = order[:top]
    return _Ranked(order, score, components, weights, frozenset(first))


def _best(
    candidates: Ints, score: Floats, want: int, ids_of: Callable[[Ints], Sequence[str]]
) -> list[int]:
    """The ``want`` best candidates, best first; equal scores in id order. Only the
    candidates that can make the cut have their ids looked up."""
    if want <= 0 or not len(candidates):
        return []
    key = np.round(score[candidates], 12)
    if want < len(candidates):
        cutoff = np.partition(key, len(key) - want)[len(key) - want]
        candidates = candidates[key >= cutoff]
        key = key[key >= cutoff]
    ids = np.array(ids_of(candidates), dtype=object)
    order = sorted(range(len(candidates)), key=lambda i: (-key[i], ids[i]))
    return [int(candidates[i]) for i in order[:want]]


def _influence_value(value: float | None) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(min(5.0, max(1.0, float(value))))


def _score_of(
    ranked: _Ranked, i: int, rank: int, id: str, name: str, pr: Floats, bc: Floats,
    inf: Floats, role: str | None,
) -> LeaderScore:
    declared = inf[i]
    return LeaderScore(
        id=id, name=name, score=float(ranked.score[i]), rank=rank, pagerank=float(pr[i]),
        betweenness=float(bc[i]),
        influence=None if math.isnan(declared) else round(float(declared)),
        role=role, pinned=i in ranked.pinned,
        components={c: float(ranked.components[c][i]) for c in COMPONENTS},
        weights=dict(ranked.weights),
    )


def _role_weights(plan: Plan) -> dict[str, float]:
    """Role key (and alias) → weight, for roles that weigh anything."""
    weights: dict[str, float] = {}
    for r in plan.roles:
        if r.weight > 0:
            for key in (r.key, *r.aliases):
                weights[key] = max(weights.get(key, 0.0), r.weight)
    return weights


def _best_role(roles: Iterable[str], weights: Mapping[str, float]) -> tuple[str | None, float]:
    best: tuple[str | None, float] = (None, 0.0)
    for key in sorted(roles):
        w = weights.get(key, 0.0)
        if w > best[1]:
            best = (key, w)
    return best
