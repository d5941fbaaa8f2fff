"""The report's coverage over time, computed in one pass, against what it replaced: one
``coverage()`` for the period up to each month's end, as of that end (the reference is
kept here); and a small series counted by hand."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from interessent import Interaction, Period, Relationship, Stakeholder, Workspace
from interessent.coverage import check_commitments, coverage, explain_commitments
from interessent.coverage.commitments import check_each
from interessent.coverage.interaction_log import keeping
from interessent.report import build_report
from interessent.report.data import Column, Series
from interessent.report.gathering import _columns
from interessent.report.series import coverage_series

D = dt.date

PLAN = """\
[programme]
name = "Serieprøve"
municipality = "Prøve kommune"
start = 2026-01-01
end = 2028-12-31
organisation = "programmet"

[[phases]]
key = "start"
name = "Oppstartsåret"
start = 2026-01-01
end = 2026-12-31

[[groups]]
key = "bedrift"
name = "Næringslivet"
rule = { kinds = ["organisation"], roles = ["daglig_leder_bedrift"] }

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[[groups]]
key = "ledelse"
name = "Ledelsen"
rule = { roles = ["ordforer", "radmann"] }

[[groups]]
key = "tom"
name = "Ingen medlemmer"

[[channels]]
key = "direkte"
name = "Direkte"

[[channels]]
key = "media"
name = "Media"
kind = "media"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "daglig_leder_bedrift"
name = "Daglig leder (bedrift)"
weight = 0.5

[[roles]]
key = "ordforer"
name = "Ordfører"
weight = 1.0

[[roles]]
key = "radmann"
name = "Rådmann"
weight = 0.8

[[commitments]]
id = "NEWS"
title = "Nyheter hver måned"
groups = ["folk"]
cadence = "month"
phase = "start"
kinds = ["article"]

[[commitments]]
id = "MEET"
title = "Møter med næringslivet hvert kvartal"
groups = ["bedrift"]
cadence = "quarter"
count = 2

[[commitments]]
id = "EACH"
title = "Hver i ledelsen to ganger i året"
groups = ["ledelse"]
kind = "per_member"
members = { groups = ["ledelse"] }
count = 2
cadence = "year"

[[commitments]]
id = "LEAD"
title = "Informere opinionsdannerne"
groups = ["folk", "bedrift"]
kind = "leaders"
cadence = "half_year"
top = 3

[[commitments]]
id = "HOST"
title = "Halvparten av styremøtene hos en bedrift"
groups = ["bedrift"]
kind = "ratio"
ratio = 0.5
of = "board_meeting"
host = { groups = ["bedrift"] }
cadence = "year"

[leaders]
top = 4
"""

KINDS = ("meeting", "meeting", "call", "email", "visit", "letter", "board_meeting",
         "presentation")


def generated(seed: int) -> tuple[list[Stakeholder], list[Relationship], list[Interaction]]:
    """A small register and a year of log: organisations, people with tags and roles, ties
    that start and end during the year, interactions with participants and hosts, articles
    to the groups, contacts tagged with commitments."""
    rng = random.Random(seed)
    orgs = [Stakeholder("programmet", "Programmet AS", kind="organisation")]
    orgs += [Stakeholder(f"org{n}", f"Bedrift {n} AS", kind="organisation",
                         influence=rng.choice((None, 1, 3, 5))) for n in range(8)]
    people = [Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",),
                          organisation="programmet")]
    for n in range(50):
        roles: tuple[str, ...] = ()
        if n < 2:
            roles = (("ordforer", "radmann")[n],)
        elif rng.random() < 0.2:
            roles = ("daglig_leder_bedrift",)
        people.append(Stakeholder(
            f"p{n:02d}", f"Person {n}", roles=roles,
            organisation=f"org{rng.randrange(8)}" if rng.random() < 0.5 else None,
            tags=("innbygger",) if rng.random() < 0.7 else (),
            influence=rng.choice((None, 1, 2, 3, 4, 5))))
    everyone = [s.id for s in orgs + people]
    ties: dict[tuple[str, str, str], Relationship] = {}
    while len(ties) < 140:
        a, b = rng.sample(everyone, 2)
        kind = rng.choice(("knows", "knows", "works_for", "family"))
        start = end = None
        if rng.random() < 0.3:
            start = D(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if rng.random() < 0.2:
            end = D(2025, 6, 1) + dt.timedelta(days=rng.randrange(540))
            if start is not None and end < start:
                start, end = end, start
        ties[a, b, kind] = Relationship(a, b, kind, round(rng.uniform(0.05, 1.0), 3),
                                        directed=kind == "works_for", start=start, end=end)
    log = []
    for n in range(260):
        day = D(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
        kind = rng.choice(KINDS)
        host = rng.choice(everyone) if kind == "board_meeting" and rng.random() < 0.6 else None
        log.append(Interaction(
            f"k{n:03d}", day, kind, channel="direkte",
            participants=tuple(rng.sample(everyone, rng.randint(1, 3))), host=host,
            commitments=("MEET",) if rng.random() < 0.2 else ()))
    for n in range(30):
        log.append(Interaction(f"a{n:02d}", D(2026, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                               "article", channel="media",
                               groups=(rng.choice(("folk", "bedrift")),)))
    return orgs + people, list(ties.values()), log


def make(root: Path, seed: int) -> Workspace:
    root.mkdir()
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    ws = Workspace(root)
    stakeholders, ties, log = generated(seed)
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, stakeholders)
        ws.store._save_relationships(s, ties)
        ws.store._save_interactions(s, log)
    return ws


def per_column(ws: Workspace, period: Period, columns: tuple[Column, ...],
               as_of: dt.date) -> dict[str, list[tuple[int, float, float, float]]]:
    """The computation the one pass replaced: coverage up to each column's end."""
    points: dict[str, list[tuple[int, float, float, float]]] = {g.key: [] for g in
                                                                 ws.plan.groups}
    for n, col in enumerate(columns):
        if col.period.start > as_of:
            break
        end = col.period.end
        for g in coverage(ws, Period(period.start, end), as_of=min(end, as_of)):
            points[g.key].append((n, g.score, g.direct_reach, g.network_reach))
    return points


