"""Ranking stakeholders as opinion leaders, and the leaders nobody in the programme knows.

:func:`rank_leaders` ranks the workspace: hand-pinned leaders first, excluded ones and
restricted records never, the programme's own people only when pinned, optionally only
the members of one target group. Networks up to :data:`SPARSE_ABOVE` stakeholders are
ranked on the networkx graph of :func:`~interessent.graph.build_graph`; larger ones
straight from the database on sparse matrices (:func:`_network`, :func:`_rank_store`).
:func:`rank_graph` ranks any networkx graph. :func:`leaders_unknown_to_programme` finds
the leaders with no tie to the programme.

What a ranking costs is kept in the database under the change counter
(:mod:`interessent.store.cache`), for every day on which the same ties are active: the
days on which ties start or end (:func:`_tie_changes`), the network with its
centralities, and the top of each ranking (:func:`_kept`). A write drops them all.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import io
import json
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt
from sqlalchemy import func, or_, select, union

from ..plan import LeaderSettings, Plan, TargetGroup
from ..rules import KindCategory, is_member, is_programme_own, kinds_in
from ..store import INT, PART, REL, ROLES, ST
from ..store.rules import as_query, members_sql, party_sql, programme_people_sql, tie_active_clause
from .centrality import Floats, Ints, Method, _betweenness, _binary, _centralities, _csr, _pagerank
from .network import _co_ties, _load, _meetings
from .scores import LeaderScore, _best_role, _influence_value, _rank, _role_weights, _score_of

if TYPE_CHECKING:
    import networkx as nx
    from sqlalchemy import Connection

    from ..model import Stakeholder
    from ..workspace import Workspace

__all__ = ["SPARSE_ABOVE", "leader_scores", "leaders_unknown_to_programme", "rank_graph",
           "rank_leaders"]

#: Above this many stakeholders :func:`rank_leaders` works on sparse matrices read
#: straight from the database instead of a networkx graph.
SPARSE_ABOVE = 5_000


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

    The ranking on a day is kept in the database and in ``ws`` until the next write, for
    every day on which the same ties are active (a report ranks on each month end).
    """
    plan = ws.plan
    target = plan.group(group) if group is not None else None
    # Read before the data the ranking is computed from (see interessent.store.cache).
    counter = ws.store.change_counter()
    day = _network_day(ws, as_of or dt.date.today(), co_participation, counter)
    key = ("ranked", group, top, day, co_participation, method, sources, seed, counter)
    return list(ws.memo(key, lambda: _kept(ws, target, top, day, co_participation, method,
                                           sources, seed, counter)))


def leader_scores(ws: Workspace, *, as_of: dt.date | None = None) -> dict[str, float]:
    """Every ranked stakeholder's score on ``as_of`` (default today), by id: what
    ``rank_leaders(ws, as_of=as_of)`` gives each, without making the ranking (on a large
    network, a :class:`LeaderScore` for each of 100,000 stakeholders costs more than
    scoring them). Those the ranking leaves out (excluded, restricted, the programme's
    own) are not in it. Kept in ``ws`` until the next write, as the ranking is (a report
    and its list of whom to contact next both ask)."""
    counter = ws.store.change_counter()
    day = _network_day(ws, as_of or dt.date.today(), False, counter)
    return dict(ws.memo(("scores", day, counter), lambda: _scores(ws, day, counter)))


def _scores(ws: Workspace, day: dt.date, counter: int | None) -> dict[str, float]:
    if _stakeholder_count(ws) <= SPARSE_ABOVE:
        return {s.id: s.score for s in rank_leaders(ws, as_of=day)}
    by_pk: dict[int, float] = {}
    _rank_store(ws, ws.plan, None, 0, day, False, None, 0, counter, scores=by_pk)
    with ws.store.read() as session, _rows(session.connection(),
                                           select(ST.c.pk, ST.c.id)) as rows:
        return {id_: by_pk[pk] for pk, id_ in rows if pk in by_pk}


