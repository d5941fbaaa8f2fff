"""Reports speak the programme's language (issue 12, item 4): the dashboard and the status
report (md, docx) in bokmål, nynorsk or English, the plan's ``programme.language`` unless
``--lang`` (or ``INTERESSENT_LANG``) chooses another; the library takes the language as an
argument and reads no locale. Must show: the Kystby example producing nynorsk reports."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from interessent import i18n
from interessent.cli import cli
from interessent.errors import InvalidInput, PlanError
from interessent.periods import parse_period
from interessent.plan import load_plan
from interessent.report import build_report, render_docx, render_markdown, render_report
from interessent.report.gathering import _resources
from interessent.workspace import Workspace, init_workspace

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
KYSTBY_PERIOD, KYSTBY_DAY = "2027-H1", dt.date(2027, 6, 30)
OSEN_PERIOD, OSEN_DAY = "2026", dt.date(2026, 11, 26)

#: Words the bokmål report uses that nynorsk has not (what a nynorsk reader must not meet).
BOKMAAL_ONLY = ("ikke", "sammendrag", "henger etter", "daglig leder", "fyller inn",
                "forsinket", "hvor", "hver", "ennå", "hvorfor", "innflytelse", "logget",
                "kontakter", "interessenter", "opinionsdanner", "mangler", "laget",
                "tallene", "nyeste", "måned", "medlemmer", "holdt", "dekningen")
#: Words the nynorsk report uses that bokmål has not.
NYNORSK_ONLY = ("ikkje", "samandrag", "heng etter", "dagleg leiar", "forseinka", "kvifor",
                "korleis", "kor mange", "påverknad", "logga", "kontaktar", "interessentar",
                "opinionsdannar", "manglar", "enno", "månad", "frå", "haldne", "dekninga",
                "medlemer", "skriv inn")
#: Words of interessent's own Norwegian (either form) that an English report must not show.
NORWEGIAN = (*BOKMAAL_ONLY, *NYNORSK_ONLY, "tiltak", "dekning", "målgruppe",
             "suksesshistori", "ressursbruk", "nøkkeltal", "makt og interesse", "forfaller",
             "forfell", "årsrapport", "statusrapport", "utkast", "brukt hittil", "økonomi",
             "budsjett", "herav", "oppfylt", "per 30.", "per 26.")


class _Visible(HTMLParser):
    """The text a reader of the page meets: its text, and its tooltips and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._style = tag == "style"
        self.parts += [v for k, v in attrs if k in ("title", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


def _visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _found(words: tuple[str, ...], text: str) -> list[str]:
    """The words of ``words`` that begin a word of ``text`` (case ignored)."""
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}", text, re.IGNORECASE)]


def _source_texts(example: str) -> str:
    """Everything a programme writes itself: its plan and its data (names, topics, notes)."""
    folder = EXAMPLES / example
    parts = [(folder / "interessent.toml").read_text(encoding="utf-8")]
    parts += [p.read_bytes().decode("cp1252" if example == "kystby" else "utf-8", "replace")
              for p in sorted((folder / "data").glob("*.csv"))]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def kystby(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path_factory.mktemp("lang") / "kystby", example="kystby")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path_factory.mktemp("lang") / "osen", example="osen")
    yield ws
    ws.close()


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    clean = {"INTERESSENT_LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "",
             "LANG": "", **(env or {})}
    result = CliRunner().invoke(cli, args, env=clean)
    assert result.exit_code == 0, result.output
    return result.output


# --- must show: the Kystby example producing nynorsk reports ----------------------------


def test_the_kystby_plan_is_nynorsk() -> None:
    plan = load_plan(EXAMPLES / "kystby" / "interessent.toml")
    assert plan.programme.language == "nn"
    assert plan.report.finance_role == "prosjektleiar"