def one_pass(series: tuple[Series, ...]) -> dict[str, list[tuple[int, float, float, float]]]:
    return {s.key: [(p.column, p.score, p.direct, p.network) for p in s.points]
            for s in series}


def same(mine: dict[str, list[tuple[int, float, float, float]]],
         reference: dict[str, list[tuple[int, float, float, float]]]) -> None:
    assert mine.keys() == reference.keys()
    for key in reference:
        assert [p[0] for p in mine[key]] == [p[0] for p in reference[key]], key
        for a, b in zip(mine[key], reference[key], strict=True):
            # Direct reach sums whole influences: exactly equal. The network part sums
            # products, in another order than SQL does: equal to the last bits or so.
            assert a[2] == b[2], (key, a, b)
            assert a[3] == pytest.approx(b[3], rel=1e-12, abs=1e-15), (key, a, b)
            assert a[1] == pytest.approx(b[1], rel=1e-12, abs=1e-15), (key, a, b)


@pytest.fixture(scope="module")
def generated_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = make(tmp_path_factory.mktemp("series") / "ws", seed=7)
    yield ws
    ws.close()


@pytest.mark.parametrize(("period", "as_of", "lively"), [
    (Period.year(2026), D(2026, 12, 31), True),
    (Period.year(2026), D(2026, 11, 26), True),   # the current month cut at as_of
    (Period.year(2026), D(2026, 1, 1), False),    # one column of one day
    (Period(D(2026, 7, 1), D(2026, 12, 31)), D(2026, 11, 26), True),  # a half-year
    (Period(D(2025, 7, 1), D(2027, 6, 30)), D(2027, 3, 14), True),    # 24 months
    (Period(D(2024, 1, 1), D(2029, 12, 31)), D(2026, 8, 20), True),   # quarters
    (Period.year(2026), D(2025, 12, 31), False),  # seen before the period began: no points
])
def test_the_one_pass_gives_what_coverage_gives_for_each_column(
        generated_ws: Workspace, period: Period, as_of: dt.date, lively: bool) -> None:
    columns = _columns(period)
    colours = {g.key: "#000000" for g in generated_ws.plan.groups}
    mine = one_pass(coverage_series(generated_ws, period, columns, as_of, colours))
    reference = per_column(generated_ws, period, columns, as_of)
    same(mine, reference)
    if lively:  # the comparison covers contacts and ties, not only zeros
        assert any(p[2] for points in mine.values() for p in points)
        assert any(0 < p[3] < 1 for points in mine.values() for p in points)  # via ties


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_series_on_other_registers(tmp_path: Path, seed: int) -> None:
    ws = make(tmp_path / "ws", seed)
    try:
        day = D(2026, 10, 9)
        report = build_report(ws, Period.year(2026), as_of=day)
        same(one_pass(report.series), per_column(ws, Period.year(2026), report.columns, day))
    finally:
        ws.close()


@pytest.mark.parametrize(("period", "as_of", "through_ties"), [
    (Period.year(2026), D(2026, 12, 31), False),  # everyone met in a year of this log
    (Period.year(2026), D(2026, 1, 20), True),    # 18 members reached only through ties
    (Period.year(2026), D(2027, 3, 1), False),    # seen after the period ended
    (Period(D(2026, 7, 1), D(2026, 12, 31)), D(2026, 11, 26), True),
    (Period(D(2026, 7, 1), D(2026, 12, 31)), D(2026, 7, 20), True),
    (Period.year(2026), D(2026, 1, 1), False),    # one day of it: nobody reached yet
    (Period.year(2026), D(2025, 12, 31), False),  # before it began
])
def test_the_report_headline_is_what_the_reach_query_gives(
        generated_ws: Workspace, period: Period, as_of: dt.date, through_ties: bool) -> None:
    """The report takes each group's reach from its series' last point instead of asking
    the reach query of coverage(): the two must agree, group by group."""
    from interessent.coverage import reach as reach_module

    plan = generated_ws.plan
    with keeping():  # the reach query itself, never a coverage kept in the store
        reference = {g.key: g for g in reach_module._measure(
            generated_ws, plan, list(plan.groups), period, as_of)}
    report = build_report(generated_ws, period, as_of=as_of)
    assert [g.key for g in report.coverage] == [g.key for g in plan.groups]
    for mine in report.coverage:
        theirs = reference[mine.key]
        assert (mine.members, mine.reached_directly, mine.reached_through_network) == (
            theirs.members, theirs.reached_directly, theirs.reached_through_network), mine.key
        assert mine.direct_reach == theirs.direct_reach, mine.key  # whole influences
        assert mine.network_reach == pytest.approx(theirs.network_reach, rel=1e-12, abs=1e-15)
        assert mine.score == pytest.approx(theirs.score, rel=1e-12, abs=1e-15)
        assert mine.broadcasts == theirs.broadcasts
    if through_ties:  # the comparison covers people reached directly and through ties
        assert any(g.reached_directly for g in report.coverage)
        assert any(g.reached_through_network for g in report.coverage)
    assert any(g.members == 0 for g in report.coverage)  # and a group without members


