"""The CLI in bokmål, nynorsk and English: complete catalogs, the order that chooses the
language, and coverage, due and leaders on the Osen example in each of the three."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from interessent import i18n
from interessent.cli import cli
from interessent.cli._language import PLAN_FILE, choose_language, system_language
from interessent.coverage import Status
from interessent.errors import InvalidInput
from interessent.workspace import PLAN_FILE as WORKSPACE_PLAN_FILE

#: The package's source in the repository: the catalogs (``.po``) and what extraction reads.
#: Not ``i18n.__file__``: an installed package (as CI installs it) carries only the
#: compiled catalogs.
SRC = Path(__file__).resolve().parents[1] / "src" / "interessent"


def _catalog(language: str):  # type: ignore[no-untyped-def]
    with i18n.catalog_file(language, root=SRC / "locale").open("rb") as f:
        return read_po(f)


def _extracted() -> set[tuple[str | None, str]]:
    keywords = {**DEFAULT_KEYWORDS, **i18n.EXTRACT_KEYWORDS}
    # as babel.cfg says: the Python source, and the dashboard's Jinja template
    jinja = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true",
             "newstyle_gettext": "true"}
    found = extract_from_dir(
        str(SRC), method_map=[("**.py", "python"), ("**/report_templates/**.j2", "jinja2")],
        options_map={"**/report_templates/**.j2": jinja}, keywords=keywords)
    return {(ctx, msg[0] if isinstance(msg, tuple) else msg) for _, _, msg, _, ctx in found}


def _ids(catalog) -> set[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}


# --- the catalogs are complete ------------------------------------------------------


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_has_a_translation(language: str) -> None:
    catalog = _catalog(language)
    assert not catalog.fuzzy
    missing = []
    for m in catalog:
        if not m.id:
            continue
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        if "fuzzy" in m.flags or not all(f and f.strip() for f in forms):
            missing.append((m.context, m.id))
    assert missing == []
    assert str(catalog.locale) == language


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_catalog_holds_every_message_in_the_source_and_no_other(language: str) -> None:
    extracted, held = _extracted(), _ids(_catalog(language))
    assert extracted - held == set(), "run the extract and update commands of docs/languages.md"
    assert held - extracted == set(), "messages no longer in the source"
    # the source has messages in each kind: click's, the status words, the table headers
    assert (None, "Usage:") in extracted and ("status", "behind") in extracted
    assert ("column", "start by") in extracted


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_translation_keeps_the_placeholders_of_its_message(language: str) -> None:
    for m in _catalog(language):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"\{[^}]*\}|%\(\w+\)s", " ".join(ids)))
        for form in forms:
            assert set(re.findall(r"\{[^}]*\}|%\(\w+\)s", form)) <= wanted, (m.id, form)
        # the singular form may leave out the count; the plural must name it
        assert set(re.findall(r"\{[^}]*\}", forms[-1])) >= set(re.findall(r"\{[^}]*\}", ids[-1]))


def test_every_status_and_urgency_has_words() -> None:
    from interessent.coverage.dues import _ORDER

    # one table for the CLI, the dashboard and the status report
    assert {s.value for s in Status} | set(_ORDER) == set(i18n.STATUS_WORDS)
    from interessent.report.wording import status_words

    assert status_words("nb") == {w: i18n.status_word(w, "nb") for w in i18n.STATUS_WORDS}
    assert status_words("nb")["behind"] == "henger etter"
    assert status_words("nb")["overdue"] == "forsinket"
    assert status_words("nb")["due"] == "forfaller"
    with i18n.using("nn"):  # a report reads the language it is made in
        assert status_words()["behind"] == "heng etter"


# --- the library: a language per call or per context, never from the environment -----


def test_a_language_per_call_and_per_context() -> None:
    assert i18n.status_word("behind", "nb") == "henger etter"
    assert i18n.status_word("behind", "nn") == "heng etter"
    assert i18n.status_word("behind", "en") == "behind"
    assert i18n.pgettext("column", "due", "nb") == "frist"  # not the status «forfaller»
    assert i18n.ngettext("As of {day}, within {days} day:", "As of {day}, within {days} days:",
                         1, "nn") == "Per {day}, innan {days} dag:"
    assert i18n.current_language() == "en"
    with i18n.using("nn"):
        assert i18n.status_word("overdue") == "forseinka"
        assert i18n.status_word("overdue", "nb") == "forsinket"  # the call's language wins
        with i18n.using("nb"):
            assert i18n.gettext("Usage:") == "Bruk:"
        assert i18n.current_language() == "nn"
    assert i18n.current_language() == "en"
    assert i18n.status_word("a status nobody wrote", "nb") == "a status nobody wrote"


def test_the_library_reads_no_locale_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("INTERESSENT_LANG", "nn"), ("LANG", "nn_NO.UTF-8"),
                        ("LANGUAGE", "nn"), ("LC_ALL", "nn_NO.UTF-8")):
        monkeypatch.setenv(name, value)
    assert i18n.current_language() == "en"
    assert i18n.status_word("behind") == "behind"


@pytest.mark.parametrize("bad", ["no", "NB", "de", "", "nb_NO"])
def test_an_unknown_language_is_invalid_input(bad: str) -> None:
    with pytest.raises(InvalidInput, match="unknown language") as caught:
        i18n.status_word("behind", bad or "x")
    assert caught.value.field == "language"
    with pytest.raises(InvalidInput):
        i18n.set_language(bad)


def test_locale_names_map_to_languages() -> None:
    assert [i18n.language_of(t) for t in
            ("nb_NO.UTF-8", "no_NO", "nb-NO", "nn_NO.UTF-8@euro", "en_GB", "de_DE", "C")] == [
        "nb", "nb", "nb", "nn", "en", None, None]


# --- the CLI's order: --lang, INTERESSENT_LANG, the plan, the locale, English ----------


def _plan_folder(tmp_path: Path, language: str | None) -> Path:
    folder = tmp_path / f"ws-{language}"
    folder.mkdir()
    line = f'language = "{language}"\n' if language else ""
    (folder / PLAN_FILE).write_text(f'[programme]\nname = "P"\n{line}', encoding="utf-8")
    return folder


def test_the_plan_file_is_the_workspaces() -> None:
    assert PLAN_FILE == WORKSPACE_PLAN_FILE


def test_each_step_of_the_order(tmp_path: Path) -> None:
    nn_plan, no_plan = _plan_folder(tmp_path, "nn"), _plan_folder(tmp_path, None)
    bare = tmp_path / "bare"
    bare.mkdir()
    env = {"INTERESSENT_LANG": "nb", "LANG": "en_GB.UTF-8"}
    # --lang beats everything
    assert choose_language(["--lang", "en", "-w", str(nn_plan)], env) == ("en", "--lang")
    assert choose_language(["--lang=nn"], env) == ("nn", "--lang")
    # then INTERESSENT_LANG
    assert choose_language(["-w", str(nn_plan)], env) == ("nb", "INTERESSENT_LANG")
    # then the plan's programme.language: by -w, or found from the current folder up
    env = {"LANG": "en_GB.UTF-8"}
    assert choose_language(["-w", str(nn_plan), "due"], env) == ("nn", "plan")
    assert choose_language([f"--workspace={nn_plan}"], env) == ("nn", "plan")
    assert choose_language(["due"], env, cwd=nn_plan / "letters") == ("nn", "plan")
    # a plan that does not say its language leaves it to the locale
    assert choose_language(["-w", str(no_plan)], {"LANG": "nb_NO.UTF-8"}) == ("nb", "locale")
    assert choose_language(["due"], {"LANG": "nn_NO.UTF-8"}, cwd=bare) == ("nn", "locale")
    # so do a plan that is not TOML and a language interessent does not speak
    # (plan check reports both)
    german, broken = _plan_folder(tmp_path, "de"), tmp_path / "broken"
    broken.mkdir()
    (broken / PLAN_FILE).write_text("[programme\nlanguage = 'nn'", encoding="utf-8")
    for folder in (broken, german):
        assert choose_language(["-w", str(folder)], {"LANG": "nb_NO"}) == ("nb", "locale")
    # then English
    assert choose_language(["due"], {"LANG": "C.UTF-8"}, cwd=bare) == ("en", "default")
    assert choose_language(["due"], {}, cwd=bare) == ("en", "default")
    # a --lang after the command's name is the command's, not the root's
    assert choose_language(["due", "--lang", "nb"], {}, cwd=bare) == ("en", "default")


def test_the_system_locale_is_read_as_gettext_reads_it() -> None:
    assert system_language({"LANGUAGE": "de:nn:nb", "LANG": "nb_NO.UTF-8"}) == "nn"
    assert system_language({"LC_ALL": "nn_NO.UTF-8", "LANG": "en_GB.UTF-8"}) == "nn"
    assert system_language({"LC_MESSAGES": "nb_NO", "LANG": "en_GB"}) == "nb"
    assert system_language({"LC_ALL": "C", "LANG": "nb_NO.UTF-8"}) is None  # C wins
    assert system_language({}) is None


@pytest.fixture
def no_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    """No language chosen by the environment (the suite sets INTERESSENT_LANG=en)."""
    for name in ("INTERESSENT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def _help(args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("no_lang")
def test_the_order_on_the_command_line(tmp_path: Path) -> None:
    nn_plan = _plan_folder(tmp_path, "nn")
    ws = ["-w", str(nn_plan)]
    assert _help([*ws, "--lang", "en"], {"INTERESSENT_LANG": "nb"}).startswith("Usage:")
    assert _help(ws, {"INTERESSENT_LANG": "nb"}).startswith("Bruk:")
    out = _help(ws, {"LANG": "en_GB.UTF-8"})  # the plan: nynorsk
    assert "Val:" in out and "Vis denne meldinga og avslutt." in out
    # a command's help too: the root group has chosen before the command parses
    out = _help([*ws, "due"], {"LANG": "en_GB.UTF-8"})
    assert out.startswith("Bruk: ") and "Vis denne meldinga og avslutt." in out
    bare = tmp_path / "bare"
    bare.mkdir()
    assert _help(["-w", str(bare)], {"LANG": "nb_NO.UTF-8"}).startswith("Bruk:")
    out = _help(["-w", str(bare)], {"LANG": "C.UTF-8"})
    assert out.startswith("Usage:") and "Show this message and exit." in out
    # the caller's language is left as it was
    assert i18n.current_language() == "en"


@pytest.mark.usefixtures("no_lang")
def test_a_bad_language_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--help"], env={"INTERESSENT_LANG": "klingon"})
    assert result.exit_code == 1
    assert result.output == "Error: INTERESSENT_LANG must be nb, nn or en, not 'klingon'\n"
    result = CliRunner().invoke(cli, ["--lang", "de", "due"])
    assert result.exit_code == 2 and "Invalid value for '--lang'" in result.output


@pytest.mark.usefixtures("no_lang")
def test_clicks_own_errors_speak_the_language() -> None:
    result = CliRunner().invoke(cli, ["--lang", "nn", "nosuchcommand"])
    assert result.exit_code == 2
    assert "Feil: Ukjend kommando 'nosuchcommand'." in result.output
    assert "Prøv «cli --help» for hjelp." in result.output
    result = CliRunner().invoke(cli, ["--lang", "nb", "due", "--bogus"])
    assert "Feil: Ukjent valg '--bogus'." in result.output


def test_help_reads_compiled_catalogs_without_babel() -> None:
    i18n.gettext("Usage:", "nb")  # in a checkout: compiles the catalog once
    code = ("import sys\nfrom interessent.cli import cli\n"
            "try:\n    cli.main(['--lang', 'nb', '--help'], prog_name='interessent')\n"
            "except SystemExit:\n    pass\n"
            "heavy = ['sqlalchemy', 'networkx', 'jinja2', 'babel', 'cattrs']\n"
            "print('HEAVY', [m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith("Bruk: interessent") and "HEAVY []" in out


# --- coverage, due and leaders on the Osen example in each language --------------------

#: The day of the runs: late November of the start-up year, when every kind of status and
#: urgency is on show in the Osen example.
AS_OF = "2026-11-20"

#: Headers by language, in the order the tables show them.
HEADERS = {
    "coverage": {"nb": ["nøkkel", "navn", "nådd", "direkte", "nettverk", "opinionsdannere",
                        "kontaktpunkter", "skår"],
                 "nn": ["nøkkel", "namn", "nådd", "direkte", "nettverk", "opinionsdannarar",
                        "kontaktpunkt", "skår"],
                 "en": ["key", "name", "reached", "direct", "network", "leaders",
                        "touchpoints", "score"]},
    "commitments": {"nb": ["id", "tittel", "status", "forventet", "faktisk", "frist",
                           "forklaring"],
                    "nn": ["id", "tittel", "status", "venta", "faktisk", "frist", "forklaring"],
                    "en": ["id", "title", "status", "expected", "actual", "due",
                           "explanation"]},
    "due": {"nb": ["hastegrad", "id", "tittel", "forventet", "faktisk", "start innen", "frist",
                   "forklaring"],
            "nn": ["hastegrad", "id", "tittel", "venta", "faktisk", "start innan", "frist",
                   "forklaring"],
            "en": ["urgency", "id", "title", "expected", "actual", "start by", "due",
                   "explanation"]},
    "leaders": {"nb": ["plass", "id", "navn", "skår"], "nn": ["plass", "id", "namn", "skår"],
                "en": ["rank", "id", "name", "score"]},
}

#: The words each status has in each language (the dashboard's «henger etter / forsinket /
#: forfaller» in bokmål; nynorsk «heng etter / forseinka / forfell»).
WORDS = {
    "nb": {"met": "oppfylt", "due": "forfaller", "behind": "henger etter",
           "overdue": "forsinket", "start now": "start nå", "due soon": "forfaller snart"},
    "nn": {"met": "oppfylt", "due": "forfell", "behind": "heng etter",
           "overdue": "forseinka", "start now": "start no", "due soon": "forfell snart"},
    "en": {"met": "met", "due": "due", "behind": "behind", "overdue": "overdue",
           "start now": "start now", "due soon": "due soon"},
}

#: Words of the other languages that must not appear in the CLI's own words of one.
STOP = {
    "nb": ["behind", "overdue", "due soon", "start now", "urgency", "expected", "Coverage",
           "As of", "Contact next", "heng etter", "forseinka", "forfell", "ikkje", "innan",
           "dagar", "namn", "venta"],
    "nn": ["henger etter", "forsinket", "forfaller", "ikke", "innen", "dager", "navn",
           "forventet", "nå:", "disse", "behind", "overdue", "urgency", "Coverage", "As of"],
    "en": ["henger", "heng etter", "forsinket", "forseinka", "forfaller", "forfell",
           "hastegrad", "frist", "Dekning", "Per 2026", "Kontakt"],
}


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("osen") / "osen"
    result = CliRunner().invoke(cli, ["init", str(folder), "--example", "osen"])
    assert result.exit_code == 0, result.output
    return folder


def _run(osen: Path, language: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-w", str(osen), "--lang", language, *args,
                                      "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return result.output


def _json(osen: Path, *args: str) -> object:
    return json.loads(_run(osen, "nb", *args, "--format", "json"))


def _header_line(output: str, first: str) -> list[str]:
    line = next(x for x in output.splitlines() if x.startswith(first + " "))
    return [h for h in re.split(r"\s{2,}", line.strip()) if h]


def _chrome(output: str, titles: set[str]) -> str:
    """The output without the plan's titles and the library's explanations (which later
    steps of issue 12 translate): the CLI's own words alone."""
    kept = []
    for line in output.splitlines():
        for title in titles:
            line = line.replace(title, "")
        kept.append(re.sub(r"(at least|\d+ (members|leaders|of)|all required|not yet).*$",
                           "", line))
    return "\n".join(kept)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_due_speaks_each_language(osen: Path, language: str) -> None:
    out = _run(osen, language, "due")
    assert _header_line(out, HEADERS["due"][language][0]) == HEADERS["due"][language]
    first = {"nb": "Per 2026-11-20, innen 30 dager:", "nn": "Per 2026-11-20, innan 30 dagar:",
             "en": "As of 2026-11-20, within 30 days:"}
    assert out.startswith(first[language])
    # each row's urgency in words, matched to the machine value JSON keeps
    data = _json(osen, "due")
    assert isinstance(data, dict)
    items = data["commitments"]
    assert {i["urgency"] for i in items} == {"overdue", "behind", "start now", "due soon"}
    for item in items:
        assert re.search(rf"^{re.escape(WORDS[language][item['urgency']])}\s+{item['id']}\s",
                         out, re.M), (item["id"], item["urgency"])
    titles = {c["name"] for c in data["contacts"]} | _plan_texts(osen)
    contact = {"nb": "Kontakt disse nå:", "nn": "Kontakt desse no:", "en": "Contact next:"}
    assert contact[language] in out
    chrome = _chrome(out, titles)
    assert [w for w in STOP[language] if w in chrome] == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_coverage_speaks_each_language(osen: Path, language: str) -> None:
    out = _run(osen, language, "coverage")
    assert _header_line(out, HEADERS["coverage"][language][0]) == \
        HEADERS["coverage"][language]
    assert _header_line(out, "id") == HEADERS["commitments"][language]
    first = {"nb": "Dekning", "nn": "Dekning", "en": "Coverage"}[language]
    assert out.startswith(f"{first} 2026-01-01..2026-12-31 ")
    groups = _json(osen, "coverage")
    statuses = _json(osen, "coverage", "--commitment", "B2", "--commitment", "G4",
                     "--commitment", "B1", "--commitment", "B3")
    assert isinstance(groups, list) and isinstance(statuses, list)
    # B1 behind, B2 due, B3 met, G4 overdue (the JSON keeps the English values)
    assert {s["id"]: s["status"] for s in statuses} == {
        "B1": "behind", "B2": "due", "B3": "met", "G4": "overdue"}
    for s in statuses:
        assert re.search(rf"^{s['id']}\s.*\s{re.escape(WORDS[language][s['status']])}\s+\d",
                         out, re.M), s["id"]
    chrome = _chrome(out, {g["name"] for g in groups} | _plan_texts(osen))
    assert [w for w in STOP[language] if w in chrome] == []


