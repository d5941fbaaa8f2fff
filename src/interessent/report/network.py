"""The network as the dashboard draws it: everyone, or above :data:`NETWORK_LIMIT` the
opinion leaders and their strongest ties, placed by a seeded spring layout."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import text

from ..graph import LeaderScore
from ..store.rules import active_on_sql
from .data import _LEADERS_SHOWN, NETWORK_LIMIT, Network, NetworkNode
from .series import _array
from .wording import _Named, _shown_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace


def _network(ws: Workspace, as_of: dt.date, leaders: Sequence[LeaderScore],
             first_group: Mapping[str, str], by_id: Mapping[str, _Named],
             ids: Mapping[int, str] | None = None) -> Network:
    """The network as drawn: everyone, or above :data:`NETWORK_LIMIT` the leaders and their
    strongest ties; positions from a seeded spring layout. ``ids``: every stakeholder's id
    by pk, when the caller has read them (else read here).

    The network is :func:`~interessent.graph.build_graph`'s without co-participation (a
    node per stakeholder, an edge per pair tied on the day, weighted by its strongest
    tie), read as arrays: only the nodes drawn become a graph."""
    import networkx as nx

    ties = _Ties(ws, as_of, ids)
    total_nodes, total_edges = len(ties.ids), len(ties.lo)
    ranks = {s.id: s.rank for s in leaders[:_LEADERS_SHOWN] if s.id in ties.pk}
    limited = total_nodes > NETWORK_LIMIT
    if limited:
        keep = dict.fromkeys(ranks)
        budget = NETWORK_LIMIT - len(keep)
        each = max(1, budget // max(1, len(ranks)))
        for leader in ranks:
            near = ties.neighbours(ties.pk[leader])
            near.sort(key=lambda nw: (-nw[1], -ties.degree(nw[0]), nw[0]))
            for n in [n for n, _ in near if n not in keep][:each]:
                keep[n] = None
        nodes = list(keep)
    else:
        nodes = sorted(ties.pk)
    sub: nx.Graph[str] = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_weighted_edges_from(ties.among(nodes))
    positions = _layout(nx, sub) if nodes else {}
    index = {n: i for i, n in enumerate(nodes)}
    drawn = tuple(
        NetworkNode(id=n, name=_shown_name(by_id.get(n), n), x=positions[n][0],
                    y=positions[n][1], group=first_group.get(n), leader=ranks.get(n),
                    ties=ties.degree(n))
        for n in nodes
    )
    edges = tuple(sorted((index[a], index[b], float(d.get("weight", 0.0)))
                         for a, b, d in sub.edges(data=True)))
    return Network(drawn, edges, total_nodes, total_edges, limited)


class _Ties:
    """The relationships active on a day as pairs of stakeholders (each pair once, its
    weight the strongest of its ties, at least 0), with every stakeholder's degree (a tie
    to oneself counts twice, as networkx counts it)."""

    def __init__(self, ws: Workspace, day: dt.date, ids: Mapping[int, str] | None = None,
                 ) -> None:
        with ws.store.read() as session:
            people = (list(ids.items()) if ids is not None
                      else _rows(session, "SELECT pk, id FROM stakeholders", {}))
            active = active_on_sql("rel", ":day")
            sql = f"SELECT source_pk, target_pk, strength FROM relationships rel WHERE {active}"  # noqa: S608
            rows = _array(session, text(sql), {"day": day},
                          [("a", np.int64), ("b", np.int64), ("w", np.float64)])
        self.ids = {int(pk): str(sid) for pk, sid in people}
        self.pk = {sid: pk for pk, sid in self.ids.items()}
        size = max(self.ids, default=0) + 1
        # Ties of the people read (given ids were read in a transaction of their own).
        known = np.zeros(size, dtype=bool)
        known[list(self.ids)] = True
        inside = ((rows["a"] < size) & (rows["b"] < size)) if len(rows) else (
            np.zeros(0, dtype=bool))
        inside[inside] &= known[rows["a"][inside]] & known[rows["b"][inside]]
        rows = rows[inside]
        a, b = np.ascontiguousarray(rows["a"]), np.ascontiguousarray(rows["b"])
        w = np.maximum(0.0, rows["w"])
        key = np.minimum(a, b) * size + np.maximum(a, b)
        order = np.argsort(key, kind="stable")
        key, w = key[order], w[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else (
            np.zeros(0, dtype=np.int64))
        self.weight = np.maximum.reduceat(w, starts) if len(key) else w
        self.lo, self.hi = key[starts] // size, key[starts] % size
        self.degrees = (np.bincount(self.lo, minlength=size)
                        + np.bincount(self.hi, minlength=size))

    def degree(self, sid: str) -> int:
        return int(self.degrees[self.pk[sid]])

    def neighbours(self, pk: int) -> list[tuple[str, float]]:
        """The ids tied to ``pk`` with each pair's weight."""
        out = [(self.ids[int(o)], float(x)) for o, x in zip(
            self.hi[self.lo == pk], self.weight[self.lo == pk], strict=True)]
        out += [(self.ids[int(o)], float(x)) for o, x in zip(
            self.lo[(self.hi == pk) & (self.lo != pk)],
            self.weight[(self.hi == pk) & (self.lo != pk)], strict=True)]
        return out

    def among(self, ids: Sequence[str]) -> list[tuple[str, str, float]]:
        """The pairs with both ends in ``ids``, and their weights."""
        inside = np.zeros(len(self.degrees), dtype=bool)
        inside[[self.pk[i] for i in ids]] = True
        both = np.flatnonzero(inside[self.lo] & inside[self.hi])
        return [(self.ids[int(self.lo[n])], self.ids[int(self.hi[n])], float(self.weight[n]))
                for n in both]