HAND_PLAN = """\
[programme]
name = "Håndtelling"
municipality = "Prøve kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[[groups]]
key = "bedrift"
name = "Næringslivet"
rule = { kinds = ["organisation"] }

[coverage]
direct = 1.0
network = 0.0
leaders = 0.0
commitments = 0.0
"""


def test_a_series_counted_by_hand(tmp_path: Path) -> None:
    root = tmp_path / "hand"
    root.mkdir()
    (root / "interessent.toml").write_text(HAND_PLAN, encoding="utf-8")
    ws = Workspace(root)
    try:
        with ws.store.write() as s:
            ws.store._save_stakeholders(s, [
                Stakeholder("sjomat", "Sjømat AS", kind="organisation", influence=5),
                Stakeholder("bygg", "Bygg AS", kind="organisation", influence=1),
                Stakeholder("kari", "Kari", organisation="sjomat", tags=("innbygger",),
                            influence=4),
                Stakeholder("ola", "Ola", tags=("innbygger",), influence=2),
                Stakeholder("per", "Per", tags=("innbygger",)),  # weighs 3
            ])
            ws.store._save_relationships(s, [
                Relationship("ola", "kari", "knows", 0.5),
                Relationship("per", "ola", "knows", 0.8, start=D(2026, 4, 1)),
            ])
            ws.store._save_interactions(s, [
                Interaction("m1", D(2026, 1, 10), "meeting", participants=("kari",)),
                Interaction("m2", D(2026, 3, 5), "meeting", participants=("per",)),
            ])
        report = build_report(ws, Period.year(2026), as_of=D(2026, 4, 15))
        got = {s.key: [(p.column, p.direct, round(p.network, 12), p.score) for p in s.points]
               for s in report.series}
    finally:
        ws.close()
    # folk = kari 4 + ola 2 + per 3 = 9. January and February: kari met (4); ola knows
    # kari (0.5 × 2 = 1). March: per met too (4 + 3); ola still 1 (her tie to per starts
    # 1 April). April (to the 15th): ola's tie to per counts, 0.8 × 2 = 1.6.
    assert got["folk"] == [
        (0, 4 / 9, round(5 / 9, 12), 4 / 9),
        (1, 4 / 9, round(5 / 9, 12), 4 / 9),
        (2, 7 / 9, round(8 / 9, 12), 7 / 9),
        (3, 7 / 9, round(8.6 / 9, 12), 7 / 9),
    ]
    # bedrift = Sjømat 5 + Bygg 1 = 6: Sjømat reached through Kari from January.
    assert got["bedrift"] == [(n, 5 / 6, round(5 / 6, 12), 5 / 6) for n in range(4)]


def test_checking_many_days_together_gives_what_each_check_gives(
        generated_ws: Workspace) -> None:
    # Days out of order, periods that start apart and nest, the same pair twice, a day
    # before anything began: each must equal check_commitments on its own.
    days = [(Period.year(2026), D(2026, 3, 31)), (Period(D(2026, 7, 1), D(2026, 12, 31)),
                                                   D(2026, 11, 26)),
            (Period.year(2026), D(2026, 12, 31)), (Period.year(2026), D(2026, 3, 31)),
            (Period(D(2025, 7, 1), D(2027, 6, 30)), D(2027, 3, 14)),
            (Period.year(2026), D(2025, 12, 31)), (Period(D(2026, 4, 1), D(2026, 6, 30)),
                                                   D(2026, 5, 9))]
    reference = [check_commitments(generated_ws, p, as_of=d) for p, d in days]
    assert check_each(generated_ws, days) == reference
    with keeping():  # a report's reads, kept for every part: the same answers again
        again = [check_commitments(generated_ws, p, as_of=d) for p, d in reversed(days)]
        explained = [e.status for e in explain_commitments(generated_ws, Period.year(2026),
                                                           as_of=D(2026, 11, 26))]
    assert again[::-1] == reference
    assert explained == check_commitments(generated_ws, Period.year(2026),
                                          as_of=D(2026, 11, 26))
    assert any(s.actual for statuses in reference for s in statuses)  # contacts counted