#: Rankings of at most this many stakeholders are kept in the database whole (a longer
#: one, the whole population say, is ranked again from the kept network).
KEEP_AT_MOST = 1_000


def _kept(ws: Workspace, target: TargetGroup | None, top: int | None, day: dt.date,
          co_participation: bool, method: Method, sources: int | None, seed: int,
          counter: int | None) -> tuple[LeaderScore, ...]:
    """The ranking kept in the database at ``counter``, else computed (and kept)."""
    keep = counter is not None and top is not None and top <= KEEP_AT_MOST
    # A ranking depends on the plan's leader settings, roles, groups and programme.
    plan = hashlib.sha256(repr(ws.plan).encode("utf-8")).hexdigest()[:16]
    key = _cache_key("ranked", target.key if target else None, top, day, co_participation,
                     method, sources, seed, plan)
    if keep and counter is not None:
        data = ws.store.cached(key, counter)
        if data is not None:
            try:
                return tuple(LeaderScore(**row) for row in json.loads(data))
            except (ValueError, TypeError):  # not a ranking: compute it again
                pass
    ranked = _ranked(ws, target, top, day, co_participation, method, sources, seed, counter)
    if keep and counter is not None:
        ws.store.keep_cached(key, counter, json.dumps([attrs.asdict(s) for s in ranked]).encode())
    return ranked


def _ranked(ws: Workspace, target: TargetGroup | None, top: int | None, day: dt.date,
            co_participation: bool, method: Method, sources: int | None, seed: int,
            counter: int | None) -> tuple[LeaderScore, ...]:
    plan = ws.plan
    settings = plan.leaders
    if method == "sparse" or (method == "auto" and _stakeholder_count(ws) > SPARSE_ABOVE):
        return tuple(_rank_store(ws, plan, target, top, day, co_participation, sources, seed,
                                 counter))

    def load() -> tuple[list[Stakeholder], list[str], Floats, Floats]:
        key = _cache_key("graph", day, co_participation, method, sources, seed,
                         _plan_digest(plan, co_participation))
        people = ws.store.stakeholders()
        found = _from_cache(ws, key, counter)
        if found is not None:
            nodes = json.loads(found["nodes"].tobytes().decode("utf-8"))
            if nodes == sorted(s.id for s in people):
                return people, nodes, found["pagerank"], found["betweenness"]
        people, graph = _load(ws, day, co_participation)
        nodes = sorted(graph)
        pr, bc = _centralities(graph, nodes, method, sources, seed, "weight")
        _to_cache(ws, key, counter, nodes=np.frombuffer(json.dumps(nodes).encode("utf-8"),
                                                        dtype=np.uint8),
                  pagerank=pr, betweenness=bc)
        return people, nodes, pr, bc

    people, nodes, pr, bc = ws.memo(
        ("leaders", day, co_participation, method, sources, seed, counter), load)
    weights = _role_weights(plan)
    by_id = {s.id: s for s in people}
    inf = np.array([_influence_value(by_id[n].influence) for n in nodes], dtype=np.float64)
    best_roles = [_best_role(by_id[n].roles, weights) for n in nodes]
    roles = np.array([w for _, w in best_roles], dtype=np.float64)
    excluded = set(settings.excluded)
    population = np.array(
        [i for i, n in enumerate(nodes) if n not in excluded and not by_id[n].restricted
         and (n in settings.pinned or not is_programme_own(n, by_id[n].roles, plan))
         and (target is None or is_member(by_id[n], target))], dtype=np.int64)
    position = {n: i for i, n in enumerate(nodes)}
    pinned = [position[p] for p in settings.pinned if p in position]
    ranked = _rank(
        pagerank=pr, betweenness=bc, influence=inf, role=roles, population=population,
        pinned=pinned, settings=settings, top=top,
        ids_of=lambda idx: [nodes[i] for i in idx.tolist()],
    )
    return tuple(
        _score_of(ranked, i, r, nodes[i], by_id[nodes[i]].name, pr, bc, inf, best_roles[i][0])
        for r, i in enumerate(ranked.order, start=1)
    )


