"""Concerns (innspill, issue 14 item 3): added, listed and closed through the library and
the command line; hostile text; unknown ids refused with nothing written; two processes
adding at once; a concern raised by an opinion leader shows in ``due``. Every expected
value is counted by hand from the register below."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

import interessent
from interessent import Interaction, InvalidInput, NotFound, Relationship, Stakeholder, Workspace
from interessent.cli import cli
from interessent.store import CONCERN_PEOPLE, CONCERNS

D = dt.date

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
id = "Y"
title = "Årlig orientering"
groups = ["folk"]
cadence = "year"

[leaders]
top = 1
"""


@pytest.fixture
def plan_text() -> str:
    return PLAN


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    """Kari is tied to Ola and to Per, who are not tied to each other: Kari is the only
    bridge (betweenness 1, theirs 0), has the most ties and declares influence 5 (Ola and
    Per 1), so she is the best-ranked of «folk» on every component, and with
    ``leaders.top = 1`` its one opinion leader. Bedrift AS is in «firma» only."""
    store = workspace.store
    for s in (Stakeholder("prog", "Programmet AS", kind="organisation"),
              Stakeholder("kari", "Kari Aune", tags=("innbygger",), influence=5),
              Stakeholder("ola", "Ola Nes", tags=("innbygger",), influence=1),
              Stakeholder("per", "Per Li", tags=("innbygger",), influence=1),
              Stakeholder("bedrift", "Bedrift AS", kind="organisation", groups=("firma",))):
        store._add_stakeholder(s)
    with store.write() as session:
        store._save_relationships(session, [Relationship("kari", "ola", "knows"),
                                      Relationship("kari", "per", "knows")])
    store._add_interaction(Interaction("K2026-0001", D(2026, 3, 2), "meeting",
                                       participants=("ola",)))
    return workspace


