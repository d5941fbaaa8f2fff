"""Encodings never mix (issue 11, items 6 and 12).

A list is read as UTF-8 when it is UTF-8 throughout, as Windows-1252 (cp1252) only when
it holds no UTF-8 character at all; a file that is UTF-8 but for a few bytes is refused,
naming the line and the byte, and nothing is imported — never «BjÃ¸rn» stored over
«Bjørn». A plan file with a UTF-8 byte-order mark (Notepad writes one) is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PLAN
from interessent import InvalidInput, Stakeholder, Workspace, import_file
from interessent.cli import cli
from interessent.plan import load_plan, parse_plan

MakeWorkspace = Callable[[str], Workspace]


def names(ws: Workspace) -> list[str]:
    return [s.name for s in ws.store.stakeholders()]


def test_utf8_with_one_stray_cp1252_byte_is_refused_naming_line_and_byte(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "folk.csv"
    # line 2 is UTF-8 (ø is c3 b8); line 3 was typed in a cp1252 editor (å is e5)
    path.write_bytes("navn\nBjørn Berg\n".encode() + "Kåre Lie\n".encode("cp1252"))
    with pytest.raises(InvalidInput) as refused:
        import_file(workspace, "stakeholders", path)
    assert str(refused.value) == (
        "folk.csv mixes encodings: it is UTF-8 (line 2), but byte 0xe5 on line 3 is not. "
        "Read as Windows-1252 its UTF-8 letters would be garbled, so nothing is read: save "
        "it again as UTF-8, or give its encoding as cp1252 if all of it is Windows-1252")
    assert refused.value.field == "encoding"
    assert names(workspace) == []


def test_every_line_with_a_wrong_byte_is_named(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "folk.csv"
    lines = ["navn", "Åse Ørn", "Per", "Kåre", "Siri", "Øystein", "Tor", "Ærlig", "Unn", "Ås",
             "Vår", "Mø", "Bø"]
    # UTF-8 but lines 4, 6, 8 and 10 to 13 (seven lines) saved as cp1252
    data = b"".join((line + "\n").encode("cp1252" if n in (4, 6, 8, 10, 11, 12, 13)
                                         else "utf-8")
                    for n, line in enumerate(lines, start=1))
    path.write_bytes(data)
    with pytest.raises(InvalidInput, match=r"byte 0xe5 on line 4 is not \(and on 6 more "
                                           r"lines: 6, 8, 10, 11, 12, …\)"):
        import_file(workspace, "stakeholders", path)


def test_a_whole_cp1252_file_is_read_as_cp1252(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "folk.csv"
    path.write_bytes("navn;notater\nBjørn Berg;«Ærlig» – sa han\nKåre Lie;Ås\n"
                     .encode("cp1252"))
    result = import_file(workspace, "stakeholders", path)
    assert result.encoding == "cp1252"
    assert names(workspace) == ["Bjørn Berg", "Kåre Lie"]
    assert workspace.store.stakeholder("bjorn-berg").notes == "«Ærlig» – sa han"


def test_a_whole_utf8_file_is_read_as_utf8(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "folk.csv"
    path.write_bytes("navn\nBjørn Berg\nKåre Lie\n".encode())
    assert import_file(workspace, "stakeholders", path).encoding == "utf-8"
    assert names(workspace) == ["Bjørn Berg", "Kåre Lie"]


def test_a_stray_byte_cannot_garble_a_name_already_stored(
    make_workspace: MakeWorkspace, tmp_path: Path
) -> None:
    ws = make_workspace("ws")
    ws.store._add_stakeholder(Stakeholder("bjorn", "Bjørn Berg"))
    path = tmp_path / "oppdatering.csv"
    path.write_bytes("id,navn,notater\nbjorn,Bjørn Berg,ny\n".encode()
                     + "kare,Kåre Lie,x\n".encode("cp1252"))
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "import", "stakeholders", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: oppdatering.csv mixes encodings: it is UTF-8 "
                                    "(line 2), but byte 0xe5 on line 3 is not.")
    assert result.stderr.count("\n") == 1
    assert names(ws) == ["Bjørn Berg"]  # not «BjÃ¸rn Berg»
    assert ws.store.stakeholder("bjorn").notes is None


def test_an_encoding_given_is_the_reader_s_choice(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "folk.csv"
    path.write_bytes("navn\nBjørn Berg\n".encode() + "Kåre Lie\n".encode("cp1252"))
    result = import_file(workspace, "stakeholders", path, encoding="cp1252")
    assert result.encoding == "cp1252"  # asked for: every byte read as cp1252
    assert names(workspace) == ["BjÃ¸rn Berg", "Kåre Lie"]
    with pytest.raises(InvalidInput, match=r"cannot be read as utf-8: byte 0xe5 on line 3"):
        import_file(workspace, "stakeholders", path, encoding="utf-8")


def test_bytes_neither_encoding_knows_are_still_refused_as_such(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "folk.csv"
    path.write_bytes("navn\nÅse\n".encode() + b"\x81\x8d\n")  # 0x81, 0x8d: not cp1252 either
    with pytest.raises(InvalidInput, match="neither UTF-8 nor Windows-1252"):
        import_file(workspace, "stakeholders", path)


# --- a plan with a byte-order mark --------------------------------------------------------


def test_a_plan_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "interessent.toml"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN.encode())  # as Notepad saves UTF-8
    plan = load_plan(path)
    assert plan.programme.name == "Testprogrammet"
    assert plan == parse_plan(PLAN, source=str(path))
    assert parse_plan("\ufeff" + PLAN).programme.municipality == "Osen kommune"


def test_plan_check_reads_a_plan_with_a_byte_order_mark(
    make_workspace: MakeWorkspace
) -> None:
    ws = make_workspace("ws")
    ws.plan_path.write_bytes(b"\xef\xbb\xbf" + PLAN.encode())
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "plan", "check"])
    assert result.exit_code == 0, result.output
    assert "is valid: 2 target groups, 2 commitments" in result.output
    # an error in it still has the right line: the mark is no line of its own
    ws.plan_path.write_bytes(b"\xef\xbb\xbf" + PLAN.replace('cadence = "month"',
                                                           'cadence = "fortnightly"').encode())
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "plan", "check"])
    line = next(n for n, text in enumerate(PLAN.splitlines(), 1) if 'cadence = "month"' in text)
    assert f"commitments[0].cadence (line {line}): unknown period 'fortnightly'" \
        in result.stderr
