"""Commitments judged on their own windows, counted by who took part, by party, and
explained contact by contact (issue 10, items 1, 2, 3 and 10).

Expected numbers are counted by hand from the data each test makes, with the count in a
comment; the Osen tests count from the example's CSV files with the csv module, by the
plan's rules as written, without the library's code.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from interessent import (
    Interaction,
    Period,
    Relationship,
    Stakeholder,
    Workspace,
    explain_commitment,
    init_workspace,
    parse_period,
)
from interessent.cli import cli
from interessent.coverage import (
    CommitmentStatus,
    Status,
    WindowState,
    check_commitments,
    coverage,
    explain_commitments,
)
from interessent.coverage.interaction_log import _Log
from interessent.errors import PlanError
from interessent.graph import rank_leaders
from interessent.model import Kind
from interessent.plan import parse_plan
from interessent.plan_check import check_plan
from interessent.rules import party_of

D = dt.date
ROOT = Path(__file__).resolve().parents[1]
OSEN = ROOT / "examples" / "osen"

PLAN = """\
[programme]
name = "Prøve"
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
rule = { roles = ["leder_bedrift"] }

[[groups]]
key = "folk"
name = "Befolkningen"

[[groups]]
key = "eksterne"
name = "Kompetansemiljø"
rule = { tags = ["kompetanse"] }

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "investor"
name = "Investor"

[[roles]]
key = "leder_bedrift"
name = "Leder i bedrift"

[[commitments]]
id = "YEAR"
title = "Én gang i året, bare merket"
groups = ["folk"]
cadence = "year"

[[commitments]]
id = "HALF"
title = "Én gang i halvåret, bare merket"
groups = ["folk"]
cadence = "half_year"

[[commitments]]
id = "MONTH"
title = "En artikkel hver måned i oppstartsåret"
groups = ["folk"]
cadence = "month"
phase = "start"
kinds = ["article"]

[[commitments]]
id = "INV"
title = "To møter i året med investorer"
groups = ["eksterne"]
count = 2
cadence = "year"
kinds = ["meeting"]
participants = { roles = ["investor"] }

[[commitments]]
id = "DIALOG"
title = "Dialogmøte med næringslivet hvert halvår"
groups = ["bedrift"]
cadence = "half_year"
kinds = ["meeting"]
audience = ["bedrift"]

[[commitments]]
id = "ARENA"
title = "Arrangementer der næringslivet møtes"
groups = ["bedrift"]
cadence = "quarter"
kinds = ["event"]
participants = { groups = ["bedrift"] }

[[commitments]]
id = "EACH"
title = "Hvert kompetansemiljø to ganger i året"
groups = ["eksterne"]
kind = "per_member"
count = 2
cadence = "year"
members = { tags = ["kompetanse"] }