def run(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def count(ws: Workspace) -> tuple[int, int]:
    """(concerns, links to their people) stored."""
    with ws.store.read() as s:
        return (s.scalar(select(func.count()).select_from(CONCERNS)) or 0,
                s.scalar(select(func.count()).select_from(CONCERN_PEOPLE)) or 0)


def test_add_list_and_close_through_the_library(ws: Workspace) -> None:
    ws.store._add_interaction(Interaction("K2026-0002", D(2026, 3, 2), "meeting",
                                          participants=("ola", "per")))
    first = interessent.add_concern(ws, title="Vegen til kaia er dårlig",
                                    raised_by=["OLA", "per"], interaction="k2026-0002")
    # no day given: the day of the contact where it was raised
    assert (first.id, first.raised_on, first.raised_by, first.interaction) == (
        "C2026-0001", D(2026, 3, 2), ("ola", "per"), "K2026-0002")
    # no group given: the groups its people are members of (both are «folk» by the rule)
    assert (first.group, first.groups, first.is_open) == (None, ("folk",), True)
    second = interessent.add_concern(ws, title="Parkering", raised_by="bedrift",
                                     group="FIRMA", on="2026-04-01")
    assert (second.id, second.group, second.groups) == ("C2026-0002", "firma", ("firma",))
    assert [c.id for c in interessent.concerns(ws)] == ["C2026-0001", "C2026-0002"]
    assert [c.id for c in interessent.concerns(ws, group="folk")] == ["C2026-0001"]
    assert [c.id for c in interessent.concerns(ws, stakeholder="Per")] == ["C2026-0001"]

    closed = interessent.close_concern(ws, "c2026-0001", answer="Fylket\nasfalterer i mai",
                                       on=D(2026, 4, 10))
    assert (closed.closed_on, closed.answer, closed.is_open) == (
        D(2026, 4, 10), "Fylket\nasfalterer i mai", False)
    assert [c.id for c in interessent.concerns(ws, open_only=True)] == ["C2026-0002"]
    assert closed.to_dict() == {
        "id": "C2026-0001", "title": "Vegen til kaia er dårlig", "raised_on": "2026-03-02",
        "raised_by": ["ola", "per"], "interaction": "K2026-0002", "group": None,
        "groups": ["folk"], "answer": "Fylket\nasfalterer i mai", "closed_on": "2026-04-10",
        "open": False}
    with pytest.raises(InvalidInput, match="closed already, on 2026-04-10"):
        interessent.close_concern(ws, "C2026-0001", answer="igjen")
    with pytest.raises(InvalidInput, match="cannot be closed before"):
        interessent.close_concern(ws, "C2026-0002", answer="for tidlig", on="2026-03-31")


def test_add_list_and_close_through_the_command_line(ws: Workspace) -> None:
    done = run(ws, "concern", "add", "Bredbånd på Nesset", "--raised-by", "kari",
               "--raised-by", "ola", "--date", "2026-05-05")
    assert done.exit_code == 0, done.output
    # people read names, in the order of the ids
    assert done.stdout == ("Added C2026-0001: «Bredbånd på Nesset», raised on 2026-05-05 "
                           "by Kari Aune, Ola Nes\n")
    assert run(ws, "concern", "add", "Kaia", "--raised-by", "bedrift", "--group", "firma",
               "--date", "2026-06-01").exit_code == 0
    listed = json.loads(run(ws, "concern", "list", "--format", "json").stdout)
    assert [(c["id"], c["groups"]) for c in listed] == [("C2026-0001", ["folk"]),
                                                         ("C2026-0002", ["firma"])]
    table = run(ws, "concern", "list", "--group", "firma").stdout
    assert "C2026-0002" in table and "C2026-0001" not in table
    closed = run(ws, "concern", "close", "C2026-0002", "--answer", "Ordnet",
                 "--date", "2026-06-02")
    assert closed.stdout == "Closed C2026-0002 on 2026-06-02\n"
    opened = json.loads(run(ws, "concern", "list", "--open", "--format", "json").stdout)
    assert [c["id"] for c in opened] == ["C2026-0001"]
    again = run(ws, "concern", "close", "C2026-0002", "--answer", "Igjen")
    assert (again.exit_code, again.stderr) == (
        1, "Error: concern C2026-0002 was closed already, on 2026-06-02\n")


@pytest.mark.parametrize(("args", "message"), [
    (("add", "T", "--raised-by", "nobody"), "Error: no stakeholder with id 'nobody'\n"),
    (("add", "T", "--raised-by", "kari", "--raised-by", "nobody"),
     "Error: no stakeholder with id 'nobody'\n"),
    (("add", "T", "--raised-by", "kari", "--interaction", "K2026-0999"),
     "Error: no interaction with id 'K2026-0999'\n"),
    (("add", "T", "--raised-by", "kari", "--group", "nope"),
     "Error: no target group 'nope' in the plan (known: folk, firma)\n"),
    (("add", "T", "--raised-by", "kari", "--date", "2026-13-01"), None),
    (("close", "C2026-0099", "--answer", "svar"), "Error: no concern with id 'C2026-0099'\n"),
])
def test_unknown_ids_are_one_error_and_nothing_is_written(
        ws: Workspace, args: tuple[str, ...], message: str | None) -> None:
    done = run(ws, "concern", *args)
    assert done.exit_code == 1
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.output
    if message is not None:
        assert done.stderr == message
    assert count(ws) == (0, 0)


@pytest.mark.parametrize("title", [
    "Vegen\x1b[31m", "to\nlinjer", "x\r\nBcc: evil@example.com", "null\x00byte",
    "høyre\u202etil venstre", "x" * 1001, "   ",
])
def test_a_hostile_title_is_refused_and_nothing_is_written(ws: Workspace, title: str) -> None:
    done = run(ws, "concern", "add", title, "--raised-by", "kari")
    assert done.exit_code == 1, done.output
    assert done.stderr.startswith("Error: TITLE: ") and done.stderr.count("\n") == 1
    assert count(ws) == (0, 0)
    with pytest.raises(InvalidInput):
        interessent.add_concern(ws, title=title, raised_by="kari")
    assert count(ws) == (0, 0)


def test_markup_in_a_title_or_answer_is_kept_as_text(ws: Workspace) -> None:
    title = "<script>alert(1)</script> {{ 7*7 }} {% raw %} ' OR 1=1 --"
    added = interessent.add_concern(ws, title=title, raised_by="kari", on="2026-02-01")
    answer = "Linje én\n\tinnrykket <b>fet</b> {{ svar }}"
    closed = interessent.close_concern(ws, added.id, answer=answer, on="2026-02-02")
    assert (closed.title, closed.answer) == (title, answer)
    shown = run(ws, "concern", "list", "--format", "json").stdout
    assert json.loads(shown)[0]["title"] == title
    for bad in ("svar\x1b[2J", "null\x00", "x" * 20_001):
        done = run(ws, "concern", "close", added.id, "--answer", bad)
        assert done.exit_code == 1 and done.stderr.startswith("Error: --answer: ")


def test_values_that_are_not_text_are_refused(ws: Workspace) -> None:
    with pytest.raises(InvalidInput, match="title: expected text"):
        interessent.add_concern(ws, title=42, raised_by="kari")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="raised_by"):
        interessent.add_concern(ws, title="T", raised_by=[None])  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match="say who raised it"):
        interessent.add_concern(ws, title="T", raised_by=[])
    with pytest.raises(NotFound):
        interessent.concerns(ws, stakeholder="nobody")
    assert count(ws) == (0, 0)


