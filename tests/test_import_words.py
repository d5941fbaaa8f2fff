"""Why a file cannot be imported, in the staff's language: the file checks of
``import stakeholders|relationships|interactions|calendar|mail`` said their reasons in
English under ``--lang nb`` and ``--lang nn`` (a folder given for a file, an empty or
binary CSV, an old Excel file, a broken calendar, an Outlook ``.msg``, a folder without
mail).

Each case runs under nb, nn and en, on paths with spaces, ``?`` and ``#``: one
``Error:`` line, exit 1, nothing written. English keeps its words exactly; bokmål and
nynorsk hold none of the English phrases and words of their own.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Workspace
from interessent.cli import cli

SRC = Path(__file__).resolve().parents[1] / "src" / "interessent"
ERROR = {"nb": "Feil: ", "nn": "Feil: ", "en": "Error: "}
ODD = "inn data ?#"  # a folder name with a space, a question mark and a hash


@pytest.fixture(scope="module")
def osen_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("osenwords") / "osen"
    result = CliRunner().invoke(cli, ["init", str(folder), "--example", "osen"])
    assert result.exit_code == 0, result.output
    return folder


def _folder(where: Path) -> Path:
    (where / "sub").mkdir()
    return where / "sub"


def _empty(where: Path) -> Path:
    (where / "tom.csv").write_bytes(b"")
    return where / "tom.csv"


def _header_only(where: Path) -> Path:
    (where / "hode.csv").write_bytes(b"id,navn\r\n")
    return where / "hode.csv"


def _binary(where: Path) -> Path:
    (where / "bilde.csv").write_bytes(bytes(range(256)) * 40)
    return where / "bilde.csv"


def _xls(where: Path) -> Path:
    (where / "gammel.xls").write_bytes(b"not read")
    return where / "gammel.xls"


def _quote(where: Path) -> Path:
    (where / "sitat.csv").write_bytes(b'id,navn\r\na1,"Anne\r\n')
    return where / "sitat.csv"


def _calendar(where: Path) -> Path:
    (where / "kalender.ics").write_bytes(b"BEGIN:VCALENDAR\r\nbare tull\r\n")
    return where / "kalender.ics"


def _msg(where: Path) -> Path:
    (where / "melding.msg").write_bytes(b"\xd0\xcf\x11\xe0")
    return where / "melding.msg"


def _no_mail(where: Path) -> Path:
    (where / "postkasse").mkdir()
    (where / "postkasse" / "les-meg.txt").write_text("ingen e-post her", encoding="utf-8")
    return where / "postkasse"


Make = Callable[[Path], Path]

#: kind, how the file is made, the English line after the path or name, English
#: phrases bokmål and nynorsk must not hold, and a word each of theirs must.
CASES: list[tuple[str, Make, str, list[str], dict[str, str]]] = [
    ("stakeholders", _folder, "is a folder, not a file", ["folder", "not a file"],
     {"nb": "mappe", "nn": "mappe"}),
    ("stakeholders", _empty, "is empty", ["is empty"], {"nb": "tom", "nn": "tom"}),
    ("stakeholders", _header_only, "has a header but no rows", ["header", "no rows"],
     {"nb": "ingen rader", "nn": "ingen rader"}),
    ("stakeholders", _binary, "is not a text CSV file (it holds binary data)",
     ["binary", "not a text"], {"nb": "binære", "nn": "binære"}),
    ("relationships", _xls, ": .xls files cannot be read; save it as .xlsx or .csv",
     ["cannot be read", "save it"], {"nb": "lagre", "nn": "lagre"}),
    # the header is line 1; the quote opened on line 2 is never closed
    ("interactions", _quote, 'line 2: a quoted cell (") is never closed; not valid CSV',
     ["never closed", "not valid", "line 2"], {"nb": "linje 2", "nn": "linje 2"}),
    ("calendar", _calendar, ": not a calendar file that can be read",
     ["not a calendar", "can be read"], {"nb": "kalenderfil", "nn": "kalenderfil"}),
    ("mail", _msg, ": Outlook .msg files cannot be read; save the messages as .eml",
     ["cannot be read", "save the messages"], {"nb": "meldingene", "nn": "meldingane"}),
    ("mail", _no_mail, ": no .eml or .mbox file in this folder", ["in this folder"],
     {"nb": "mappen", "nn": "mappa"}),
]


def _rows(root: Path) -> tuple[int, int, int]:
    ws = Workspace(root)
    try:
        return (len(ws.store.stakeholders()), len(ws.store.relationships()),
                len(ws.store.interactions()))
    finally:
        ws.close()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize(("kind", "make", "english", "phrases", "words"), CASES,
                         ids=[f"{c[0]}-{c[1].__name__.strip('_')}" for c in CASES])
def test_a_file_that_cannot_be_imported_says_why_in_the_language(
        osen_made: Path, tmp_path: Path, language: str, kind: str, make: Make,
        english: str, phrases: list[str], words: dict[str, str]) -> None:
    osen = Path(shutil.copytree(osen_made, tmp_path / "osen"))
    before = _rows(osen)
    (tmp_path / ODD).mkdir()
    path = make(tmp_path / ODD)
    day = ["--as-of", "2026-11-26"] if kind == "calendar" else []
    result = CliRunner().invoke(cli, ["-w", str(osen), "--lang", language, "import", kind,
                                      str(path), *day])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR[language]), result.output
    assert "Traceback" not in result.output
    line = lines[0].removeprefix(ERROR[language])
    assert path.name in line  # the file named, its folder's odd characters kept
    if language == "en":
        assert english in line, line
    else:
        found = [p for p in phrases if p in line]
        assert found == [], f"English in {line!r}"
        assert words[language] in line, line
    assert _rows(osen) == before  # nothing written


def test_no_file_check_of_the_importers_is_left_in_english() -> None:
    """Every reason the importers' file checks raise goes through the catalog: none is
    an f-string handed to the error as it is."""
    raw = re.compile(r'raise (InvalidInput|ImportRejected|PathError)\(\s*f"')
    for name in ("tables.py", "mail.py", "calendar.py"):
        text = (SRC / "importing" / name).read_text(encoding="utf-8")
        assert raw.findall(text) == [], name