def _stakeholder_count(ws: Workspace) -> int:
    with ws.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(ST)) or 0)


# --- the same ranking on many days, and kept in the store ---------------------------------


def _network_day(ws: Workspace, day: dt.date, co_participation: bool,
                 counter: int | None) -> dt.date:
    """The first day of the span around ``day`` on which the same ties are active: the
    ranking depends on the day only through the ties active on it, so every day of that
    span has the same ranking, computed and kept once (a report ranks on every month end).
    With ``co_participation`` the gatherings up to the day count too: ``day`` itself."""
    if co_participation:
        return day
    changes = ws.memo(("tie-changes", counter), lambda: _tie_changes(ws, counter))
    at = bisect.bisect_right(changes, day)
    return changes[at - 1] if at else dt.date.min


def _tie_changes(ws: Workspace, counter: int | None) -> list[dt.date]:
    """The days on which the set of active ties changes (a tie starts, or the day after
    it ends), sorted: :func:`interessent.rules.tie_active_on` is constant between them."""
    key = _cache_key("tie-changes")
    found = _from_cache(ws, key, counter)
    if found is not None:
        return [dt.date.fromordinal(int(d)) for d in found["days"].tolist()]
    with ws.store.read() as session:
        starts = session.scalars(select(REL.c.start).where(REL.c.start.is_not(None))
                                 .distinct()).all()
        ends = session.scalars(select(REL.c.end).where(REL.c.end.is_not(None))
                               .distinct()).all()
    changes = {_as_date(d) for d in starts}
    changes |= {_as_date(d) + dt.timedelta(days=1) for d in ends if _as_date(d) < dt.date.max}
    days = sorted(changes)
    _to_cache(ws, key, counter, days=np.array([d.toordinal() for d in days], dtype=np.int64))
    return days


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _cache_key(*parts: object) -> str:
    """The key of a ranking kept in the store: what it was computed from, besides the data."""
    return "leaders:" + ":".join("-" if p is None else str(p) for p in parts)


def _from_cache(ws: Workspace, key: str, counter: int | None) -> dict[str, npt.NDArray[Any]] | None:
    """The arrays kept under ``key`` at ``counter``, or None (nothing kept, or unreadable)."""
    if counter is None:
        return None
    data = ws.store.cached(key, counter)
    if data is None:
        return None
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as found:
            return {name: found[name] for name in found.files}
    except (OSError, ValueError, KeyError):  # not an npz archive: compute again
        return None