def test_a_concern_raised_by_an_opinion_leader_shows_in_due(ws: Workspace) -> None:
    # Kari is «folk»'s one opinion leader (see the fixture); Ola is not
    by_kari = interessent.add_concern(ws, title="Skolen", raised_by="kari", on="2026-05-01")
    interessent.add_concern(ws, title="Butikken", raised_by="ola", on="2026-05-02")
    both = interessent.add_concern(ws, title="Ferja", raised_by=["per", "kari"],
                                   on="2026-05-03")
    answered = interessent.add_concern(ws, title="Lyset", raised_by="kari", on="2026-05-04")
    interessent.close_concern(ws, answered.id, answer="Fikset", on="2026-05-20")
    later = interessent.add_concern(ws, title="Senere", raised_by="kari", on="2026-07-01")

    dues = interessent.due(ws, as_of=D(2026, 6, 1))
    # open on June 1st and raised by Kari: Skolen and Ferja (Lyset was answered on May
    # 20th; Senere is raised after June 1st; Butikken is Ola's)
    assert [(c.concern.id, c.leaders) for c in dues.concerns] == [
        (by_kari.id, ("kari",)), (both.id, ("kari",))]
    data = dues.to_dict()["concerns"]
    assert [(c["id"], c["leaders"]) for c in data] == [("C2026-0001", ["kari"]),
                                                       ("C2026-0003", ["kari"])]
    # on May 10th Lyset was still open
    assert [c.concern.id for c in interessent.due(ws, as_of=D(2026, 5, 10)).concerns] == [
        "C2026-0001", "C2026-0003", "C2026-0004"]
    assert later.id == "C2026-0005"

    shown = run(ws, "due", "--as-of", "2026-06-01")
    assert shown.exit_code == 0, shown.output
    section = shown.stdout.split("Concerns raised by opinion leaders, still open:")[1]
    assert "Skolen" in section and "Ferja" in section and "Butikken" not in section
    as_json = json.loads(run(ws, "due", "--as-of", "2026-06-01", "--format", "json").stdout)
    assert [c["id"] for c in as_json["concerns"]] == ["C2026-0001", "C2026-0003"]


#: One worker: waits for the start signal, then adds concerns and tasks through the CLI.
WORKER = r"""
import json, sys, time
from pathlib import Path
from click.testing import CliRunner
from interessent.cli import cli

root, go, ready, tag = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
runner = CliRunner()
ready.touch()
while not go.exists():
    time.sleep(0.002)
out = []
for n in range(5):
    a = runner.invoke(cli, ["-w", root, "concern", "add", f"{tag}-{n}", "--raised-by", "kari",
                            "--date", "2026-03-01"])
    b = runner.invoke(cli, ["-w", root, "task", "add", f"{tag}-{n}", "--owner", "daglig_leder",
                            "--due", "2026-03-01"])
    out += [[a.exit_code, a.stdout, a.stderr], [b.exit_code, b.stdout, b.stderr]]
print(json.dumps(out))
"""