[[commitments]]
id = "SENT"
title = "Rapporten sendt til fylket og departementet"
groups = ["eksterne"]
kind = "per_member"
cadence = "year"
members = { ids = ["fylket", "dep"] }
kinds = ["report"]
"""


def people() -> list[Stakeholder]:
    org = Kind.ORGANISATION
    return [
        Stakeholder("programmet", "Programmet AS", kind=org),
        Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",), organisation="programmet"),
        Stakeholder("nofima", "Nofima", kind=org, tags=("kompetanse",)),
        Stakeholder("tor", "Tor Garnes", organisation="nofima"),
        Stakeholder("ntnu", "NTNU", kind=org, tags=("kompetanse",)),
        Stakeholder("rektor", "Rektor"),          # leads NTNU (a tie, no organisation field)
        Stakeholder("styremedlem", "Styremedlem"),  # sits on NTNU's board
        Stakeholder("observator", "Observatør"),  # observer on NTNU's board
        Stakeholder("tidligere", "Tidligere"),    # worked for NTNU until 31 May 2026
        Stakeholder("fylket", "Fylket", kind=org),
        Stakeholder("fylkeskontakt", "Fylkeskontakt", organisation="fylket"),
        Stakeholder("dep", "Departementet", kind=org),
        Stakeholder("inv", "Ivar Investor", roles=("investor",)),
        Stakeholder("inv2", "Inga Investor", roles=("investor",)),
        Stakeholder("bedriftsleder", "Berit Bedriftsleder", roles=("leder_bedrift",)),
        Stakeholder("sjomat", "Sjømat AS", kind=org, groups=("bedrift",)),
        Stakeholder("kari", "Kari", groups=("folk",)),
    ]


def ties() -> list[Relationship]:
    return [
        Relationship("rektor", "ntnu", "leads", 1.0),
        Relationship("styremedlem", "ntnu", "board_member", 0.8),
        Relationship("observator", "ntnu", "observer", 0.7),
        Relationship("tidligere", "ntnu", "works_for", 1.0, end=D(2026, 5, 31)),
    ]


def log() -> list[Interaction]:
    i = Interaction
    return [
        # rule 1: windows
        i("y1", D(2026, 6, 9), "meeting", participants=("kari",), commitments=("YEAR",)),
        i("h1", D(2026, 4, 15), "meeting", participants=("kari",), commitments=("HALF",)),
        i("h2", D(2026, 12, 10), "meeting", participants=("kari",), commitments=("HALF",)),
        i("a1", D(2026, 1, 10), "article", groups=("folk",)),
        i("a2", D(2026, 3, 10), "article", groups=("folk",)),
        # rule 2: counting by who took part
        i("i1", D(2026, 2, 1), "meeting", participants=("inv",)),
        i("i2", D(2026, 3, 1), "call", participants=("inv",)),
        i("i3", D(2026, 4, 1), "meeting", participants=("kari",)),
        i("i4", D(2026, 5, 1), "meeting", participants=("inv2", "kari")),
        i("i5", D(2026, 6, 1), "call", participants=("kari",), commitments=("INV",)),
        i("i6", D(2026, 7, 1), "event", participants=("inv",)),
        i("d1", D(2026, 3, 10), "meeting", participants=("bedriftsleder",), groups=("bedrift",)),
        i("d2", D(2026, 4, 10), "meeting", participants=("kari",), groups=("folk",)),
        i("d3", D(2026, 5, 10), "article", groups=("bedrift",)),
        i("e1", D(2026, 2, 20), "event", participants=("bedriftsleder",)),
        i("e2", D(2026, 3, 20), "event", participants=("sjomat",)),
        i("e3", D(2026, 5, 20), "event", participants=("kari",)),
        # rule 3: parties
        i("n1", D(2026, 2, 24), "meeting", participants=("nofima", "tor")),
        i("n3", D(2026, 3, 1), "meeting", participants=("rektor",)),
        i("n4", D(2026, 3, 2), "meeting", participants=("styremedlem",)),
        i("n5", D(2026, 3, 3), "meeting", participants=("observator",)),
        i("n6", D(2026, 4, 1), "meeting", participants=("tidligere",)),
        i("n7", D(2026, 7, 1), "meeting", participants=("tidligere",)),
        i("n8", D(2026, 8, 1), "article", groups=("eksterne",)),
        i("s1", D(2026, 5, 6), "report", participants=("fylket", "fylkeskontakt")),
        i("s2", D(2026, 6, 1), "meeting", participants=("fylkeskontakt",)),
        i("s3", D(2026, 9, 1), "meeting", participants=("dep",), commitments=("SENT",)),
    ]


def make(root: Path, plan: str = PLAN, interactions: list[Interaction] | None = None
         ) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    (root / "interessent.toml").write_text(plan, encoding="utf-8")
    ws = Workspace(root)
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, people())
        ws.store._save_relationships(s, ties())
        ws.store._save_interactions(s, log() if interactions is None else interactions)
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = make(tmp_path / "ws")
    yield w
    w.close()


def status(ws: Workspace, cid: str, period: str, as_of: dt.date) -> CommitmentStatus:
    [found] = check_commitments(ws, parse_period(period), as_of=as_of, ids=[cid])
    return found


def run(*args: str | Path, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


# --- 1. a commitment is judged on its own windows ------------------------------------------


def test_a_yearly_window_seen_from_a_half_year_is_the_whole_year(ws: Workspace) -> None:
    # YEAR was met on 9 June (y1). Seen from the second half-year as of 26 November, its
    # window is still all of 2026: met, 1 of 1. (The half-year used to cut it to
    # July–December and show "due 0/1".)
    year = status(ws, "YEAR", "2026-H2", D(2026, 11, 26))
    assert [w.period for w in year.windows] == [Period(D(2026, 1, 1), D(2026, 12, 31))]
    assert (year.status, year.expected, year.actual) == (Status.MET, 1, 1)
    # Seen from the first quarter, the same window, the same count.
    assert status(ws, "YEAR", "2026-Q1", D(2026, 11, 26)).windows == year.windows
    # As of 1 May nothing counts yet (only contacts up to the as-of day): due at year end.
    early = status(ws, "YEAR", "2026-H2", D(2026, 5, 1))
    assert (early.status, early.actual, early.due) == (Status.DUE, 0, D(2026, 12, 31))


def test_the_period_chooses_windows_and_never_cuts_one(ws: Workspace) -> None:
    # A period from 1 June to 31 July overlaps both half-years: H1 (h1 on 15 April: met)
    # and H2, shown whole to 31 December, still open on 26 November (h2 is 10 December).
    half = status(ws, "HALF", "2026-06-01..2026-07-31", D(2026, 11, 26))
    assert [(w.period, w.state) for w in half.windows] == [
        (Period(D(2026, 1, 1), D(2026, 6, 30)), WindowState.MET),
        (Period(D(2026, 7, 1), D(2026, 12, 31)), WindowState.OPEN)]
    assert (half.status, half.due, half.expected, half.actual) == (
        Status.DUE, D(2026, 12, 31), 1 + 1, 1 + 0)
    # As of the last day, h2 counts: both met.
    assert status(ws, "HALF", "2026-06-01..2026-07-31", D(2026, 12, 31)).status is Status.MET
    # From the second quarter only H1 is shown: met.
    assert status(ws, "HALF", "2026-Q2", D(2026, 11, 26)).status is Status.MET


def test_a_phase_still_bounds_the_windows(ws: Workspace) -> None:
    # MONTH runs in the start-up year only: seen from 2026–2027 as of 1 March 2027, its
    # windows are the twelve months of 2026. Articles (every article counts): a1 in
    # January, a2 in March, d3 in May, n8 in August; eight months were missed and none is
    # open any more: behind, 4 of 12.
    month = status(ws, "MONTH", "2026-01-01..2027-12-31", D(2027, 3, 1))
    assert len(month.windows) == 12 and month.windows[-1].period.end == D(2026, 12, 31)
    assert (month.status, month.expected, month.actual) == (Status.BEHIND, 12, 1 + 1 + 1 + 1)


# --- 2. counting by who took part ----------------------------------------------------------


def test_two_meetings_a_year_with_investors(ws: Workspace) -> None:
    # Meetings an investor took part in: i1 (inv) and i4 (inv2 with kari); i5 is a call
    # tagged INV. Not: i2 (a call), i3 (a meeting without an investor), i6 (an event).
    inv = explain_commitment(ws, "INV", Period.year(2026), as_of=D(2026, 12, 31))
    [window] = inv.windows
    assert [(c.id, c.reason) for c in window.contacts] == [
        ("i1", "selector"), ("i4", "selector"), ("i5", "tagged")]
    assert (inv.status.status, window.result.logged, window.result.actual) == (
        Status.MET, 3, 2)


def test_audience_and_participants_by_group_membership(ws: Workspace) -> None:
    # DIALOG: meetings addressed to "bedrift": d1 (H1) only; d2 addressed "folk", d3 is
    # an article. H1 met, H2 open.
    dialog = status(ws, "DIALOG", "2026", D(2026, 11, 26))
    assert [w.logged for w in dialog.windows] == [1, 0]
    assert dialog.status is Status.DUE
    # ARENA: events with a member of "bedrift", registered (sjomat, e2) or by the group's
    # rule (bedriftsleder holds leder_bedrift, e1): Q1 has 2, Q2 none (e3: kari only).
    arena = status(ws, "ARENA", "2026-H1", D(2026, 7, 15))
    assert [w.logged for w in arena.windows] == [2, 0]
    # Q2, the latest closed window, was missed. Seen from H1 no window is open any more:
    # behind. Seen from the year, Q3 is open and not met yet: overdue.
    assert arena.status is Status.BEHIND
    assert status(ws, "ARENA", "2026", D(2026, 7, 15)).status is Status.OVERDUE


def test_per_member_counts_direct_contact_unless_narrowed(ws: Workspace) -> None:
    # SENT counts reports (and contacts tagged SENT): s1, a report to fylket and its
    # contact person, is one contact with fylket; s2, a meeting with the contact person,
    # does not count; s3, a meeting with dep, is tagged SENT. 2 of 2.
    sent = explain_commitment(ws, "SENT", Period.year(2026), as_of=D(2026, 12, 31))
    members = {m.id: [c.id for c in m.contacts] for m in sent.windows[0].members}
    assert members == {"dep": ["s3"], "fylket": ["s1"]}
    assert (sent.status.status, sent.status.actual) == (Status.MET, 2)


# --- 3. parties ----------------------------------------------------------------------------


def test_one_contact_with_a_party_counts_once(ws: Workspace) -> None:
    # EACH, default direct contact, each kompetanse member twice a year, by party:
    # - nofima: n1, one meeting with Nofima and Tor (its contact person): 1, not 2;
    # - ntnu: n3 (rektor leads it) and n6 (tidligere still worked for it on 1 April): 2.
    #   Not n4 (a board seat), n5 (an observer seat), n7 (the works-for tie ended on
    #   31 May), n8 (an article names nobody).
    each = explain_commitment(ws, "EACH", Period.year(2026), as_of=D(2026, 12, 31))
    members = {m.id: [(c.id, c.via) for c in m.contacts] for m in each.windows[0].members}
    assert members == {"nofima": [("n1", ("nofima", "tor"))],
                       "ntnu": [("n3", ("rektor",)), ("n6", ("tidligere",))]}
    assert (each.status.expected, each.status.actual) == (2 + 2, 1 + 2)
    assert each.status.missing == ("nofima",)


@pytest.mark.parametrize(("period", "reached"), [
    ("2026-02-24..2026-03-01", 2),  # n1 reaches nofima; n3 reaches ntnu through its leader
    ("2026-03-02..2026-03-31", 0),  # n4, n5: a board seat and an observer seat
    ("2026-04", 1),                 # n6: tidligere still works for ntnu
    ("2026-07", 0),                 # n7: the works-for tie ended on 31 May
])
def test_reach_counts_an_organisation_reached_through_its_party(
        ws: Workspace, period: str, reached: int) -> None:
    [group] = coverage(ws, parse_period(period), as_of=D(2026, 12, 31), groups=["eksterne"])
    assert (group.members, group.reached_directly) == (2, reached)


# --- plan check and the plan's own checks --------------------------------------------------


def test_plan_check_warns_when_a_commitment_can_count_nothing(tmp_path: Path) -> None:
    extra = """