def test_kystby_reports_in_nynorsk_from_the_command_line(kystby: Workspace,
                                                         tmp_path: Path) -> None:
    """No --lang, and an English system locale: the report speaks the programme's nynorsk."""
    ws = ["-w", str(kystby.root)]
    span = ["--period", KYSTBY_PERIOD, "--as-of", KYSTBY_DAY.isoformat()]
    env = {"LANG": "en_GB.UTF-8"}
    for fmt in ("html", "md", "docx"):
        _run([*ws, "report", *span, "--format", fmt, "--out", str(tmp_path / f"r.{fmt}")],
             env)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    word = (tmp_path / "r.docx").read_bytes()

    assert page.startswith('<!DOCTYPE html>\n<html lang="nn">')
    for heading in ("Dekning per målgruppe", "Tiltakskalender", "Kvifor tiltaka står som dei gjer",
                    "Dette forfell no", "Nettverket og opinionsdannarane", "Hald nøgd",
                    "Statusrapport 1. halvår 2027"):
        assert heading in page
    # the status report: nynorsk headings, the plan's recipients and its finance role
    for line in ("# Statusrapport 1. halvår 2027 – Kystby-løftet", "## Samandrag",
                 "### Halde eller i rute (8)", "### Ikkje halde (1)", "## Dette forfell framover",
                 "Til: Kommunestyret i Kystby og Møre og Romsdal fylkeskommune",
                 "Prosjektleiar skriv inn:"):
        assert line in md
    # README: NB1 heng etter (no newsletter in March), FH1 forfell (Nordvik Oppdrett)
    assert "| NB1 Månadleg nyheitsbrev | heng etter | 4 av 6 |" in md
    assert "ikkje nådd enno: Nordvik Oppdrett AS" in md

    text = _docx_text(word)
    assert "Samandrag" in text and "Ikkje halde (1)" in text
    doc = Document(io.BytesIO(word))
    assert doc.core_properties.language == "nn-NO"
    tags = {e.get(qn("w:val")) for e in doc.styles.element.iter(qn("w:lang"))}
    assert tags == {"nn-NO"}  # python-docx's template said en-US

    # the stop-list: nothing bokmål in any of the three (the example's texts that reach a
    # report are nynorsk too, so every word of the list applies)
    assert _found(BOKMAAL_ONLY, _visible(page)) == []
    assert _found(BOKMAAL_ONLY, md) == []
    assert _found(BOKMAAL_ONLY, text) == []


def test_lang_chooses_another_language_for_kystby(kystby: Workspace, tmp_path: Path) -> None:
    ws = ["-w", str(kystby.root)]
    span = ["--period", KYSTBY_PERIOD, "--as-of", KYSTBY_DAY.isoformat(), "--format", "md"]
    _run([*ws, "--lang", "en", "report", *span, "--out", str(tmp_path / "en.md")],
         {"INTERESSENT_LANG": "nb"})  # --lang before the variable
    _run([*ws, "report", *span, "--out", str(tmp_path / "nb.md")], {"INTERESSENT_LANG": "nb"})
    en = (tmp_path / "en.md").read_text(encoding="utf-8")
    nb = (tmp_path / "nb.md").read_text(encoding="utf-8")
    assert "## Summary" in en and "### Not kept (1)" in en
    assert "| NB1 Månadleg nyheitsbrev | behind | 4 of 6 |" in en
    assert "## Sammendrag" in nb and "### Ikke holdt (1)" in nb
    assert "| NB1 Månadleg nyheitsbrev | henger etter | 4 av 6 |" in nb


