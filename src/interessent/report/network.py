"""The network as the dashboard draws it: everyone, or above :data:`NETWORK_LIMIT` the
opinion leaders and their strongest ties, placed by a seeded spring layout."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..graph import LeaderScore, build_graph
from .data import _LEADERS_SHOWN, NETWORK_LIMIT, Network, NetworkNode
from .wording import _shown_name

if TYPE_CHECKING:
    from ..model import Stakeholder
    from ..workspace import Workspace


def _network(ws: Workspace, as_of: dt.date, leaders: Sequence[LeaderScore],
             first_group: Mapping[str, str], by_id: Mapping[str, Stakeholder]) -> Network:
    """The network as drawn: everyone, or above :data:`NETWORK_LIMIT` the leaders and their
    strongest ties; positions from a seeded spring layout."""
    import networkx as nx

    graph = build_graph(ws, as_of=as_of, co_participation=False)
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    ranks = {s.id: s.rank for s in leaders[:_LEADERS_SHOWN] if s.id in graph}
    limited = total_nodes > NETWORK_LIMIT
    if limited:
        keep = dict.fromkeys(ranks)
        budget = NETWORK_LIMIT - len(keep)
        each = max(1, budget // max(1, len(ranks)))
        for leader in ranks:
            ties = graph[leader]
            near = sorted(ties, key=lambda n: (-float(ties[n].get("weight", 0.0)),
                                               -int(graph.degree(n)), n))
            for n in [n for n in near if n not in keep][:each]:
                keep[n] = None
        nodes = list(keep)
    else:
        nodes = sorted(graph)
    sub = graph.subgraph(nodes)
    positions = _layout(nx, sub) if nodes else {}
    index = {n: i for i, n in enumerate(nodes)}
    drawn = tuple(
        NetworkNode(id=n, name=_shown_name(by_id.get(n), n), x=positions[n][0],
                    y=positions[n][1], group=first_group.get(n), leader=ranks.get(n),
                    ties=graph.degree(n))
        for n in nodes
    )
    edges = tuple(sorted((index[a], index[b], float(d.get("weight", 0.0)))
                         for a, b, d in sub.edges(data=True)))
    return Network(drawn, edges, total_nodes, total_edges, limited)


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
        raw = nx.spring_layout(graph.subgraph(part), seed=7, weight="weight", iterations=120)
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
