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
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Workspace
from interessent.cli import cli

SRC = Path(__file__).resolve().parents[1] / "src" / "interessent"
ERROR = {"nb": "Feil: ", "nn": "Feil: ", "en": "Error: "}
ODD = "inn data ?#"  # a folder name with a space, a question mark and a hash


def _folder(where: Path) -> Path:
    (where / "sub").mkdir()
    return where / "sub"


def _no_mail(where: Path) -> Path:
    (where / "postkasse").mkdir()
    (where / "postkasse" / "les-meg.txt").write_text("ingen e-post her", encoding="utf-8")
    return where / "postkasse"


#: The files tried: a name and its bytes.
FILES = {
    "empty": ("tom.csv", b""),
    "header_only": ("hode.csv", b"id,navn\r\n"),
    "binary": ("bilde.csv", bytes(range(256)) * 40),
    "xls": ("gammel.xls", b"not read"),
    "quote": ("sitat.csv", b'id,navn\r\na1,"Anne\r\n'),
    "calendar": ("kalender.ics", b"BEGIN:VCALENDAR\r\nbare tull\r\n"),
    "msg": ("melding.msg", b"\xd0\xcf\x11\xe0"),
}


def _made(where: Path, what: str) -> Path:
    if what == "folder":
        return _folder(where)
    if what == "no_mail":
        return _no_mail(where)
    name, data = FILES[what]
    (where / name).write_bytes(data)
    return where / name


#: kind, what is given, the English line after the path or name, English phrases
#: bokmål and nynorsk must not hold, and a word each of theirs must.
CASES: list[tuple[str, str, str, list[str], dict[str, str]]] = [
    ("stakeholders", "folder", "is a folder, not a file", ["folder", "not a file"],
     {"nb": "mappe", "nn": "mappe"}),
    ("stakeholders", "empty", "is empty", ["is empty"], {"nb": "tom", "nn": "tom"}),
    ("stakeholders", "header_only", "has a header but no rows", ["header", "no rows"],
     {"nb": "ingen rader", "nn": "ingen rader"}),
    ("stakeholders", "binary", "is not a text CSV file (it holds binary data)",
     ["binary", "not a text"], {"nb": "binære", "nn": "binære"}),
    ("relationships", "xls", ": .xls files cannot be read; save it as .xlsx or .csv",
     ["cannot be read", "save it"], {"nb": "lagre", "nn": "lagre"}),
    # the header is line 1; the quote opened on line 2 is never closed
    ("interactions", "quote", 'line 2: a quoted cell (") is never closed; not valid CSV',
     ["never closed", "not valid", "line 2"], {"nb": "linje 2", "nn": "linje 2"}),
    ("calendar", "calendar", ": not a calendar file that can be read",
     ["not a calendar", "can be read"], {"nb": "kalenderfil", "nn": "kalenderfil"}),
    ("mail", "msg", ": Outlook .msg files cannot be read; save the messages as .eml",
     ["cannot be read", "save the messages"], {"nb": "meldingene", "nn": "meldingane"}),
    ("mail", "no_mail", ": no .eml or .mbox file in this folder", ["in this folder"],
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
@pytest.mark.parametrize(("kind", "what", "english", "phrases", "words"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_file_that_cannot_be_imported_says_why_in_the_language(
        osen_folder: Path, tmp_path: Path, language: str, kind: str, what: str,
        english: str, phrases: list[str], words: dict[str, str]) -> None:
    osen = Path(shutil.copytree(osen_folder, tmp_path / "osen"))
    before = _rows(osen)
    (tmp_path / ODD).mkdir()
    path = _made(tmp_path / ODD, what)
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
