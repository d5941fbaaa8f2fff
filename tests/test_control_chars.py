"""Control characters in text fields (issue 11, item 8).

ESC, BEL, NUL, DEL, the C1 controls, bidirectional overrides and isolates, line and
paragraph separators are refused on every way in — an imported CSV or XLSX cell,
``stakeholder add`` and ``edit``, ``log``, a consent's source, a plan's text — naming the
field; tab and line feed only where a field holds several lines (notes, addresses). Text
stored before (or behind the program's back) is escaped before it reaches a terminal; JSON
and CSV stay data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

from conftest import PLAN
from interessent import (
    ImportRejected,
    InvalidInput,
    PlanError,
    Stakeholder,
    Workspace,
    import_file,
)
from interessent.bounds import check_text, printable
from interessent.cli import cli
from interessent.importing import COLUMNS
from interessent.plan import parse_plan
from interessent.privacy import audit_log
from interessent.store import INT, ST

MakeWorkspace = Callable[[str], Workspace]
AS_OF = ["--as-of", "2026-11-26"]

#: One hostile character of each kind, with what the error calls it.
HOSTILE = {
    "\x1b": "the control character U+001B (ESC)",
    "\x07": "the control character U+0007 (BEL)",
    "\x00": "the control character U+0000 (NUL)",
    "\x08": "the control character U+0008 (backspace)",
    "\x7f": "the control character U+007F (DEL)",
    "\x9b": "the control character U+009B (CSI)",
    "\x85": "the control character U+0085",
    "\u202e": "the character U+202E (right-to-left override)",
    "\u2066": "the character U+2066 (left-to-right isolate)",
    "\u2069": "the character U+2069 (pop directional isolate)",
    "\u2028": "the character U+2028 (line separator)",
    "\udcf8": "a byte that is not text (0xf8)",
}
#: What a terminal would obey: set the window title, clear the screen.
ATTACK = "\x1b]0;pwned\x07\x1b[2J"


def run(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def refused(result: Result) -> str:
    """Exit 1, one ``Error:`` line without a raw control character, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = result.stderr
    assert line.startswith("Error: ") and line.count("\n") == 1, line
    assert printable(line) == line, line
    return line


def state(ws: Workspace) -> tuple[dict[str, int], int]:
    return ws.store.counts(), len(audit_log(ws))


@pytest.fixture
def ws(make_workspace: MakeWorkspace) -> Workspace:
    ws = make_workspace("ws")
    ws.store._add_stakeholder(Stakeholder("kari", "Kari Nes", groups=("befolkningen",)))
    ws.store._add_stakeholder(Stakeholder("ola", "Ola Ås", groups=("befolkningen",)))
    return ws


# --- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(("char", "named"), HOSTILE.items())
def test_every_kind_of_control_character_is_refused_and_named(char: str, named: str) -> None:
    for lines in (False, True):
        with pytest.raises(InvalidInput) as refused_:
            check_text(f"Kari{char}Nes", "name", lines=lines)
        assert str(refused_.value).startswith("name: holds ")
        assert f"{named} at character 5; it is not allowed in this field" in str(refused_.value)


def test_tab_and_line_feed_only_in_a_field_of_several_lines() -> None:
    for text in ("a\tb", "a\nb", "a\r\nb", "a\rb"):
        with pytest.raises(InvalidInput, match=r"^topic: holds the control character"):
            check_text(text, "topic")
    assert check_text("linje 1\r\nlinje 2\n\tinnrykk", "notes", lines=True)
    with pytest.raises(InvalidInput, match=r"U\+000D \(carriage return\)"):
        check_text("a\rb", "notes", lines=True)  # a lone CR moves the cursor back
    # letters of every script, marks that join (ZWJ in emoji, ZWNJ in Persian) are text
    for text in ("Åse Ørnes", "Ådne 😀‍😀", "می‌خواهم", "עברית", "Ελληνικά", "\u00ad"):
        assert check_text(text, "name") == text


def test_printable_escapes_what_a_terminal_would_obey() -> None:
    assert printable("Kari Nes") == "Kari Nes"
    assert printable(ATTACK) == "\\x1b]0;pwned\\x07\\x1b[2J"
    assert printable("a\u202eb\u2066c\x9bd\x00e\udcf8") == "a\\u202eb\\u2066c\\x9bd\\x00e\\udcf8"
    assert printable("linje 1\r\nlinje 2\tx\ry") == "linje 1\nlinje 2\tx\\x0dy"
    for char in HOSTILE:
        assert not any(c in printable(f"x{char}y") for c in HOSTILE)