[[phases]]
key = "senere"
name = "Etterpå"
start = 2030-01-01
end = 2030-12-31

[[commitments]]
id = "A|B"
title = "Kan ikke merkes"
groups = ["folk"]
cadence = "year"

[[commitments]]
id = "NOBODY"
title = "Ingen medlemmer"
groups = ["folk"]
kind = "per_member"
cadence = "year"
members = { tags = ["finnes-ikke"] }

[[commitments]]
id = "ARTICLES"
title = "Artikler per medlem"
groups = ["eksterne"]
kind = "per_member"
cadence = "year"
members = { tags = ["kompetanse"] }
kinds = ["article", "post"]

[[commitments]]
id = "LATER"
title = "I en fase etter programmet"
groups = ["folk"]
cadence = "year"
phase = "senere"

[[commitments]]
id = "REPORTS"
title = "Rapporter, den ene årsrapport"
groups = ["folk"]
count = 2
cadence = "year"
kinds = ["report"]
including = ["annual_report"]

[[commitments]]
id = "JOURNALISTS"
title = "Møter med journalister"
groups = ["folk"]
cadence = "year"
kinds = ["meeting"]
participants = { tags = ["journalist"] }
"""
    make(tmp_path / "ws", PLAN + extra).close()
    result = run("-w", tmp_path / "ws", "plan", "check")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 6, warnings
    joined = "\n".join(warnings)
    assert "commitments[8].id: 'A|B' cannot be written in the log's commitments column" in joined
    assert "commitments[9].members: selects no registered stakeholder" in joined
    assert "commitments[10].kinds: article, post address an audience" in joined
    assert "commitments[11].phase: 'senere' lies outside the programme's dates" in joined
    assert "commitments[12].including: annual_report is not among its kinds" in joined
    assert ("commitments[13].participants: selects no registered stakeholder, so only "
            "contacts tagged JOURNALISTS count") in joined
    with Workspace(tmp_path / "ws") as w:  # the library gives the same warnings
        assert len(check_plan(w).warnings) == 6


def test_the_osen_plan_checks_without_warnings(tmp_path: Path) -> None:
    init_workspace(tmp_path / "osen", example="osen").close()
    result = run("-w", tmp_path / "osen", "plan", "check")
    assert "warning" not in result.stderr


@pytest.mark.parametrize(("snippet", "path"), [
    ('audience = ["nowhere"]', "commitments[0].audience[0]"),
    ('participants = { roles = ["nobody"] }', "commitments[0].participants.roles[0]"),
    ('participants = { colour = ["red"] }', "commitments[0].participants.colour"),
])
def test_a_selector_naming_unknown_keys_is_a_plan_error(snippet: str, path: str) -> None:
    text = PLAN.replace('id = "YEAR"\n', f'id = "YEAR"\n{snippet}\n', 1)
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    assert path in {p.path for p in caught.value.problems}


def test_a_ratio_has_no_selector() -> None:
    ratio = """