def _to_cache(ws: Workspace, key: str, counter: int | None, **arrays: npt.NDArray[Any]) -> None:
    if counter is None:
        return
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    ws.store.keep_cached(key, counter, buffer.getvalue())


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

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The network as plain arrays, to keep in the store (no pickle)."""
        keys = sorted(set(self.role_of.values()))
        code = {k: n for n, k in enumerate(keys)}
        held = np.array(sorted(self.role_of), dtype=np.int64)
        return {
            "pks": self.pks, "influence": self.influence, "role": self.role,
            "pagerank": self.pagerank, "betweenness": self.betweenness, "role_holders": held,
            "role_codes": np.array([code[self.role_of[i]] for i in held.tolist()],
                                   dtype=np.int64),
            "role_keys": np.frombuffer(json.dumps(keys).encode("utf-8"), dtype=np.uint8),
        }

    @classmethod
    def from_arrays(cls, a: Mapping[str, npt.NDArray[Any]]) -> _Network:
        pks = np.ascontiguousarray(a["pks"], dtype=np.int64)
        n = len(pks)
        if not all(len(a[k]) == n for k in ("influence", "role", "pagerank", "betweenness")):
            raise ValueError("arrays of different lengths")
        lookup = np.full(int(pks[-1]) + 1 if n else 1, -1, dtype=np.int64)
        lookup[pks] = np.arange(n)
        keys = json.loads(a["role_keys"].tobytes().decode("utf-8"))
        return cls(
            pks=pks, lookup=lookup, influence=a["influence"], role=a["role"],
            role_of={int(i): keys[int(c)] for i, c in zip(a["role_holders"].tolist(),
                                                         a["role_codes"].tolist(), strict=True)},
            pagerank=a["pagerank"], betweenness=a["betweenness"],
        )


def _network(ws: Workspace, plan: Plan, day: dt.date, co_participation: bool,
             sources: int | None, seed: int, counter: int | None = None) -> _Network:
    """The network on ``day`` and its centralities: kept in the store under the change
    counter ``counter`` (read before calling), or read and computed and then kept."""
    key = _cache_key("sparse", day, co_participation, sources, seed,
                     _plan_digest(plan, co_participation))
    found = _from_cache(ws, key, counter)
    if found is not None:
        try:
            return _Network.from_arrays(found)
        except (KeyError, ValueError, IndexError):
            pass
    net = _read_network(ws, plan, day, co_participation, sources, seed)
    _to_cache(ws, key, counter, **net.arrays())
    return net


def _plan_digest(plan: Plan, co_participation: bool) -> str:
    """What of the plan a kept network depends on, as a short digest: the role weights,
    and with co-participation the interaction kinds (which of them are gatherings)."""
    parts: list[Any] = [sorted(_role_weights(plan).items())]
    if co_participation:
        parts.append([repr(kind) for kind in plan.interaction_kinds])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:16]


def _read_network(ws: Workspace, plan: Plan, day: dt.date, co_participation: bool,
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
                      .where(tie_active_clause(REL, day, day)),
                      [("a", np.int64), ("b", np.int64), ("w", np.float64)])
        a, b, w = lookup[edges["a"]], lookup[edges["b"]], np.ascontiguousarray(edges["w"])
        if co_participation:
            pairs = _read(conn, select(PART.c.interaction_pk, PART.c.stakeholder_pk)
                          .where(PART.c.interaction_pk.in_(_meetings(day, plan))),
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
    co_participation: bool, sources: int | None, seed: int, counter: int | None = None,
    scores: dict[int, float] | None = None,
) -> list[LeaderScore]:
    """The ranking from the store; with ``scores``, also every ranked stakeholder's score
    by pk, put there (:func:`leader_scores`)."""
    settings = plan.leaders
    net = ws.memo(("leaders-sparse", day, co_participation, sources, seed, counter),
                  lambda: _network(ws, plan, day, co_participation, sources, seed, counter))
    pks, lookup, n = net.pks, net.lookup, len(net.pks)
    pr, bc, inf, role = net.pagerank, net.betweenness, net.influence, net.role
    with ws.store.read() as session:
        conn = session.connection()
        with _rows(conn, select(ST.c.id, ST.c.pk)
                   .where(ST.c.id.in_([*settings.pinned, *settings.excluded]))) as rows:
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
        # The programme's own people inform the leaders; they are ranked only when pinned.
        found = _read(conn, as_query(programme_people_sql(plan)), [("pk", np.int64)])
        member[lookup[found["pk"]]] = False
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

        known: dict[int, tuple[str, str]] = {}

        def ids_of(idx: Ints) -> list[str]:
            found = _lookup(conn, pks[idx], known)
            return [found[pk][0] for pk in pks[idx].tolist()]

        ranked = _rank(
            pagerank=pr, betweenness=bc, influence=inf, role=role, population=population,
            pinned=pinned, settings=settings, top=top, ids_of=ids_of,
        )
        if scores is not None:
            scores.update(zip(pks[population].tolist(), ranked.score[population].tolist(),
                              strict=True))
        chosen = _lookup(conn, pks[np.array(ranked.order, dtype=np.int64)], known)
    return [
        _score_of(ranked, i, r, chosen[int(pks[i])][0], chosen[int(pks[i])][1], pr, bc, inf,
                  net.role_of.get(i))
        for r, i in enumerate(ranked.order, start=1)
    ]


def _lookup(conn: Connection, pks: Ints,
            found: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """pk → (id, name) of some stakeholders, added to ``found`` (those there already are
    not read again): IN lists for a few, one pass over the table for many."""
    wanted = sorted(set(pks.tolist()) - found.keys())
    if len(wanted) > 5_000:
        keep = set(wanted)
        with _rows(conn, select(ST.c.pk, ST.c.id, ST.c.name)) as rows:
            found.update((int(pk), (id_, name)) for pk, id_, name in rows if pk in keep)
        return found
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        with _rows(conn, select(ST.c.pk, ST.c.id, ST.c.name).where(ST.c.pk.in_(chunk))) as rows:
            for pk, id_, name in rows:
                found[int(pk)] = (id_, name)
    return found


def _ids_in(conn: Connection, group: TargetGroup, ids: Sequence[str]) -> set[str]:
    """Those of ``ids`` that are members of ``group``."""
    query = select(ST.c.id).where(ST.c.id.in_(list(ids)), ST.c.pk.in_(_members_query(group)))
    with _rows(conn, query) as rows:
        return {row[0] for row in rows}


def _members_query(group: TargetGroup) -> Any:
    """The pks of a target group's members, registered or by rule: the one SQL form of
    :func:`interessent.rules.is_member` (:func:`interessent.store.rules.members_sql`)."""
    return as_query(members_sql(group, 0))


# --- structural risk ----------------------------------------------------------------------


def leaders_unknown_to_programme(
    ws: Workspace, leaders: Sequence[LeaderScore], *, as_of: dt.date | None = None,
    since: dt.date | None = None,
) -> list[LeaderScore]:
    """The leaders nobody in the programme knows: no relationship active on ``as_of``
    (default today; either direction, any kind) ties them to the programme's organisation
    or to a stakeholder holding a role the plan marks ``programme = true``, and no direct
    contact with them (a kind in the direct category, the plan's own included) is logged
    from ``since`` (default: ever) to ``as_of``. A contact logged is the programme's,
    whether or not one of its people is listed as taking part. A leader that is an
    organisation is known when someone who acts for it (its party) was contacted. Leaders
    who hold a programme role themselves are known.
    """
    if not leaders:
        return []
    day = as_of or dt.date.today()
    ids = [leader.id for leader in leaders]
    direct = kinds_in(KindCategory.DIRECT, ws.plan)
    dated = [INT.c.kind.in_(direct), INT.c.date <= day]
    if since is not None:
        dated.append(INT.c.date >= since)
    with ws.store.read() as session:
        # A tie to the programme's organisation (an observer seat) counts too.
        insiders = set(session.scalars(as_query(programme_people_sql(ws.plan))).all())
        pk_of = ws.store.pk_map(session, ids)
        wanted = list(pk_of.values())
        known: set[int] = {pk for pk in wanted if pk in insiders}
        # each leader's party: the leader, and for an organisation those who act for it
        party: dict[int, set[int]] = {}
        for id_, pk in pk_of.items():
            for (member,) in session.execute(as_query(party_sql(), party_org=id_, day=day)):
                party.setdefault(int(member), set()).add(pk)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = session.execute(
                select(REL.c.source_pk, REL.c.target_pk).where(
                    tie_active_clause(REL, day, day),
                    or_(REL.c.source_pk.in_(chunk), REL.c.target_pk.in_(chunk)),
                )
            ).all()
            for a, b in rows:
                if b in insiders:
                    known.add(a)
                if a in insiders:
                    known.add(b)
        people = sorted(party)
        for start in range(0, len(people), 500):
            chunk = people[start:start + 500]
            met = session.scalars(union(
                select(PART.c.stakeholder_pk).join(INT, INT.c.pk == PART.c.interaction_pk)
                .where(PART.c.stakeholder_pk.in_(chunk), *dated),
                select(INT.c.host_pk).where(INT.c.host_pk.in_(chunk), *dated),
            )).all()
            for pk in met:
                known.update(party.get(pk, ()))
    return [leader for leader in leaders if pk_of.get(leader.id) not in known]
