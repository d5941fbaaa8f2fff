"""Why a privacy command refuses, in the staff's language: a legal basis that is not
one, a consent that expires before it is given or has no source, a withdrawal of what
is not there, erasing an organisation, a retention run dated after today, and anything
done to a person already erased. They were English under ``--lang nb`` and ``--lang nn``.

Each runs under nb, nn and en: one ``Error:`` line, exit 1, nothing written; English
keeps its words, bokmål and nynorsk hold none of the English phrases and words of their
own.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Workspace
from interessent.cli import cli
from interessent.privacy import erase

SRC = Path(__file__).resolve().parents[1] / "src" / "interessent"
ERROR = {"nb": "Feil: ", "nn": "Feil: ", "en": "Error: "}
LATER = (dt.date.today() + dt.timedelta(days=30)).isoformat()

#: arguments after ``privacy``, the English words, English phrases bokmål and nynorsk
#: must not hold, and a word each of theirs must.
CASES: list[tuple[list[str], str, list[str], dict[str, str]]] = [
    (["consent", "astrid-lian", "--basis", "tull", "--source", "skjema"],
     "unknown legal basis 'tull' (expected one of: samtykke, avtale",
     ["unknown legal basis", "expected one of"], {"nb": "ukjent", "nn": "ukjent"}),
    (["consent", "astrid-lian", "--basis", "samtykke", "--source", "skjema", "--given",
      "2026-05-01", "--expires", "2026-04-01"],
     "expires (2026-04-01) before it is given (2026-05-01)",
     ["expires", "before it is given"], {"nb": "utløper", "nn": "går ut"}),
    (["consent", "astrid-lian", "--basis", "samtykke", "--source", " "],
     "say where the consent or legal basis came from (source)",
     ["say where", "came from"], {"nb": "kilde", "nn": "kjelde"}),
    (["erase", "osen-omstilling", "--confirm"],
     "osen-omstilling is an organisation, not a person; its data is not personal data",
     ["is an organisation", "not a person", "personal data"],
     {"nb": "organisasjon", "nn": "organisasjon"}),
    (["retention", "--as-of", LATER, "--confirm"],
     f"as-of day: {LATER} is after today",
     ["is after today", "their time has come"], {"nb": "etter i dag", "nn": "etter i dag"}),
]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize(("args", "english", "phrases", "words"), CASES,
                         ids=[c[0][0] + str(n) for n, c in enumerate(CASES)])
def test_a_privacy_command_refuses_in_the_language(
        osen_folder: Path, tmp_path: Path, language: str, args: list[str], english: str,
        phrases: list[str], words: dict[str, str]) -> None:
    osen = Path(shutil.copytree(osen_folder, tmp_path / "osen"))
    before = _counter(osen)
    line = _error(osen, language, args)
    if language == "en":
        assert english in line, line
    else:
        assert [p for p in phrases if p in line] == [], f"English in {line!r}"
        assert words[language] in line, line
    assert _counter(osen) == before  # nothing written (every write moves the counter)


def _counter(root: Path) -> int | None:
    with Workspace(root) as ws:
        return ws.store.change_counter()


@pytest.mark.parametrize(("language", "words"), [
    ("nb", ["ble slettet", "kan ikke", "melde dem på igjen", "oppheve begrensningen",
            "registrere et behandlingsgrunnlag", "trekke tilbake et samtykke",
            "slette dem på nytt"]),
    ("nn", ["vart sletta", "kan ikkje", "melde dei på igjen", "oppheve avgrensinga",
            "registrere eit behandlingsgrunnlag", "trekkje tilbake eit samtykke",
            "slette dei på nytt"]),
    ("en", ["was erased on", "cannot", "opt them in", "lift the restriction",
            "record a legal basis", "withdraw a consent", "erase them again"]),
])
def test_what_cannot_be_done_to_an_erased_person_is_said_in_the_language(
        osen_folder: Path, tmp_path: Path, language: str, words: list[str]) -> None:
    osen = Path(shutil.copytree(osen_folder, tmp_path / "osen"))
    with Workspace(osen) as ws:
        gone = erase(ws, "astrid-lian").id  # the record stays, under an id of its own
    lines = [_error(osen, language, args) for args in (
        ["opt-in", gone], ["unrestrict", gone],
        ["consent", gone, "--basis", "samtykke", "--source", "skjema"],
        ["withdraw", gone], ["erase", gone, "--confirm"])]
    said = "\n".join(lines)
    assert all(w in said for w in words), said
    if language != "en":
        assert [p for p in ("was erased", "cannot", "opt them", "restriction", "legal basis",
                            "consent", "again") if p in said] == [], said


def _error(ws: Path, language: str, args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["-w", str(ws), "--lang", language, "privacy", *args])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR[language]), result.output
    assert "Traceback" not in result.output
    return lines[0].removeprefix(ERROR[language])


def test_no_reason_of_the_privacy_commands_is_left_in_english() -> None:
    raw = re.compile(r'raise InvalidInput\(\s*f?"')
    for name in ("consent.py", "records.py", "erasure.py", "retention_period.py"):
        text = (SRC / "privacy" / name).read_text(encoding="utf-8")
        assert raw.findall(text) == [], name