[[commitments]]
id = "HOST"
title = "Styremøter hos bedrifter"
groups = ["bedrift"]
kind = "ratio"
ratio = 0.5
of = "board_meeting"
host = { groups = ["bedrift"] }
cadence = "year"
kinds = ["meeting"]
"""
    with pytest.raises(PlanError) as caught:
        parse_plan(PLAN + ratio)
    assert "commitments[8].kinds" in {p.path for p in caught.value.problems}


# --- 10. every status traceable ------------------------------------------------------------


def test_explain_through_the_cli_as_json_and_csv(ws: Workspace) -> None:
    out = run("-w", ws.root, "coverage", "--period", "2026-H2", "--as-of", "2026-11-26",
              "--commitment", "EACH", "--explain", "--format", "json").output
    [each] = json.loads(out)
    assert (each["id"], each["status"], each["expected"], each["actual"]) == (
        "EACH", "due", 4, 3)
    [window] = each["windows"]
    assert (window["start"], window["end"], window["state"]) == (
        "2026-01-01", "2026-12-31", "open")
    members = {m["id"]: m for m in window["members"]}
    assert [c["id"] for c in members["ntnu"]["contacts"]] == ["n3", "n6"]
    assert members["nofima"]["contacts"][0]["via"] == ["nofima", "tor"]
    assert (members["nofima"]["reached"], members["nofima"]["needed"]) == (1, 2)
    rows = list(csv.DictReader(run(
        "-w", ws.root, "coverage", "--period", "2026", "--as-of", "2026-12-31",
        "--commitment", "INV", "--explain", "--format", "csv").output.splitlines()))
    assert [(r["contact"], r["reason"]) for r in rows] == [
        ("i1", "selector"), ("i4", "selector"), ("i5", "tagged")]
    table = run("-w", ws.root, "coverage", "--as-of", "2026-12-31", "-c", "SENT",
                "--explain").output
    assert "fylket: 1 of 1" in table and "s1" in table and "via fylkeskontakt, fylket" in table


def test_an_unknown_commitment_is_one_error_line(ws: Workspace) -> None:
    result = run("-w", ws.root, "coverage", "--commitment", "NOPE", "--explain", ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: no commitment 'NOPE' in the plan")


# --- a window's status and count do not depend on the period it is viewed from -----------

VIEW_PLAN = PLAN + """
[[commitments]]
id = "QUARTER2"
title = "To møter i kvartalet"
groups = ["folk"]
count = 2
cadence = "quarter"
kinds = ["meeting", "call"]