def test_two_processes_adding_at_once_get_distinct_ids_and_both_are_stored(
        ws: Workspace, tmp_path: Path) -> None:
    go = tmp_path / "go"
    procs = []
    for tag in ("a", "b"):
        ready = tmp_path / f"ready-{tag}"
        procs.append((ready, subprocess.Popen(
            [sys.executable, "-c", WORKER, str(ws.root), str(go), str(ready), tag],
            env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in procs):
        assert time.monotonic() < deadline, "the workers did not start"
        assert all(p.poll() is None for _, p in procs)
        time.sleep(0.01)
    go.touch()
    runs = []
    for _, proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        runs += json.loads(out)
    assert all(code == 0 for code, _out, _err in runs), runs
    said = [out.split(":")[0].removeprefix("Added ") for _code, out, _err in runs]
    # 2 processes × 5 concerns and 5 tasks: C2026-0001 … 0010 and T2026-0001 … 0010
    assert sorted(i for i in said if i.startswith("C")) == [f"C2026-{n:04d}"
                                                            for n in range(1, 11)]
    assert sorted(i for i in said if i.startswith("T")) == [f"T2026-{n:04d}"
                                                            for n in range(1, 11)]
    stored = {c.id: c.title for c in interessent.concerns(ws)}
    assert sorted(stored.values()) == sorted(f"{t}-{n}" for t in "ab" for n in range(5))
    assert len(interessent.tasks(ws)) == 10


# --- what an outside tester found (fix14a) ---------------------------------------------


def test_a_concern_at_a_contact_needs_its_raisers_there_and_not_an_earlier_day(
        ws: Workspace) -> None:
    store = ws.store
    store._add_stakeholder(Stakeholder("berit", "Berit Bedrift", organisation="bedrift"))
    # K2026-0002: a meeting with Bedrift AS, hosted by Kari; K2026-0003: Berit alone
    store._add_interaction(Interaction("K2026-0002", D(2026, 4, 1), "meeting",
                                       participants=("bedrift",), host="kari"))
    store._add_interaction(Interaction("K2026-0003", D(2026, 4, 2), "letter",
                                       participants=("berit",)))
    # K2026-0001 (the fixture's, March 2nd) had Ola alone: Kari was not there
    wrong = run(ws, "concern", "add", "Kaia", "--raised-by", "kari", "--interaction",
                "K2026-0001")
    assert (wrong.exit_code, wrong.stderr) == (
        1, "Error: Kari Aune (kari) did not take part in interaction K2026-0001 (not a "
           "participant, not its host, not acting for one): is it the right contact?\n")
    # two raisers, one of them absent: the absent one is named, nothing is written
    both = run(ws, "concern", "add", "Kaia", "--raised-by", "ola", "--raised-by", "per",
               "--interaction", "K2026-0001")
    assert both.exit_code == 1 and "Per Li (per) did not take part" in both.stderr
    early = run(ws, "concern", "add", "Kaia", "--raised-by", "ola", "--interaction",
                "K2026-0001", "--date", "2026-03-01")
    assert (early.exit_code, early.stderr) == (
        1, "Error: interaction K2026-0001 was on 2026-03-02; a concern raised there cannot "
           "be raised before, on 2026-03-01\n")
    assert count(ws) == (0, 0)

    # a party to the contact: its participant, its host, one acting for a participating
    # organisation, an organisation one of whose people took part
    add = interessent.add_concern
    assert add(ws, title="a", raised_by="ola", interaction="K2026-0001",
               on="2026-03-02").raised_on == D(2026, 3, 2)  # the contact's day is fine
    assert add(ws, title="b", raised_by="kari", interaction="K2026-0002").raised_by == (
        "kari",)
    assert add(ws, title="c", raised_by="berit", interaction="K2026-0002").raised_by == (
        "berit",)
    assert add(ws, title="d", raised_by="bedrift", interaction="K2026-0003",
               on="2026-05-01").raised_on == D(2026, 5, 1)  # a later day is fine
    with pytest.raises(InvalidInput, match=r"Ola Nes \(ola\) did not take part"):
        add(ws, title="e", raised_by="ola", interaction="K2026-0002")
    assert count(ws) == (4, 4)


def test_concern_tables_show_names_json_and_csv_keep_ids(ws: Workspace) -> None:
    interessent.add_concern(ws, title="Kaia", raised_by=["ola", "kari"], on="2026-05-01")
    interessent.add_concern(ws, title="Parkering", raised_by="bedrift", group="firma",
                            on="2026-05-02")
    table = run(ws, "concern", "list").stdout
    assert "Kari Aune, Ola Nes" in table and "Bedrift AS" in table
    assert "Befolkningen" in table and "Næringslivet" in table
    assert "kari, ola" not in table and "firma" not in table
    csv_text = run(ws, "concern", "list", "--format", "csv").stdout
    assert "kari, ola" in csv_text and "firma" in csv_text and "Kari Aune" not in csv_text
    listed = json.loads(run(ws, "concern", "list", "--format", "json").stdout)
    assert [(c["raised_by"], c["groups"]) for c in listed] == [
        (["kari", "ola"], ["folk"]), (["bedrift"], ["firma"])]
    # due: Kari is «folk»'s opinion leader (see the fixture); her name is shown
    shown = run(ws, "due", "--as-of", "2026-06-01").stdout
    section = shown.split("Concerns raised by opinion leaders, still open:")[1]
    assert "Kari Aune" in section and "kari" not in section.replace("Kari", "")
