"""What needs action now (``due``): lead times, the open window, and whom to contact next
by each person's own cadence. Every expected value is counted by hand from the log below.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Interaction, Stakeholder, Workspace
from interessent.cli import cli
from interessent.coverage import Status, check_commitments, due
from interessent.errors import PlanError
from interessent.periods import Period, Unit
from interessent.plan import parse_plan

D = dt.date
AS_OF = D(2026, 11, 26)  # a Thursday; the year's last window ends 35 days later

PLAN = """\
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01
organisation = "prog"

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[[groups]]
key = "firma"
name = "Næringslivet"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[commitments]]
id = "NEWS"
title = "Nyheter hver måned"
groups = ["folk"]
cadence = "month"
kinds = ["article"]

[[commitments]]
id = "QK"
title = "Kvartalsvis, nå holdt"
groups = ["folk"]
cadence = "quarter"

[[commitments]]
id = "Q"
title = "Kvartalsvis, henger etter"
groups = ["folk"]
cadence = "quarter"

[[commitments]]
id = "LATE"
title = "Kvartalsvis, forsinket"
groups = ["folk"]
cadence = "quarter"

[[commitments]]
id = "R"
title = "Årsrapport"
groups = ["firma"]
cadence = "year"
lead_time = "6w"

[[commitments]]
id = "H"
title = "Dialogmøte hvert halvår"
groups = ["firma"]
cadence = "half_year"
lead_time = 42

[[commitments]]
id = "Y"
title = "Årlig orientering"
groups = ["firma"]
cadence = "year"

[[commitments]]
id = "VISIT"
title = "Hver bedrift to ganger i året"
groups = ["firma"]
kind = "per_member"
members = { groups = ["firma"] }
count = 2
cadence = "year"

[[commitments]]
id = "LEAD"
title = "Opinionsdannerne én gang i året"
groups = ["folk"]
kind = "leaders"
top = 1
cadence = "year"

[due]
lead_time = "1w"
contact_interval = "quarter"

