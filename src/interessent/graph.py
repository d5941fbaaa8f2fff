"""The stakeholder network and its opinion leaders.

:func:`build_graph` turns the store into a networkx graph: one node per stakeholder, one
edge per pair of stakeholders tied by a relationship active on the day asked about, or by
taking part in the same meetings (co-participation). :func:`write_graph` writes it as
GraphML or GEXF for Gephi.

:func:`rank_leaders` ranks stakeholders as opinion leaders by a weighted sum of four
components, each scaled to 0–1 (``docs/leaders.md`` explains it for a board member):

- ``pagerank``: PageRank (damping 0.85) on the weighted, undirected network;
- ``betweenness``: betweenness centrality (how often someone sits on the shortest paths
  between others) counted in hops, exact on small networks and estimated from a random
  sample of source stakeholders on large ones;
- ``influence``: the declared influence 1–5 as ``(influence - 1) / 4``;
- ``role``: the largest plan ``weight`` of the roles the stakeholder holds.

The weights come from the plan's ``[leaders]`` table; the network is the registered
relationships (shared meetings only on request). Networks of more than
:data:`SPARSE_ABOVE` stakeholders are ranked straight from the database on sparse
matrices, never building a networkx graph; :func:`rank_graph` ranks any networkx graph.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse import csgraph
from sqlalchemy import Select, and_, func, or_, select

from .errors import InvalidInput
from .plan import LeaderSettings, Plan, TargetGroup
from .store import INT, PART, REL, ROLES, ST
from .workspace import is_member

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from .model import Stakeholder
    from .workspace import Workspace

__all__ = [
    "COMPONENTS",
    "CO_PARTICIPATION_MAX_PARTICIPANTS",
    "CO_PARTICIPATION_STEP",
    "GATHERING_KINDS",
    "SPARSE_ABOVE",
    "LeaderScore",
    "build_graph",
    "explain",
    "leaders_unknown_to_programme",
    "rank_graph",
    "rank_leaders",
    "write_graph",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Method = Literal["auto", "exact", "sparse"]

#: The score's components, in the order they are shown.
COMPONENTS = ("pagerank", "betweenness", "influence", "role")

#: Each interaction two stakeholders shared adds this much to their tie, up to 1.
CO_PARTICIPATION_STEP = 0.1
#: Interactions with more participants than this make no ties: a big meeting is no
#: evidence that everyone present knows everyone else.
CO_PARTICIPATION_MAX_PARTICIPANTS = 25
#: Interaction kinds where the participants are together. A letter, an e-mail, an
#: article or a report sent to several people says nothing about whether they know
#: each other, so those kinds (and a plan's own kinds) make no ties.
GATHERING_KINDS = ("board_meeting", "call", "event", "meeting", "presentation", "visit")

#: Above this many stakeholders :func:`rank_leaders` works on sparse matrices read
#: straight from the database instead of a networkx graph.
SPARSE_ABOVE = 5_000
#: networkx's exact betweenness costs about nodes × edges steps in Python (half a second
#: at this much); above it the sparse Brandes below is used instead.
_EXACT_WORK = 500_000
#: Work budget of sampled betweenness, in adjacency entries visited (see _brandes); one
#: unit is a few nanoseconds, so the budget is a fraction of a second.
_BETWEENNESS_WORK = 30_000_000
#: At least this many sources are sampled, however large the network, unless a network
#: of very long paths spends four budgets first.
_MIN_SOURCES = 16
#: One BFS level costs about as much Python overhead as visiting this many entries.
_LEVEL_COST = 4_000

#: Ties weaker than this count as no tie (0 strength; and no overflow dividing by them).
_MIN_WEIGHT = 1e-9
_ALPHA = 0.85
_TOL = 1.0e-6
_MAX_ITER = 100


# --- the graph ----------------------------------------------------------------------------


def build_graph(
    ws: Workspace, *, as_of: dt.date | None = None, co_participation: bool = True
) -> nx.Graph[str]:
    """The stakeholder network on ``as_of`` (default: today) as an undirected graph.

    Nodes are stakeholder ids with attributes ``name``, ``kind``, ``groups``, ``roles``,
    ``influence``, ``interest``, ``language`` and ``organisation`` (absent when unknown).
    An edge joins two stakeholders tied by at least one relationship active on ``as_of``
    (either direction, any kind) or, with ``co_participation``, by gatherings (meetings,
    board meetings, events, visits, presentations, calls: :data:`GATHERING_KINDS`) both
    took part in on or before ``as_of``. Edge attributes: ``kinds`` (relationship kinds),
    ``relations`` (each relationship as ``"a -works_for-> b"`` or ``"a -knows- b"``, so
    directions survive) and ``strength`` (the strongest of them) when relationships tie
    the pair; ``shared`` (gatherings both took part in) when they met; and always
    ``weight``, the larger of ``strength`` and ``min(1, 0.1 × shared)``. Gatherings with
    more than 25 participants make no ties.
    """
    _, graph = _load(ws, as_of or dt.date.today(), co_participation)
    return graph


def _load(
    ws: Workspace, day: dt.date, co_participation: bool
) -> tuple[list[Stakeholder], nx.Graph[str]]:
    store = ws.store
    people = store.stakeholders()
    graph: nx.Graph[str] = nx.Graph()
    for s in people:
        attrs_: dict[str, Any] = {
            "name": s.name, "kind": s.kind.value, "groups": s.groups, "roles": s.roles,
            "language": s.language.value,
        }
        for key in ("influence", "interest", "organisation"):
            value = getattr(s, key)
            if value is not None:
                attrs_[key] = value
        graph.add_node(s.id, **attrs_)
    for rel in store.relationships():
        if not rel.active_on(day):
            continue
        a, b = rel.source, rel.target
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, kinds=(), relations=(), strength=0.0, weight=0.0)
        data = graph.edges[a, b]
        arrow = f"-{rel.kind}->" if rel.directed else f"-{rel.kind}-"
        data["kinds"] = tuple(sorted({*data["kinds"], rel.kind}))
        data["relations"] = tuple(sorted({*data["relations"], f"{a} {arrow} {b}"}))
        data["strength"] = max(data["strength"], rel.strength)
        data["weight"] = max(data["weight"], rel.strength)
    if co_participation:
        for (a, b), shared in _shared_interactions(ws, day).items():
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, weight=0.0)
            data = graph.edges[a, b]
            data["shared"] = shared
            data["weight"] = max(data["weight"], _co_weight(shared))
    return people, graph


def _co_weight(shared: int) -> float:
    return min(1.0, CO_PARTICIPATION_STEP * shared)


def _meetings(day: dt.date) -> Select[tuple[int]]:
    """Gatherings on or before ``day`` with 2 to 25 participants."""
    return (
        select(PART.c.interaction_pk)
        .join(INT, INT.c.pk == PART.c.interaction_pk)
        .where(INT.c.date <= day, INT.c.kind.in_(GATHERING_KINDS))
        .group_by(PART.c.interaction_pk)
        .having(func.count().between(2, CO_PARTICIPATION_MAX_PARTICIPANTS))
    )


def _shared_interactions(ws: Workspace, day: dt.date) -> dict[tuple[str, str], int]:
    """Pairs of stakeholder ids (sorted) → how many gatherings they shared."""
    query = (
        select(PART.c.interaction_pk, ST.c.id)
        .join(ST, ST.c.pk == PART.c.stakeholder_pk)
        .where(PART.c.interaction_pk.in_(_meetings(day)))
        .order_by(PART.c.interaction_pk, ST.c.id)
    )
    with ws.store.read() as s:
        rows = [(int(r[0]), str(r[1])) for r in s.execute(query).all()]
    counts: dict[tuple[str, str], int] = {}
    for _, group in itertools.groupby(rows, key=lambda r: r[0]):
        ids = [r[1] for r in group]
        for pair in itertools.combinations(ids, 2):
            counts[pair] = counts.get(pair, 0) + 1
    return counts


def write_graph(
    ws: Workspace,
    fmt: Literal["graphml", "gexf"],
    out: BinaryIO,
    *,
    as_of: dt.date | None = None,
    co_participation: bool = True,
) -> int:
    """Write the network as GraphML or GEXF (both open in Gephi); returns the node count.

    Node ids are stakeholder ids. Lists (groups, roles, kinds, relations) are joined with
    ``|``, as the formats hold only text, numbers and booleans; unknown values are left out.
    """
    if fmt not in ("graphml", "gexf"):
        raise InvalidInput(f"unknown graph format {fmt!r} (graphml or gexf)")
    graph = build_graph(ws, as_of=as_of, co_participation=co_participation)
    flat: nx.Graph[str] = nx.Graph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_flat(data))
    for a, b, data in graph.edges(data=True):
        flat.add_edge(a, b, **_flat(data))
    if fmt == "graphml":
        nx.write_graphml(flat, out, encoding="utf-8")
    else:
        nx.write_gexf(flat, out, encoding="utf-8")
    return flat.number_of_nodes()


def _flat(data: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    flat: dict[str, str | int | float | bool] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, tuple | list | set | frozenset):
            if value:
                flat[key] = "|".join(str(v) for v in value)
        elif isinstance(value, bool | int | float | str):
            flat[key] = value
        else:
            flat[key] = str(value)
    return flat


# --- scores -------------------------------------------------------------------------------


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

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return attrs.asdict(self)


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


# --- centralities -------------------------------------------------------------------------


def _pagerank(weights: sp.csr_matrix, alpha: float = _ALPHA, tol: float = _TOL,
              max_iter: int = _MAX_ITER) -> Floats:
    """PageRank by power iteration on a symmetric weighted adjacency matrix, as networkx
    computes it: uniform teleport, dangling (isolated) nodes spread evenly, stop when the
    L1 change is below ``n × tol``."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    degree = np.asarray(weights.sum(axis=1)).ravel()
    dangling = np.flatnonzero(degree == 0)
    inverse = np.divide(1.0, degree, out=np.zeros(n), where=degree != 0)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (weights @ (x * inverse) + last[dangling].sum() / n) + (1.0 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return np.asarray(x / x.sum(), dtype=np.float64)


def _brandes(adjacency: sp.csr_matrix, sources: Iterable[int], budget: float | None) -> tuple[
    Floats, int
]:
    """Brandes' betweenness, unnormalised and in hops, summed over ``sources`` (taken in
    order) until ``budget`` units of work are spent; returns the sums and how many sources
    were used.

    ``adjacency`` is symmetric with unit entries. Each source takes one breadth-first
    search in C (scipy.sparse.csgraph). Its levels are contiguous in the search order, so
    path counts (forward) and dependencies (backward) take one sparse matrix-vector
    product per level: over the level's own rows when the level is small, over the whole
    matrix when it holds a large share of the entries (cheaper than copying those rows).
    """
    n = adjacency.shape[0]
    nnz = max(adjacency.nnz, 1)
    degree = np.diff(adjacency.indptr)
    total = np.zeros(n)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    coeff = np.zeros(n)
    position = np.zeros(n, dtype=np.int64)
    spent = 0.0
    used = 0
    for source in sources:
        if budget is not None and spent >= budget and (used >= _MIN_SOURCES
                                                       or spent >= 4 * budget):
            break
        order, pred = csgraph.breadth_first_order(
            adjacency, int(source), directed=True, return_predecessors=True
        )
        used += 1
        reached = len(order)
        spent += reached + _LEVEL_COST
        if reached <= 2:
            continue
        position[order] = np.arange(reached)
        parent_at = position[pred[order[1:]]]  # non-decreasing in BFS order
        bounds = [0, 1]
        while bounds[-1] < reached:
            bounds.append(1 + int(np.searchsorted(parent_at, bounds[-1], side="left")))
        levels = [order[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]
        rows: list[sp.csr_matrix | None] = []
        for level in levels:
            entries = int(degree[level].sum())
            if entries * 4 > nnz:
                rows.append(None)
                spent += 2 * nnz
            else:
                rows.append(adjacency[level])
                spent += 3 * entries
            spent += _LEVEL_COST

        sigma.fill(0.0)
        sigma[source] = 1.0
        for depth in range(1, len(levels)):
            sigma[levels[depth]] = _level_product(adjacency, rows, levels, depth, sigma)
        delta.fill(0.0)
        coeff.fill(0.0)
        for depth in range(len(levels) - 1, 0, -1):
            w = levels[depth]
            coeff[w] = (1.0 + delta[w]) / sigma[w]
            v = levels[depth - 1]
            delta[v] = sigma[v] * _level_product(adjacency, rows, levels, depth - 1, coeff)
        delta[source] = 0.0
        total += delta
    return total, used


def _level_product(
    adjacency: sp.csr_matrix, rows: Sequence[sp.csr_matrix | None], levels: Sequence[Ints],
    depth: int, vector: Floats,
) -> Floats:
    """The rows of ``adjacency @ vector`` that belong to BFS level ``depth``."""
    block = rows[depth]
    if block is None:
        return np.asarray(adjacency @ vector, dtype=np.float64)[levels[depth]]
    return np.asarray(block @ vector, dtype=np.float64)


def _betweenness(adjacency: sp.csr_matrix, *, sources: int | None, seed: int) -> Floats:
    """Betweenness (networkx's normalisation) from sampled sources: all of them when
    ``sources`` ≥ n, else a random sample, by default as many as the work budget allows."""
    n = adjacency.shape[0]
    if n <= 2:
        return np.zeros(n)
    sample = np.random.default_rng(seed).permutation(n)
    if sources is not None:
        sample = sample[: max(1, sources)]
        total, used = _brandes(adjacency, sample, None)
    else:
        total, used = _brandes(adjacency, sample, _BETWEENNESS_WORK)
    return np.asarray(total * (n / used) / ((n - 1) * (n - 2)), dtype=np.float64)


def _csr(n: int, a: Ints, b: Ints, w: Floats) -> sp.csr_matrix:
    """Symmetric adjacency with the largest weight of each pair; (near-)zero weights and
    self-ties are dropped."""
    keep = (a != b) & (w > _MIN_WEIGHT)
    a, b, w = a[keep], b[keep], w[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = lo * np.int64(max(n, 1)) + hi
    order = np.argsort(key)
    key, w = key[order], w[order]
    if len(key):
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        w = np.maximum.reduceat(w, starts)
        key = key[starts]
    lo, hi = key // max(n, 1), key % max(n, 1)
    matrix = sp.coo_matrix(
        (np.r_[w, w], (np.r_[lo, hi], np.r_[hi, lo])), shape=(n, n)
    ).tocsr()
    matrix.sort_indices()
    return matrix


def _binary(weights: sp.csr_matrix) -> sp.csr_matrix:
    pattern = weights.copy()
    pattern.data = np.ones_like(pattern.data)
    return pattern


def _centralities(
    graph: nx.Graph[Any], nodes: Sequence[Hashable], method: Method, sources: int | None,
    seed: int, weight: str | None,
) -> tuple[Floats, Floats]:
    """PageRank and betweenness of ``nodes`` (in that order) on the undirected ``graph``."""
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    a: list[int] = []
    b: list[int] = []
    w: list[float] = []
    for u, v, data in graph.edges(data=True):
        value = 1.0 if weight is None else float(data.get(weight, 1.0))
        if u != v and value > _MIN_WEIGHT:
            a.append(index[u])
            b.append(index[v])
            w.append(value)
    if method == "auto":
        method = "exact" if n * len(a) <= _EXACT_WORK else "sparse"
    if method == "exact":
        clean: nx.Graph[int] = nx.Graph()
        clean.add_nodes_from(range(n))
        clean.add_weighted_edges_from(zip(a, b, w, strict=True))
        pr = nx.pagerank(clean, alpha=_ALPHA, tol=_TOL, max_iter=_MAX_ITER) if n else {}
        bc = nx.betweenness_centrality(clean, normalized=True)
        return (np.array([pr.get(i, 0.0) for i in range(n)], dtype=np.float64),
                np.array([bc.get(i, 0.0) for i in range(n)], dtype=np.float64))
    matrix = _csr(n, np.array(a, dtype=np.int64), np.array(b, dtype=np.int64),
                  np.array(w, dtype=np.float64))
    return _pagerank(matrix), _betweenness(_binary(matrix), sources=sources, seed=seed)


# --- ranking a networkx graph -------------------------------------------------------------


def rank_graph(
    graph: nx.Graph[Any],
    *,
    influence: Mapping[Any, float | None] | None = None,
    role: Mapping[Any, float] | None = None,
    settings: LeaderSettings = LeaderSettings(),  # noqa: B008 - a frozen value
    among: Iterable[Hashable] | None = None,
    top: int | None = None,
    method: Method = "auto",
    sources: int | None = None,
    seed: int = 0,
    weight: str | None = "weight",
) -> list[LeaderScore]:
    """Rank the nodes of any networkx graph as opinion leaders, best first.

    ``influence`` maps nodes to declared influence 1–5 and ``role`` to role weights 0–1;
    when a mapping is missing or holds no value for any ranked node, its weight goes to
    PageRank and betweenness. ``among`` limits the ranking to some nodes while the
    centralities are computed on the whole graph. Directed graphs are read as undirected;
    edge ``weight`` is the tie strength (``None``: every tie counts 1).

    ``method``: ``exact`` uses networkx's algorithms, ``sparse`` the sparse-matrix ones
    that :func:`rank_leaders` uses on large networks (betweenness estimated from
    ``sources`` sampled stakeholders, drawn with ``seed``); ``auto`` picks exact while
    that is cheap. Node ids become text (``LeaderScore.id``); names come from the node
    attribute ``name`` when there is one.
    """
    undirected: nx.Graph[Any] = graph.to_undirected(as_view=True) if graph.is_directed() \
        else graph
    nodes = sorted(undirected, key=str)
    pr, bc = _centralities(undirected, nodes, method, sources, seed, weight)
    ids = [str(node) for node in nodes]
    inf = np.array(
        [_influence_value((influence or {}).get(node)) for node in nodes], dtype=np.float64
    )
    roles = np.array([float((role or {}).get(node) or 0.0) for node in nodes],
                     dtype=np.float64)
    position = {node_id: i for i, node_id in enumerate(ids)}
    excluded = set(settings.excluded)
    wanted = nodes if among is None else [n for n in dict.fromkeys(among) if n in undirected]
    population = np.array(
        sorted(position[str(n)] for n in wanted if str(n) not in excluded), dtype=np.int64
    )
    pinned = [position[p] for p in settings.pinned if p in position]
    ranked = _rank(
        pagerank=pr, betweenness=bc, influence=inf, role=roles, population=population,
        pinned=pinned, settings=settings, top=top,
        ids_of=lambda idx: [ids[i] for i in idx.tolist()],
    )
    names = [str(undirected.nodes[node].get("name", node)) for node in nodes]
    return [
        _score_of(ranked, i, r, ids[i], names[i], pr, bc, inf, None)
        for r, i in enumerate(ranked.order, start=1)
    ]


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


# --- ranking the workspace ----------------------------------------------------------------


def rank_leaders(
    ws: Workspace,
    *,
    group: str | None = None,
    top: int | None = None,
    as_of: dt.date | None = None,
    co_participation: bool = False,
    method: Method = "auto",
    sources: int | None = None,
    seed: int = 0,
) -> list[LeaderScore]:
    """The workspace's opinion leaders on ``as_of`` (default today), best first.

    Hand-pinned leaders (``[leaders] pinned`` in the plan) come first in their order,
    excluded ones never appear. With ``group``, only members of that target group
    (registered or by the group's rule) are ranked, but on centralities of the whole
    network: a leader's reach goes beyond the group. ``top`` limits the list (None: all).
    Networks above :data:`SPARSE_ABOVE` stakeholders (or ``method="sparse"``) are ranked
    from the database on sparse matrices, with betweenness estimated from sampled sources.

    The ranking uses the registered relationships. ``co_participation`` adds the ties of
    :func:`build_graph` from shared gatherings; it is off by default because the log is
    the programme's own activity (it would pull the ranking towards whoever the programme
    already meets), and because at a million logged interactions reading them costs
    several times the rest of the ranking.
    """
    plan = ws.plan
    target = plan.group(group) if group is not None else None
    day = as_of or dt.date.today()
    settings = plan.leaders
    if method == "sparse" or (method == "auto" and _stakeholder_count(ws) > SPARSE_ABOVE):
        return _rank_store(ws, plan, target, top, day, co_participation, sources, seed)
    def load() -> tuple[list[Stakeholder], list[str], Floats, Floats]:
        people, graph = _load(ws, day, co_participation)
        nodes = sorted(graph)
        pr, bc = _centralities(graph, nodes, method, sources, seed, "weight")
        return people, nodes, pr, bc

    people, nodes, pr, bc = ws.memo(("leaders", day, co_participation, method, sources, seed),
                                    load)
    weights = _role_weights(plan)
    by_id = {s.id: s for s in people}
    own = _programme_own(plan)
    inf = np.array([_influence_value(by_id[n].influence) for n in nodes], dtype=np.float64)
    best_roles = [_best_role(by_id[n].roles, weights) for n in nodes]
    roles = np.array([w for _, w in best_roles], dtype=np.float64)
    excluded = set(settings.excluded)
    population = np.array(
        [i for i, n in enumerate(nodes) if n not in excluded and not by_id[n].restricted
         and (n in settings.pinned or not own(n, by_id[n].roles))
         and (target is None or is_member(by_id[n], target))], dtype=np.int64)
    position = {n: i for i, n in enumerate(nodes)}
    pinned = [position[p] for p in settings.pinned if p in position]
    ranked = _rank(
        pagerank=pr, betweenness=bc, influence=inf, role=roles, population=population,
        pinned=pinned, settings=settings, top=top,
        ids_of=lambda idx: [nodes[i] for i in idx.tolist()],
    )
    return [
        _score_of(ranked, i, r, nodes[i], by_id[nodes[i]].name, pr, bc, inf, best_roles[i][0])
        for r, i in enumerate(ranked.order, start=1)
    ]


def _programme_own(plan: Plan) -> Callable[[str, Iterable[str]], bool]:
    """Whether a stakeholder is the programme itself: its organisation, or one of its own
    people (a role with ``programme = true``). They inform the leaders; they are not
    ranked among them unless pinned."""
    roles = plan.programme_roles
    organisation = plan.programme.organisation

    def own(id_: str, held: Iterable[str]) -> bool:
        return id_ == organisation or not roles.isdisjoint(held)

    return own


def _stakeholder_count(ws: Workspace) -> int:
    with ws.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(ST)) or 0)


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


# --- the large-network path: straight from the database -----------------------------------


@contextlib.contextmanager
def _rows(conn: Connection, query: Any) -> Iterator[Iterable[Any]]:
    """Rows of a Core query straight from the DBAPI cursor, without Row objects: the fast
    path for reading hundreds of thousands of numbers into numpy."""
    result = conn.execute(query)
    try:
        cursor = getattr(result, "cursor", None)
        yield cursor if cursor is not None else result
    finally:
        result.close()


def _read(conn: Connection, query: Any, dtype: Any) -> npt.NDArray[Any]:
    with _rows(conn, query) as rows:
        return np.fromiter(rows, dtype=dtype)


def _active(day: dt.date) -> Any:
    return and_(or_(REL.c.start.is_(None), REL.c.start <= day),
                or_(REL.c.end.is_(None), REL.c.end >= day))


@attrs.frozen
class _Network:
    """A network read from the store and its centralities, by stakeholder index."""

    pks: Ints
    lookup: Ints
    influence: Floats
    role: Floats
    role_of: dict[int, str]
    pagerank: Floats
    betweenness: Floats


def _network(ws: Workspace, plan: Plan, day: dt.date, co_participation: bool,
             sources: int | None, seed: int) -> _Network:
    weights = _role_weights(plan)
    with ws.store.read() as session:
        conn = session.connection()
        nodes = _read(conn, select(ST.c.pk, func.coalesce(ST.c.influence, 0)).order_by(ST.c.pk),
                      [("pk", np.int64), ("influence", np.float64)])
        pks = np.ascontiguousarray(nodes["pk"])
        n = len(pks)
        lookup = np.full(int(pks[-1]) + 1 if n else 1, -1, dtype=np.int64)
        lookup[pks] = np.arange(n)
        edges = _read(conn, select(REL.c.source_pk, REL.c.target_pk, REL.c.strength)
                      .where(_active(day)), [("a", np.int64), ("b", np.int64), ("w", np.float64)])
        a, b, w = lookup[edges["a"]], lookup[edges["b"]], np.ascontiguousarray(edges["w"])
        if co_participation:
            pairs = _read(conn, select(PART.c.interaction_pk, PART.c.stakeholder_pk)
                          .where(PART.c.interaction_pk.in_(_meetings(day))),
                          [("i", np.int64), ("s", np.int64)])
            ca, cb, cw = _co_ties(pairs["i"], lookup[pairs["s"]], n)
            a, b, w = np.r_[a, ca], np.r_[b, cb], np.r_[w, cw]
        role = np.zeros(n)
        role_of: dict[int, str] = {}
        if weights:
            with _rows(conn, select(ROLES.c.stakeholder_pk, ROLES.c.role)
                       .where(ROLES.c.role.in_(sorted(weights)))
                       .order_by(ROLES.c.stakeholder_pk, ROLES.c.role)) as rows:
                for pk, key in rows:
                    i = int(lookup[pk])
                    if weights[key] > role[i]:
                        role[i] = weights[key]
                        role_of[i] = key
    matrix = _csr(n, a, b, w)
    return _Network(
        pks=pks, lookup=lookup,
        influence=np.where(nodes["influence"] > 0, nodes["influence"], np.nan),
        role=role, role_of=role_of, pagerank=_pagerank(matrix),
        betweenness=_betweenness(_binary(matrix), sources=sources, seed=seed),
    )


def _rank_store(
    ws: Workspace, plan: Plan, target: TargetGroup | None, top: int | None, day: dt.date,
    co_participation: bool, sources: int | None, seed: int,
) -> list[LeaderScore]:
    settings = plan.leaders
    net = ws.memo(("leaders-sparse", day, co_participation, sources, seed),
                  lambda: _network(ws, plan, day, co_participation, sources, seed))
    pks, lookup, n = net.pks, net.lookup, len(net.pks)
    pr, bc, inf, role = net.pagerank, net.betweenness, net.influence, net.role
    with ws.store.read() as session:
        conn = session.connection()
        with _rows(conn, select(ST.c.id, ST.c.pk)
                   .where(ST.c.id.in_([*settings.pinned, *settings.excluded,
                                       plan.programme.organisation or ""]))) as rows:
            named = {id_: int(pk) for id_, pk in rows}
        if target is None:
            member = np.ones(n, dtype=bool)
        else:
            member = np.zeros(n, dtype=bool)
            found = _read(conn, _members_query(target), [("pk", np.int64)])
            member[lookup[found["pk"]]] = True
        for key in settings.excluded:
            if key in named:
                member[lookup[named[key]]] = False
        own_roles = sorted(plan.programme_roles)
        if own_roles:
            found = _read(conn, select(ROLES.c.stakeholder_pk).where(ROLES.c.role.in_(own_roles)),
                          [("pk", np.int64)])
            member[lookup[found["pk"]]] = False
        if plan.programme.organisation in named:
            member[lookup[named[plan.programme.organisation]]] = False
        for key in settings.pinned:
            if key in named and (target is None or key in _ids_in(conn, target, [key])):
                member[lookup[named[key]]] = True
        # Restricted records (GDPR art. 18; erased people are restricted) may be stored,
        # not used: they keep carrying ties but are never ranked, pinned or not.
        found = _read(conn, select(ST.c.pk).where(ST.c.restricted.is_(True)),
                      [("pk", np.int64)])
        member[lookup[found["pk"]]] = False
        population = np.flatnonzero(member).astype(np.int64)
        pinned = [int(lookup[named[p]]) for p in settings.pinned if p in named]

        def ids_of(idx: Ints) -> list[str]:
            found = _lookup(conn, pks[idx])
            return [found[pk][0] for pk in pks[idx].tolist()]

        ranked = _rank(
            pagerank=pr, betweenness=bc, influence=inf, role=role, population=population,
            pinned=pinned, settings=settings, top=top, ids_of=ids_of,
        )
        chosen = _lookup(conn, pks[np.array(ranked.order, dtype=np.int64)])
    return [
        _score_of(ranked, i, r, chosen[int(pks[i])][0], chosen[int(pks[i])][1], pr, bc, inf,
                  net.role_of.get(i))
        for r, i in enumerate(ranked.order, start=1)
    ]


def _lookup(conn: Connection, pks: Ints) -> dict[int, tuple[str, str]]:
    """pk → (id, name) of some stakeholders."""
    found: dict[int, tuple[str, str]] = {}
    wanted = sorted(set(pks.tolist()))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        with _rows(conn, select(ST.c.pk, ST.c.id, ST.c.name).where(ST.c.pk.in_(chunk))) as rows:
            for pk, id_, name in rows:
                found[int(pk)] = (id_, name)
    return found


def _co_ties(interaction: Ints, person: Ints, n: int) -> tuple[Ints, Ints, Floats]:
    """Co-participation ties from (interaction, stakeholder index) pairs: shared counts
    through one sparse product, weighted ``min(1, 0.1 × shared)``."""
    if not len(interaction):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    incidence = sp.csr_matrix(
        (np.ones(len(person)), (interaction, person)), shape=(int(interaction.max()) + 1, n)
    )
    shared = sp.triu(incidence.T @ incidence, k=1).tocoo()
    weight = np.minimum(1.0, CO_PARTICIPATION_STEP * shared.data)
    return (shared.row.astype(np.int64), shared.col.astype(np.int64),
            np.asarray(weight, dtype=np.float64))


def _ids_in(conn: Connection, group: TargetGroup, ids: Sequence[str]) -> set[str]:
    """Those of ``ids`` that are members of ``group``."""
    query = select(ST.c.id).where(ST.c.id.in_(list(ids)), ST.c.pk.in_(_members_query(group)))
    with _rows(conn, query) as rows:
        return {row[0] for row in rows}


def _members_query(group: TargetGroup) -> Any:
    """The pks of a target group's members, registered or by rule: the one SQL form of
    :func:`interessent.workspace.is_member` (:func:`interessent.coverage.members_sql`)."""
    from sqlalchemy import Integer, bindparam, text

    from .coverage import members_sql

    sql, params, expanding = members_sql(group, 0)
    binds: list[Any] = [bindparam(name, value, expanding=name in expanding)
             for name, value in params.items()]
    return text(sql).bindparams(*binds).columns(pk=Integer)


# --- structural risk ----------------------------------------------------------------------


def leaders_unknown_to_programme(
    ws: Workspace, leaders: Sequence[LeaderScore], *, as_of: dt.date | None = None
) -> list[LeaderScore]:
    """The leaders nobody in the programme knows: no relationship active on ``as_of``
    (default today; either direction, any kind) ties them to the programme's organisation
    or to a stakeholder holding a role the plan marks ``programme = true``. Leaders who
    hold such a role themselves are known.
    """
    programme_roles = sorted(ws.plan.programme_roles)
    if not leaders:
        return []
    day = as_of or dt.date.today()
    ids = [leader.id for leader in leaders]
    with ws.store.read() as session:
        insiders = set(session.scalars(
            select(ROLES.c.stakeholder_pk).where(ROLES.c.role.in_(programme_roles))).all())
        organisation = ws.plan.programme.organisation
        if organisation:  # a tie to the programme's organisation (an observer seat) counts
            insiders.update(ws.store.pk_map(session, [organisation]).values())
        pk_of = ws.store.pk_map(session, ids)
        wanted = list(pk_of.values())
        known: set[int] = {pk for pk in wanted if pk in insiders}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = session.execute(
                select(REL.c.source_pk, REL.c.target_pk).where(
                    _active(day),
                    or_(REL.c.source_pk.in_(chunk), REL.c.target_pk.in_(chunk)),
                )
            ).all()
            for a, b in rows:
                if b in insiders:
                    known.add(a)
                if a in insiders:
                    known.add(b)
    return [leader for leader in leaders if pk_of.get(leader.id) not in known]
