"""Letters people can send, in bokmål, nynorsk and English (issue 12, items 5 and 6): plan
texts per language, the Osen templates' variants, Word's language tag, first names,
organisations addressed as organisations, no planning text, and snapshots of two
recipients' letters in each language.

The snapshots in ``tests/snapshots/letters/`` are the reviewed truth: each was read by
eye. After changing a template on purpose, write them again with
``INTERESSENT_WRITE_SNAPSHOTS=1 pytest tests/test_letters_language.py`` and read the
difference (``git diff tests/snapshots``) before committing it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from interessent import (
    Workspace,
    add_stakeholder,
    edit_stakeholder,
    import_rows,
    init_workspace,
    migrations,
)
from interessent.cli import cli
from interessent.drafting import draft, letter_context
from interessent.errors import PlanError
from interessent.i18n import LocalizedText, every_text, localized
from interessent.plan import Plan, Programme, Role, parse_plan
from interessent.store import SCHEMA_HEAD, Store

AS_OF = dt.date(2026, 11, 26)
SNAPSHOTS = Path(__file__).parent / "snapshots" / "letters"
TEMPLATES = ("dialogmote", "grunder", "hendelse", "opinionsleder", "statusrapport",
             "suksesshistorie")
#: A person (daglig leder of a company she started, and a gründer) and an organisation.
RECIPIENTS = ("oda-selnes", "osen-sjomat")
LANGUAGES = ("nb", "nn", "en")
EVENT = "Brann i anlegget til Osen Sjømat"

MINIMAL = """
[programme]
name = {name}
municipality = "Osen kommune"
start = 2026-01-01
language = "{language}"
vision = {vision}
goals = [{goals}]

[[groups]]
key = "alle"
name = {group}

[[roles]]
key = "daglig_leder"
name = {role}
programme = true

