"""What a report gathers quickly gives what it gathered slowly: the power/interest grid from
every ranked score (no whole ranking) against the grid from the ranking, and the coverage
series' one question of each stakeholder's first day reached against the reach of each
month on its own, on a small register made by hand (an organisation reached through a
works-for tie that starts in the middle of the year, a host, an organisation field)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from interessent import Interaction, Period, Relationship, Stakeholder, Workspace
from interessent.graph import leaders as graph_leaders
from interessent.graph import rank_leaders
from interessent.graph.leaders import leader_scores
from interessent.report import GridCell, build_report

D = dt.date

GRID_PLAN = """\
[programme]
name = "Rutenett"
municipality = "Prøve kommune"
start = 2026-01-01
organisation = "programmet"

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "ordforer"
name = "Ordfører"
weight = 1.0

[leaders]
top = 3
pinned = ["p07"]
"""


def _grid_ws(root: Path) -> Workspace:
    """Eighty people with declared influence and interest (a few without, a few restricted,
    two of the programme's own), tied at random; many share a score (no ties at all)."""
    root.mkdir()
    (root / "interessent.toml").write_text(GRID_PLAN, encoding="utf-8")
    ws = Workspace(root)
    rng = random.Random(11)
    people = [Stakeholder("programmet", "Programmet", kind="organisation", influence=5,
                          interest=5),
              Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",), influence=5,
                          interest=5)]
    for n in range(80):
        people.append(Stakeholder(
            f"p{n:02d}", f"Person {rng.choice('ABC')}{n % 7}", tags=("innbygger",),
            roles=("ordforer",) if n % 13 == 0 else (),
            influence=None if n % 17 == 0 else rng.randint(1, 3),
            interest=rng.randint(1, 3)))
    ids = [s.id for s in people]
    ties = {}
    for _ in range(90):
        a, b = rng.sample(ids[:60], 2)
        ties[a, b] = Relationship(a, b, "knows", round(rng.uniform(0.1, 1.0), 2))
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, people)
        ws.store._save_relationships(s, list(ties.values()))
    from sqlalchemy import update

    from interessent.store import ST
    with ws.store.write() as s:  # restricted (GDPR art. 18): counted, never named
        s.execute(update(ST).where(ST.c.id.in_(["p03", "p21", "p40"])).values(restricted=True))
    return ws


def _grid_from_everyone(ws: Workspace, day: dt.date) -> tuple[GridCell, ...]:
    """The grid as it was made before: every stakeholder's score from the whole ranking,
    each cell sorted by score (highest first), then name, in id order."""
    scores = {s.id: s.score for s in rank_leaders(ws, as_of=day)}
    own = {"programmet", "dl"}
    cells: dict[tuple[int, int], list[Stakeholder]] = {}
    for s in ws.store.stakeholders():
        if s.id in own or s.influence is None or s.interest is None:
            continue
        cells.setdefault((s.influence, s.interest), []).append(s)
    out = []
    for influence in range(5, 0, -1):
        for interest in range(1, 6):
            members = sorted(cells.get((influence, interest), []),
                             key=lambda s: (-scores.get(s.id, 0.0), s.name))
            named = [s.name for s in members if not s.restricted]
            out.append(GridCell(influence, interest, len(members), tuple(named[:3])))
    return tuple(out)


# A network above SPARSE_ABOVE stakeholders is scored from the store on sparse matrices:
# pretend this one is large enough.
@pytest.mark.parametrize("sparse_above", [5_000, 10])
def test_the_grid_orders_each_cell_by_the_rankings_score_then_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sparse_above: int) -> None:
    monkeypatch.setattr(graph_leaders, "SPARSE_ABOVE", sparse_above)
    ws = _grid_ws(tmp_path / "ws")
    try:
        day = D(2026, 6, 30)
        scores = leader_scores(ws, as_of=day)
        ranking = {s.id: s.score for s in rank_leaders(ws, as_of=day)}
        report = build_report(ws, Period.year(2026), as_of=day)
        expected = _grid_from_everyone(ws, day)
    finally:
        ws.close()
    assert scores == ranking
    # 82 stakeholders (the programme, Dagny, 80 people): the programme and Dagny are its
    # own, p03, p21 and p40 restricted; the rest are ranked
    assert len(scores) == 82 - 2 - 3
    assert report.grid == expected
    # 80 people, 5 of them (p00, p17, p34, p51, p68) without influence: 75 in the grid;
    # influence and interest 1–3 only, so nine cells hold them all
    assert sum(c.count for c in report.grid) == 75 and report.grid_unknown == 5
    assert sum(1 for c in report.grid if c.count) == 9
    assert not any("(begrenset" in name for c in report.grid for name in c.names)


HAND_PLAN = """\
[programme]
name = "Første kontakt"
municipality = "Prøve kommune"
start = 2026-01-01

[[groups]]
key = "bedrift"
name = "Næringslivet"
rule = { kinds = ["organisation"] }

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[coverage]
direct = 1.0
network = 0.0
leaders = 0.0
commitments = 0.0
"""


def test_each_first_day_reached_gives_the_reach_of_each_month(tmp_path: Path) -> None:
    root = tmp_path / "hand"
    root.mkdir()
    (root / "interessent.toml").write_text(HAND_PLAN, encoding="utf-8")
    ws = Workspace(root)
    try:
        with ws.store.write() as s:
            ws.store._save_stakeholders(s, [
                Stakeholder("fisk", "Fisk AS", kind="organisation", influence=2),
                Stakeholder("bygg", "Bygg AS", kind="organisation", influence=3),
                Stakeholder("hotell", "Hotell AS", kind="organisation", influence=5),
                Stakeholder("ola", "Ola", tags=("innbygger",), influence=1),
                Stakeholder("kari", "Kari", tags=("innbygger",), organisation="hotell",
                            influence=4),
                Stakeholder("per", "Per", tags=("innbygger",), influence=5),
            ])
            ws.store._save_relationships(s, [
                # Ola works for Fisk AS from 1 March: he acts for it from then on only
                Relationship("ola", "fisk", "works_for", 1.0, directed=True,
                             start=D(2026, 3, 1)),
                # Per worked for Bygg AS until 31 January
                Relationship("per", "bygg", "works_for", 1.0, directed=True,
                             end=D(2026, 1, 31)),
            ])
            ws.store._save_interactions(s, [
                Interaction("k1", D(2026, 1, 20), "meeting", participants=("ola",)),
                Interaction("k2", D(2026, 2, 10), "board_meeting", host="per"),
                Interaction("k3", D(2026, 3, 2), "call", participants=("ola",)),
                Interaction("k4", D(2026, 4, 30), "meeting", participants=("kari",)),
            ])
        report = build_report(ws, Period.year(2026), as_of=D(2026, 5, 15))
        got = {s.key: [(p.column, p.direct) for p in s.points] for s in report.series}
    finally:
        ws.close()
    # folk = Ola 1 + Kari 4 + Per 5 = 10: Ola from January (k1), Per from February
    # (hosted k2), Kari from April (k4).
    assert got["folk"] == [(0, 1 / 10), (1, 6 / 10), (2, 6 / 10), (3, 1.0), (4, 1.0)]
    # bedrift = Fisk 2 + Bygg 3 + Hotell 5 = 10. Bygg never: Per hosted k2 in February,
    # after his tie ended. Fisk from March: Ola's call on 2 March, not his January
    # meeting (the tie began 1 March). Hotell from April through Kari's organisation.
    assert got["bedrift"] == [(0, 0.0), (1, 0.0), (2, 2 / 10), (3, 7 / 10), (4, 7 / 10)]