# --- importing ----------------------------------------------------------------------------


def _value(column: str, char: str) -> str:
    """A value for ``column`` that is right but for ``char`` inside it (at either end it
    would be trimmed away with the spaces: NEL and U+2028 are white space)."""
    good = {"id": "per", "name": "Per", "first_name": "Per", "kind": "person",
            "email": "per@example.no", "phone": "+47 900 00 000", "address": "Storgata 1",
            "organisation": "Osen AS",
            "roles": "ordforer", "groups": "befolkningen", "influence": "3", "interest": "3",
            "language": "nn", "legal_basis": "samtykke", "tags": "fisk", "notes": "hei",
            "date": "2026-03-05", "channel": "direkte", "participants": "kari",
            "topic": "Dialogmøte", "commitments": "B5", "host": "ola", "success": "ja",
            "source": "kari", "target": "ola", "strength": "0,5", "directed": "ja",
            "start": "2026-01-01", "end": "2026-12-31", "sentiment": "positive",
            "outlet": "avisa", "tone": "neutral", "story": "K2026-0001",
            "messages": "grunder"}[column]
    return good[:1] + char + (good[1:] or good)


def _row(kind: str, column: str, char: str) -> dict[str, str]:
    required = {"stakeholders": {"name": "Per"},
                "relationships": {"source": "kari", "target": "ola", "kind": "member_of"},
                "interactions": {"date": "2026-03-05", "kind": "meeting"}}[kind]
    kind_value = {"stakeholders": "person", "relationships": "member_of",
                  "interactions": "meeting"}[kind]
    hostile = _value(column, char) if column != "kind" else kind_value[:1] + char + \
        kind_value[1:]
    return {**required, column: hostile}


CELLS = [(kind, column) for kind in ("stakeholders", "relationships", "interactions")
         for column in COLUMNS[kind]]


@pytest.mark.parametrize(("kind", "column"), CELLS)
def test_a_control_character_in_any_csv_cell_rejects_the_file_naming_the_column(
    ws: Workspace, tmp_path: Path, kind: str, column: str
) -> None:
    before = state(ws)
    for char in ("\x1b", "\u202e", "\x9b", "\x07"):
        row = _row(kind, column, char)
        path = tmp_path / f"{kind}.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(row)
            writer.writerow(row.values())
        with pytest.raises(ImportRejected) as rejected:
            import_file(ws, kind, path)
        messages = [str(p) for p in rejected.value.problems]
        assert f"row 2: {column}: holds {HOSTILE[char]} at character 2; it is not allowed " \
               "in this field" in messages, messages
    assert state(ws) == before


@pytest.mark.parametrize(("kind", "column"), CELLS)
def test_a_control_character_in_any_xlsx_cell_rejects_the_workbook_naming_the_column(
    ws: Workspace, tmp_path: Path, kind: str, column: str
) -> None:
    before = state(ws)
    # what XML can hold: DEL, C1, bidi, separators (C0 controls cannot be saved in XLSX)
    for char in ("\x7f", "\x85", "\u2066", "\u2028"):
        row = _row(kind, column, char)
        book = openpyxl.Workbook()
        book.worksheets[0].append(list(row))
        book.worksheets[0].append(list(row.values()))
        book.save(tmp_path / f"{kind}.xlsx")
        with pytest.raises(ImportRejected) as rejected:
            import_file(ws, kind, tmp_path / f"{kind}.xlsx")
        messages = [str(p) for p in rejected.value.problems]
        assert any(m.startswith(f"row 2: {column}: holds {HOSTILE[char]}") for m in messages), \
            messages
    assert state(ws) == before