[[commitments]]
id = "A1"
title = {title}
groups = ["alle"]
cadence = "year"
"""


def minimal(language: str = "nb", **texts: str) -> str:
    values = {"name": '"Programmet"', "vision": '""', "goals": "", "group": '"Alle"',
              "role": '"Daglig leder"', "title": '"Et tiltak"', **texts}
    return MINIMAL.format(language=language, **values)


# --- item 5: plan texts per language ------------------------------------------------------


def test_a_plan_text_may_be_given_per_language() -> None:
    plan = parse_plan(minimal(
        name='{ nb = "Programmet", nn = "Programmet (nn)", en = "The programme" }',
        goals='"Ett mål", { nb = "Andre mål", en = "Second goal" }',
        role='{ nb = "Daglig leder", nn = "Dagleg leiar", en = "Managing director" }',
        group='{ nb = "Alle", nn = "Alle saman" }',
        title='{ nb = "Et tiltak", en = "A commitment" }'))
    p = plan.programme
    # shown as a string in the plan's language where no language is asked for
    assert p.name == "Programmet" and isinstance(p.name, str)
    assert localized(p.name, "nn") == "Programmet (nn)"
    assert localized(p.name, "en") == "The programme"
    assert [localized(g, "en") for g in p.goals] == ["Ett mål", "Second goal"]
    # nynorsk missing: bokmål, the other Norwegian
    assert localized(p.goals[1], "nn") == "Andre mål"
    assert localized(plan.role("daglig_leder").name, "nn") == "Dagleg leiar"
    assert localized(plan.group("alle").name, "en") == "Alle"  # no English: bokmål
    assert localized(plan.commitment("A1").title, "en") == "A commitment"
    assert every_text(plan.role("daglig_leder").name) == (
        "Daglig leder", "Dagleg leiar", "Managing director")


def test_a_nynorsk_plan_shows_its_nynorsk_text() -> None:
    plan = parse_plan(minimal("nn", role='{ nb = "Daglig leder", nn = "Dagleg leiar" }'))
    assert plan.role("daglig_leder").name == "Dagleg leiar"
    assert localized(plan.role("daglig_leder").name, "nb") == "Daglig leder"


@pytest.mark.parametrize(("texts", "path", "message"), [
    ({"name": '{ nb = "Programmet", se = "Prográmma" }'}, "programme.name",
     "unknown language 'se' in the table (nb, nn or en)"),
    ({"vision": '{ nb = "Visjonen", nn = "" }'}, "programme.vision", "the nn text is empty"),
    ({"vision": '{ nb = "Visjonen", nn = "   " }'}, "programme.vision", "the nn text is empty"),
    ({"role": "{}"}, "roles[0].name", "give the text in at least one language"),
    ({"group": '{ nb = 5 }'}, "groups[0].name", "expected text for nb, not int 5"),
    ({"title": '{ nb = "Et tiltak", en = ["A", "B"] }'}, "commitments[0].title",
     "expected text for en, not list"),
    ({"goals": '"Ett", { de = "Zwei" }'}, "programme.goals",
     "[1]: unknown language 'de' in the table"),
    ({"name": "42"}, "programme.name", "expected text, or a table of texts per language"),
])
def test_a_bad_table_of_texts_is_a_plan_problem_by_field(texts: dict[str, str], path: str,
                                                         message: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(minimal(**texts))
    problems = {(p.path, p.message) for p in caught.value.problems}
    assert any(p == path and message in m for p, m in problems), problems


def test_a_plan_built_in_code_takes_tables_and_is_checked_as_a_file() -> None:
    plan = parse_plan(minimal())
    named = attrs.evolve(plan, programme=attrs.evolve(
        plan.programme, name={"nb": "Programmet", "en": "The programme"}))
    assert localized(named.programme.name, "en") == "The programme"
    assert named.programme.name == "Programmet"
    with pytest.raises(PlanError, match=r"programme.vision: unknown language 'fr'"):
        attrs.evolve(plan, programme=attrs.evolve(plan.programme, vision={"fr": "Vision"}))
    role = Role(key="daglig_leder", name={"nb": "Daglig leder", "nn": "Dagleg leiar"})
    assert localized(role.name, "nn") == "Dagleg leiar"
    # a text given per language survives pickling (a plan sent to another process)
    again = pickle.loads(pickle.dumps(named))
    assert localized(again.programme.name, "en") == "The programme"
    assert isinstance(Plan, type) and isinstance(Programme, type)


def test_a_localized_text_equals_another_only_with_the_same_translations() -> None:
    one = LocalizedText.of({"nb": "Alle", "nn": "Alle saman"}, "nb")
    other = LocalizedText.of({"nb": "Alle", "en": "Everyone"}, "nb")
    assert one == "Alle" and other == "Alle" and one != other
    assert {one: 1}["Alle"] == 1  # hashed as its text


def test_the_importer_knows_a_role_by_its_name_in_any_language(workspace: Workspace) -> None:
    assert workspace.folder is not None
    (workspace.folder / "interessent.toml").write_text(minimal(
        role='{ nb = "Daglig leder", nn = "Dagleg leiar", en = "Managing director" }'),
        encoding="utf-8")
    fresh = Workspace(workspace.folder)
    import_rows(fresh, "stakeholders", [
        {"id": "kari", "name": "Kari Aune", "roles": "Managing director"},
        {"id": "ola", "name": "Ola Aune", "roles": "Dagleg leiar"},
    ])
    assert [s.roles for s in fresh.store.stakeholders()] == [("daglig_leder",)] * 2
    fresh.close()


def test_the_osen_plan_gives_its_letters_texts_in_nynorsk_and_english(osen: Workspace) -> None:
    p = osen.plan.programme
    assert p.name == "Omstillingsprogrammet i Osen"  # the plan's language, bokmål
    assert localized(p.vision, "nn").startswith("Osen – kystkommunen der det er godt å bu")
    assert all(localized(goal, "nn") != localized(goal, "nb") for goal in p.goals)
    for key in ("styreleder", "daglig_leder", "ordforer", "radmann"):
        role = osen.plan.role(key)
        assert localized(role.name, "en") != localized(role.name, "nb"), key
    assert localized(osen.plan.role("daglig_leder").name, "nn") == "Dagleg leiar"


# --- item 6: letters follow the recipient's language ----------------------------------------


@pytest.fixture(scope="module")
def letters(osen_folder: Path, tmp_path_factory: pytest.TempPathFactory,
            ) -> Iterator[dict[tuple[str, str, str], str]]:
    """Every Osen template's Markdown letter to both recipients in each language (the
    recipient's language set in the register), dated :data:`AS_OF`."""
    import shutil

    root = tmp_path_factory.mktemp("letters") / "ws"
    shutil.copytree(osen_folder, root)
    ws = Workspace(root)
    found: dict[tuple[str, str, str], str] = {}
    for language in LANGUAGES:
        for sid in RECIPIENTS:
            edit_stakeholder(ws, sid, language=language)
        for name in TEMPLATES:
            run = draft(ws, name, stakeholders=list(RECIPIENTS), as_of=AS_OF, write=False,
                        event=EVENT if name == "hendelse" else None)
            for letter in run.letters:
                assert letter.language == language, (name, letter.recipient)
                assert isinstance(letter.content, str)
                found[(name, letter.recipient, language)] = letter.content
    ws.close()
    yield found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sid", RECIPIENTS)
