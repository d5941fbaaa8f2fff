"""Follow-up tasks (issue 14 item 5): added, listed and done through the library and the
command line; owners are roles or stakeholders; ``notify --record`` makes a task per
person, and a task done marks its person informed; open tasks in ``due``; a clearance is
recorded with the letters written. Every expected value is counted by hand."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, update

import interessent
from interessent import InvalidInput, NotFound, Period, Stakeholder, Workspace
from interessent.cli import cli
from interessent.store import CLEARANCES, TASKS

D = dt.date

PLAN = """\
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01
organisation = "prog"

[[groups]]
key = "ledelse"
name = "Ledelsen"
rule = { roles = ["ordforer"] }

[[channels]]
key = "direkte"
name = "Direkte kontakt"
kind = "direct"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true
aliases = ["dagleg leiar"]

[[roles]]
key = "styreleder"
name = "Styreleder"
programme = true

[[roles]]
key = "ansatt"
name = "Ansatt"
programme = true

[[roles]]
key = "ordforer"
name = "Ordfører"

[[topics]]
key = "daily"
name = "Daglige saker"

[information]
notify = ["ordforer", "styreleder"]

[[information.rules]]
topic = "daily"
roles = ["daglig_leder"]

[[information.rules]]
topic = "*"
roles = ["ansatt"]
cleared_by = ["styreleder"]