[[commitments]]
id = "BOARD"
title = "Halvparten av styremøtene hos en bedrift"
groups = ["bedrift"]
kind = "ratio"
ratio = 0.5
of = "board_meeting"
host = { groups = ["bedrift"] }
cadence = "half_year"
"""


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A workspace with 400 contacts drawn at random over 2026 and 2027."""
    rng = random.Random(10)
    who = [s.id for s in people()]
    kinds = ["meeting", "call", "article", "event", "report", "board_meeting", "email"]
    tags = ["", "YEAR", "HALF", "INV", "SENT", "EACH"]
    made = [Interaction(f"r{n}", D(2026, 1, 1) + dt.timedelta(days=rng.randrange(730)),
                        rng.choice(kinds), participants=tuple(rng.sample(who, rng.randint(0, 3))),
                        groups=tuple(rng.sample(["folk", "bedrift", "eksterne"],
                                                rng.randint(0, 1))),
                        commitments=tuple(t for t in [rng.choice(tags)] if t),
                        host=rng.choice([None, None, "sjomat", "nofima", "bedriftsleder"]))
            for n in range(400)]
    w = make(tmp_path_factory.mktemp("views") / "ws", VIEW_PLAN, made)
    yield w
    w.close()


def _views() -> st.SearchStrategy[Period]:
    days = st.dates(min_value=D(2025, 6, 1), max_value=D(2028, 6, 30))
    named = st.sampled_from(["2026", "2027", "2026-H1", "2026-H2", "2027-H1", "2026-Q2",
                             "2026-Q3", "2027-Q4", "2026-02", "2026-11", "2027-06"])
    return named.map(parse_period) | st.tuples(days, days).map(
        lambda ab: Period(min(ab), max(ab)))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_views(), second=_views(),
       as_of=st.dates(min_value=D(2026, 1, 1), max_value=D(2028, 1, 31)))
def test_a_window_does_not_depend_on_the_period_it_is_seen_from(
        busy: Workspace, first: Period, second: Period, as_of: dt.date) -> None:
    a = {c.id: c for c in check_commitments(busy, first, as_of=as_of)}
    b = {c.id: c for c in check_commitments(busy, second, as_of=as_of)}
    for cid, seen in a.items():
        other = {w.period: w for w in b[cid].windows}
        for w in seen.windows:
            if w.period in other:
                assert other[w.period] == w, (cid, first, second)
            # and seen from the window itself
            [alone] = check_commitments(busy, w.period, as_of=as_of, ids=[cid])
            assert alone.windows == (w,), (cid, first)
        if seen.windows and [w.period for w in seen.windows] == [
                w.period for w in b[cid].windows]:
            assert (seen.status, seen.expected, seen.actual, seen.due) == (
                b[cid].status, b[cid].expected, b[cid].actual, b[cid].due)


# --- the party rule in SQL agrees with rules.party_of, from either side ------------------

ORGS = ("o1", "o2", "o3")


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Stakeholder], list[Relationship], list[Interaction]]:
    orgs = [Stakeholder(o, o, kind=Kind.ORGANISATION) for o in ORGS]
    persons = [Stakeholder(f"p{i}", f"p{i}", organisation=draw(st.none() | st.sampled_from(ORGS)))
               for i in range(draw(st.integers(1, 6)))]
    everyone = [s.id for s in orgs + persons]
    days = [D(2026, 1, 1) + dt.timedelta(days=d) for d in (0, 40, 90, 91, 200, 364)]
    found: dict[tuple[str, str, str], Relationship] = {}
    for _ in range(draw(st.integers(0, 10))):
        a, b = draw(st.sampled_from(everyone)), draw(st.sampled_from(everyone))
        start = draw(st.none() | st.sampled_from(days))
        end = draw(st.none() | st.sampled_from(days))
        if a == b or (start and end and end < start):
            continue
        kind = draw(st.sampled_from(["works_for", "leads", "board_chair", "board_member",
                                     "observer", "knows"]))
        rel = Relationship(a, b, kind, start=start, end=end)
        found[rel.key] = rel
    contacts = [Interaction(f"i{n}", draw(st.sampled_from(days)),
                            draw(st.sampled_from(["meeting", "call", "article", "report"])),
                            participants=tuple(draw(st.lists(st.sampled_from(everyone),
                                                             max_size=3, unique=True))),
                            host=draw(st.none() | st.sampled_from(everyone)))
                for n in range(draw(st.integers(0, 8)))]
    return orgs + persons, list(found.values()), contacts


PARTY_PLAN = """\
[programme]
name = "P"
municipality = "M"
start = 2026-01-01

[[groups]]
key = "alle"
name = "Alle"

[[commitments]]
id = "ALL"
title = "Alle, direkte"
groups = ["alle"]
kind = "per_member"
cadence = "year"
members = { kinds = ["person", "organisation"] }
"""


@pytest.fixture(scope="module")
def party_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("party") / "ws"
    root.mkdir()
    (root / "interessent.toml").write_text(PARTY_PLAN, encoding="utf-8")
    w = Workspace(root)
    yield w
    w.close()


