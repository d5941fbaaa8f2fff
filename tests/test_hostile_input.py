"""Hostile input, every case in one place (issue 6 item 4).

``docs/hostile-input.md`` has the table: each input, what interessent does with it, and
the test that proves it. This module holds the tests for the rows no other module
covers, and two that keep the table honest: every test it names exists, and every kind
of input the issue lists has a row.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import os
import re
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from interessent import (
    ImportRejected,
    Interaction,
    InteressentError,
    InvalidInput,
    Stakeholder,
    StoreError,
    Workspace,
    import_file,
    init_workspace,
)
from interessent.cli import cli
from interessent.store import Store

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "hostile-input.md"
MakeWorkspace = Callable[[str], Workspace]


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def names(ws: Workspace) -> list[str]:
    return [s.name for s in ws.store.stakeholders()]


# --- the table itself ---------------------------------------------------------------------


def _rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """(input, [(file, test)]) for every row of every table in the document."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith(("| input", "|---")):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        rows.append((cells[0], re.findall(r"`tests/(test_\w+\.py)::(test_\w+)", cells[-1])))
    return rows


@functools.cache
def _defined(file: str) -> set[str]:
    tree = ast.parse((ROOT / "tests" / file).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_row_of_the_table_names_tests_that_exist() -> None:
    rows = _rows()
    assert len(rows) >= 30
    missing = []
    for what, tests in rows:
        assert tests, f"the row {what!r} names no test"
        for file, name in tests:
            if not (ROOT / "tests" / file).is_file() or name not in _defined(file):
                missing.append(f"{file}::{name}")
    assert not missing, f"docs/hostile-input.md names tests that do not exist: {missing}"


def test_every_kind_of_input_the_issue_lists_has_rows() -> None:
    text = DOC.read_text(encoding="utf-8").lower()
    headings = set(re.findall(r"^## (.+)$", text, flags=re.MULTILINE))
    for kind in ("encodings", "delimiters and quoting", "formulas", "path traversal",
                 "header injection", "sandbox escapes", "oversized files",
                 "binary files renamed .csv", "zip bombs", "duplicate ids"):
        assert kind in headings, f"docs/hostile-input.md has no section {kind!r}"


# --- encodings ----------------------------------------------------------------------------


def test_a_wrong_or_unknown_encoding_is_named(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "navn\nØystein\n".encode("cp1252"))
    with pytest.raises(InvalidInput, match=r"s.csv cannot be read as utf-8: byte 0xd8 on line 2"):
        import_file(workspace, "stakeholders", path, encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"unknown encoding 'klingon' \(try utf-8 or cp1252\)"):
        import_file(workspace, "stakeholders", path, encoding="klingon")
    bom = write(tmp_path / "bom.csv", b"\xef\xbb\xbfnavn\n\xd8ystein\n")
    with pytest.raises(InvalidInput, match="starts like UTF-8 but is not: byte 0xd8 on line 2"):
        import_file(workspace, "stakeholders", bom)
    assert names(workspace) == []


# --- delimiters and quoting ---------------------------------------------------------------


def test_quoted_delimiters_and_line_breaks_stay_in_their_cell(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write(tmp_path / "s.csv", 'navn;notater\n"Nes; Kari";"linje 1\r\nlinje 2"\n'
                                     '"Ola ""Ås""";x\n')
    result = import_file(workspace, "stakeholders", path)
    assert (result.delimiter, result.rows) == (";", 2)
    kari = workspace.store.stakeholder("nes-kari")
    assert (kari.name, kari.notes) == ("Nes; Kari", "linje 1\r\nlinje 2")
    assert names(workspace) == ["Nes; Kari", 'Ola "Ås"']


def test_a_quote_never_closed_is_an_error_not_a_cell_with_the_rest_of_the_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write(tmp_path / "s.csv", 'name,notes\nKari,x\n"Ola,y\nPer,z\nSiri,w\n')
    with pytest.raises(InvalidInput, match=r"s.csv line 3: a quoted cell \(\"\) is never "
                                           "closed"):
        import_file(workspace, "stakeholders", path)
    stray = write(tmp_path / "t.csv", 'name,notes\n"Kari" Nes,x\n')
    with pytest.raises(InvalidInput, match=r"t.csv line 2: not valid CSV"):
        import_file(workspace, "stakeholders", stray)
    assert names(workspace) == []


def test_an_unknown_delimiter_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "name\nKari\n")
    with pytest.raises(InvalidInput, match=r"unknown delimiter '\|' \(expected ',', ';' or tab\)"):
        import_file(workspace, "stakeholders", path, delimiter="|")


# --- formulas -----------------------------------------------------------------------------


def test_a_formula_in_a_workbook_is_never_evaluated_nor_stored(
    workspace: Workspace, tmp_path: Path
) -> None:
    """openpyxl reads the value Excel saved with a formula, never the formula; one saved
    without a value (as here) reads as empty."""
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(["name", "notes", "email"])
    sheet.append(["Kari", '=HYPERLINK("http://evil.example","klikk")', "=cmd|' /C calc'!A0"])
    path = tmp_path / "s.xlsx"
    book.save(path)
    book.close()
    import_file(workspace, "stakeholders", path)
    [kari] = workspace.store.stakeholders()
    assert (kari.name, kari.notes, kari.email) == ("Kari", None, None)


# --- path traversal -----------------------------------------------------------------------


@pytest.fixture
def letters(tmp_path: Path) -> Iterator[Workspace]:
    with init_workspace(tmp_path / "letters") as ws:
        ws.store._add_stakeholder(Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",)))
        ws.store._add_stakeholder(Stakeholder("kari", "Kari Nes", groups=("befolkningen",)))
        yield ws


def test_a_template_name_cannot_be_a_path(letters: Workspace, tmp_path: Path) -> None:
    from interessent.drafting import draft

    for name in ("../../etc/passwd", "/etc/passwd", "a/b", "..", "base.j2", "x\0y"):
        with pytest.raises(InvalidInput, match="not a template name"):
            draft(letters, name, stakeholders=["kari"], out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_template_cannot_include_a_file_outside_the_template_folders(
    letters: Workspace, tmp_path: Path
) -> None:
    from interessent.drafting import TemplateProblem, draft

    for target in ("../interessent.toml", "/etc/passwd", "../../../../etc/passwd"):
        (letters.templates_path / "lure.j2").write_text(
            '{% extends "base.j2" %}{% block body %}{% include "' + target + '" %}'
            "{% endblock %}", encoding="utf-8")
        with pytest.raises(TemplateProblem, match="there is no template"):
            draft(letters, "lure", stakeholders=["kari"], out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- sandbox escapes ----------------------------------------------------------------------


def test_data_that_looks_like_a_template_is_printed_not_run(
    letters: Workspace, tmp_path: Path
) -> None:
    from interessent.drafting import draft

    name = "{{ 7*7 }} {% include 'base.j2' %} {{ ''.__class__.__mro__ }}"
    letters.store._add_stakeholder(Stakeholder("eve", name, groups=("befolkningen",)))
    (letters.templates_path / "hei.j2").write_text(
        '{% extends "base.j2" %}{% block body %}Til {{ recipient.name }}.{% endblock %}',
        encoding="utf-8")
    run = draft(letters, "hei", stakeholders=["eve"], fmt="txt", out=tmp_path / "out",
                as_of=dt.date(2026, 5, 4))
    assert f"Til {name}." in run.letters[0].content


# --- oversized files ----------------------------------------------------------------------


def test_an_oversized_file_is_refused_before_it_is_read(workspace: Workspace,
                                                        tmp_path: Path) -> None:
    from interessent.importing import MAX_BYTES

    path = tmp_path / "huge.csv"
    with path.open("wb") as f:  # sparse: no disk space, no memory
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(InvalidInput, match=r"huge.csv is 200 MB; files above 200 MB are "
                                           r"refused \(split it\)"):
        import_file(workspace, "stakeholders", path)


def test_too_many_rows_are_refused(workspace: Workspace, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from interessent.importing import tables as importing

    monkeypatch.setattr(importing, "MAX_ROWS", 5)
    path = write(tmp_path / "s.csv", "name\n" + "".join(f"P{i}\n" for i in range(6)))
    with pytest.raises(InvalidInput, match=r"s\.csv has more than 5 rows; split it"):
        import_file(workspace, "stakeholders", path)
    book = openpyxl.Workbook()
    for i in range(7):
        book.worksheets[0].append([f"P{i}"])
    book.save(tmp_path / "s.xlsx")
    book.close()
    with pytest.raises(InvalidInput, match=r"s\.xlsx has more than 5 rows; split it"):
        import_file(workspace, "stakeholders", tmp_path / "s.xlsx")
    assert names(workspace) == []


# --- binary files renamed .csv ------------------------------------------------------------


def test_nul_characters_make_a_file_binary(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", b"name\nKa\x00ri\n")
    with pytest.raises(InvalidInput, match="is not a text CSV file"):
        import_file(workspace, "stakeholders", path)
    with pytest.raises(InvalidInput, match="it holds NUL characters"):
        import_file(workspace, "stakeholders", path, encoding="utf-8")
    sqlite = tmp_path / "register.csv"  # somebody's database, renamed
    with sqlite3.connect(sqlite) as conn:
        conn.execute("CREATE TABLE t (name TEXT)")
    conn.close()
    with pytest.raises(InvalidInput, match="is not a text CSV file"):
        import_file(workspace, "stakeholders", sqlite)


# --- zip bombs ----------------------------------------------------------------------------


def test_a_workbook_of_too_many_parts_or_too_big_unpacked(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interessent.importing import tables as importing

    parts = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(parts, "w", zipfile.ZIP_STORED) as archive:
        for i in range(10_001):
            archive.writestr(f"x/{i}", b"")
    with pytest.raises(InvalidInput, match=r"parts\.xlsx unpacks to 0 MB"):
        import_file(workspace, "stakeholders", parts)
    monkeypatch.setattr(importing, "MAX_BYTES", 2**20)
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        # compresses about 2:1, far from a bomb, but unpacks past the limit
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(2**19 + 10).hex())
    assert big.stat().st_size < 2**20
    with pytest.raises(InvalidInput, match=r"big\.xlsx unpacks to 1 MB; workbooks above 1 MB"):
        import_file(workspace, "stakeholders", big)


# --- duplicate ids ------------------------------------------------------------------------


def test_an_id_that_exists_is_refused_by_add_and_log(workspace: Workspace) -> None:
    workspace.store._add_stakeholder(Stakeholder("kari", "Kari Nes"))
    with pytest.raises(InvalidInput, match="a stakeholder with id 'kari' already exists"):
        workspace.store._add_stakeholder(Stakeholder("kari", "Kari Olsen"))
    meeting = Interaction("K2026-0001", dt.date(2026, 3, 5), "meeting", participants=("kari",))
    workspace.store._add_interaction(meeting)
    with pytest.raises(InvalidInput, match="an interaction with id 'K2026-0001' already"):
        workspace.store._add_interaction(meeting)
    assert names(workspace) == ["Kari Nes"]
    assert len(workspace.store.interactions()) == 1


def test_the_same_relationship_twice_in_a_file(workspace: Workspace, tmp_path: Path) -> None:
    workspace.store._add_stakeholder(Stakeholder("kari", "Kari Nes"))
    workspace.store._add_stakeholder(Stakeholder("ola", "Ola Ås"))
    path = write(tmp_path / "r.csv", "source,target,kind\nkari,ola,knows\nkari,ola,knows\n")
    with pytest.raises(ImportRejected, match="the knows relationship kari → ola is in rows 2 "
                                             "and 3"):
        import_file(workspace, "relationships", path)
    assert workspace.store.relationships() == []


# --- the database -------------------------------------------------------------------------


def test_sql_metacharacters_are_plain_text(workspace: Workspace, tmp_path: Path) -> None:
    hostile = ["x' OR '1'='1", "Robert'); DROP TABLE stakeholders;--", 'a"b', "50%_off\\"]
    path = write(tmp_path / "s.csv", "id,name\n" + "".join(
        f'"{h.replace(chr(34), chr(34) * 2)}","{h.replace(chr(34), chr(34) * 2)}"\n'
        for h in hostile))
    import_file(workspace, "stakeholders", path)
    assert sorted(names(workspace)) == sorted(hostile)
    for h in hostile:
        assert workspace.store.stakeholder(h).name == h
        assert [s.id for s in workspace.store.stakeholders(search=h)] == [h]
    assert workspace.store.counts()["stakeholders"] == len(hostile)
    # no wildcards in a search: % and _ are the characters themselves
    assert [s.id for s in workspace.store.stakeholders(search="%")] == ["50%_off\\"]
    assert [s.id for s in workspace.store.stakeholders(search="_")] == ["50%_off\\"]


def test_a_database_url_that_is_no_database(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root, db=f"sqlite:///{tmp_path / 'x.db'}").close()
    for url, message in (("nosuch://x", "cannot use database nosuch://x"),
                         ("not a url", "cannot use database"),
                         (f"sqlite:///{tmp_path / 'missing' / 'x.db'}",
                          "cannot open the database (the folder")):
        result = CliRunner().invoke(cli, ["-w", str(root), "--db", url, "stakeholder", "list"])
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
        assert "Traceback" not in result.output
    with pytest.raises(StoreError):
        Store("sqlite:////proc/version")
    assert issubclass(StoreError, InteressentError)