# --- Osen in each language ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_osen_reports_in_each_language(osen: Workspace, language: str) -> None:
    period = parse_period(OSEN_PERIOD)
    page = render_report(osen, period, as_of=OSEN_DAY, fmt="html", language=language)
    md = render_report(osen, period, as_of=OSEN_DAY, fmt="md", language=language)
    word = render_report(osen, period, as_of=OSEN_DAY, fmt="docx", language=language)
    text = _docx_text(word)
    assert page.startswith(f'<!DOCTYPE html>\n<html lang="{language}">')
    assert Document(io.BytesIO(word)).core_properties.language == {
        "nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[language]
    heading, finance = {"nb": ("## Sammendrag", "Daglig leder fyller inn:"),
                        "nn": ("## Samandrag", "Dagleg leiar skriv inn:"),
                        "en": ("## Summary", "Managing director fills in:")}[language]
    assert heading in md
    assert finance in md  # the plan names the role per language
    own = _source_texts("osen")
    stop = {"nb": NYNORSK_ONLY, "nn": BOKMAAL_ONLY, "en": NORWEGIAN}[language]
    # a word Osen's own plan or data writes may show as it is written; the rest may not
    words = tuple(w for w in stop if not _found((w,), own))
    assert len(words) >= 8, words  # the check still says something (Kystby checks all)
    for shown in (_visible(page), md, text):
        assert _found(words, shown) == []


def test_the_english_page_writes_english_dates_and_numbers(osen: Workspace) -> None:
    page = render_report(osen, parse_period(OSEN_PERIOD), as_of=OSEN_DAY, language="en")
    assert "Annual report 2026" in page and "as of 26 November 2026" in page
    nb = render_report(osen, parse_period(OSEN_PERIOD), as_of=OSEN_DAY, language="nb")
    assert "Årsrapport 2026" in nb and "per 26. november 2026" in nb


# --- the library takes the language as an argument ---------------------------------------


def test_the_library_reads_no_locale_or_environment(kystby: Workspace,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("INTERESSENT_LANG", "en"), ("LANG", "en_GB.UTF-8"),
                        ("LC_ALL", "nb_NO.UTF-8"), ("LANGUAGE", "en")):
        monkeypatch.setenv(name, value)
    report = build_report(kystby, parse_period(KYSTBY_PERIOD), as_of=KYSTBY_DAY)
    assert report.language == "nn" and "## Samandrag" in render_markdown(report)
    with i18n.using("en"):  # the caller's language is not the report's
        assert "## Samandrag" in render_markdown(report)
    assert i18n.current_language() == "en"  # and is left as it was
    english = build_report(kystby, parse_period(KYSTBY_PERIOD), as_of=KYSTBY_DAY,
                           language="en")
    assert english.title == "Status report H1 2027"


@pytest.mark.parametrize("bad", ["se", "NN", "", "nb_NO", "en\n"])
def test_an_unknown_language_is_refused_and_nothing_is_written(kystby: Workspace,
                                                               tmp_path: Path, bad: str) -> None:
    out = tmp_path / "r.md"
    with pytest.raises(InvalidInput, match="unknown language"):
        from interessent import write_report

        write_report(kystby, parse_period(KYSTBY_PERIOD), as_of=KYSTBY_DAY, fmt="md",
                     out=out, language=bad or "x")
    assert not out.exists()


def test_a_bad_lang_on_the_command_line_is_one_clear_error(kystby: Workspace) -> None:
    result = CliRunner().invoke(cli, ["-w", str(kystby.root), "--lang", "se", "report"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["-w", str(kystby.root), "report"],
                                env={"INTERESSENT_LANG": "se"})
    assert result.exit_code == 1 and "INTERESSENT_LANG" in result.output


# --- what only the plan knows ---------------------------------------------------------------


def _plan_with(tmp_path: Path, report_table: str) -> Workspace:
    ws = init_workspace(tmp_path / "ws", example="kystby")
    ws.close()
    plan = ws.root / "interessent.toml"
    text = plan.read_text(encoding="utf-8")
    text = text[:text.index("[report]")] + report_table
    plan.write_text(text, encoding="utf-8")
    return Workspace.find(ws.root)


def test_without_a_finance_role_no_one_is_named(tmp_path: Path) -> None:
    ws = _plan_with(tmp_path, "")
    try:
        report = build_report(ws, parse_period(KYSTBY_PERIOD), as_of=KYSTBY_DAY)
        md = render_markdown(report)
        assert "Fyllast ut: brukt hittil" in md and "Prosjektleiar" not in md
        assert "Til:" not in md  # no recipients either
        assert "Fylles inn: brukt hittil" in render_markdown(
            build_report(ws, parse_period(KYSTBY_PERIOD), as_of=KYSTBY_DAY, language="nb"))
    finally:
        ws.close()


def test_an_unknown_finance_role_is_a_plan_error(tmp_path: Path) -> None:
    ws = _plan_with(tmp_path, '[report]\nfinance_role = "kasserar"\n')
    ws.close()
    with pytest.raises(PlanError, match=r"report\.finance_role.*kasserar"):
        load_plan(ws.root / "interessent.toml")


def test_hostile_recipients_are_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> | *Rådet* [lenke](http://x) # x"
    ws = _plan_with(tmp_path, f'[report]\nrecipients = "{hostile}"\n')
    try:
        report = build_report(ws, parse_period(KYSTBY_PERIOD), as_of=KYSTBY_DAY)
        md = render_markdown(report)
        assert "Til: \\<script\\>alert(1)\\</script\\> \\| \\*Rådet\\* \\[lenke\\]" in md
        assert "<script>" not in md
        doc = Document(io.BytesIO(render_docx(report)))
        assert any(p.text.startswith("Til: <script>") for p in doc.paragraphs)
    finally:
        ws.close()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_parts_read_alongside_speak_the_report_language(osen: Workspace,
                                                            language: str) -> None:
    """What the period used is read in a thread of its own while the commitments are
    checked: it speaks the report's language and counts what the same read counts here."""
    period = parse_period(OSEN_PERIOD)
    report = build_report(osen, period, as_of=OSEN_DAY, language=language)
    with i18n.using(language):
        alone = _resources(osen, osen.plan, period, OSEN_DAY)
    assert report.resources == alone
    assert report.resources.total > 0  # the channels and kinds are named, in words