@pytest.mark.parametrize("few", [_Log.FEW, 0], ids=["from-members", "from-contacts"])
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_per_member_counting_agrees_with_party_of(party_ws: Workspace, few: int,
                                                  world: Any) -> None:
    """Each member's contacts, by the SQL (looked up from the members' side, or from the
    contacts' side when there are too many members to bind) and by
    :func:`interessent.rules.party_of` over every contact's day."""
    stakeholders, rels, contacts = world
    with party_ws.store.write() as s:
        for table in ("interaction_participants", "interaction_groups",
                      "interaction_commitments", "interactions", "relationships",
                      "stakeholder_roles", "stakeholder_groups", "stakeholder_tags",
                      "stakeholders"):
            s.execute(text(f"DELETE FROM {table}"))
        party_ws.store._save_stakeholders(s, stakeholders)
        party_ws.store._save_relationships(s, rels)
        party_ws.store._save_interactions(s, contacts)
    direct = {"meeting", "call", "report"}

    def by_hand(kinds: set[str] | None) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {s.id: [] for s in stakeholders}
        for member in stakeholders:
            for c in contacts:
                took = set(c.participants) | ({c.host} if c.host else set())
                if (kinds is None or c.kind in kinds) and took & party_of(
                        member.id, stakeholders, rels, c.date):
                    out[member.id].append(c.id)
        return {k: sorted(v) for k, v in out.items()}

    year = Period.year(2026)
    commitment = party_ws.plan.commitment("ALL")
    with party_ws.store.read() as session:
        log = _Log(party_ws, session)
        log.FEW = few
        picked = log.select(commitment.members)
        ids = {pk: iid for pk, (iid, *_rest) in log.described(
            i.pk for i in session.execute(text("SELECT pk FROM interactions"))).items()}
        for selector in (None, commitment.members):
            reached = log.reached(picked, year, commitment, selector=selector)
            got = {picked[m]: sorted(ids[r.pk] for r in reached.get(m, ())) for m in picked}
            assert got == by_hand(direct)
        first = log.contacts(picked, year, None)  # any kind; the first day only
        expected = {m: min(c.date for c in contacts if c.id in found)
                    for m, found in by_hand(None).items() if found}
        assert {picked[m]: days[0] for m, days in first.items()} == expected
    explained = explain_commitment(party_ws, "ALL", year, as_of=D(2026, 12, 31))
    assert {m.id: sorted(c.id for c in m.contacts)
            for m in explained.windows[0].members} == by_hand(direct)


# --- the Osen example, counted from its CSV files -----------------------------------------