[leaders]
top = 1
pinned = ["ola"]
"""


def people() -> list[Stakeholder]:
    return [
        Stakeholder("prog", "Programmet AS", kind="organisation"),
        # the daglig leder lives in the municipality, but is the programme's own
        Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",), tags=("innbygger",)),
        Stakeholder("kari", "Kari", tags=("innbygger",)),
        Stakeholder("ola", "Ola", tags=("innbygger",)),
        Stakeholder("per", "Per", tags=("innbygger",)),
        Stakeholder("a", "A AS", kind="organisation", groups=("firma",)),
        Stakeholder("b", "B AS", kind="organisation", groups=("firma",)),
        Stakeholder("c", "C AS", kind="organisation", groups=("firma",)),
    ]


def log() -> list[Interaction]:
    items = [
        # NEWS: an article every month but September; November's is in already
        *[Interaction(f"art{m}", D(2026, m, 15 if m < 11 else 5), "article",
                      groups=("folk",)) for m in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11)],
        # QK: Q1, Q3, Q4 kept, Q2 missed
        *[Interaction(f"qk{i}", day, "web", commitments=("QK",))
          for i, day in enumerate((D(2026, 2, 10), D(2026, 8, 10), D(2026, 10, 20)))],
        # Q: Q1 and Q3 kept, Q2 missed, nothing yet in Q4
        *[Interaction(f"q{i}", day, "web", commitments=("Q",))
          for i, day in enumerate((D(2026, 2, 10), D(2026, 8, 10)))],
        # LATE: Q1 and Q2 kept, Q3 missed, nothing yet in Q4
        *[Interaction(f"late{i}", day, "web", commitments=("LATE",))
          for i, day in enumerate((D(2026, 2, 10), D(2026, 5, 10)))],
        # H: the first half-year's meeting; none yet in the second
        Interaction("h1", D(2026, 3, 1), "meeting", participants=("a",), commitments=("H",)),
        # VISIT: A twice, B once, C never
        Interaction("v1", D(2026, 2, 3), "meeting", participants=("a",),
                    commitments=("VISIT",)),
        Interaction("v2", D(2026, 2, 20), "meeting", participants=("a",),
                    commitments=("VISIT",)),
        Interaction("v3", D(2026, 6, 1), "meeting", participants=("b",),
                    commitments=("VISIT",)),
        # LEAD: Ola, the pinned leader, informed in March
        Interaction("l1", D(2026, 3, 3), "meeting", participants=("ola",),
                    commitments=("LEAD",)),
        # Kari met in October (this quarter); Per never met
        Interaction("k1", D(2026, 10, 10), "meeting", participants=("kari",)),
    ]
    return items


def make(root: Path, plan: str = PLAN) -> Workspace:
    root.mkdir()
    (root / "interessent.toml").write_text(plan, encoding="utf-8")
    ws = Workspace(root)
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, people())
        ws.store._save_interactions(s, log())
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = make(tmp_path / "ws")
    yield w
    w.close()


# --- which commitments, and how urgent -----------------------------------------------------


def test_due_lists_what_needs_action_now_with_lead_times(ws: Workspace) -> None:
    result = due(ws, as_of=AS_OF)
    assert [(i.commitment.id, i.urgency, i.start_by, i.lead_time) for i in result.items] == [
        # Q3 missed and nothing yet in Q4
        ("LATE", "overdue", D(2026, 12, 31) - dt.timedelta(days=7), 7),
        # Q2 missed, Q3 kept, nothing yet in Q4
        ("Q", "behind", D(2026, 12, 31) - dt.timedelta(days=7), 7),
        # 31 Dec less 42 days is 19 November: the work should have started a week ago
        ("H", "start now", D(2026, 11, 19), 42),
        ("R", "start now", D(2026, 11, 19), 42),
        # 31 Dec less the plan's week is 24 December, 28 days ahead: within 30 days
        ("VISIT", "due soon", D(2026, 12, 24), 7),
        ("Y", "due soon", D(2026, 12, 24), 7),
    ]
    # VISIT's open window lacks B (once of twice) and C (never)
    visit = next(i.commitment for i in result.items if i.commitment.id == "VISIT")
    assert visit.missing == ("b", "c")


def test_without_lead_time_the_year_end_is_beyond_the_horizon(tmp_path: Path) -> None:
    # The same plan with no lead times: R, H, Y and VISIT all fall due on 31 December,
    # 35 days after 26 November, outside the 30 days.
    plan = (PLAN.replace('lead_time = "6w"\n', "").replace("lead_time = 42\n", "")
            .replace('lead_time = "1w"\n', ""))
    with make(tmp_path / "ws", plan) as ws:
        result = due(ws, as_of=AS_OF)
        assert [(i.commitment.id, i.urgency) for i in result.items] == [
            ("LATE", "overdue"), ("Q", "behind")]
        # with 35 days they are due soon (no lead time: they start on the day)
        wider = due(ws, as_of=AS_OF, within_days=35)
        assert [(i.commitment.id, i.urgency) for i in wider.items][2:] == [
            ("H", "due soon"), ("R", "due soon"), ("VISIT", "due soon"), ("Y", "due soon")]


def test_the_horizon_counts_from_the_start_day(ws: Workspace) -> None:
    # Y starts on 24 December, 28 days after 26 November
    assert "Y" not in {i.commitment.id for i in due(ws, as_of=AS_OF, within_days=27).items}
    assert "Y" in {i.commitment.id for i in due(ws, as_of=AS_OF, within_days=28).items}
    # the lead time is shown before the horizon: R must start now, whatever the horizon
    assert ("R", "start now") in {(i.commitment.id, i.urgency)
                                  for i in due(ws, as_of=AS_OF, within_days=0).items}


def test_a_met_current_window_is_not_due_though_an_earlier_one_was_missed(
        ws: Workspace) -> None:
    statuses = {c.id: c for c in check_commitments(ws, Period.year(2026), as_of=AS_OF)}
    # NEWS: Jan–Aug kept (8), September missed, October and November kept: 11 windows
    # begun, 10 kept
    assert statuses["NEWS"].status is Status.BEHIND
    assert (statuses["NEWS"].expected, statuses["NEWS"].actual) == (11, 10)
    # QK: Q2 missed, Q4 kept already
    assert statuses["QK"].status is Status.BEHIND
    listed = {i.commitment.id for i in due(ws, as_of=AS_OF, within_days=365).items}
    assert not listed & {"NEWS", "QK", "LEAD"}


def test_a_missing_structural_tie_needs_action(tmp_path: Path) -> None:
    plan = PLAN + """