def _rows(session: Session, sql: str, params: Mapping[str, Any]) -> list[Any]:
    """The rows of ``sql`` as the driver gives them (no Row object each)."""
    result = session.connection().execute(text(sql), dict(params))
    try:
        cursor = getattr(result, "cursor", None)
        return list(cursor) if cursor is not None else [tuple(r) for r in result]
    finally:
        result.close()


def _layout(nx: Any, graph: Any) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1] × [0, 1]: each larger connected part of the network by a spring
    layout with a fixed seed, side by side, widths by size; pairs and loners in a row along
    the bottom (a spring layout flings them to the corners and squeezes the rest)."""
    parts = sorted((sorted(c) for c in nx.connected_components(graph)),
                   key=lambda c: (-len(c), c[0]))
    big = [c for c in parts if len(c) >= 3]
    small = [c for c in parts if len(c) < 3]
    height = 0.9 if small and big else 1.0
    out: dict[str, tuple[float, float]] = {}
    total = sum(math.sqrt(len(c)) for c in big)
    left = 0.0
    for part in big:
        width = math.sqrt(len(part)) / total
        # the part as a graph of its own, its nodes in id order: a subgraph view may list
        # them in the order of a set, which changes from run to run, and so would the layout
        piece = nx.Graph()
        piece.add_nodes_from(part)
        piece.add_edges_from(graph.subgraph(part).edges(data=True))
        raw = nx.spring_layout(piece, seed=7, weight="weight", iterations=120)
        for n, (x, y) in _spread(raw).items():
            out[n] = (left + (0.03 + 0.94 * x) * width if len(big) > 1 else left + x * width,
                      y * height)
        left += width
    # a pair sits close together, with room between one pair and the next
    slots = sum(len(c) for c in small) + 2 * (len(small) - 1)
    step = min(0.04, 1.0 / max(1, slots))
    x = 0.5 - step * (slots - 1) / 2
    for c in small:
        for n in c:
            out[n] = (x, 1.0 if big else 0.5)
            x += step
        x += 2 * step
    return out


def _spread(raw: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Positions pushed out from their centre (distance ** 0.6, a fish-eye), then scaled to
    [0, 1]: a spring layout packs the well-connected core, where the leaders are, tight."""
    if len(raw) == 1:
        return {n: (0.5, 0.5) for n in raw}
    cx = sum(float(p[0]) for p in raw.values()) / len(raw)
    cy = sum(float(p[1]) for p in raw.values()) / len(raw)
    moved = {}
    for n, p in raw.items():
        dx, dy = float(p[0]) - cx, float(p[1]) - cy
        r = math.hypot(dx, dy)
        f = r ** 0.6 / r if r > 0 else 0.0
        moved[n] = (dx * f, dy * f)
    x0, x1 = _range([p[0] for p in moved.values()])
    y0, y1 = _range([p[1] for p in moved.values()])

    def scale(v: float, lo: float, hi: float) -> float:
        return min(1.0, max(0.0, (v - lo) / (hi - lo))) if hi > lo else 0.5

    return {n: (scale(x, x0, x1), scale(y, y0, y1)) for n, (x, y) in moved.items()}


def _range(values: Sequence[float]) -> tuple[float, float]:
    """The span that maps to the drawing: the 2nd to the 98th percentile, widened a little,
    so one far-flung stakeholder does not shrink everyone else (it is drawn at the edge)."""
    ordered = sorted(values)
    if len(ordered) < 20:
        return ordered[0], ordered[-1]
    lo = ordered[int(0.02 * (len(ordered) - 1))]
    hi = ordered[math.ceil(0.98 * (len(ordered) - 1))]
    pad = (hi - lo) * 0.04
    return max(ordered[0], lo - pad), min(ordered[-1], hi + pad)