def _plan_texts(osen: Path) -> set[str]:
    """Every text of the plan (titles, names): data, in the plan's language."""
    def texts(value: object) -> set[str]:
        if isinstance(value, str):
            return {value}
        if isinstance(value, dict):
            return set().union(*(texts(v) for v in value.values()), set())
        if isinstance(value, list):
            return set().union(*(texts(v) for v in value), set())
        return set()

    return texts(tomllib.loads((osen / PLAN_FILE).read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_leaders_speaks_each_language(osen: Path, language: str) -> None:
    out = _run(osen, language, "leaders", "--top", "3")
    assert _header_line(out, HEADERS["leaders"][language][0]) == HEADERS["leaders"][language]
    assert len([x for x in out.splitlines() if re.match(r"\s*[123]\s", x)]) == 3  # --top 3


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_keep_english_keys_and_values(osen: Path, fmt: str) -> None:
    english = CliRunner().invoke(cli, ["-w", str(osen), "--lang", "en", "due", "--as-of",
                                       AS_OF, "--format", fmt]).output
    for language in ("nb", "nn"):
        assert _run(osen, language, "due", "--format", fmt) == english
    assert "urgency" in english and "overdue" in english and "forsinket" not in english


def test_a_catalog_that_cannot_be_kept_is_read_from_its_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source checkout in a folder interessent may not write to (here: the compiled
    catalog's folder does not exist, which even root cannot write into): the messages are
    still translated, from the .po compiled in memory, and nothing is left behind."""
    po = tmp_path / "nn.po"
    po.write_bytes(i18n.catalog_file("nn", root=SRC / "locale").read_bytes())
    nowhere = tmp_path / "not-a-folder" / "nn.mo"

    def redirected(language: str, suffix: str = ".po", root: Path = SRC) -> Path:
        return po if suffix == ".po" else nowhere

    monkeypatch.setattr(i18n, "catalog_file", redirected)
    i18n._translations.cache_clear()
    try:
        assert i18n.gettext("Usage:", "nn") == "Bruk:"
    finally:
        i18n._translations.cache_clear()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nn.po"]