[[commitments]]
id = "L1"
title = "Ordføreren får brev hvert år"
groups = ["ledelse"]
kind = "per_member"
count = 1
cadence = "year"
kinds = ["letter"]
members = { roles = ["ordforer"] }
"""


@pytest.fixture
def plan_text() -> str:
    return PLAN


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    """Dina is the daglig leder (she signs daily matters), Stine the styreleder, Anne
    staff, Olav the ordfører (the one member of «ledelse»)."""
    for s in (Stakeholder("prog", "Programmet AS", kind="organisation"),
              Stakeholder("dl", "Dina Leder", roles=("daglig_leder",)),
              Stakeholder("sty", "Stine Styre", roles=("styreleder",)),
              Stakeholder("ans", "Anne Ansatt", roles=("ansatt",)),
              Stakeholder("ord", "Olav Ordfører", roles=("ordforer",))):
        workspace.store._add_stakeholder(s)
    return workspace


def run(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def stored(ws: Workspace, table: object) -> int:
    with ws.store.read() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[arg-type]


def created(ws: Workspace, day: dt.date, *ids: str) -> None:
    """Say the tasks ``ids`` (every task, without ids) were recorded on ``day``: a task is
    open from the day it was recorded, and cannot be done before it."""
    query = update(TASKS).values(created_at=dt.datetime.combine(day, dt.time(9)))
    with ws.store.write() as s:
        s.execute(query.where(TASKS.c.id.in_(ids)) if ids else query)


def test_add_list_and_complete_through_the_library(ws: Workspace) -> None:
    first = interessent.add_task(ws, title="Svare om kaia", owner="Daglig leder",
                                 due="2026-05-01", stakeholder="ORD", commitment="L1")
    assert first.to_dict() == {
        "id": "T2026-0001", "title": "Svare om kaia", "due": "2026-05-01",
        "owner": "daglig_leder", "owner_kind": "role", "stakeholder": "ord",
        "commitment": "L1", "event": None, "done_on": None, "interaction": None,
        "open": True}
    # an alias finds the role; an id that is no role is a stakeholder
    by_alias = interessent.add_task(ws, title="Ring", owner="Dagleg Leiar", due=D(2026, 3, 1))
    by_person = interessent.add_task(ws, title="Skrive", owner="sty", due="2026-04-01")
    assert (by_alias.owner_role, by_alias.owner) == ("daglig_leder", None)
    assert (by_person.owner_role, by_person.owner, by_person.to_dict()["owner_kind"]) == (
        None, "sty", "stakeholder")
    # soonest due first
    assert [t.id for t in interessent.tasks(ws)] == ["T2026-0002", "T2026-0003", "T2026-0001"]
    assert [t.id for t in interessent.tasks(ws, owner="daglig_leder")] == [
        "T2026-0002", "T2026-0001"]
    assert [t.id for t in interessent.tasks(ws, owner="STY")] == ["T2026-0003"]

    created(ws, D(2026, 1, 15))
    done = interessent.complete_task(ws, "t2026-0002", on="2026-02-27")
    assert (done.done_on, done.is_open, done.interaction) == (D(2026, 2, 27), False, None)
    assert ws.store.interactions() == []  # a task of one's own logs no contact
    assert [t.id for t in interessent.tasks(ws)] == ["T2026-0003", "T2026-0001"]
    assert [t.id for t in interessent.tasks(ws, open_only=False)] == [
        "T2026-0002", "T2026-0003", "T2026-0001"]
    with pytest.raises(InvalidInput, match="done already, on 2026-02-27"):
        interessent.complete_task(ws, "T2026-0002")


def test_add_list_and_done_through_the_command_line(ws: Workspace) -> None:
    added = run(ws, "task", "add", "Svare om kaia", "--owner", "styreleder",
                "--due", "2026-06-01", "--stakeholder", "ord", "--commitment", "L1")
    assert added.exit_code == 0, added.output
    # people read names: the role's name
    assert added.stdout == "Added T2026-0001: «Svare om kaia», Styreleder, due 2026-06-01\n"
    assert run(ws, "task", "add", "Annet", "--owner", "dl", "--due", "2026-05-01").exit_code == 0
    listed = json.loads(run(ws, "task", "list", "--format", "json").stdout)
    assert [(t["id"], t["owner"], t["owner_kind"]) for t in listed] == [
        ("T2026-0002", "dl", "stakeholder"), ("T2026-0001", "styreleder", "role")]
    mine = json.loads(run(ws, "task", "list", "--owner", "styreleder", "--format",
                          "json").stdout)
    assert [t["id"] for t in mine] == ["T2026-0001"]
    created(ws, D(2026, 4, 1))
    done = run(ws, "task", "done", "T2026-0002", "--date", "2026-05-02")
    assert done.stdout == "Done: T2026-0002: «Annet», Dina Leder, due 2026-05-01\n"
    assert "T2026-0002" not in run(ws, "task", "list").stdout
    assert "T2026-0002" in run(ws, "task", "list", "--all").stdout
    again = run(ws, "task", "done", "T2026-0002")
    assert (again.exit_code, again.stderr) == (
        1, "Error: task T2026-0002 was done already, on 2026-05-02\n")


@pytest.mark.parametrize(("args", "message"), [
    (("add", "T", "--owner", "nobody", "--due", "2026-05-01"),
     "Error: owner 'nobody' is neither a role of the plan nor a registered stakeholder\n"),
    (("add", "T", "--owner", "dl", "--due", "2026-05-01", "--stakeholder", "nobody"),
     "Error: no stakeholder with id 'nobody'\n"),
    (("add", "T", "--owner", "dl", "--due", "2026-05-01", "--commitment", "ZZ"),
     "Error: no commitment 'ZZ' in the plan (known: L1)\n"),
    (("add", "T", "--owner", "dl", "--due", "1. mai"), None),
    (("add", "T\x1b[2J", "--owner", "dl", "--due", "2026-05-01"), None),
    (("add", "to\nlinjer", "--owner", "dl", "--due", "2026-05-01"), None),
    (("add", "x" * 1001, "--owner", "dl", "--due", "2026-05-01"), None),
    (("done", "T2026-0042"), "Error: no task with id 'T2026-0042'\n"),
    (("list", "--owner", "nobody"),
     "Error: owner 'nobody' is neither a role of the plan nor a registered stakeholder\n"),
])
def test_bad_input_is_one_error_and_nothing_is_written(
        ws: Workspace, args: tuple[str, ...], message: str | None) -> None:
    done = run(ws, "task", *args)
    assert done.exit_code == 1, done.output
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr
    if message is not None:
        assert done.stderr == message
    assert stored(ws, TASKS) == 0


def test_markup_in_a_title_is_kept_as_text(ws: Workspace) -> None:
    title = "<img src=x onerror=alert(1)> {{ config }} =HYPERLINK(\"x\")"
    added = interessent.add_task(ws, title=title, owner="dl", due="2026-05-01")
    assert added.title == title
    out = io.StringIO(newline="")
    interessent.export(ws, "tasks", out, fmt="csv")
    # the formula is neutralised in the CSV (a leading apostrophe), not in the register
    assert "<img src=x onerror=alert(1)> {{ config }} =HYPERLINK" in out.getvalue()
    assert interessent.tasks(ws)[0].title == title
    with pytest.raises(InvalidInput):
        interessent.add_task(ws, title="T", owner=None, due="2026-05-01")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        interessent.complete_task(ws, "T2026-0099")


def _letters(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_notify_record_makes_tasks_and_a_task_done_marks_its_person_informed(
        ws: Workspace, tmp_path: Path) -> None:
    plain = interessent.notify(ws, "Brann på kaia", out=tmp_path / "plain",
                               as_of=D(2026, 3, 5))
    notice = interessent.notify(ws, "Brann på kaia", out=tmp_path / "recorded", record=True,
                                as_of=D(2026, 3, 5))
    run_ = notice.run
    assert run_ is not None and plain.run is not None
    # what the letters say is what they said before --record made tasks
    assert _letters(tmp_path / "recorded") == _letters(tmp_path / "plain")
    # the notify list is ordfører then styreleder: Olav, then Stine; Dina signs
    assert run_.tasks == ("T2026-0001", "T2026-0002")
    assert run_.recorded == ()
    assert ws.store.interactions() == []  # nobody counts as informed yet
    made = interessent.tasks(ws)
    subject = "Varsel om vesentlig hendelse: Brann på kaia"
    assert [(t.stakeholder, t.owner_role, t.due, t.event, t.title) for t in made] == [
        ("ord", "daglig_leder", D(2026, 3, 5), "Brann på kaia", subject),
        ("sty", "daglig_leder", D(2026, 3, 5), "Brann på kaia", subject)]

    def l1(as_of: dt.date) -> tuple[int, str]:
        [status] = interessent.check_commitments(ws, Period.year(2026), as_of=as_of,
                                                 ids=["L1"])
        return status.actual, status.status.value

    # «ledelse» is Olav alone (the ordfører role); no letter to him yet: 0 of 1
    assert l1(D(2026, 3, 20)) == (0, "due")

    created(ws, D(2026, 3, 5))  # the notice's day
    done = interessent.complete_task(ws, "t2026-0001", on="2026-03-10")
    [logged] = ws.store.interactions()
    assert done.interaction == logged.id == "K2026-0001"
    assert (logged.date, logged.kind, logged.channel, logged.participants, logged.topic) == (
        D(2026, 3, 10), "letter", "direkte", ("ord",), subject)
    # the letter of March 10th reaches Olav: 1 of 1, met; the day before, still 0
    assert l1(D(2026, 3, 20)) == (1, "met")
    assert l1(D(2026, 3, 9)) == (0, "due")

    cli_done = run(ws, "task", "done", "T2026-0002", "--date", "2026-03-11")
    assert cli_done.stdout.splitlines()[1] == "Logged K2026-0002: Stine Styre is informed"
    assert interessent.tasks(ws) == []


def test_notify_record_through_the_command_line_says_what_it_made(
        ws: Workspace, tmp_path: Path) -> None:
    done = run(ws, "notify", "Brann på kaia", "--out", str(tmp_path / "n"), "--record",
               "--as-of", "2026-03-05")
    assert done.exit_code == 0, done.output
    assert ("Created 2 tasks to inform them (T2026-0001 … T2026-0002); "
            "`interessent task done ID` logs each contact.") in done.stdout
    assert "Logged" not in done.stdout


def test_open_tasks_show_in_due_soonest_first_the_overdue_marked(ws: Workspace) -> None:
    interessent.add_task(ws, title="Senere", owner="dl", due="2026-05-01")
    interessent.add_task(ws, title="Forsinket", owner="daglig_leder", due="2026-03-01")
    gjort = interessent.add_task(ws, title="Gjort", owner="dl", due="2026-02-01")
    created(ws, D(2026, 1, 15))
    interessent.complete_task(ws, gjort.id, on="2026-02-01")
    dues = interessent.due(ws, as_of=D(2026, 4, 1))
    # open on April 1st: Forsinket (due March 1st: overdue) and Senere (May 1st)
    assert [(t.title, t.overdue(D(2026, 4, 1))) for t in dues.tasks] == [
        ("Forsinket", True), ("Senere", False)]
    data = dues.to_dict()["tasks"]
    assert [(t["id"], t["overdue"]) for t in data] == [("T2026-0002", True),
                                                       ("T2026-0001", False)]
    shown = run(ws, "due", "--as-of", "2026-04-01").stdout
    section = shown.split("Open tasks:")[1].splitlines()
    rows = [line for line in section if line.startswith("T2026")]
    assert rows[0].startswith("T2026-0002") and "overdue" in rows[0]
    assert rows[1].startswith("T2026-0001") and "overdue" not in rows[1]
    as_json = json.loads(run(ws, "due", "--as-of", "2026-04-01", "--format", "json").stdout)
    assert [t["title"] for t in as_json["tasks"]] == ["Forsinket", "Senere"]


def test_a_clearance_is_recorded_with_the_letters_written_not_on_a_dry_run(
        ws: Workspace, tmp_path: Path) -> None:
    args = ("draft", "hendelse", "-s", "ord", "--signer", "ansatt", "--cleared-by",
            "styreleder", "--event", "Brann", "--as-of", "2026-03-05")
    dry = run(ws, *args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "clearance" not in dry.stdout and stored(ws, CLEARANCES) == 0
    interessent.draft(ws, "hendelse", stakeholders=["ord"], signer="ansatt",
                      cleared_by="styreleder", event="Brann", write=False)
    assert stored(ws, CLEARANCES) == 0  # a preview sends nothing out either

    done = run(ws, *args, "--out", str(tmp_path / "a"))
    assert done.exit_code == 0, done.output
    assert "Recorded the clearance by styreleder (sty) at " in done.stdout
    [given] = interessent.clearances(ws)
    assert (given.template, given.topic, given.signer_role, given.signer,
            given.cleared_by_role, given.cleared_by) == (
        "hendelse", "daily", "ansatt", "ans", "styreleder", "sty")
    as_json = json.loads(run(ws, *args, "--out", str(tmp_path / "b"), "--json").stdout)
    assert (as_json["clearance"]["cleared_by"], as_json["clearance"]["signer"]) == (
        "sty", "ans")
    # letters signed on one's own authority record none
    assert run(ws, "draft", "hendelse", "-s", "ord", "--out", str(tmp_path / "c"),
               "--event", "x").exit_code == 0
    assert len(interessent.clearances(ws)) == 2
    assert [c.template for c in interessent.clearances(ws, stakeholder="sty")] == [
        "hendelse", "hendelse"]
    exported = json.loads(run(ws, "export", "clearances", "--format", "json").stdout)
    assert [(c["cleared_by_role"], c["cleared_by"]) for c in exported] == [
        ("styreleder", "sty"), ("styreleder", "sty")]


# --- what an outside tester found (fix14a) ---------------------------------------------


def test_notify_record_without_out_creates_the_tasks_and_twice_creates_none(
        ws: Workspace) -> None:
    done = run(ws, "notify", "Brann på kaia", "--record", "--as-of", "2026-03-05")
    assert done.exit_code == 0, done.output
    # the notify list is Olav (ordfører) then Stine (styreleder): two tasks, no letters
    assert ("Created 2 tasks to inform them (T2026-0001 … T2026-0002); "
            "`interessent task done ID` logs each contact.") in done.stdout
    assert not (ws.root / "utkast").exists()
    made = interessent.tasks(ws)
    subject = "Varsel om vesentlig hendelse: Brann på kaia"
    assert [(t.id, t.stakeholder, t.owner_role, t.due, t.event, t.title) for t in made] == [
        ("T2026-0001", "ord", "daglig_leder", D(2026, 3, 5), "Brann på kaia", subject),
        ("T2026-0002", "sty", "daglig_leder", D(2026, 3, 5), "Brann på kaia", subject)]

    # the same again: both tasks are still open, so none is created, in one line
    again = run(ws, "notify", "Brann på kaia", "--record", "--as-of", "2026-03-05")
    assert again.exit_code == 0, again.output
    said = [line for line in again.stdout.splitlines() if "T2026" in line]
    assert said == ["2 tasks to inform them of this event are open already "
                    "(T2026-0001 … T2026-0002); created no second ones."]
    assert stored(ws, TASKS) == 2
    # with --out the letters are written, and still no second task
    tmp = ws.root / "brev"
    with_out = run(ws, "notify", "Brann på kaia", "--record", "--out", str(tmp),
                   "--as-of", "2026-03-05")
    assert with_out.exit_code == 0, with_out.output
    assert len(list(tmp.iterdir())) == 2 and stored(ws, TASKS) == 2
    assert "open already (T2026-0001 … T2026-0002)" in with_out.stdout

    # Olav's task done: he gets a new one (T2026-0003), Stine's is still open
    created(ws, D(2026, 3, 5))
    interessent.complete_task(ws, "T2026-0001", on="2026-03-06")
    third = interessent.notify(ws, "Brann på kaia", record=True, as_of=D(2026, 3, 7),
                               write=False)
    assert (third.run, third.tasks, third.tasks_open) == (None, ("T2026-0003",),
                                                          ("T2026-0002",))
    # another event is another set of tasks
    other = interessent.notify(ws, "Flom", record=True, as_of=D(2026, 3, 7), write=False)
    assert (other.tasks, other.tasks_open) == (("T2026-0004", "T2026-0005"), ())
    # without --record nothing is created
    assert run(ws, "notify", "Storm", "--as-of", "2026-03-07").exit_code == 0
    assert stored(ws, TASKS) == 5


def test_open_tasks_follow_the_as_of_day_in_due_and_on_the_dashboard(
        ws: Workspace, tmp_path: Path) -> None:
    a = interessent.add_task(ws, title="Gjort i november", owner="dl", due="2026-06-15")
    b = interessent.add_task(ws, title="Laget i november", owner="dl", due="2026-06-20")
    c = interessent.add_task(ws, title="Gjort i mai", owner="dl", due="2026-05-25")
    created(ws, D(2026, 5, 1), a.id, c.id)
    created(ws, D(2026, 11, 5), b.id)
    interessent.complete_task(ws, a.id, on="2026-11-30")
    interessent.complete_task(ws, c.id, on="2026-05-20")
    # open on June 1st: only «Gjort i november» (created May 1st, done November 30th);
    # «Laget i november» did not exist yet, «Gjort i mai» was done on May 20th
    june = D(2026, 6, 1)
    assert [t.id for t in interessent.tasks(ws, open_on=june)] == [a.id]
    assert [t.id for t in interessent.due(ws, as_of=june).tasks] == [a.id]
    as_json = json.loads(run(ws, "due", "--as-of", "2026-06-01", "--format", "json").stdout)
    assert [t["title"] for t in as_json["tasks"]] == ["Gjort i november"]
    # on May 10th: «Gjort i mai» (due May 25th) and «Gjort i november»; on November 30th
    # (the day «Gjort i november» was done) only «Laget i november»
    assert [t.id for t in interessent.tasks(ws, open_on=D(2026, 5, 10))] == [c.id, a.id]
    assert [t.id for t in interessent.tasks(ws, open_on=D(2026, 11, 30))] == [b.id]
    # «Laget i november» is open from the day it was created (November 5th), not before
    assert [t.id for t in interessent.tasks(ws, open_on=D(2026, 11, 4))] == [a.id]
    assert [t.id for t in interessent.tasks(ws, open_on=D(2026, 11, 5))] == [a.id, b.id]

    from interessent.report import write_report
    page = write_report(ws, Period.year(2026), as_of=june, fmt="html",
                        out=tmp_path / "dashboard.html")
    html = Path(page).read_text(encoding="utf-8")
    section = html.split('id="oppgaver"')[1].split("</section>")[0]
    assert "Gjort i november" in section
    assert "Laget i november" not in section and "Gjort i mai" not in section


def test_a_task_cannot_be_done_before_it_was_created_or_on_a_day_to_come(
        ws: Workspace) -> None:
    added = interessent.add_task(ws, title="Ring", owner="dl", due="2026-05-01")
    made = added.created_on
    assert made == dt.datetime.now(dt.UTC).date() or made == dt.date.today()
    early = run(ws, "task", "done", added.id, "--date", "2020-01-01")
    assert (early.exit_code, early.stderr) == (
        1, f"Error: task {added.id} was created on {made}; it cannot be done before, "
           "on 2020-01-01\n")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    late = run(ws, "task", "done", added.id, "--date", tomorrow.isoformat())
    assert (late.exit_code, late.stderr) == (
        1, f"Error: task {added.id} cannot be done on {tomorrow}, a day still to come "
           f"(today is {dt.date.today()})\n")
    assert interessent.tasks(ws)[0].is_open and ws.store.interactions() == []
    assert run(ws, "task", "done", added.id).exit_code == 0  # today is fine

    # a notice dated three days ahead: its contact cannot be logged before that day
    ahead = dt.date.today() + dt.timedelta(days=3)
    notice = interessent.notify(ws, "Brann", record=True, as_of=ahead, write=False)
    refused = run(ws, "task", "done", notice.tasks[0])
    assert refused.exit_code == 1
    assert refused.stderr == (f"Error: task {notice.tasks[0]} stands for a notice of "
                              f"{ahead}; its contact cannot be logged before, on "
                              f"{dt.date.today()}\n")
    assert ws.store.interactions() == []


def test_a_commitment_id_in_any_case(ws: Workspace) -> None:
    added = run(ws, "task", "add", "Brev", "--owner", "dl", "--due", "2026-05-01",
                "--commitment", "l1")
    assert added.exit_code == 0, added.output
    assert interessent.tasks(ws)[0].commitment == "L1"  # the plan's spelling
    shown = run(ws, "coverage", "--commitment", "l1", "--format", "json", "--as-of",
                "2026-05-01")
    assert shown.exit_code == 0, shown.output
    assert "L1" in shown.stdout
    unknown = run(ws, "coverage", "--commitment", "zz", "--as-of", "2026-05-01")
    assert (unknown.exit_code, unknown.stderr) == (
        1, "Error: no commitment 'zz' in the plan (known: L1)\n")


def test_a_person_as_owner_filter_takes_the_tasks_of_the_roles_they_hold(
        ws: Workspace) -> None:
    interessent.add_task(ws, title="Rollens", owner="daglig_leder", due="2026-05-01")
    interessent.add_task(ws, title="Hennes", owner="dl", due="2026-05-02")
    interessent.add_task(ws, title="Styrets", owner="styreleder", due="2026-05-03")
    interessent.add_task(ws, title="Stines", owner="sty", due="2026-05-04")
    # Dina holds daglig_leder: the role's task and her own, not the styreleder's or Stine's
    assert [t.title for t in interessent.tasks(ws, owner="DL")] == ["Rollens", "Hennes"]
    listed = json.loads(run(ws, "task", "list", "--owner", "dl", "--format", "json").stdout)
    assert [t["title"] for t in listed] == ["Rollens", "Hennes"]
    # the role itself: its tasks only
    assert [t.title for t in interessent.tasks(ws, owner="daglig_leder")] == ["Rollens"]
    # Anne holds ansatt, which owns nothing
    assert interessent.tasks(ws, owner="ans") == []


def test_people_read_names_json_and_csv_keep_ids(ws: Workspace) -> None:
    interessent.add_task(ws, title="Om Olav", owner="dl", due="2026-05-01", stakeholder="ord")
    interessent.add_task(ws, title="Rollens", owner="daglig_leder", due="2026-05-02")
    created(ws, D(2026, 4, 1))
    table = run(ws, "task", "list").stdout
    assert "Dina Leder" in table and "Olav Ordfører" in table and "Daglig leder" in table
    assert " dl " not in table and "daglig_leder" not in table
    csv_text = run(ws, "task", "list", "--format", "csv").stdout
    assert "dl" in csv_text and "ord" in csv_text and "daglig_leder" in csv_text
    assert "Dina Leder" not in csv_text
    listed = json.loads(run(ws, "task", "list", "--format", "json").stdout)
    assert [(t["owner"], t["stakeholder"]) for t in listed] == [("dl", "ord"),
                                                               ("daglig_leder", None)]
    shown = run(ws, "due", "--as-of", "2026-04-10").stdout.split("Open tasks:")[1]
    assert "Dina Leder" in shown and "Olav Ordfører" in shown and "Daglig leder" in shown


def test_the_clearance_time_carries_its_zone(ws: Workspace, tmp_path: Path) -> None:
    interessent.draft(ws, "hendelse", stakeholders=["ord"], signer="ansatt",
                      cleared_by="styreleder", event="Brann", out=tmp_path / "a")
    [given] = interessent.clearances(ws)
    at = given.to_dict()["at"]
    assert at.endswith("+00:00")
    assert dt.datetime.fromisoformat(at).utcoffset() == dt.timedelta(0)
    exported = json.loads(run(ws, "export", "clearances", "--format", "json").stdout)
    assert exported[0]["at"] == at
