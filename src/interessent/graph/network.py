"""The stakeholder network as a networkx graph, and its export for Gephi.

:func:`build_graph` turns the store into a networkx graph: one node per stakeholder, one
edge per pair of stakeholders tied by a relationship active on the day asked about, or by
taking part in the same gatherings (co-participation: the kinds in the gathering category,
the plan's own kinds included).
:func:`write_graph` writes it as GraphML or GEXF. :func:`_co_ties` makes the same
co-participation ties on sparse matrices, for networks too large for networkx.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import numpy as np
from sqlalchemy import Select, func, select

from ..errors import InvalidInput
from ..rules import KindCategory, kinds_in, tie_active_on
from ..store import INT, PART, ST
from .centrality import Floats, Ints

if TYPE_CHECKING:  # networkx and scipy load where they are used (see centrality)
    import networkx as nx

    from ..model import Stakeholder
    from ..plan import Plan
    from ..workspace import Workspace

__all__ = [
    "CO_PARTICIPATION_MAX_PARTICIPANTS",
    "CO_PARTICIPATION_STEP",
    "GATHERING_KINDS",
    "GraphFormat",
    "build_graph",
    "write_graph",
]

#: A graph file's format: GraphML or GEXF (both open in Gephi).
GraphFormat = Literal["graphml", "gexf"]

#: Each interaction two stakeholders shared adds this much to their tie, up to 1.
CO_PARTICIPATION_STEP = 0.1
#: Interactions with more participants than this make no ties: a big meeting is no
#: evidence that everyone present knows everyone else.
CO_PARTICIPATION_MAX_PARTICIPANTS = 25
#: The built-in interaction kinds where the participants are together (the gathering
#: category of :mod:`interessent.rules`). A letter, an e-mail, an article, a report sent to
#: several people, or a call, says nothing about whether they know each other: no ties. A
#: plan's own kinds declare their categories, and the network takes the plan's gathering
#: kinds, ``kinds_in(KindCategory.GATHERING, plan)``.
GATHERING_KINDS = kinds_in(KindCategory.GATHERING)


def build_graph(
    ws: Workspace, *, as_of: dt.date | None = None, co_participation: bool = True
) -> nx.Graph[str]:
    """The stakeholder network on ``as_of`` (default: today) as an undirected graph.

    Nodes are stakeholder ids with attributes ``name``, ``kind``, ``groups``, ``roles``,
    ``influence``, ``interest``, ``language`` and ``organisation`` (absent when unknown).
    An edge joins two stakeholders tied by at least one relationship active on ``as_of``
    (either direction, any kind) or, with ``co_participation``, by gatherings (meetings,
    board meetings, events, visits, presentations, and the plan's own kinds declared
    gatherings) both
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
    import networkx as nx

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
        if not tie_active_on(rel, day):
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


def _meetings(day: dt.date, plan: Plan) -> Select[tuple[int]]:
    """Gatherings (the plan's gathering kinds) on or before ``day`` with 2 to 25
    participants."""
    return (
        select(PART.c.interaction_pk)
        .join(INT, INT.c.pk == PART.c.interaction_pk)
        .where(INT.c.date <= day, INT.c.kind.in_(kinds_in(KindCategory.GATHERING, plan)))
        .group_by(PART.c.interaction_pk)
        .having(func.count().between(2, CO_PARTICIPATION_MAX_PARTICIPANTS))
    )


def _shared_interactions(ws: Workspace, day: dt.date) -> dict[tuple[str, str], int]:
    """Pairs of stakeholder ids (sorted) → how many gatherings they shared."""
    query = (
        select(PART.c.interaction_pk, ST.c.id)
        .join(ST, ST.c.pk == PART.c.stakeholder_pk)
        .where(PART.c.interaction_pk.in_(_meetings(day, ws.plan)))
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


def _co_ties(interaction: Ints, person: Ints, n: int) -> tuple[Ints, Ints, Floats]:
    """Co-participation ties from (interaction, stakeholder index) pairs: shared counts
    through one sparse product, weighted ``min(1, 0.1 × shared)``."""
    import scipy.sparse as sp

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


def write_graph(
    ws: Workspace,
    out: BinaryIO,
    *,
    fmt: GraphFormat = "graphml",
    as_of: dt.date | None = None,
    co_participation: bool = True,
) -> int:
    """Write the network as GraphML or GEXF (both open in Gephi); returns the node count.

    Node ids are stakeholder ids. Lists (groups, roles, kinds, relations) are joined with
    ``|``, as the formats hold only text, numbers and booleans; unknown values are left out.
    Stakeholders whose processing is restricted (GDPR art. 18; erased people are
    restricted) are left out entirely: no node, no edge, and no other node's
    ``organisation`` names them. Characters XML 1.0 cannot hold (control characters but
    tab and line ends, lone surrogates, U+FFFE, U+FFFF) are written as ``\\uXXXX``, so
    the file stays well-formed whatever a name or note holds.
    """
    if fmt not in ("graphml", "gexf"):
        raise InvalidInput(f"unknown graph format {fmt!r} (graphml or gexf)")
    import networkx as nx

    graph = build_graph(ws, as_of=as_of, co_participation=co_participation)
    with ws.store.read() as s:
        hidden = set(s.scalars(select(ST.c.id).where(ST.c.restricted.is_(True))))
    flat: nx.Graph[str] = nx.Graph()
    for node, data in graph.nodes(data=True):
        if node in hidden:
            continue
        shown = {k: v for k, v in data.items() if not (k == "organisation" and v in hidden)}
        flat.add_node(_xml_text(node), **_flat(shown))
    for a, b, data in graph.edges(data=True):
        if a not in hidden and b not in hidden:
            flat.add_edge(_xml_text(a), _xml_text(b), **_flat(data))
    if fmt == "graphml":
        nx.write_graphml(flat, out, encoding="utf-8")
    else:
        nx.write_gexf(flat, out, encoding="utf-8")
    return flat.number_of_nodes()


#: What XML 1.0 cannot hold (its Char production): control characters but tab, line feed
#: and carriage return; surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold written as ``\\uXXXX``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _flat(data: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    flat: dict[str, str | int | float | bool] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, tuple | list | set | frozenset):
            if value:
                flat[key] = _xml_text("|".join(str(v) for v in value))
        elif isinstance(value, bool | int | float):
            flat[key] = value
        else:
            flat[key] = _xml_text(str(value))
    return flat