def _csv(name: str) -> list[dict[str, str]]:
    with (OSEN / "data" / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _cells(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


class OsenByHand:
    """The Osen log read with the csv module and counted by the plan's rules as written
    (the test's own reading of examples/osen/interessent.toml), not by the library."""

    DIRECT = frozenset({"meeting", "board_meeting", "event", "visit", "presentation", "call",
                        "letter", "email", "report", "annual_report"})
    ACTING = frozenset({"works_for", "leads", "board_chair"})

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.people = {r["id"]: r for r in _csv("stakeholders.csv")}
        by_name = {r["navn"]: r["id"] for r in self.people.values()}
        self.org = {sid: by_name.get(r["organisasjon"], r["organisasjon"])
                    for sid, r in self.people.items() if r["organisasjon"]}
        self.ties = _csv("relationships.csv")
        self.log = [r for r in _csv("interactions.csv")
                    if D.fromisoformat(r["dato"]) <= as_of]

    def day(self, row: dict[str, str]) -> dt.date:
        return D.fromisoformat(row["dato"])

    def roles(self, sid: str) -> set[str]:
        return set(_cells(self.people[sid]["roller"]))

    def in_naeringslivet(self, sid: str) -> bool:  # registered, or the group's rule (role)
        return ("naeringslivet" in _cells(self.people[sid]["målgrupper"])
                or "daglig_leder_bedrift" in self.roles(sid))

    def acts_for(self, person: str, org: str, day: dt.date) -> bool:
        if person == org or self.org.get(person) == org:
            return True
        return any(t["fra"] == person and t["til"] == org and t["type"] in self.ACTING
                   and (not t["start"] or D.fromisoformat(t["start"]) <= day)
                   and (not t["slutt"] or D.fromisoformat(t["slutt"]) >= day)
                   for t in self.ties)

    def contacts(self, cid: str, window: Period, match: Any) -> list[str]:
        """Ids of the contacts in ``window`` tagged ``cid`` or matched by ``match``."""
        return [r["id"] for r in self.log if self.day(r) in window
                and (cid in _cells(r["tiltak"]) or match(r))]

    def reached(self, cid: str, member: str, window: Period, kinds: Collection[str]) -> list[str]:
        """Contacts in ``window`` (tagged ``cid`` or of ``kinds``) in which the member's
        party took part or hosted: each once."""
        out = []
        for r in self.log:
            if self.day(r) not in window:
                continue
            if not (cid in _cells(r["tiltak"]) or r["type"] in kinds):
                continue
            took = _cells(r["deltakere"]) + _cells(r["vert"])
            if any(self.acts_for(p, member, self.day(r)) for p in took):
                out.append(r["id"])
        return out


def _windows(unit_months: int, shown: Period, own: Period) -> list[Period]:
    out = []
    month = (shown.start.month - 1) // unit_months * unit_months + 1
    start = D(shown.start.year, month, 1)
    while start <= shown.end:
        nxt = D(start.year + (start.month - 1 + unit_months) // 12,
                (start.month - 1 + unit_months) % 12 + 1, 1)
        window = Period(max(start, own.start), min(nxt - dt.timedelta(days=1), own.end))
        out.append(window)
        start = nxt
    return out


def _status_by_hand(states: list[tuple[Period, bool]], as_of: dt.date) -> str:
    """The coverage docs' status table, applied to (window, met) pairs."""
    begun = [(w, met) for w, met in states if w.start <= as_of]
    if not begun:
        return "not started"
    closed = [(w, met) for w, met in begun if w.end < as_of]
    open_ = [(w, met) for w, met in begun if w.end >= as_of]
    pending = bool(open_) and not open_[0][1]
    if any(not met for _, met in closed):
        return "overdue" if not closed[-1][1] and pending else "behind"
    return "due" if pending else "met"


def _osen_by_hand(osen: Workspace, period: Period, as_of: dt.date) -> dict[str, tuple[
        str, int, int]]:
    """(status, expected, actual) of every Osen commitment, counted by the test."""
    h = OsenByHand(as_of)
    year = Period(D(2026, 1, 1), D(2026, 12, 31))
    programme = Period(D(2026, 1, 1), D(2031, 12, 31))
    shown = period
    out: dict[str, tuple[str, int, int]] = {}

    def cadence(cid: str, months: int, count: int, match: Any, own: Period = programme,
                including: str | None = None) -> None:
        states, expected, actual = [], 0, 0
        for w in _windows(months, Period(max(shown.start, own.start), min(shown.end, own.end)),
                          own):
            if w.start > as_of:
                states.append((w, False))
                continue
            found = h.contacts(cid, w, match)
            kinds = {r["type"] for r in h.log if r["id"] in found}
            met = len(found) >= count and (including is None or including in kinds)
            states.append((w, met))
            expected += count
            actual += min(len(found), count)
        out[cid] = (_status_by_hand(states, as_of), expected, actual)

    def per_member(cid: str, members: list[str], count: int, kinds: Collection[str]) -> None:
        reached = [h.reached(cid, m, year, kinds) for m in members]
        actual = sum(min(len(r), count) for r in reached)
        met = all(len(r) >= count for r in reached)
        out[cid] = (_status_by_hand([(year, met)], as_of), count * len(members), actual)

    def audience(r: dict[str, str], group: str) -> bool:
        return group in _cells(r["målgrupper"])

    cadence("B1", 1, 1, lambda r: r["type"] == "article", own=year)
    per_member("B2", _b2_leaders(osen, as_of), 1, h.DIRECT)
    cadence("B3", 3, 1, lambda r: False)
    cadence("B4", 3, 1, lambda r: r["type"] == "event" and any(
        h.in_naeringslivet(p) for p in _cells(r["deltakere"])))
    cadence("B5", 6, 1, lambda r: r["type"] == "meeting" and audience(r, "naeringslivet"))
    boards = [r for r in h.log if r["type"] == "board_meeting" and h.day(r) in year]
    hosted = sum(1 for r in boards if r["vert"] and h.in_naeringslivet(r["vert"]))
    needed = math.ceil(0.5 * len(boards))
    out["B6"] = ("met" if hosted >= needed else "behind", needed, hosted)
    for g in ("G1", "G2", "G3", "G4"):
        cadence(g, 3, 1, lambda r: False)
    cadence("L1", 12, 2, lambda r: r["type"] in ("annual_report", "report")
            and audience(r, "ledelse"), including="annual_report")
    cadence("L2", 3, 1, lambda r: r["type"] == "meeting" and audience(r, "ledelse") and any(
        "radmann" in h.roles(p) for p in _cells(r["deltakere"])))
    cadence("V1", 12, 1, lambda r: False)
    per_member("V2", ["innovasjon-norge"], 2, {"meeting"})
    observers = {(t["fra"], t["til"]) for t in h.ties if t["type"] == "observer"}
    v3 = sum((x, "osen-omstilling") in observers
             for x in ("innovasjon-norge", "trondelag-fylkeskommune"))
    out["V3"] = ("met" if v3 == 2 else "overdue", 2, v3)
    per_member("V4", ["trondelag-fylkeskommune", "innovasjon-norge", "kmd"], 1,
               {"annual_report", "report"})
    per_member("E1", sorted(s for s, r in h.people.items()
                            if "ekstern_aktor" in _cells(r["stikkord"])), 1, h.DIRECT)
    cadence("E2", 12, 2, lambda r: r["type"] in ("presentation", "event")
            and audience(r, "eksterne"))
    per_member("E3", sorted(s for s, r in h.people.items()
                            if "kompetansemiljo" in _cells(r["stikkord"])), 2, h.DIRECT)
    return out


def _b2_leaders(osen: Workspace, as_of: dt.date) -> list[str]:
    """B2's ten opinion leaders across its two groups, pinned first, as the library ranks
    them: the ranking is the graph's business, tested in test_graph.py."""
    best: dict[str, tuple[bool, float]] = {}
    for g in ("befolkningen", "naeringslivet"):
        for s in rank_leaders(osen, group=g, top=10, as_of=as_of):
            best[s.id] = (s.pinned, s.score)
    return sorted(best, key=lambda i: (not best[i][0], -best[i][1], i))[:10]


@pytest.fixture(scope="module")
def osen_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    w = init_workspace(tmp_path_factory.mktemp("osen") / "ws", example="osen")
    yield w
    w.close()


def test_osen_every_commitment_for_the_second_half_year(osen_ws: Workspace) -> None:
    """The council's half-year report: 2026-H2 as of 26 November 2026."""
    as_of = D(2026, 11, 26)
    period = parse_period("2026-H2")
    ours = {c.id: (c.status.value, c.expected, c.actual)
            for c in check_commitments(osen_ws, period, as_of=as_of)}
    assert ours == _osen_by_hand(osen_ws, period, as_of)
    # The story it tells (the three complaints answered): V1 met in June, V4
    # missing only KMD (TFK and IN got the report in May), the ordfører informed.
    assert ours["V1"] == ("met", 1, 1)
    assert ours["V4"] == ("due", 3, 2)
    statuses = {c.id: c for c in check_commitments(osen_ws, period, as_of=as_of)}
    assert statuses["V4"].missing == ("kmd",)
    assert "astrid-lian" not in statuses["B2"].missing
    assert {k: v[0] for k, v in ours.items()} == {
        "B1": "behind",   # articles in July, August, November; none in September, October
        "B2": "due", "B3": "met", "B4": "met",
        "B5": "due",      # the December dialogue meeting is not held yet
        "B6": "behind",   # 4 of 10 board meetings in 2026 at a local business
        "G1": "met", "G2": "due", "G3": "behind", "G4": "overdue",
        "L1": "due",      # the annual report in April; the second report not yet
        "L2": "behind",   # Q3 missed, Q4 kept
        "V1": "met", "V2": "met", "V3": "met", "V4": "due",
        "E1": "due", "E2": "met", "E3": "due",
    }


def test_osen_v1_e3_b5_list_exactly_the_contacts_counted_by_hand(osen_ws: Workspace) -> None:
    as_of, period = D(2026, 11, 26), parse_period("2026-H2")
    h = OsenByHand(as_of)
    year = Period(D(2026, 1, 1), D(2026, 12, 31))
    h2 = Period(D(2026, 7, 1), D(2026, 12, 31))
    by_id = {e.status.id: e for e in explain_commitments(osen_ws, period, as_of=as_of,
                                                         ids=["V1", "E3", "B5"])}
    # V1: tagged V1 in 2026 — K2026-0165, the presentation to fylkesutvalget in June.
    [v1] = by_id["V1"].windows
    assert [c.id for c in v1.contacts] == h.contacts("V1", year, lambda r: False) == [
        "K2026-0165"]
    # B5: the H2 window — no meeting addressed to naeringslivet, none tagged B5.
    [b5] = by_id["B5"].windows
    assert b5.result.period == h2
    assert [c.id for c in b5.contacts] == h.contacts(
        "B5", h2, lambda r: r["type"] == "meeting" and "naeringslivet" in _cells(
            r["målgrupper"])) == []
    # E3: each competence environment with the direct contacts its party took part in.
    [e3] = by_id["E3"].windows
    listed = {m.id: [c.id for c in m.contacts] for m in e3.members}
    assert listed == {m: h.reached("E3", m, year, h.DIRECT) for m in listed}
    assert listed == {"fosen-vgs": [], "nofima": [], "nord-universitet": [],
                      "ntnu": ["K2026-0051", "K2026-0253"], "sintef": ["K2026-0150"]}


def test_the_dashboard_links_each_status_to_its_contacts(osen_ws: Workspace,
                                                         tmp_path: Path) -> None:
    from interessent.report import build_report, render_html

    report = build_report(osen_ws, parse_period("2026-H2"), as_of=D(2026, 11, 26))
    page = render_html(report)
    for c in report.commitments:
        assert f'href="#hvorfor-{c.id}"' in page
        assert f'id="hvorfor-{c.id}"' in page
    v1 = page[page.index('id="hvorfor-V1"'):page.index('id="hvorfor-V2"')]
    assert "K2026-0165" in v1
    e3 = page[page.index('id="hvorfor-E3"'):page.index("</section>", page.index(
        'id="hvorfor-E3"'))]
    assert "K2026-0051" in e3 and "K2026-0253" in e3 and "Bjørn Lund" in e3


def test_osen_counts_by_hand_agree_for_the_whole_year_too(osen_ws: Workspace) -> None:
    as_of = D(2026, 11, 26)
    ours = {c.id: (c.status.value, c.expected, c.actual)
            for c in check_commitments(osen_ws, Period.year(2026), as_of=as_of)}
    assert ours == _osen_by_hand(osen_ws, Period.year(2026), as_of)


def test_contacts_counted_per_member_are_distinct(osen_ws: Workspace) -> None:
    """No contact is listed twice for one member, whoever of the party took part."""
    for e in explain_commitments(osen_ws, Period.year(2026), as_of=D(2026, 11, 26)):
        for w in e.windows:
            for m in w.members:
                ids = [c.id for c in m.contacts]
                assert len(ids) == len(set(ids)), (e.status.id, m.id)