[[commitments]]
id = "SEAT"
title = "Observatør i styret"
groups = ["firma"]
kind = "structural"
requires = [{ source = "a", kind = "observer", target = "prog" }]
"""
    with make(tmp_path / "ws", plan) as ws:
        assert [(i.commitment.id, i.urgency) for i in due(ws, as_of=AS_OF).items][:1] == [
            ("SEAT", "overdue")]


# --- whom to contact next -----------------------------------------------------------------


def test_whom_to_contact_follows_each_ones_own_cadence(ws: Workspace) -> None:
    found = {c.id: c for c in due(ws, as_of=AS_OF).contacts}
    # B and C: VISIT asks for two contacts a year; B had one, C none.
    # Per: in no per-member or leaders commitment, so the plan's contact interval (a
    # quarter) applies, and Per was never met.
    # Not: A (VISIT met twice, though not this quarter), Ola (LEAD's leader, informed in
    # March: once a year), Kari (met on 10 October, this quarter), Dagny (the programme's
    # own daglig leder).
    assert sorted(found) == ["b", "c", "per"]
    assert (found["b"].commitment, found["b"].window, found["b"].count) == (
        "VISIT", Unit.YEAR, 2)
    # the reason names the commitment by its title, the group by its name (issue 12)
    assert found["b"].reason == ("member of «Hver bedrift to ganger i året», not reached 2 "
                                 "times this year")
    assert (found["per"].commitment, found["per"].window, found["per"].group) == (
        None, Unit.QUARTER, "folk")
    assert found["per"].reason.endswith("of Befolkningen, not reached this quarter")


def test_the_plans_contact_interval_decides_for_everyone_else(tmp_path: Path) -> None:
    # Monthly: Kari, met in October, is due again in November; Per still; Ola keeps
    # LEAD's yearly cadence.
    plan = PLAN.replace('contact_interval = "quarter"', 'contact_interval = "month"')
    with make(tmp_path / "ws", plan) as ws:
        found = {c.id: c for c in due(ws, as_of=AS_OF).contacts}
    assert sorted(found) == ["b", "c", "kari", "per"]
    assert found["kari"].window is Unit.MONTH


def test_a_leader_not_informed_is_due_by_the_leaders_commitment(tmp_path: Path) -> None:
    # Without the March meeting, Ola (the pinned leader, LEAD's one) is due: once a year.
    with make(tmp_path / "ws") as ws:
        with ws.store.write() as s:
            ws.store._save_interactions(s, [Interaction("l1", D(2026, 3, 3), "call",
                                                       participants=("kari",))])
        found = {c.id: c for c in due(ws, as_of=AS_OF).contacts}
    assert found["ola"].leader and found["ola"].commitment == "LEAD"
    assert found["ola"].reason == ("opinion leader in «Opinionsdannerne én gang i året», not "
                                   "reached this year")
    assert next(iter(found)) == "ola"  # leaders first


def test_due_through_the_cli_shows_the_start_day(ws: Workspace) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["-w", str(ws.root), "due", "--as-of", "2026-11-26",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {r["id"]: r for r in data["commitments"]}
    assert (rows["R"]["urgency"], rows["R"]["start_by"], rows["R"]["lead_time"]) == (
        "start now", "2026-11-19", 42)
    people = {p["id"]: p for p in data["contacts"]}
    assert people["per"]["window"] == "quarter" and people["b"]["commitment"] == "VISIT"
    table = runner.invoke(cli, ["-w", str(ws.root), "due", "--as-of", "2026-11-26"])
    assert "start now" in table.output and "start by" in table.output


# --- the plan's lead times ----------------------------------------------------------------

BASE = """\
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Befolkningen"
"""


@pytest.mark.parametrize(("written", "days"), [
    ("42", 42), ('"42"', 42), ('"42d"', 42), ('"6w"', 42), ('"0d"', 0), ('" 2 w "', 14)])
def test_a_lead_time_is_days_or_weeks(written: str, days: int) -> None:
    plan = parse_plan(BASE + f"""
[[commitments]]
id = "X"
title = "x"
groups = ["folk"]
cadence = "year"
lead_time = {written}
""")
    assert plan.lead_time(plan.commitment("X")) == days
    assert plan.due.lead_time == 0 and plan.due.contact_interval is Unit.YEAR


@pytest.mark.parametrize("written", ['"-3"', "-3", '"6 weeks"', "1.5", "true", '"99999w"',
                                     '"٤٢"'])
def test_a_bad_lead_time_names_its_key(written: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(BASE + f"""
[due]
lead_time = {written}
""")
    assert [p.path for p in caught.value.problems] == ["due.lead_time"]


def test_a_bad_contact_interval_names_its_key() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(BASE + '\n[due]\ncontact_interval = "fortnight"\n')
    assert [p.path for p in caught.value.problems] == ["due.contact_interval"]


# --- the Osen example, seen from 26 November ----------------------------------------------


def test_osen_on_26_november(osen: Workspace) -> None:
    result = due(osen, as_of=AS_OF)
    urgency = {i.commitment.id: i.urgency for i in result.items}
    # the council report, the annual report to TFK, IN and KMD and the dialogue meeting
    # fall due on 31 December and take six weeks: they must start now
    assert {k: urgency.get(k) for k in ("L1", "V4", "B5")} == dict.fromkeys(
        ("L1", "V4", "B5"), "start now")
    # B1, G3 and L2 missed a window earlier in the year, but their current one is met:
    # they are behind in coverage, and not listed here
    statuses = {c.id: c.status for c in check_commitments(osen, Period.year(2026),
                                                           as_of=AS_OF)}
    for cid in ("B1", "G3", "L2"):
        assert statuses[cid] is Status.BEHIND
        assert cid not in urgency
    # nobody in Osen is to be contacted every month: B1's monthly cadence is the media's
    assert all(c.window is not Unit.MONTH for c in result.contacts)


def test_osen_b1_current_window_is_met_by_the_example_data(osen: Workspace) -> None:
    """Counted from data/interactions.csv: the articles in November 2026 up to the 26th."""
    path = osen.root / "data" / "interactions.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    november = [r["id"] for r in rows if r["type"] == "article"
                and "2026-11-01" <= r["dato"] <= "2026-11-26"]
    assert november == ["K2026-0326", "K2026-0336"]  # 11 and 18 November
    b1 = next(c for c in check_commitments(osen, Period.year(2026), as_of=AS_OF)
              if c.id == "B1")
    assert b1.windows[10].period == Period(D(2026, 11, 1), D(2026, 11, 30))
    assert b1.windows[10].state.value == "met"
