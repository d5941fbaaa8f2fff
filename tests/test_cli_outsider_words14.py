"""English where Norwegian staff read, as an outside tester found it under ``--lang nb``
and ``--lang nn`` (issue 14): the text checks of ``bounds``, the option an error names,
the plan's clearing roles, the skipped signer of ``notify``, the erasure plan and summary,
the plan's number checks, and the values of ``privacy export``.

Each command runs under nb, nn and en. English keeps its words exactly; bokmål and
nynorsk hold none of the English phrases and some of their own words once the catalogs
translate the new messages (``test_the_new_messages_are_marked_for_translation`` shows
each is extracted whatever the catalogs hold).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from click.testing import CliRunner, Result

from interessent import i18n
from interessent.cli import cli

SRC = Path(__file__).resolve().parents[1] / "src" / "interessent"
LANGUAGES = ["nb", "nn", "en"]
#: "Error:" in each language (click's word, translated by the command line).
ERROR = {"nb": "Feil: ", "nn": "Feil: ", "en": "Error: "}


@pytest.fixture(scope="module")
def osen_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("osen14") / "osen"
    result = CliRunner().invoke(cli, ["init", str(folder), "--example", "osen"])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def osen(osen_made: Path, tmp_path: Path) -> Path:
    """A copy of the Osen workspace of its own, for a test that writes."""
    return Path(shutil.copytree(osen_made, tmp_path / "osen"))


def _invoke(ws: Path, language: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(ws), "--lang", language, *args])


def _error(ws: Path, language: str, *args: str) -> str:
    """The one line of a command that must fail, without its ``Error:``."""
    result = _invoke(ws, language, *args)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR[language]), result.output
    assert "Traceback" not in result.output
    return lines[0].removeprefix(ERROR[language])


def _no_english(text: str, phrases: list[str]) -> None:
    found = [p for p in phrases if p in text]
    assert found == [], f"English in {text!r}"


# --- 1. control characters and long texts, in the language; numbers as it writes them --

CONTROL_EN = "holds the control character U+0007 (BEL) at character 2; it is not allowed in " \
    "this field"
#: The words of the control-character message in the Norwegian catalogs (needs them).
CONTROL_WORDS = {"nb": ["tegn"], "nn": ["teikn"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_control_character_is_refused_in_the_language(osen_made: Path,
                                                        language: str) -> None:
    line = _error(osen_made, language, "concern", "add", "a\x07b", "--raised-by",
                  "astrid-lian")
    assert line.startswith("TITLE: ")  # the argument, not the library's parameter
    assert "U+0007 (BEL)" in line
    if language == "en":
        assert line == f"TITLE: {CONTROL_EN}"
        return
    _no_english(line, ["holds", "control character", "at character", "not allowed",
                       "this field"])
    assert all(word in line for word in CONTROL_WORDS[language]), line


@pytest.mark.parametrize(("language", "numbers", "words"), [
    # at most 1,000 characters in a title, 100,000 typed: Norwegian groups by a (no-break)
    # space
    ("nb", ("1\xa0000", "100\xa0000"), ["høyst", "tegn", "ikke"]),
    ("nn", ("1\xa0000", "100\xa0000"), ["høgst", "teikn", "ikkje"]),
    ("en", ("1,000", "100,000"), ["at most", "characters", "not"]),
])
def test_a_long_title_is_refused_with_numbers_of_the_language(
        osen_made: Path, language: str, numbers: tuple[str, str], words: list[str]) -> None:
    line = _error(osen_made, language, "concern", "add", "a" * 100_000, "--raised-by",
                  "astrid-lian")
    assert line.startswith("TITLE: ")
    assert all(n in line for n in numbers), line
    if language != "en":
        assert "100,000" not in line and "1,000" not in line
    assert all(w in line for w in words), line  # nb, nn: needs the catalogs


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_out_of_its_range_is_written_as_the_language_writes_it(
        language: str) -> None:
    from interessent.bounds import number_problem, text_problem

    with i18n.using(language):
        problem = number_problem(123_456, 0, 1000)
        where = text_problem("x" * 12_344 + "\x1b")
    assert problem is not None and where is not None
    if language == "en":
        assert problem == "must be at most 1,000, not 123,456"
        assert "at character 12,345;" in where
    else:
        assert "1\xa0000" in problem and "123\xa0456" in problem and "123,456" not in problem
        assert "12\xa0345" in where


# --- 2. an error names the option or argument of the command that ran ----------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_errors_name_the_commands_own_option(osen: Path, language: str) -> None:
    date = _error(osen, language, "concern", "add", "Kaia", "--raised-by", "astrid-lian",
                  "--date", "nope")
    assert date.startswith("--date: ") and "on:" not in date
    since = _error(osen, language, "stakeholder", "edit", "astrid-lian", "--stance",
                   "support", "--stance-since", "nope")
    assert since.startswith("--stance-since: ") and "since:" not in since.replace(
        "--stance-since:", "")
    title = _error(osen, language, "task", "add", "a\x1bb", "--owner", "daglig_leder",
                   "--due", "2026-12-01")
    assert title.startswith("TITLE: ") and "U+001B (ESC)" in title
    topic = _error(osen, language, "log", "meeting", "--with", "astrid-lian", "--topic",
                   "a\u202eb")
    assert "--topic: " in topic and " topic:" not in topic
    added = _invoke(osen, "en", "concern", "add", "Kaia", "--raised-by", "astrid-lian")
    assert added.exit_code == 0, added.output
    concern_id = added.output.split()[1].rstrip(":")
    answer = _error(osen, language, "concern", "close", concern_id, "--answer", "a\x00b")
    assert answer.startswith("--answer: ") and "answer:" not in answer.replace("--answer:", "")
    # nothing was written by the refusals: the one concern is open, no task
    listed = _invoke(osen, "en", "concern", "list", "--format", "json")
    assert [(c["id"], c["closed_on"]) for c in json.loads(listed.output)] == [
        (concern_id, None)]
    assert json.loads(_invoke(osen, "en", "task", "list", "--format", "json").output) == []


def test_the_library_keeps_its_own_words_for_the_field() -> None:
    """Rule 14 of STYLE.md: the library names its parameter; only the CLI names options."""
    from interessent.bounds import check_text
    from interessent.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        check_text("a\x07b", "title")
    assert str(caught.value).startswith("title: ") and caught.value.field == "title"


# --- 3. a clearing role that is not the plan's --------------------------------------


@pytest.mark.parametrize(("language", "words"), [
    ("nb", ["rolle", "ikke"]), ("nn", ["rolle", "ikkje"]),
    ("en", ["the clearing role 'nisse' is not a role of the plan (styreleder, "]),
])
def test_an_unknown_clearing_role_is_refused_in_the_language(
        osen: Path, language: str, words: list[str]) -> None:
    line = _error(osen, language, "notify", "Brann på kaia", "--cleared-by", "nisse",
                  "--out", str(osen / "varsler"))
    assert "'nisse'" in line and line.endswith("(--cleared-by ROLE)")
    if language != "en":
        _no_english(line, ["the clearing role", "is not a role", "of the plan"])
    assert all(w in line for w in words), line  # nb, nn: needs the catalogs
    assert not (osen / "varsler").exists()


# --- 4. the signer skipped by notify -------------------------------------------------


@pytest.mark.parametrize(("language", "word"), [
    ("nb", "signerer"), ("nn", "signerer"), ("en", "is the signer of the letters"),
])
def test_notify_says_why_the_signer_gets_no_letter_in_the_language(
        osen: Path, language: str, word: str) -> None:
    result = _invoke(osen, language, "notify", "Brann på kaia", "--out",
                     str(osen / "varsler"))
    assert result.exit_code == 0, result.output
    # the daily manager, Marius Høvik, signs the notices (Osen plan) and is on the list
    line = next(x for x in result.output.splitlines() if x.strip().startswith("marius-hovik"))
    if language != "en":
        _no_english(line, ["is the signer", "of the letters"])
    assert word in line, line  # nb, nn: needs the catalogs


# --- 5. the erasure plan and summary -------------------------------------------------

#: English phrases of the dry run and of the summary; none may show in nb or nn.
ERASE_EN = ["Erasing", "would make it", "Looked for", "Not looked for", "full name",
            "relationships removed", "participations kept", "legal bases kept", "Removed from",
            "concerns they raised", "tasks about them", "stance rows", "clearances unlinked",
            "Texts that change", "Files in the workspace", "a list", "their rows",
            "--files removes", "Dry run", "nothing was changed", "Erased", "now slettet",
            "task unlinked", "notes cleared", "texts scrubbed", "(cleared)", "record name",
            "a place is not a person"]
#: Words of the erasure in the Norwegian catalogs (need them): the task, in the dry run
#: and in the summary; "not" in the dry run's "nothing was changed" and "not looked for".
TASK_WORD = {"nb": "oppgave", "nn": "oppgåve"}
NOT_WORD = {"nb": "ikke", "nn": "ikkje"}


def _with_a_concern_and_a_task(ws: Path) -> None:
    for args in (["concern", "add", "Kaia", "--raised-by", "kare-vingen"],
                 ["task", "add", "Svare Kåre", "--owner", "daglig_leder", "--due",
                  "2026-12-01", "-s", "kare-vingen"]):
        result = _invoke(ws, "en", *args)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_erasure_plan_and_summary_speak_the_language(osen: Path, language: str) -> None:
    _with_a_concern_and_a_task(osen)
    plan = _invoke(osen, language, "privacy", "erase", "kare-vingen", "--dry-run")
    assert plan.exit_code == 0, plan.output
    done = _invoke(osen, language, "privacy", "erase", "kare-vingen", "--yes")
    assert done.exit_code == 0, done.output
    if language == "en":
        # Kåre Vingen: 17 relationships (examples/osen/data/relationships.csv), the one
        # concern and the one task above; one of each, so the singular
        assert "17 relationships removed, 0 participations kept, 0 legal bases kept " \
            "(dates only)." in plan.output
        assert "Removed from 1 concern they raised (the concern stays), 1 task about them " \
            "or theirs unlinked, 0 stance rows deleted, 0 clearances unlinked." in plan.output
        assert "Looked for: full name «Kåre Vingen»" in plan.output
        assert "  record name: «Kåre Vingen» → «Slettet person #" in plan.output
        assert "removed from 1 concern, 1 task unlinked, 0 stance rows deleted, " \
            "0 clearances unlinked" in done.output
        assert "1 tasks" not in done.output and "1 concerns" not in done.output
        return
    _no_english(plan.output, ERASE_EN)
    _no_english(done.output, ERASE_EN)
    # nb, nn: needs the catalogs
    assert TASK_WORD[language] in plan.output and NOT_WORD[language] in plan.output
    assert TASK_WORD[language] in done.output, done.output


# --- 6. the plan's number checks ---------------------------------------------------------


@pytest.mark.parametrize(("language", "words"), [
    ("nb", ["negativ", "tall"]), ("nn", ["negativ", "tal"]),
    ("en", ["must not be negative, not -1", "expected a number, not True"]),
])
def test_the_plans_number_checks_speak_the_language(osen: Path, language: str,
                                                    words: list[str]) -> None:
    plan = osen / "interessent.toml"
    text = plan.read_text(encoding="utf-8")
    assert "\n[coverage]\n" in text and "acceptance" not in text
    lines = []
    for value in ("-1", "true"):
        plan.write_text(text.replace("\n[coverage]\n", f"\n[coverage]\nacceptance = {value}\n"),
                        encoding="utf-8")
        result = _invoke(osen, language, "stakeholder", "list")
        assert result.exit_code == 1, result.output
        assert "coverage.acceptance" in result.output
        lines.append(result.output)
    out = "\n".join(lines)
    if language != "en":
        _no_english(out, ["must not be negative", "expected a number", "problems in the plan",
                          "problem in the plan", "(line "])
    assert all(w in out for w in words), out  # nb, nn: needs the catalogs


# --- 7. privacy export: values, not words ---------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_access_export_names_the_person_by_value(osen: Path, language: str) -> None:
    for args in (["task", "add", "Ringe Kåre", "--owner", "kare-vingen", "--due",
                  "2026-12-01"],
                 ["task", "add", "Svare Kåre", "--owner", "daglig_leder", "--due",
                  "2026-12-02", "-s", "kare-vingen"]):
        assert _invoke(osen, "en", *args).exit_code == 0
    result = _invoke(osen, language, "privacy", "export", "kare-vingen")
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.stdout)["tasks"]
    # the first is hers to do, about nobody; the second the daily manager's, about her
    assert [(t["owner"], t["about"]) for t in tasks] == [("self", None),
                                                         ("daglig_leder", "self")]


# --- every new message is marked for translation --------------------------------------

#: Messages of this work, as extraction must find them (so the catalogs can hold them).
MARKED = {
    "bounds.py": ["holds {what} at character {at}; it is not allowed in this field",
                  "the control character U+{code:04X} ({name})", "right-to-left override",
                  "must not be negative, not {value}", "must be at most {high}, not {value}",
                  "({count} characters)"],
    "policy.py": ["the clearing role {role!r} is not a role of the plan ({known})"],
    "drafting/recipients.py": ["is the signer of the letters"],
    "cli/_privacy.py": ["{n} task unlinked", "Erasing {id} ({name}) would make it {new_id}.",
                        "Dry run: nothing was changed. Repeat with --yes to erase.",
                        "{n} relationship removed", "record"],
    "privacy/erasure.py": ["full name", "a place is not a person"],
    "plan_data.py": ["expected a number, not {value!r}"],
    "errors.py": ["{source}: {count} problem in the plan", "{path} (line {line})"],
    "followup/concern.py": ["{field}: at most {limit} characters, not {count}"],
    "store/dberrors.py": ["the database is read-only, nothing was written: {where}"],
}


@pytest.mark.parametrize("path", sorted(MARKED))
def test_the_new_messages_are_marked_for_translation(path: str) -> None:
    keywords = {**DEFAULT_KEYWORDS, **i18n.EXTRACT_KEYWORDS}
    found = {m[0] if isinstance(m, tuple) else m
             for _, m, _, _ in extract_from_file("python", str(SRC / path), keywords=keywords)}
    assert set(MARKED[path]) - found == set()


# --- a workspace this user may not write: reading works, writing is one line ----------


@pytest.mark.sqlite_only(reason="opens the workspace's SQLite file read-only")
@pytest.mark.parametrize(("language", "sidecars"), [("nb", False), ("nn", True),
                                                    ("en", False), ("en", True)])
def test_a_database_the_user_may_not_write_is_read_and_refuses_writes(
        osen: Path, language: str, sidecars: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests run as root, whom no file mode stops: the workspace is made one this
    process may not write by ``os.access`` saying so, as it says to another user for a
    file and folder made ``chmod a-w``. The database is real; SQLite opens it read-only
    (``immutable`` without ``-wal`` and ``-shm`` files, which a folder nobody may write
    cannot get, ``mode=ro`` with them)."""
    import os

    db = osen / "interessent.db"
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db}{suffix}")
        if sidecars and not side.exists():
            side.write_bytes(b"")
        elif not sidecars:
            side.unlink(missing_ok=True)
    access = os.access

    def no_writes(path: str | os.PathLike[str], mode: int, **kwargs: Any) -> bool:
        if mode & os.W_OK and str(osen) in os.fspath(path):
            return False
        return access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", no_writes)
    listed = _invoke(osen, language, "stakeholder", "list", "--search", "kare-vingen",
                     "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [s["id"] for s in json.loads(listed.stdout)] == ["kare-vingen"]
    line = _error(osen, language, "concern", "add", "Kaia", "--raised-by", "kare-vingen")
    if language == "en":
        assert line.startswith("the database is read-only, nothing was written: ")
    else:
        _no_english(line, ["read-only", "nothing was written"])  # needs the catalogs
    monkeypatch.setattr(os, "access", access)
    # nothing was written
    concerns = _invoke(osen, "en", "concern", "list", "--format", "json")
    assert json.loads(concerns.stdout) == []
