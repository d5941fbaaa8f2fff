"""The stakeholder network, opinion-leader ranking and graph export (interessent.graph)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from interessent.errors import NotFound
from interessent.graph import (
    LeaderScore,
    build_graph,
    explain,
    leaders_unknown_to_programme,
    rank_graph,
    rank_leaders,
    write_graph,
)
from interessent.graph import leaders as graph
from interessent.model import Interaction, Relationship, Stakeholder
from interessent.plan import LeaderSettings
from interessent.workspace import Workspace

DAY = dt.date(2026, 6, 1)
ALPHA = 0.85

PLAN = """\
[programme]
name = "Testprogrammet"
municipality = "Test kommune"
start = 2026-01-01

[[groups]]
key = "naeringslivet"
name = "Næringslivet"

[[groups]]
key = "ledelse"
name = "Ledelse"
rule = {{ roles = ["ordforer"] }}

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true
weight = 0.5

[[roles]]
key = "ordforer"
name = "Ordfører"
weight = 1.0

[[roles]]
key = "ansatt"
name = "Ansatt"

[[roles]]
key = "journalist"
name = "Journalist"
weight = 0.5

[leaders]
{leaders}
"""

Make = Callable[..., Workspace]


@pytest.fixture
def make_ws(tmp_path: Path) -> Iterator[Make]:
    """Workspaces in real SQLite files, filled through the store; closed afterwards."""
    opened: list[Workspace] = []

    def make(
        people: Sequence[Stakeholder] = (),
        rels: Sequence[Relationship] = (),
        meetings: Sequence[Interaction] = (),
        leaders: str = "",
    ) -> Workspace:
        root = tmp_path / f"ws{len(opened)}"
        root.mkdir()
        (root / "interessent.toml").write_text(PLAN.format(leaders=leaders), encoding="utf-8")
        ws = Workspace(root)
        opened.append(ws)
        with ws.store.write() as s:
            ws.store._save_stakeholders(s, list(people))
            ws.store._save_relationships(s, list(rels))
            ws.store._save_interactions(s, list(meetings))
        return ws

    yield make
    for ws in opened:
        ws.close()


def person(id: str, **kw: object) -> Stakeholder:
    return Stakeholder(id=id, name=kw.pop("name", id.title()), **kw)  # type: ignore[arg-type]


def knows(a: str, b: str, strength: float = 1.0, **kw: object) -> Relationship:
    return Relationship(a, b, "knows", strength=strength, directed=False, **kw)  # type: ignore[arg-type]


def meeting(id: str, *who: str, day: dt.date = dt.date(2026, 3, 1)) -> Interaction:
    return Interaction(id=id, date=day, kind="meeting", participants=who)


def ids(scores: Sequence[LeaderScore]) -> list[str]:
    return [s.id for s in scores]


# --- centralities worked out by hand ------------------------------------------------------


def star(make_ws: Make, leaders: str = "") -> Workspace:
    return make_ws(
        [person(x) for x in ("hub", "a", "b", "c")],
        [knows("hub", leaf) for leaf in ("a", "b", "c")],
        leaders=leaders,
    )


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_star_hub_ranks_first_with_closed_form_pagerank(make_ws: Make, method: str) -> None:
    # PageRank of a star with a hub and three leaves: each leaf sends the hub everything,
    # the hub sends each leaf a third: hub = (1-α)/4 + α·3·leaf and 3·leaf = 1 - hub, so
    # hub = ((1-α)/4 + α) / (1 + α) and each leaf (1 - hub) / 3.
    hub = (0.25 * (1 - ALPHA) + ALPHA) / (1 + ALPHA)
    leaf = (1 - hub) / 3
    assert hub == pytest.approx(0.4797297, abs=1e-6)

    ranked = rank_leaders(star(make_ws), as_of=DAY, method=method)  # type: ignore[arg-type]

    assert ids(ranked) == ["hub", "a", "b", "c"]  # equal leaves in id order
    top = ranked[0]
    assert top.pagerank == pytest.approx(hub, abs=1e-5)
    assert top.betweenness == pytest.approx(1.0)  # every leaf-to-leaf path crosses it
    assert top.score == pytest.approx(1.0)
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    # nobody declared influence or holds a weighted role: their 0.25 + 0.15 went to the
    # network components in proportion, 0.35 : 0.25 of 0.60
    w_pr, w_bc = 0.35 / 0.60, 0.25 / 0.60
    assert top.weights == pytest.approx(
        {"pagerank": w_pr, "betweenness": w_bc, "influence": 0.0, "role": 0.0})
    for s in ranked[1:]:
        assert s.pagerank == pytest.approx(leaf, abs=1e-5)
        assert s.betweenness == 0.0
        assert s.score == pytest.approx(w_pr * leaf / hub, abs=1e-5)


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_path_middle_has_betweenness_one_ends_zero(method: str) -> None:
    g: nx.Graph[str] = nx.Graph([("a", "b"), ("b", "c")])
    ranked = {s.id: s for s in rank_graph(g, method=method)}  # type: ignore[arg-type]
    assert ranked["b"].betweenness == pytest.approx(1.0)
    assert ranked["a"].betweenness == ranked["c"].betweenness == 0.0
    assert ranked["b"].rank == 1


def test_components_worked_out_by_hand(make_ws: Make) -> None:
    # a – b – c with a: influence 5 and ordfører (role weight 1.0), b: nothing declared,
    # c: influence 1 and journalist (0.5). Default weights 0.35/0.25/0.25/0.15.
    ws = make_ws(
        [person("a", influence=5, roles=["ordforer"]), person("b"),
         person("c", influence=1, roles=["journalist", "ansatt"])],
        [knows("a", "b"), knows("b", "c")],
    )
    # PageRank of a 3-path: middle m = (1-α)/3 + α(1 - m) → m = 0.9/1.85; each end (1-m)/2
    m = (0.05 + ALPHA) / (1 + ALPHA)
    end = (1 - m) / 2
    pr_end = end / m  # scaled by the largest PageRank among the ranked: 0.95/1.8
    assert pr_end == pytest.approx(0.95 / 1.8)
    expect = {
        # pagerank, betweenness, influence (i-1)/4 or 0.5 undeclared, role weight
        "a": (pr_end, 0.0, 1.0, 1.0),
        "b": (1.0, 1.0, 0.5, 0.0),
        "c": (pr_end, 0.0, 0.0, 0.5),
    }
    weights = (0.35, 0.25, 0.25, 0.15)
    scores = {k: sum(w * v for w, v in zip(weights, comps, strict=True))
              for k, comps in expect.items()}
    assert scores == pytest.approx({"a": 0.584722, "b": 0.725, "c": 0.259722}, abs=1e-6)

    for method in ("exact", "sparse"):
        ranked = rank_leaders(ws, as_of=DAY, method=method)
        assert ids(ranked) == ["b", "a", "c"]
        for s in ranked:
            comps = dict(zip(("pagerank", "betweenness", "influence", "role"), expect[s.id],
                             strict=True))
            assert s.components == pytest.approx(comps, abs=1e-5)
            assert s.score == pytest.approx(scores[s.id], abs=1e-5)
        by_id = {s.id: s for s in ranked}
        assert by_id["a"].influence == 5 and by_id["a"].role == "ordforer"
        assert by_id["b"].influence is None and by_id["b"].role is None
        assert by_id["c"].role == "journalist"
        assert explain(by_id["b"]) == (
            "0.72 = 0.35×pagerank 1.00 + 0.25×betweenness 1.00 + 0.25×influence 0.50 "
            "+ 0.15×role 0.00"
        )
        json.dumps([s.to_dict() for s in ranked])  # JSON-ready


def test_the_programmes_own_people_inform_leaders_and_are_not_ranked(make_ws: Make) -> None:
    # dl (daglig leder, a programme role) sits in the middle of a–dl–c: the most central,
    # yet the one who informs the leaders, not one of them — unless the plan pins them.
    people = [person("a"), person("dl", roles=["daglig_leder"]), person("c")]
    ties = [knows("a", "dl"), knows("dl", "c")]
    for method in ("exact", "sparse"):
        assert sorted(ids(rank_leaders(make_ws(people, ties), as_of=DAY, method=method))) == [
            "a", "c"]
        pinned = make_ws(people, ties, leaders='pinned = ["dl"]')
        assert ids(rank_leaders(pinned, as_of=DAY, method=method))[0] == "dl"


def test_restricted_people_are_never_ranked(make_ws: Make) -> None:
    # b is the hub of a–b–c, but their data is restricted (GDPR art. 18): stored, not used.
    people = [person("a"), attrs.evolve(person("b"), restricted=True), person("c")]
    for method in ("exact", "sparse"):
        ws = make_ws(people, [knows("a", "b"), knows("b", "c")], leaders='pinned = ["b"]')
        assert sorted(ids(rank_leaders(ws, as_of=DAY, method=method))) == ["a", "c"]


def test_plan_weights_are_normalised(make_ws: Make) -> None:
    ws = make_ws(
        [person("a", influence=5), person("b", influence=1)], [knows("a", "b")],
        leaders="pagerank = 0\nbetweenness = 0\ninfluence = 2\nrole = 2",
    )
    ranked = rank_leaders(ws, as_of=DAY)
    # nobody holds a weighted role: influence takes all; a: (5-1)/4 = 1, b: 0
    assert ranked[0].weights == {"pagerank": 0.0, "betweenness": 0.0, "influence": 1.0,
                                 "role": 0.0}
    assert [(s.id, s.score) for s in ranked] == [("a", 1.0), ("b", 0.0)]
    assert explain(ranked[0]) == "1.00 = 1.00×influence 1.00 (role not counted)"


# --- pinning, excluding, groups -----------------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_pinned_come_first_and_excluded_never_appear(make_ws: Make, method: str) -> None:
    ws = star(make_ws, leaders='pinned = ["c", "nobody"]\nexcluded = ["hub"]\ntop = 2')
    ranked = rank_leaders(ws, as_of=DAY, method=method)  # type: ignore[arg-type]
    assert ids(ranked) == ["c", "a", "b"]
    assert [s.pinned for s in ranked] == [True, False, False]
    assert [s.rank for s in ranked] == [1, 2, 3]
    assert ids(rank_leaders(ws, as_of=DAY, top=2, method=method)) == ["c", "a"]  # type: ignore[arg-type]
    assert "pinned in the plan" in explain(ranked[0])
    # the hub still carries the network: the leaves' centralities are computed with it
    assert ranked[1].pagerank == pytest.approx(0.173423, abs=1e-5)


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_group_ranks_members_on_whole_network_centralities(make_ws: Make, method: str) -> None:
    # ledelse: x registered, mayor by the group's rule (role ordforer); hub is no member
    ws = make_ws(
        [person("hub"), person("x", groups=["ledelse"]), person("mayor", roles=["ordforer"]),
         person("y", groups=["naeringslivet"]), person("z")],
        [knows("hub", "x"), knows("hub", "mayor"), knows("hub", "y"), knows("hub", "z"),
         knows("x", "y")],
        leaders='pinned = ["hub", "x"]',
    )
    ranked = rank_leaders(ws, group="ledelse", as_of=DAY, method=method)  # type: ignore[arg-type]
    assert ids(ranked) == ["x", "mayor"]  # pinned hub is not a member; x is pinned
    assert ranked[0].pinned
    whole = {s.id: s for s in rank_leaders(ws, as_of=DAY, method=method)}  # type: ignore[arg-type]
    for s in ranked:
        assert s.pagerank == pytest.approx(whole[s.id].pagerank)
    # scaled by the best *member*: x has the larger PageRank of the two
    assert ranked[0].components["pagerank"] == pytest.approx(1.0)
    assert ranked[1].components["pagerank"] == pytest.approx(
        whole["mayor"].pagerank / whole["x"].pagerank)
    # mayor's ordfører role gives role weight 1.0
    assert ranked[1].role == "ordforer" and ranked[1].components["role"] == 1.0
    with pytest.raises(NotFound):
        rank_leaders(ws, group="nope", as_of=DAY)


def test_empty_workspace_ranks_nobody(make_ws: Make) -> None:
    ws = make_ws()
    assert rank_leaders(ws, as_of=DAY) == []
    assert rank_leaders(ws, as_of=DAY, method="sparse") == []
    assert leaders_unknown_to_programme(ws, []) == []


# --- the graph ----------------------------------------------------------------------------


def test_co_participation_ties(make_ws: Make) -> None:
    crowd = [f"p{i:02d}" for i in range(26)]
    ws = make_ws(
        [person(x) for x in ("a", "b", "c", "d", *crowd)],
        [knows("c", "d", strength=0.5)],
        [
            meeting("m1", "a", "b"), meeting("m2", "a", "b", "c"),
            meeting("m3", "c", "d"),
            meeting("late", "a", "b", day=dt.date(2026, 9, 1)),  # after the day asked
            meeting("big", *crowd),  # 26 participants: no ties
            meeting("m25", *crowd[:25]),  # 25 is still a meeting
            Interaction(id="brev", date=dt.date(2026, 2, 1), kind="letter",
                        participants=("a", "d")),  # a letter to two is no gathering
        ],
    )
    g = build_graph(ws, as_of=DAY)
    assert g.edges["a", "b"]["shared"] == 2
    assert g.edges["a", "b"]["weight"] == pytest.approx(0.2)  # 2 × 0.1
    assert "kinds" not in g.edges["a", "b"]  # no declared relationship
    assert g.edges["a", "c"]["weight"] == pytest.approx(0.1)
    assert not g.has_edge("a", "d")
    # declared 0.5 beats one shared meeting (0.1): weight is the larger
    assert g.edges["c", "d"]["weight"] == pytest.approx(0.5)
    assert g.edges["c", "d"]["shared"] == 1 and g.edges["c", "d"]["kinds"] == ("knows",)
    assert not g.has_edge(crowd[0], crowd[25])  # only met at the big meeting
    assert g.edges[crowd[0], crowd[24]]["shared"] == 1  # 25 participants count
    assert build_graph(ws, as_of=dt.date(2026, 12, 1)).edges["a", "b"]["shared"] == 3
    plain = build_graph(ws, as_of=DAY, co_participation=False)
    assert {frozenset(e) for e in plain.edges} == {frozenset("cd")}

    # the ranking uses registered relationships unless asked to count meetings too
    alone = {s.id: s for s in rank_leaders(ws, as_of=DAY)}
    assert alone["a"].pagerank == alone["p00"].pagerank  # both isolated
    # ... and then the sparse path builds the same ties straight from the database
    exact = rank_leaders(ws, as_of=DAY, method="exact", co_participation=True)
    sparse = rank_leaders(ws, as_of=DAY, method="sparse", co_participation=True)
    assert {s.id: s for s in exact}["a"].pagerank > alone["a"].pagerank
    assert ids(exact) == ids(sparse)
    for e, s in zip(exact, sparse, strict=True):
        assert e.pagerank == pytest.approx(s.pagerank, abs=1e-6)
        assert e.betweenness == pytest.approx(s.betweenness, abs=1e-9)


def test_relationships_count_only_while_active(make_ws: Make) -> None:
    ws = make_ws(
        [person(x) for x in "abcde"],
        [
            knows("a", "b", start=dt.date(2026, 1, 1), end=DAY),  # ends that day: active
            knows("a", "c", end=dt.date(2026, 5, 31)),  # ended the day before
            knows("a", "d", start=dt.date(2026, 6, 2)),  # starts the day after
            Relationship("e", "a", "works_for", strength=0.8, start=DAY),
        ],
    )
    g = build_graph(ws, as_of=DAY)
    assert {frozenset(e) for e in g.edges} == {frozenset("ab"), frozenset("ae")}
    assert g.edges["a", "e"]["relations"] == ("e -works_for-> a",)
    assert g.edges["a", "b"]["relations"] == ("a -knows- b",)
    assert {frozenset(e) for e in build_graph(ws, as_of=dt.date(2026, 5, 1)).edges} == {
        frozenset("ab"), frozenset("ac")}
    for method in ("exact", "sparse"):
        ranked = rank_leaders(ws, as_of=DAY, method=method)
        assert ranked[0].id == "a"
        assert {s.id: s.betweenness for s in ranked}["a"] > 0
        # c and d are isolated: they get the teleport share plus an even share of their
        # own (dangling) mass: x = (1-α)/5 + α·2x/5 → x = 0.03 / 0.66
        assert {s.id: s.pagerank for s in ranked}["c"] == pytest.approx(0.03 / 0.66, abs=1e-6)


def test_node_and_edge_attributes(make_ws: Make) -> None:
    ws = make_ws(
        [person("org", kind="organisation", groups=["naeringslivet"]),
         person("kari", organisation="org", roles=["daglig_leder"], influence=4, interest=2,
                language="nn", groups=["naeringslivet", "ledelse"])],
        [Relationship("kari", "org", "works_for", strength=0.9),
         Relationship("kari", "org", "board_member", strength=0.4)],
    )
    g = build_graph(ws, as_of=DAY)
    assert g.nodes["kari"] == {
        "name": "Kari", "kind": "person", "groups": ("ledelse", "naeringslivet"),
        "roles": ("daglig_leder",), "influence": 4, "interest": 2, "language": "nn",
        "organisation": "org",
    }
    assert "influence" not in g.nodes["org"]
    edge = g.edges["kari", "org"]
    assert edge["kinds"] == ("board_member", "works_for")
    assert edge["strength"] == edge["weight"] == pytest.approx(0.9)  # the strongest


def test_graphml_round_trip_and_gexf(make_ws: Make) -> None:
    ws = make_ws(
        [person("org", kind="organisation"),
         person("kari", organisation="org", roles=["daglig_leder"], influence=4,
                groups=["naeringslivet", "ledelse"]),
         person("ola")],
        [Relationship("kari", "org", "works_for", strength=0.9), knows("kari", "ola", 0.3)],
        [meeting("m1", "ola", "org")],
    )
    out = io.BytesIO()
    assert write_graph(ws, out, fmt="graphml", as_of=DAY) == 3
    back = nx.read_graphml(io.BytesIO(out.getvalue()))
    g = build_graph(ws, as_of=DAY)
    assert set(back.nodes) == set(g.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in g.edges}
    assert back.nodes["kari"]["groups"] == "ledelse|naeringslivet"
    assert back.nodes["kari"]["influence"] == 4
    assert back.nodes["kari"]["name"] == "Kari"
    assert "influence" not in back.nodes["ola"]  # unknown values are left out
    assert "groups" not in back.nodes["ola"]
    assert back.edges["kari", "org"]["weight"] == pytest.approx(0.9)
    assert back.edges["kari", "org"]["relations"] == "kari -works_for-> org"
    assert back.edges["ola", "org"]["shared"] == 1
    assert back.edges["ola", "org"]["weight"] == pytest.approx(0.1)

    gexf = io.BytesIO()
    assert write_graph(ws, gexf, fmt="gexf", as_of=DAY) == 3
    assert gexf.getvalue().startswith(b"<?xml")
    again = nx.read_gexf(io.BytesIO(gexf.getvalue()))
    assert set(again.nodes) == set(g.nodes) and again.number_of_edges() == 3


# --- real networks ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_florentine_medici_rank_first(method: str) -> None:
    ranked = rank_graph(nx.florentine_families_graph(), method=method)  # type: ignore[arg-type]
    assert ranked[0].id == "Medici"
    assert ranked[0].score == pytest.approx(1.0)  # highest PageRank and betweenness


@pytest.mark.parametrize("method", ["exact", "sparse"])
def test_karate_instructor_and_administrator_rank_first(method: str) -> None:
    ranked = rank_graph(nx.karate_club_graph(), method=method)  # type: ignore[arg-type]
    assert ids(ranked)[:2] == ["0", "33"]
    unweighted = rank_graph(nx.karate_club_graph(), method=method, weight=None)  # type: ignore[arg-type]
    assert ids(unweighted)[:2] == ["0", "33"]


def test_karate_loaded_into_a_workspace(make_ws: Make) -> None:
    karate = nx.karate_club_graph()
    heaviest = max(w for _, _, w in karate.edges(data="weight"))
    ws = make_ws(
        [person(f"k{i:02d}", name=f"Member {i}") for i in karate],
        [knows(f"k{a:02d}", f"k{b:02d}", strength=w / heaviest)
         for a, b, w in karate.edges(data="weight")],
    )
    for method in ("exact", "sparse"):
        ranked = rank_leaders(ws, as_of=DAY, top=2, method=method)
        assert ids(ranked) == ["k00", "k33"]
    direct = rank_graph(karate)
    via_store = rank_leaders(ws, as_of=DAY)
    assert [s.score for s in via_store] == pytest.approx([s.score for s in direct])


@pytest.fixture(scope="module")
def random_graph() -> tuple[nx.Graph[int], dict[str, float], dict[str, float]]:
    g: nx.Graph[int] = nx.gnm_random_graph(2000, 8000, seed=1)
    pagerank = nx.pagerank(g)
    between = nx.betweenness_centrality(g)  # exact, the slow reference (several seconds)
    return g, {str(k): v for k, v in pagerank.items()}, {str(k): v for k, v in between.items()}


def test_sparse_path_agrees_with_networkx(
    random_graph: tuple[nx.Graph[int], dict[str, float], dict[str, float]],
) -> None:
    g, pagerank, between = random_graph
    everyone = {s.id: s for s in rank_graph(g, method="sparse", sources=len(g))}
    assert max(abs(everyone[k].pagerank - pagerank[k]) for k in pagerank) < 1e-4
    # every node a source: Brandes on sparse matrices is exact
    assert max(abs(everyone[k].betweenness - between[k]) for k in between) < 1e-9

    keys = sorted(between)
    top_exact = sorted(keys, key=lambda k: -between[k])[:20]
    for sources, least in ((200, 0.85), (None, 0.88)):  # None: as many as the budget allows
        sampled = {s.id: s for s in rank_graph(g, method="sparse", sources=sources)}
        rho = spearmanr([between[k] for k in keys],
                        [sampled[k].betweenness for k in keys]).statistic
        assert rho > least, (sources, rho)
        # a random graph has no clear bridges, yet the 20 exact best stay near the top
        top_sampled = set(sorted(keys, key=lambda k: -sampled[k].betweenness)[:200])
        assert sum(k in top_sampled for k in top_exact) >= 16, sources


def test_large_workspaces_never_build_a_networkx_graph(
    make_ws: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = star(make_ws)
    expected = rank_leaders(ws, as_of=DAY)
    assert graph.SPARSE_ABOVE == 5_000
    monkeypatch.setattr(graph, "SPARSE_ABOVE", 3)  # four stakeholders are now "large"

    def no_graph(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sparse path built a networkx graph")

    monkeypatch.setattr(graph, "_load", no_graph)
    ranked = rank_leaders(ws, as_of=DAY)
    assert ids(ranked) == ids(expected)
    assert [s.score for s in ranked] == pytest.approx([s.score for s in expected])


# --- structural risk ----------------------------------------------------------------------


def test_leaders_nobody_in_the_programme_knows(make_ws: Make) -> None:
    ws = make_ws(
        [person("dl", roles=["daglig_leder"]), person("ansatt", roles=["ansatt"]),
         person("l1"), person("l2"), person("l3"), person("l4"), person("l5")],
        [
            Relationship("l1", "dl", "advises"),  # towards the programme
            Relationship("dl", "l2", "board_member"),  # from the programme
            knows("l3", "ansatt"),  # ansatt is no programme role
            knows("l4", "dl", end=dt.date(2026, 1, 31)),  # a tie that has ended
            knows("l5", "l1"),  # knows someone who knows the programme: not enough
        ],
    )
    leaders = rank_leaders(ws, as_of=DAY)
    unknown = leaders_unknown_to_programme(ws, leaders, as_of=DAY)
    assert sorted(ids(unknown)) == ["ansatt", "l3", "l4", "l5"]  # dl knows itself
    assert [s.rank for s in unknown] == sorted(s.rank for s in unknown)  # order kept
    before = leaders_unknown_to_programme(ws, leaders, as_of=dt.date(2026, 1, 15))
    assert "l4" not in ids(before)


# --- properties ---------------------------------------------------------------------------


@st.composite
def graphs(draw: st.DrawFn) -> tuple[nx.Graph[int], dict[int, int | None], dict[int, float]]:
    n = draw(st.integers(1, 12))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    g: nx.Graph[int] = nx.Graph()
    g.add_nodes_from(range(n))
    for a, b in chosen:
        g.add_edge(a, b, weight=draw(st.floats(0.0, 1.0)))
    influence = {i: draw(st.one_of(st.none(), st.integers(1, 5))) for i in range(n)}
    role = {i: draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])) for i in range(n)}
    return g, influence, role


@settings(max_examples=60, deadline=None)
@given(graphs(), st.sampled_from(["exact", "sparse"]))
def test_scores_stay_in_unit_range_and_ranking_is_deterministic(
    case: tuple[nx.Graph[int], dict[int, int | None], dict[int, float]], method: str
) -> None:
    g, influence, role = case
    lead = LeaderSettings(pinned=("3",), excluded=("5",))
    first = rank_graph(g, influence=influence, role=role, settings=lead, method=method)  # type: ignore[arg-type]
    again = rank_graph(g, influence=influence, role=role, settings=lead, method=method)  # type: ignore[arg-type]
    assert first == again
    assert "5" not in ids(first)
    assert len(first) == len(g) - (5 in g)
    assert sum(first[0].weights.values()) == pytest.approx(1.0)
    for s in first:
        assert 0.0 <= s.score <= 1.0
        assert all(0.0 <= v <= 1.0 for v in s.components.values())
        assert s.score == pytest.approx(
            sum(s.weights[c] * s.components[c] for c in s.components), abs=1e-9)
    free = [s for s in first if not s.pinned]
    for a, b in itertools.pairwise(free):  # best first, equal scores by id
        assert (round(-a.score, 12), a.id) <= (round(-b.score, 12), b.id)
    if 3 in g:
        assert first[0].id == "3" and first[0].pinned


# --- the docs -----------------------------------------------------------------------------


def test_docs_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (Path(__file__).parents[1] / "docs" / "leaders.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "docs/leaders.md has a runnable Python example"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "docs/leaders.md", "exec"), {})
