"""``import calendar``: one interaction per occurrence, with the registered people outside
the programme, logged once however often (and however many at once) the file is imported.

The Osen example's register, plus Kari, Ola and Per (outside the programme). Ingrid Sæther
(prosjektleder) and Osen Omstilling AS (post@osen-omstilling.no) are the programme's own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import interessent
from interessent import Workspace
from interessent.cli import cli

SRC = Path(__file__).resolve().parents[1] / "src"
AS_OF = dt.date(2026, 4, 30)

#: Three people outside the programme, for calendars and mail.
PEOPLE = [{"id": "kari", "name": "Kari Nes", "email": "kari@example.no"},
          {"id": "ola", "name": "Ola Dal", "email": "ola@example.no"},
          {"id": "per", "name": "Per Li", "email": "Per@Example.no"}]
STAFF = "ingrid.saether@osen-omstilling.no"  # prosjektleder: the programme's own

ICS = textwrap.dedent(f"""\
    BEGIN:VCALENDAR
    VERSION:2.0
    PRODID:-//interessent tests//EN
    BEGIN:VEVENT
    UID:weekly-1@example.no
    DTSTAMP:20260201T120000Z
    DTSTART;TZID=Europe/Oslo:20260302T003000
    DTEND;TZID=Europe/Oslo:20260302T013000
    RRULE:FREQ=WEEKLY;COUNT=5
    EXDATE;TZID=Europe/Oslo:20260309T003000
    RDATE;TZID=Europe/Oslo:20260305T100000
    SUMMARY:Styringsgruppe
    ORGANIZER;CN=Ingrid:mailto:{STAFF}
    ATTENDEE;PARTSTAT=ACCEPTED:mailto:kari@example.no
    ATTENDEE;PARTSTAT=DECLINED:mailto:ola@example.no
    ATTENDEE:mailto:nobody@ukjent.example
    END:VEVENT
    BEGIN:VEVENT
    UID:weekly-1@example.no
    DTSTAMP:20260201T120000Z
    RECURRENCE-ID;TZID=Europe/Oslo:20260316T003000
    DTSTART;TZID=Europe/Oslo:20260317T140000
    DTEND;TZID=Europe/Oslo:20260317T150000
    SUMMARY:Styringsgruppe (flyttet)
    ORGANIZER:mailto:{STAFF}
    ATTENDEE;PARTSTAT=ACCEPTED:mailto:kari@example.no
    ATTENDEE;PARTSTAT=ACCEPTED:mailto:ola@example.no
    END:VEVENT
    BEGIN:VEVENT
    UID:ny-1@example.no
    DTSTAMP:20260201T120000Z
    DTSTART;TZID=America/New_York:20260310T220000
    DTEND;TZID=America/New_York:20260310T230000
    SUMMARY:Investormøte i New York
    ATTENDEE:mailto:per@example.no
    END:VEVENT
    BEGIN:VEVENT
    UID:allday-1@example.no
    DTSTAMP:20260201T120000Z
    DTSTART;VALUE=DATE:20260320
    DTEND;VALUE=DATE:20260321
    SUMMARY:Næringsdag\x1b[31m
    ATTENDEE:mailto:PER@EXAMPLE.NO
    ATTENDEE:MAILTO:Kari@Example.No
    END:VEVENT
    BEGIN:VEVENT
    UID:staff-1@example.no
    DTSTAMP:20260201T120000Z
    DTSTART;TZID=Europe/Oslo:20260312T090000
    SUMMARY:Internt møte
    ORGANIZER:mailto:{STAFF}
    ATTENDEE:mailto:post@osen-omstilling.no
    END:VEVENT
    BEGIN:VEVENT
    UID:cancel-1@example.no
    DTSTAMP:20260201T120000Z
    DTSTART;TZID=Europe/Oslo:20260313T090000
    STATUS:CANCELLED
    SUMMARY:Avlyst
    ATTENDEE:mailto:kari@example.no
    END:VEVENT
    BEGIN:VEVENT
    UID:future-1@example.no
    DTSTAMP:20260201T120000Z
    DTSTART;TZID=Europe/Oslo:20260601T090000
    SUMMARY:Etter as-of
    ATTENDEE:mailto:kari@example.no
    END:VEVENT
    END:VCALENDAR
    """).replace("\n", "\r\n")

# Counted by hand, up to 2026-04-30:
# - weekly-1: RRULE 2, 9, 16, 23, 30 March; EXDATE drops 9 March; RDATE adds 5 March; the
#   16th moved to the 17th (and Ola accepts that one) → 5 occurrences: 2 (00:30 in Oslo,
#   1 March in UTC: the date is 2 March), 5, 17, 23, 30 March. Ingrid is staff, Ola
#   declined the series, nobody@ukjent.example is unknown: Kari alone, but Kari and Ola
#   on the 17th.
# - ny-1: 22:00 on 10 March in New York (4:00 on the 11th in Oslo): 10 March, Per.
# - allday-1: 20 March, Per and Kari (their addresses in capitals).
# - staff-1: only the programme's own → skipped.  cancel-1: cancelled.  future-1: after.
# found 9 = 5 + 1 + 1 + 1 skipped + 1 cancelled; logged 7.
LOGGED = {
    (dt.date(2026, 3, 2), ("kari",), "Styringsgruppe"),
    (dt.date(2026, 3, 5), ("kari",), "Styringsgruppe"),
    (dt.date(2026, 3, 17), ("kari", "ola"), "Styringsgruppe (flyttet)"),
    (dt.date(2026, 3, 23), ("kari",), "Styringsgruppe"),
    (dt.date(2026, 3, 30), ("kari",), "Styringsgruppe"),
    (dt.date(2026, 3, 10), ("per",), "Investormøte i New York"),
    (dt.date(2026, 3, 20), ("kari", "per"), "Næringsdag [31m"),
}


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("capture") / "osen"
    with interessent.init_workspace(root, example="osen") as ws:
        interessent.import_rows(ws, "stakeholders", PEOPLE)
    return root


@pytest.fixture
def ws_root(_template: Path, tmp_path: Path) -> Path:
    """A copy of the Osen workspace with Kari, Ola and Per, in a folder whose name has a
    space, ``?`` and ``#``."""
    root = tmp_path / "a folder ? # here"
    shutil.copytree(_template, root)
    return root


@pytest.fixture
def ws(ws_root: Path) -> Iterator[Workspace]:
    with Workspace(ws_root) as opened:
        yield opened


def interactions_in(root: Path) -> int:
    """The rows of the interactions table, read through a store of its own (SQLite or
    PostgreSQL, as the suite runs)."""
    with Workspace(root) as opened:
        return opened.store.counts()["interactions"]


def write_ics(folder: Path, body: str = ICS, name: str = "kalender ? #1.ics") -> Path:
    path = folder / name
    path.write_bytes(body.encode("utf-8"))
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_each_occurrence_is_logged_once(ws: Workspace, ws_root: Path, tmp_path: Path) -> None:
    before = interactions_in(ws_root)
    path = write_ics(tmp_path)
    result = interessent.import_calendar(ws, path, as_of=AS_OF)
    assert (result.found, result.logged, result.already_imported, result.without_outsider,
            result.cancelled) == (9, 7, 0, 1, 1)
    assert result.unknown_addresses == ("nobody@ukjent.example",)
    stored = ws.store.interactions(ids=list(result.ids))
    assert {(i.date, tuple(sorted(i.participants)), i.topic) for i in stored} == LOGGED
    assert {i.kind for i in stored} == {"meeting"}
    assert all(i.id.startswith("K2026-") for i in stored)
    assert interactions_in(ws_root) == before + 7

    again = interessent.import_calendar(ws, path, as_of=AS_OF)
    assert (again.logged, again.already_imported, again.ids) == (0, 7, ())
    assert interactions_in(ws_root) == before + 7


def test_up_to_the_as_of_day_then_the_rest(ws: Workspace, ws_root: Path,
                                           tmp_path: Path) -> None:
    before = interactions_in(ws_root)
    path = write_ics(tmp_path)
    # up to 10 March: weekly 2 and 5 March, New York 10 March (the 11th in UTC and Oslo)
    first = interessent.import_calendar(ws, path, as_of=dt.date(2026, 3, 10))
    assert (first.logged, first.already_imported) == (3, 0)
    # the organiser moves the 17 March meeting again: still the same occurrence
    moved = ICS.replace("20260317T140000", "20260318T140000")
    rest = interessent.import_calendar(ws, write_ics(tmp_path, moved), as_of=AS_OF)
    # 18 (moved), 20, 23 and 30 March are new; 2, 5 and 10 March were logged
    assert (rest.logged, rest.already_imported) == (4, 3)
    assert interactions_in(ws_root) == before + 7


def test_a_dry_run_writes_nothing(ws: Workspace, ws_root: Path, tmp_path: Path) -> None:
    before = interactions_in(ws_root)
    result = interessent.import_calendar(ws, write_ics(tmp_path), as_of=AS_OF, dry_run=True)
    assert (result.logged, result.dry_run) == (7, True)
    assert "dry run" in result.summary()
    assert interactions_in(ws_root) == before


def test_an_interaction_edited_by_hand_is_not_imported_again(
        ws: Workspace, ws_root: Path, tmp_path: Path) -> None:
    path = write_ics(tmp_path)
    first = interessent.import_calendar(ws, path, as_of=AS_OF)
    interessent.edit_interaction(ws, first.ids[0], topic="Styringsgruppe, referat sendt")
    assert interessent.import_calendar(ws, path, as_of=AS_OF).logged == 0


def test_the_kind_comes_from_the_plan(ws_root: Path, tmp_path: Path) -> None:
    plan = ws_root / "interessent.toml"
    plan.write_text(plan.read_text(encoding="utf-8")
                    + '\n[capture]\ncalendar_kind = "visit"\n', encoding="utf-8")
    with Workspace(ws_root) as ws:
        result = interessent.import_calendar(ws, write_ics(tmp_path), as_of=AS_OF)
        assert {i.kind for i in ws.store.interactions(ids=list(result.ids))} == {"visit"}


def test_the_cli_prints_json_and_words(ws_root: Path, tmp_path: Path) -> None:
    path = write_ics(tmp_path)
    dry = run("-w", ws_root, "import", "calendar", path, "--as-of", "2026-04-30",
              "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert data == {
        "source_kind": "calendar", "source": "kalender ? #1.ics", "found": 9, "logged": 7,
        "already_imported": 0, "without_outsider": 1, "mailings": 0, "cancelled": 1,
        "unreadable": 0, "unknown_addresses": ["nobody@ukjent.example"],
        "ids": data["ids"], "dry_run": True, "as_of": "2026-04-30"}
    assert len(data["ids"]) == 7
    words = run("-w", ws_root, "import", "calendar", path, "--as-of", "2026-04-30")
    assert words.exit_code == 0, words.output
    assert "7 contacts logged" in words.stdout
    assert "nobody@ukjent.example" in words.stdout
    assert "7 already imported" in run("-w", ws_root, "import", "calendar", path,
                                       "--as-of", "2026-04-30").stdout


@pytest.mark.parametrize(("content", "expected"), [
    (None, "no such file"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n", "not a calendar file"),
    (b"\x00\x01 not a calendar", "not a calendar file"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T000000Z\r\n"
     b"RRULE:FREQ=SECONDLY\r\nATTENDEE:mailto:kari@example.no\r\nEND:VEVENT\r\n"
     b"END:VCALENDAR\r\n", "more than 50,000 occurrences"),
])
def test_a_file_that_cannot_be_read_is_one_error_line(
        ws_root: Path, tmp_path: Path, content: bytes | None, expected: str) -> None:
    before = interactions_in(ws_root)
    path = tmp_path / "broken ? #.ics"
    if content is not None:
        path.write_bytes(content)
    line = one_error_line(run("-w", ws_root, "import", "calendar", path,
                              "--as-of", "2026-04-30"))
    assert expected in line
    assert interactions_in(ws_root) == before


def test_a_folder_is_no_calendar(ws_root: Path, tmp_path: Path) -> None:
    assert "folder" in one_error_line(run("-w", ws_root, "import", "calendar", tmp_path))


def test_options_of_another_kind_of_import_are_refused(ws_root: Path, tmp_path: Path) -> None:
    result = run("-w", ws_root, "import", "calendar", write_ics(tmp_path), "--bodies")
    assert result.exit_code == 2
    assert "--bodies" in result.stderr


WORKER = """
import json, sys, datetime as dt
import interessent
with interessent.Workspace(sys.argv[1]) as ws:
    result = interessent.import_calendar(ws, sys.argv[2], as_of=dt.date(2026, 4, 30))
print(json.dumps(result.to_dict()))
"""


@pytest.mark.sqlite_only(reason="its worker processes open the workspace's own database")
def test_two_processes_at_once_log_each_occurrence_once(ws_root: Path, tmp_path: Path) -> None:
    before = interactions_in(ws_root)
    path = write_ics(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("INTERESSENT_DB", None)
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(ws_root), str(path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    # one of them logged all 7, the other found them imported (or they shared the work)
    assert sum(r["logged"] for r in results) == 7
    assert sum(r["already_imported"] for r in results) == 7
    assert interactions_in(ws_root) == before + 7