@pytest.mark.parametrize("name", TEMPLATES)
def test_letters_match_their_reviewed_snapshots(letters: dict[tuple[str, str, str], str],
                                                name: str, sid: str, language: str) -> None:
    text = letters[(name, sid, language)]
    path = SNAPSHOTS / f"{name}-{sid}-{language}.md"
    if os.environ.get("INTERESSENT_WRITE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no snapshot {path.name}: see the module's docstring"
    assert text == path.read_text(encoding="utf-8")


#: Words of one written language that must not appear in a letter in another; a letter's
#: data (a story's title, a topic from the log) is the register's and is left out.
BOKMAL_ONLY = ("ikke", "jeg", "daglig leder", "hilsen", "vennlig", "møtet holdes", "hvordan",
               "hva", "hvert", "også", "fra", "mener", "noe", "lytter", "dere", "deres",
               "styreleder", "hovedmål", "hovedmålene", "tilbud")
NYNORSK_ONLY = ("ikkje", "eg", "dagleg", "venleg", "helsing", "høve", "kva", "korleis",
                "kvart", "òg", "frå", "meiner", "noko", "lyttar", "dykk", "dykkar",
                "styreleiar", "hovudmåla", "tilbod", "blir halde")
STOP = {"nb": NYNORSK_ONLY, "nn": BOKMAL_ONLY, "en": BOKMAL_ONLY + NYNORSK_ONLY}


def _reader_text(letter: str) -> str:
    """What the recipient reads: without the story titles and topics from the log (the
    register's data, in the language it was logged in)."""
    assert "<!--" not in letter  # no provenance comment in a letter
    text = re.sub(r"^- .*\(\d.*\)$", "", letter, flags=re.MULTILINE)  # a story and its date
    text = re.sub(r"[«“][^»”]*[»”]", "", text)  # a quoted topic, the vision aside
    text = re.sub(r"^## .*$", "", text, flags=re.MULTILINE)  # a subject quoting a story
    return re.sub(r"(Tips om sak|Story tip): .*", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_letter_has_words_of_another_language(letters: dict[tuple[str, str, str], str],
                                                 language: str) -> None:
    bad = {}
    for (name, sid, lang), text in letters.items():
        if lang != language:
            continue
        words = _reader_text(text).lower()
        found = [w for w in STOP[language] if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", words)]
        if found:
            bad[(name, sid)] = found
    assert bad == {}


def test_the_stop_lists_would_catch_the_old_mixed_letters() -> None:
    # the nynorsk letters of before: bokmål signature under a nynorsk closing
    old = "Med venleg helsing\n\nMarius Høvik\nDaglig leder, Osen Omstilling AS"
    assert re.search(r"(?<!\w)daglig leder(?!\w)", _reader_text(old).lower())


@pytest.mark.parametrize("language", LANGUAGES)
def test_signature_and_closing_are_in_the_letters_language(
        letters: dict[tuple[str, str, str], str], language: str) -> None:
    closing = {"nb": "Med vennlig hilsen", "nn": "Med venleg helsing", "en": "Kind regards"}
    title = {"nb": "Daglig leder, Osen Omstilling AS", "nn": "Dagleg leiar, Osen Omstilling AS",
             "en": "Managing director, Osen Omstilling AS"}
    text = letters[("dialogmote", "oda-selnes", language)]
    assert f"\n{closing[language]}\n" in text
    assert f"\n{title[language]}  \n" in text
    goals = letters[("opinionsleder", "oda-selnes", language)]
    first_goal = {"nb": "- Skape 60 nye arbeidsplasser i Osen innen utgangen av 2031.",
                  "nn": "- Skape 60 nye arbeidsplassar i Osen innan utgangen av 2031.",
                  "en": "- Create 60 new jobs in Osen by the end of 2031."}
    assert first_goal[language] in goals


PLANNING_TEXT = ("står for tur", "neste som står", "holdes innen", "blir halde innan",
                 "next in the plan", "innen 31. desember", "innan 31. desember")


def test_no_letter_quotes_the_plan(letters: dict[tuple[str, str, str], str]) -> None:
    for key, text in letters.items():
        for phrase in PLANNING_TEXT:
            assert phrase not in text.lower(), (key, phrase)


def test_opinion_leaders_get_no_planning_text_in_any_language(osen: Workspace) -> None:
    for language in LANGUAGES:
        for sid in ("astrid-lian", "turid-lund"):
            edit_stakeholder(osen, sid, language=language)
        run = draft(osen, "opinionsleder", stakeholders=["astrid-lian", "turid-lund"],
                    as_of=AS_OF, write=False)
        assert len(run.letters) == 2
        for letter in run.letters:
            assert isinstance(letter.content, str)
            assert not any(p in letter.content.lower() for p in PLANNING_TEXT)


def test_the_known_errors_are_fixed(letters: dict[tuple[str, str, str], str]) -> None:
    nb = letters[("opinionsleder", "oda-selnes", "nb")]
    assert "Du er en av dem som mange i Osen lytter til." in nb
    assert "en av dem mange" not in nb
    templates = Path(__file__).parents[1] / "examples" / "osen" / "templates"
    every = "\n".join(p.read_text(encoding="utf-8") for p in templates.glob("*.j2"))
    assert "ein god høve" not in every and "eit godt høve" in every


def test_organisations_are_addressed_as_organisations(
        letters: dict[tuple[str, str, str], str]) -> None:
    singular = {"nb": ("du", "deg", "din"), "nn": ("du", "deg", "din")}
    plural = {"nb": {"dere", "deres"}, "nn": {"de", "dykk", "dykkar"}}
    for (name, sid, language), text in letters.items():
        if sid != "osen-sjomat" or language == "en" or name == "hendelse":
            continue
        words = set(re.findall(r"\w+", _reader_text(text).lower()))
        assert not words & set(singular[language]), (name, language)
        if name != "statusrapport":  # which speaks of the report, not to its reader
            assert plural[language] & words, (name, language)
    invitation = letters[("dialogmote", "osen-sjomat", "nb")]
    assert "om dere kommer." in invitation and "om du kommer" not in invitation


def test_a_founder_who_has_started_is_not_offered_help_to_start(
        letters: dict[tuple[str, str, str], str], osen: Workspace) -> None:
    started = {"nb": letters[("grunder", "oda-selnes", "nb")],
               "nn": letters[("grunder", "oda-selnes", "nn")],
               "en": letters[("grunder", "oda-selnes", "en")]}
    assert "Tilbud til bedrifter i Osen" in started["nb"]
    for text in started.values():
        for phrase in ("starte noe nytt", "starte noko nytt", "starting something new",
                       "Etablererveiledning", "idéen din", "your idea", "tatt steget"):
            assert phrase not in text
    # one who has not started yet is still offered what a gründer gets
    run = draft(osen, "grunder", stakeholders=["ingrid-uthus"], as_of=AS_OF, write=False)
    [letter] = run.letters
    assert isinstance(letter.content, str)
    assert "Etablererveiledning" in letter.content
    assert "vurderer å starte noe nytt" in letter.content


def test_story_tips_never_paste_the_internal_log_note(
        letters: dict[tuple[str, str, str], str]) -> None:
    # every success story in the Osen log has a note starting «Suksesshistorie:»
    for language in LANGUAGES:
        for sid in RECIPIENTS:
            text = letters[("suksesshistorie", sid, language)]
            assert "Suksesshistorie:" not in text
            assert "Nytt reiselivsselskap etablerer seg i Osen" in text


def test_an_english_recipient_of_html_gets_english_not_the_bokmal_html(
        osen: Workspace) -> None:
    edit_stakeholder(osen, "osen-sjomat", language="en")
    run = draft(osen, "dialogmote", stakeholders=["osen-sjomat"], fmt="html", as_of=AS_OF,
                write=False)
    [letter] = run.letters
    assert isinstance(letter.content, str)
    assert '<html lang="en">' in letter.content
    assert "invites Osen Sjømat AS" in letter.content and "inviterer" not in letter.content


# --- Word's language tag ------------------------------------------------------------------


def _langs(data: bytes) -> tuple[set[str], set[str], list[str]]:
    """The w:lang values of a Word file's style defaults and of its body's runs, and its
    core property language."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
        document = archive.read("word/document.xml").decode("utf-8")
        core = archive.read("docProps/core.xml").decode("utf-8")
    pattern = r'<w:lang [^>]*w:val="([^"]+)"'
    return (set(re.findall(pattern, styles)), set(re.findall(pattern, document)),
            re.findall(r"<dc:language>([^<]*)</dc:language>", core))


@pytest.mark.parametrize(("language", "tag"), [("nb", "nb-NO"), ("nn", "nn-NO"),
                                               ("en", "en-GB")])
def test_word_letters_carry_the_letters_language(osen: Workspace, language: str,
                                                 tag: str) -> None:
    edit_stakeholder(osen, "oda-selnes", language=language)
    run = draft(osen, "dialogmote", stakeholders=["oda-selnes"], fmt="docx", as_of=AS_OF,
                write=False)
    [letter] = run.letters
    assert isinstance(letter.content, bytes)
    styles, runs, core = _langs(letter.content)
    assert styles == {tag}  # en-US no more
    assert runs == {tag}
    assert core == [tag]


def test_a_combined_word_file_keeps_each_letters_language(osen: Workspace,
                                                          tmp_path: Path) -> None:
    edit_stakeholder(osen, "oda-selnes", language="nn")
    edit_stakeholder(osen, "osen-sjomat", language="en")
    run = draft(osen, "dialogmote", stakeholders=["oda-selnes", "osen-sjomat"], fmt="docx",
                combined=True, as_of=AS_OF, out=tmp_path / "out")
    [path] = run.files
    _, runs, _ = _langs(path.read_bytes())
    assert runs == {"nn-NO", "en-GB"}
    with zipfile.ZipFile(path) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    # the nynorsk letter's runs are tagged nn-NO, the English one's en-GB
    nn_part, en_part = document.split("To Osen Sjømat AS", 1)
    assert "Dagleg leiar" in nn_part and 'w:val="nn-NO"' in nn_part
    assert "Managing director" in en_part and 'w:val="en-GB"' in en_part


# --- first names ---------------------------------------------------------------------------


def test_salutations_use_the_first_name_else_every_name_but_the_last(osen: Workspace) -> None:
    add_stakeholder(osen, name="Per Olav Hansen", id="per-olav")
    add_stakeholder(osen, name="Anne-Lise Berg Aune", id="anne-lise", first_name="Anne-Lise")
    add_stakeholder(osen, name="Cher", id="cher", language="en")
    per = letter_context(osen, "dialogmote", "per-olav", as_of=AS_OF)
    anne = letter_context(osen, "dialogmote", "anne-lise", as_of=AS_OF)
    cher = letter_context(osen, "dialogmote", "cher", as_of=AS_OF)
    assert per["salutation"] == "Hei Per Olav,"  # not «Hei Per»
    assert anne["salutation"] == "Hei Anne-Lise,"  # the registered first name
    assert cher["salutation"] == "Dear Cher,"
    assert anne["recipient"]["first_name"] == "Anne-Lise"
    changed = edit_stakeholder(osen, "per-olav", first_name="Per")
    assert changed.first_name == "Per"
    assert letter_context(osen, "dialogmote", "per-olav", as_of=AS_OF)["salutation"] == (
        "Hei Per,")
    cleared = edit_stakeholder(osen, "per-olav", clear=["first_name"])
    assert cleared.first_name is None


@pytest.mark.parametrize("header", ["first_name", "fornavn", "førenamn", "Fornavn"])
def test_the_first_name_column_and_its_aliases(workspace: Workspace, tmp_path: Path,
                                               header: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"id;navn;{header}\nper;Per Olav Hansen;Per Olav\nkari;Kari Aune;\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(workspace.folder), "import", "stakeholders",
                                      str(path)])
    assert result.exit_code == 0, result.output
    people = {s.id: s.first_name for s in workspace.store.stakeholders()}
    assert people == {"per": "Per Olav", "kari": None}


def test_the_first_name_is_exported_and_read_back(workspace: Workspace, tmp_path: Path) -> None:
    add_stakeholder(workspace, name="Per Olav Hansen", id="per", first_name="Per Olav")
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(cli, ["-w", str(workspace.folder), "export", "stakeholders",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["id", "name", "first_name"]
    assert "Per Olav" in out.read_text(encoding="utf-8-sig")


def test_a_first_name_that_is_not_text_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValueError, match="first_name: expected text"):
        add_stakeholder(workspace, name="Per Olav Hansen", first_name=5)  # type: ignore[arg-type]
    assert workspace.store.stakeholders() == []


def test_the_cli_takes_a_first_name(workspace: Workspace) -> None:
    result = CliRunner().invoke(cli, ["-w", str(workspace.folder), "stakeholder", "add",
                                      "Per Olav Hansen", "--first-name", "Per Olav"])
    assert result.exit_code == 0, result.output
    [per] = workspace.store.stakeholders()
    assert per.first_name == "Per Olav"


@pytest.mark.sqlite_only
def test_migration_0007_adds_first_name_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0006")
    engine.dispose()
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO stakeholders (id, id_key, name, kind, language, created_at, "
            "updated_at) VALUES ('ola', 'ola', 'Ola Nordmann', 'person', 'nn', "
            "'2026-01-01', '2026-01-01')")
        columns = [r[1] for r in raw.execute("PRAGMA table_info(stakeholders)")]
        assert "first_name" not in columns
    raw.close()
    with Store.for_path(path) as store:
        assert store.revision() == SCHEMA_HEAD == "0008"
        [ola] = store.stakeholders()
    assert (ola.id, ola.name, ola.first_name) == ("ola", "Ola Nordmann", None)
    _downgrade(path, "0006")
    with sqlite3.connect(path) as raw:
        columns = [r[1] for r in raw.execute("PRAGMA table_info(stakeholders)")]
        rows = raw.execute("SELECT id, name FROM stakeholders").fetchall()
    raw.close()
    assert "first_name" not in columns and rows == [("ola", "Ola Nordmann")]


def _downgrade(path: Path, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = migrations.config()
    assert isinstance(cfg, Config)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engine.dispose()


def test_a_new_workspace_has_the_column(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    add_stakeholder(ws, name="Per Olav Hansen", first_name="Per Olav")
    assert [s.first_name for s in ws.store.stakeholders()] == ["Per Olav"]
    ws.close()


# --- fixb: what an outside tester found in the letters (issue 12 item 6) --------------------


def test_every_osen_commitment_title_is_given_in_nb_nn_and_en(osen: Workspace) -> None:
    """The tester saw «Informere opinionsdannerne» in nynorsk and English tables: each of
    Osen's 19 commitments (counted in the plan: B1-B6, G1-G4, L1-L2, V1-V4, E1-E3) now has
    its title in all three languages."""
    commitments = osen.plan.commitments
    assert len(commitments) == 19
    for c in commitments:
        assert isinstance(c.title, LocalizedText), c.id
        assert {localized(c.title, lang) for lang in LANGUAGES} >= {localized(c.title, "en")}
        assert localized(c.title, "en") != localized(c.title, "nb"), c.id
    b2 = next(c for c in commitments if c.id == "B2")
    e3 = next(c for c in commitments if c.id == "E3")
    assert localized(b2.title, "nn") == "Informere opinionsdannarane"
    assert localized(e3.title, "nn") == "Jamleg kontakt med kompetansemiljø"
    assert localized(e3.title, "en") == "Regular contact with research and expertise communities"


def _en_us_parts(data: bytes) -> list[str]:
    """The parts of a Word file, unzipped, that still say en-US anywhere."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [name for name in archive.namelist() if b"en-US" in archive.read(name)]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_part_of_a_norwegian_word_letter_says_en_us(osen: Workspace, language: str,
                                                       tmp_path: Path) -> None:
    """The tester unzipped a letter and found en-US in word/settings.xml
    (w:themeFontLang) and word/stylesWithEffects.xml (w:lang): none is left, single or
    combined."""
    edit_stakeholder(osen, "oda-selnes", language=language)
    edit_stakeholder(osen, "osen-sjomat", language=language)
    run = draft(osen, "dialogmote", stakeholders=["oda-selnes"], fmt="docx", as_of=AS_OF,
                write=False)
    [letter] = run.letters
    assert isinstance(letter.content, bytes)
    assert _en_us_parts(letter.content) == []
    with zipfile.ZipFile(io.BytesIO(letter.content)) as archive:
        settings = archive.read("word/settings.xml").decode("utf-8")
    tag = {"nb": "nb-NO", "nn": "nn-NO"}[language]
    assert f'<w:themeFontLang w:val="{tag}"' in settings
    combined = draft(osen, "dialogmote", stakeholders=list(RECIPIENTS), fmt="docx",
                     combined=True, as_of=AS_OF, out=tmp_path / "out")
    [path] = combined.files
    assert _en_us_parts(path.read_bytes()) == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_part_of_a_norwegian_status_report_says_en_us(osen: Workspace, tmp_path: Path,
                                                         language: str) -> None:
    out = tmp_path / f"status-{language}.docx"
    result = CliRunner().invoke(cli, ["--workspace", str(osen.root), "--lang", language,
                                      "report", "--format", "docx", "--as-of", "2026-11-26",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert _en_us_parts(data) == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b'w:val="%s"' % {"nb": b"nb-NO", "nn": b"nn-NO"}[language] in archive.read(
            "word/stylesWithEffects.xml")


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "eml", "docx"])
def test_an_english_letter_carries_no_internal_bokmal_provenance(osen: Workspace,
                                                                 tmp_path: Path,
                                                                 fmt: str) -> None:
    """The tester ran ``draft opinionsleder -s arvid-aune --format txt`` and read
    «[interessent: mal opinionsleder.en.j2; Signert av Marius Høvik (Daglig leder) etter
    regelen: …]» at the end of an English letter. No format carries the rule's text where
    the recipient reads; the run's summary still says who signed under which rule, and
    the journal (``--record``) keeps it."""
    assert osen.store.stakeholder("arvid-aune").language.value == "en"
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["--workspace", str(osen.root), "--lang", "en",
                                      "draft", "opinionsleder", "-s", "arvid-aune",
                                      "--format", fmt, "--as-of", "2026-11-26",
                                      "--out", str(out), "--record"])
    assert result.exit_code == 0, result.output
    [path] = list(out.iterdir())
    data = path.read_bytes()
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    for internal in ("interessent: mal", "Signert", "etter regelen", "omstillingsorganisasjonen"):
        assert internal.encode("utf-8") not in data, internal
    assert b"<!--" not in data
    # the summary names the signer and the rule; the journal keeps the note
    assert "Signed by Marius Høvik" in result.output and "rule:" in result.output
    [item] = osen.store.interactions(stakeholder="arvid-aune", start=AS_OF, end=AS_OF)
    assert (item.notes or "").startswith("Signert av Marius Høvik (Daglig leder) etter regelen: ")


KYSTBY = Path(__file__).resolve().parents[1] / "examples" / "kystby"


@pytest.fixture(scope="module")
def kystby_letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The Kystby `oppdrett` letter, as the tester drafted it on 30 June 2027, to a
    bokmål person, an English-speaking organisation and person, and a nynorsk
    organisation (the programme's language), as plain text."""
    root = tmp_path_factory.mktemp("kystby") / "ws"
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(root), "--from", str(KYSTBY)])
    assert made.exit_code == 0, made.output
    out = root / "ut"
    result = runner.invoke(cli, ["-w", str(root), "draft", "oppdrett", "-s", "bjorn-tusvik",
                                 "-s", "nordvik-oppdrett", "-s", "james-oneill", "-s",
                                 "kystlaks", "--as-of", "2027-06-30", "--format", "txt",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {p.stem: p.read_text(encoding="utf-8") for p in out.iterdir()}


def test_the_kystby_fish_farm_letter_quotes_no_commitment(kystby_letters: dict[str, str],
                                                           ) -> None:
    assert sorted(kystby_letters) == ["bjorn-tusvik", "james-oneill", "kystlaks",
                                      "nordvik-oppdrett"]
    for sid, text in kystby_letters.items():
        for planning in ("minst ein gong i kvartalet", "Dette er kontakten for", "kvartal.",
                         "oppdrettsselskap i kommunen", "FH1"):
            assert planning not in text, (sid, planning)


def test_the_kystby_fish_farm_letter_follows_the_recipients_language_and_kind(
        kystby_letters: dict[str, str]) -> None:
    bjorn = kystby_letters["bjorn-tusvik"]  # a person whose målform is nb
    assert "Hei Bjørn," in bjorn and "Har du behov for arbeidskraft" in bjorn
    assert "Bjørn Tusvik" not in bjorn.split("Hei Bjørn,", 1)[1]  # not in the third person
    assert "Med vennlig hilsen" in bjorn and "frå" not in bjorn and "høyre" not in bjorn
    james = kystby_letters["james-oneill"]  # a person whose language is en
    assert "Dear James," in james and "Kind regards" in james
    assert "at Nordvik Oppdrett AS" in james
    for word in ("ein", "kvart", "høyre", "Har ", "Med venleg"):
        assert word not in james, word
    nordvik = kystby_letters["nordvik-oppdrett"]  # an English-speaking organisation
    assert "To Nordvik Oppdrett AS" in nordvik and "your business" in nordvik
    kystlaks = kystby_letters["kystlaks"]  # an organisation in the programme's nynorsk
    assert "Til Kystlaks AS" in kystlaks and "Har de behov" in kystlaks
    assert "med dykk" in kystlaks and "Med venleg helsing" in kystlaks
    assert " du " not in kystlaks and " deg " not in kystlaks


@pytest.fixture
def kystby(tmp_path: Path) -> Path:
    root = tmp_path / "kystby"
    made = CliRunner().invoke(cli, ["init", str(root), "--from", str(KYSTBY)])
    assert made.exit_code == 0, made.output
    return root


@pytest.mark.parametrize("dry", [True, False])
def test_draft_warns_of_each_template_and_language_it_falls_back_from(kystby: Path,
                                                                      dry: bool) -> None:
    """Kystby's invitation has nynorsk and English variants, no bokmål: its two bokmål
    readers (bjorn-tusvik, magnus-eide) get nynorsk, and the run says so, once, with the
    count; the English and nynorsk readers need no warning. Nothing is refused."""
    args = ["-w", str(kystby), "draft", "invitasjon", "-s", "bjorn-tusvik", "-s",
            "magnus-eide", "-s", "james-oneill", "-s", "kystlaks", "--as-of", "2027-06-15",
            "--format", "txt"]
    result = CliRunner().invoke(cli, [*args, "--dry-run"] if dry else args)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning")]
    assert warnings == ["Warning: invitasjon.j2 has no variant in bokmål; 2 letters go out "
                        "in nynorsk."]
    assert ("Would draft 4 letters" if dry else "Drafted 4 letters") in result.output


def test_the_fallback_warning_speaks_the_chosen_language(kystby: Path) -> None:
    result = CliRunner().invoke(cli, ["-w", str(kystby), "--lang", "nn", "draft", "invitasjon",
                                      "-s", "bjorn-tusvik", "--as-of", "2027-06-15",
                                      "--dry-run"])
    assert result.exit_code == 0, result.output
    assert ("Åtvaring: invitasjon.j2 har ingen variant på bokmål; 1 brev går ut på nynorsk."
            in result.output)


def test_a_run_names_its_fallbacks_in_its_data(kystby: Path) -> None:
    ws = Workspace(kystby)
    try:
        run = draft(ws, "hendelse", stakeholders=["bjorn-tusvik", "james-oneill", "kystlaks"],
                    as_of=dt.date(2027, 6, 15), write=False, event="Storm")
    finally:
        ws.close()
    # hendelse.j2 is Kystby's nynorsk one only: one bokmål and one English reader fall back
    assert [(f.template, f.wanted, f.used, f.count) for f in run.fallbacks] == [
        ("hendelse.j2", "en", "nn", 1), ("hendelse.j2", "nb", "nn", 1)]
    assert run.to_dict()["fallbacks"][0] == {"template": "hendelse.j2", "wanted": "en",
                                             "used": "nn", "count": 1}