def test_tabs_and_line_breaks_only_in_notes_and_addresses(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "folk.csv"
    path.write_text('navn;adresse;notater\n"Per Berg";"Storgata 1\r\n6700 Måløy";'
                    '"linje 1\nlinje 2\tmed tabulator"\n', encoding="utf-8")
    import_file(ws, "stakeholders", path)
    per = ws.store.stakeholder("per-berg")
    assert (per.address, per.notes) == ("Storgata 1\r\n6700 Måløy",
                                        "linje 1\nlinje 2\tmed tabulator")
    before = state(ws)
    path.write_text('navn;e-post\n"Siri\nLie";siri@example.no\n"Tor Dal";"tor@\texample.no"\n',
                    encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file(ws, "stakeholders", path)
    assert [str(p) for p in rejected.value.problems] == [
        "row 2: navn: holds the control character U+000A (line feed) at character 5; it is "
        "not allowed in this field",
        "row 3: e-post: holds the control character U+0009 (tab) at character 5; it is not "
        "allowed in this field",
    ]
    assert state(ws) == before


# --- typed in: stakeholder add, edit, log, consent ----------------------------------------


ADD_OPTIONS = ["--email", "--phone", "--address", "--organisation", "--role", "--group",
               "--legal-basis", "--tag", "--notes"]


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\u202e", "\x9b"])
def test_stakeholder_add_refuses_a_control_character_in_any_field(
    ws: Workspace, char: str
) -> None:
    before = state(ws)
    line = refused(run(ws, "stakeholder", "add", f"Per{char}Berg"))
    assert f"NAME: holds {HOSTILE[char]}" in line  # the command's argument
    line = refused(run(ws, "stakeholder", "add", "Per Berg", "--id", f"per{char}"))
    assert f"id: holds {HOSTILE[char]}" in line
    for option in ADD_OPTIONS:
        field = option[2:].replace("-", "_").replace("role", "roles").replace("group", "groups")
        field = {"tag": "tags"}.get(field, field)
        line = refused(run(ws, "stakeholder", "add", "Per Berg", option, f"x{char}y"))
        # the option when the field is the one problem, else the field (roles, groups)
        assert line.startswith("Error: stakeholder per-berg: ") and any(
            f"{name}: holds {HOSTILE[char]} at character 2" in line
            for name in (option, field)), (option, line)
    assert state(ws) == before


@pytest.mark.parametrize("char", ["\x1b", "\u2066", "\x7f"])
def test_stakeholder_edit_refuses_a_control_character_in_any_field(
    ws: Workspace, char: str
) -> None:
    before = state(ws)
    for option in ["--name", *ADD_OPTIONS]:
        line = refused(run(ws, "stakeholder", "edit", "kari", option, f"x{char}y"))
        assert line.startswith("Error: stakeholder kari: ") and f"holds {HOSTILE[char]}" in line
    assert state(ws) == before
    assert ws.store.stakeholder("kari").name == "Kari Nes"


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\u202e", "\x85"])
def test_log_refuses_a_control_character_in_any_field(ws: Workspace, char: str) -> None:
    before = state(ws)
    base = ["log", "meeting", "--with", "kari", "--date", "2026-03-05"]
    for args, field in (
        (["log", f"meet{char}ing", "--with", "kari"], "kind"),
        ([*base, "--topic", f"Dialog{char}møte"], "topic"),
        ([*base, "--notes", f"he{char}i"], "notes"),
        ([*base, "--channel", f"di{char}rekte"], "channel"),
        ([*base, "--group", f"befolk{char}ningen"], "groups"),
        ([*base, "--commitment", f"B{char}5"], "commitments"),
        ([*base, "--host", f"o{char}la"], "host"),
        (["log", "meeting", "--with", f"ka{char}ri"], "participants"),
        ([*base, "--id", f"K2026-{char}1"], "id"),
        (["log", "meeting", "--with", "kari", "--date", f"2026-03-0{char}5"], "date"),
    ):
        line = refused(run(ws, *args))
        assert field in line, (field, line)
    assert state(ws) == before


def test_a_consent_s_source_refuses_control_characters(ws: Workspace) -> None:
    before = state(ws)
    line = refused(run(ws, "privacy", "consent", "kari", "--basis", "samtykke",
                       "--source", f"skjema{ATTACK}"))
    assert line.startswith("Error: --source: holds the control character U+001B (ESC)")
    assert state(ws) == before


def test_a_plan_s_text_refuses_control_characters() -> None:
    text = PLAN.replace('name = "Testprogrammet"', 'name = "Test\\u001b[2Jprogrammet"')
    with pytest.raises(PlanError) as broken:
        parse_plan(text)
    assert [(p.path, p.message) for p in broken.value.problems] == [
        ("programme.name", "holds the control character U+001B (ESC) at character 5; it is "
                           "not allowed in this field")]
    text = PLAN.replace('title = "Nyheter i lokale medier"',
                        'title = "Nyheter"\nkinds = ["meeting\\u202e"]')
    with pytest.raises(PlanError, match=r"commitments\[0\]\.kinds"):
        parse_plan(text)
    vision = PLAN.replace('language = "nn"', 'language = "nn"\nvision = """Linje 1\n\tLinje 2"""')
    assert parse_plan(vision).programme.vision == "Linje 1\n\tLinje 2"


# --- what is stored already reaches no terminal raw ---------------------------------------


def _poison(ws: Workspace) -> None:
    """Control characters put into every name, note and topic behind the program's back."""
    from sqlalchemy import literal

    with ws.store.write() as s:
        s.execute(update(ST).values(name=ST.c.name + literal(ATTACK + "\u202e"),
                                    notes=literal(f"note{ATTACK}")))
        s.execute(update(INT).values(topic=literal(f"Møte{ATTACK}"),
                                     notes=literal(f"x{ATTACK}")))


@pytest.mark.parametrize("args", [
    ["stakeholder", "list"],
    ["stakeholder", "show", "astrid-lian"],
    ["leaders", *AS_OF],
    ["leaders", "--explain", *AS_OF],
    ["due", *AS_OF],
    ["coverage", "--period", "2026", *AS_OF],
    ["risks", "--period", "2026", *AS_OF],
])
def test_stored_control_characters_are_escaped_on_the_terminal(
    osen: Workspace, args: list[str]
) -> None:
    _poison(osen)
    result = run(osen, *args)
    assert result.exit_code == 0, result.output
    for char in HOSTILE:
        assert char not in result.output, (args, repr(char))
    if args[0] != "coverage":  # it shows the plan's groups and commitments, no names
        # escaped, though a narrow column may wrap it (the list shows organisation names)
        assert "\\x1b]0;pwned\\x07\\x1b[2J\\u202e" in "".join(result.output.split())


def test_stakeholder_show_escapes_names_notes_and_topics(osen: Workspace) -> None:
    _poison(osen)
    out = run(osen, "stakeholder", "show", "astrid-lian").output
    assert "name          Astrid Lian\\x1b]0;pwned\\x07\\x1b[2J\\u202e" in out
    assert "notes         note\\x1b]0;pwned\\x07\\x1b[2J" in out
    assert "Møte\\x1b]0;pwned\\x07\\x1b[2J" in out  # an interaction's topic


def test_an_error_that_quotes_data_is_escaped(ws: Workspace) -> None:
    line = refused(run(ws, "stakeholder", "add", "Per", "--id", f"per{ATTACK}"))
    assert line.startswith("Error: stakeholder per\\x1b]0;pwned\\x07\\x1b[2J: id: holds ")
    refused(run(ws, "stakeholder", "show", f"per{ATTACK}"))
    refused(run(ws, "log", f"møte{ATTACK}", "--with", "kari"))


def test_json_and_csv_stay_data(osen: Workspace) -> None:
    _poison(osen)
    out = run(osen, "stakeholder", "list", "--format", "json").stdout
    assert "\x1b" not in out  # JSON writes it \u001b
    names = {r["id"]: r["name"] for r in json.loads(out)}
    assert names["astrid-lian"] == f"Astrid Lian{ATTACK}\u202e"
    out = run(osen, "stakeholder", "list", "--format", "csv").stdout
    rows = {r["id"]: r["name"] for r in csv.DictReader(io.StringIO(out))}
    assert rows["astrid-lian"] == f"Astrid Lian{ATTACK}\u202e"


@pytest.mark.sqlite_only(reason="the child process opens the workspace's own SQLite file")
def test_a_real_terminal_gets_styles_but_no_control_character_from_data(
    osen: Workspace
) -> None:
    _poison(osen)
    osen.close()
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(
        [sys.executable, "-c", "from interessent.cli import main; main()", "-w",
         str(osen.root), "stakeholder", "list", "--search", "astrid"],
        stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=60) == 0
    os.close(leader)
    out = b"".join(chunks).decode()
    assert "\x1b[" in out  # a terminal: Rich styles the header
    assert "pwned" in out and "\x1b]0;pwned" not in out and "\x1b[2J" not in out
    assert "\x07" not in out and "\u202e" not in out
