"""The dashboard and the status report, on the Osen example (period 2026, as of 26 November
2026) and on a network of 10,000 stakeholders."""

from __future__ import annotations

import datetime as dt
import html
import random
import re
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from interessent.cli import cli
from interessent.coverage import WindowState, check_commitments
from interessent.model import Interaction, Relationship, Stakeholder
from interessent.periods import Period, parse_period
from interessent.report import (
    NETWORK_LIMIT,
    CellState,
    Report,
    build_report,
    default_path,
    period_key,
    period_label,
    render_html,
    render_markdown,
)
from interessent.workspace import Workspace, init_workspace

AS_OF = dt.date(2026, 11, 26)
YEAR = Period.year(2026)
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
HOSTILE = "<script>alert(1)</script>"
HOSTILE_TOPIC = "<img src=x onerror=alert(2)>"


def run(*args: str | Path, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path_factory.mktemp("report") / "osen", example="osen")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def report(osen: Workspace) -> Report:
    return build_report(osen, YEAR, as_of=AS_OF)


@pytest.fixture(scope="module")
def page(report: Report) -> str:
    return render_html(report)


def _row(report: Report, commitment: str) -> dict[str, CellState]:
    row = next(r for r in report.calendar if r.id == commitment)
    return {MONTHS[i]: cell.state for i, cell in enumerate(row.cells)}


# --- the dashboard ------------------------------------------------------------------------


def test_the_page_is_norwegian_and_names_every_group_and_commitment(
    osen: Workspace, page: str
) -> None:
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"nb\">")
    assert "Årsrapport 2026" in page and "per 26. november 2026" in page
    for group in osen.plan.groups:
        assert html.escape(group.name) in page
    for c in osen.plan.commitments:
        assert f'<span class="cid">{c.id}</span>' in page
    for heading in ("Dekning per målgruppe", "Tiltakskalender", "Dette forfaller nå",
                    "Suksesshistorier", "Nettverket og opinionsdannerne", "Makt og interesse",
                    "Hold tilfreds", "Tett oppfølging", "Hold informert", "Overvåk"):
        assert heading in page


@pytest.mark.parametrize(("commitment", "expected"), [
    # B1, news in local media each month of the start-up year: articles in every month
    # but September and October (see examples/osen/data/interactions.csv); December has
    # not begun on 26 November.
    ("B1", {"aug": CellState.MET, "sep": CellState.MISSED, "oct": CellState.MISSED,
            "nov": CellState.MET, "dec": CellState.FUTURE}),
    # G2, feature new gründers each quarter: nothing in Q1, 17 June, 26 August, Q4 open.
    ("G2", {"jan": CellState.MISSED, "mar": CellState.MISSED, "jun": CellState.MET,
            "aug": CellState.MET, "oct": CellState.OPEN, "dec": CellState.OPEN}),
    # G4, market Osen to gründers elsewhere: only 26 May; Q1 and Q3 missed, Q4 open.
    ("G4", {"feb": CellState.MISSED, "may": CellState.MET, "sep": CellState.MISSED,
            "nov": CellState.OPEN}),
    # L2, the rådmann's leadership group each quarter: 10 Feb, 12 May, 13 Oct.
    ("L2", {"mar": CellState.MET, "apr": CellState.MET, "jul": CellState.MISSED,
            "oct": CellState.MET, "dec": CellState.MET}),
    # B5, dialogue meetings each half-year: 15 April; the second half-year is open.
    ("B5", {"jan": CellState.MET, "jun": CellState.MET, "jul": CellState.OPEN}),
    # V3, observer seats: structural, met while the ties exist; December lies ahead.
    ("V3", {"jan": CellState.MET, "nov": CellState.MET, "dec": CellState.FUTURE}),
])
def test_calendar_cells_worked_out_by_hand(
    report: Report, page: str, commitment: str, expected: dict[str, CellState]
) -> None:
    row = _row(report, commitment)
    for month, state in expected.items():
        assert row[month] is state, (commitment, month)
    # the page shows the same states, in month order
    match = re.search(rf'<span class="cid">{commitment}</span>.*?</tr>', page, flags=re.S)
    assert match
    states = re.findall(r'data-state="(\w+)"', match.group(0))
    assert states == [row[m].value for m in MONTHS]


def test_calendar_cells_are_the_windows_of_check_commitments(
    osen: Workspace, report: Report
) -> None:
    for status in check_commitments(osen, YEAR, as_of=AS_OF):
        if not status.windows:
            continue
        row = next(r for r in report.calendar if r.id == status.id)
        assert len(row.cells) == 12
        for month, cell in enumerate(row.cells, start=1):
            first = dt.date(2026, month, 1)
            window = next((w for w in status.windows if first in w.period), None)
            if window is None:
                assert cell.state is CellState.INACTIVE
            else:
                assert isinstance(window.state, WindowState)
                assert cell.state.value == window.state.value, (status.id, month)


def test_a_tooltip_on_every_cell(page: str) -> None:
    cells = re.findall(r'<td class="cell [^"]*" data-state="\w+" title="([^"]+)"', page)
    assert len(cells) == 19 * 12
    assert any(t.startswith("B1 september 2026: ikke oppfylt (0 av 1 i september 2026)")
               for t in cells)


def test_the_legend_names_every_state(page: str) -> None:
    legend = page[page.index("Tiltakskalender"):page.index('<table class="calendar">')]
    for label in ("oppfylt", "ikke oppfylt", "åpen, forfaller", "ikke forfalt", "ikke aktiv"):
        assert f"</span>{label}</span>" in legend


def test_coverage_over_time_ends_at_the_headline(report: Report) -> None:
    by_key = {g.key: g for g in report.coverage}
    for series in report.series:
        assert [p.column for p in series.points] == list(range(11))  # January to November
        assert series.points[-1].score == pytest.approx(by_key[series.key].score)
        assert all(0.0 <= p.score <= 1.0 for p in series.points)


def test_success_stories_newest_first(page: str) -> None:
    topics = ["Nytt reiselivsselskap etablerer seg i Osen",
              "Første elektriske arbeidsbåt levert – to nye lærlinger",
              "Osen Sjømat ansetter fem nye",
              "Ny gründer: Kystlys Design åpner verksted i Steinsdalen"]
    section = page[page.index('id="suksess"'):page.index('id="nettverk"')]
    positions = [section.index(html.escape(t)) for t in topics]
    assert positions == sorted(positions)


def test_due_next_and_leaders(report: Report, page: str) -> None:
    assert [i.commitment.id for i in report.dues.items][:1] == ["G4"]
    section = page[page.index('id="forfaller"'):page.index('id="suksess"')]
    assert "forsinket" in section and "Kontakt neste" in section
    # B2's leaders are due a contact once a year; nobody in Osen is due one every month
    assert "Opinionsdanner i Befolkningen i Osen, ikke kontaktet i år" in section
    assert "denne måneden" not in section
    assert not report.network.limited
    assert report.network.total_nodes == len(report.network.nodes) == 205
    leaders = [n for n in report.network.nodes if n.leader]
    assert sorted(n.leader for n in leaders if n.leader) == list(range(1, 11))
    assert all(0.0 <= n.x <= 1.0 and 0.0 <= n.y <= 1.0 for n in report.network.nodes)


def test_power_interest_grid_counts_everyone_but_the_programme(
    osen: Workspace, report: Report
) -> None:
    plan = osen.plan
    people = osen.store.stakeholders()
    own = [s for s in people if s.id == plan.programme.organisation
           or set(s.roles) & plan.programme_roles]
    assert sum(c.count for c in report.grid) + report.grid_unknown == len(people) - len(own)
    top_right = next(c for c in report.grid if c.influence == 5 and c.interest == 5)
    assert "Astrid Lian" in top_right.names
    assert [c.influence for c in report.grid[:5]] == [5] * 5


def test_no_external_references(osen: Workspace, page: str) -> None:
    lowered = page.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered and "@import" not in lowered
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", lowered)
    assert "url(" not in lowered
    assert "content-security-policy" in lowered and "default-src 'none'" in page
    # the only web address is the programme's website, as plain text in the footer
    website = osen.plan.programme.website
    assert website
    assert re.findall(r"https?://[^\s<\"']+", page) == [website]
    assert page.index(website) > page.index("<footer")


def test_a_hostile_name_is_shown_as_text(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "osen", example="osen")
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, [Stakeholder(
            id="hostile", name=HOSTILE, groups=("befolkningen",), influence=5, interest=5)])
        ws.store._save_relationships(s, [Relationship("hostile", "astrid-lian", "knows",
                                                     0.9, directed=False)])
        ws.store._save_interactions(s, [Interaction(
            "K2026-9999", dt.date(2026, 11, 20), "meeting", "direkte",
            participants=("hostile",), topic=HOSTILE_TOPIC, notes=HOSTILE, success=True)])
    report = build_report(ws, YEAR, as_of=AS_OF)
    page = render_html(report)
    ws.close()
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert html.escape(HOSTILE) in page  # in the network's tooltip and the story
    assert html.escape(HOSTILE_TOPIC) in page
    md = render_markdown(report)
    assert HOSTILE not in md and HOSTILE_TOPIC not in md
    assert r"\<script\>alert(1)\</script\>" in md


def test_restricted_stakeholders_are_not_named(tmp_path: Path) -> None:
    from sqlalchemy import update

    from interessent.store import ST

    ws = init_workspace(tmp_path / "osen", example="osen")
    with ws.store.write() as s:  # what privacy.restrict (GDPR art. 18) does to the record
        s.execute(update(ST).where(ST.c.id == "astrid-lian").values(restricted=True))
    report = build_report(ws, YEAR, as_of=AS_OF)
    page, md = render_html(report), render_markdown(report)
    ws.close()
    assert "Astrid Lian" not in page and "Astrid Lian" not in md
    assert "(begrenset behandling)" in page


def test_an_empty_workspace(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "tom")
    report = build_report(ws, YEAR, as_of=AS_OF)
    page = render_html(report)
    assert "Planen har ingen tiltak ennå." in page
    assert "Ingen interessenter er registrert ennå." in page
    assert render_markdown(report).startswith("# Årsrapport 2026 – Mitt omstillingsprogram")
    ws.close()


def test_a_period_that_has_not_begun(osen: Workspace) -> None:
    page = render_html(build_report(osen, Period.year(2027), as_of=AS_OF))
    assert "Perioden har ikke begynt" in page
    assert "Årsrapport 2027" in page


def test_a_long_period_has_quarters(osen: Workspace) -> None:
    report = build_report(osen, parse_period("2026-01-01..2028-12-31"), as_of=AS_OF)
    assert [c.short for c in report.columns][:2] == ["K1 26", "K2 26"]
    assert len(report.columns) == 12


@pytest.mark.parametrize(("text", "label", "key"), [
    ("2026", "2026", "2026"),
    ("2026-H1", "1. halvår 2026", "2026-H1"),
    ("2026-Q3", "3. kvartal 2026", "2026-Q3"),
    ("2026-11", "november 2026", "2026-11"),
    ("2026-01-15..2026-06-30", "15. januar 2026–30. juni 2026", "2026-01-15--2026-06-30"),
])
def test_periods_in_norwegian_and_in_file_names(text: str, label: str, key: str) -> None:
    period = parse_period(text)
    assert period_label(period, language="nb") == label
    assert period_key(period) == key


# --- the command --------------------------------------------------------------------------


def test_report_prints_the_absolute_path_last(osen: Workspace) -> None:
    result = run("-w", osen.root, "report", "--period", "2026", "--as-of", "2026-11-26")
    last = result.stdout.splitlines()[-1]
    path = Path(last)
    assert path.is_absolute() and path.is_file()
    assert path == default_path(osen, YEAR, as_of=AS_OF, fmt="html")
    assert path == osen.root / "rapporter" / "rapport-2026-2026-11-26.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(path.parent.glob(".*.tmp"))


def test_markdown_status_report(osen: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "status.md"
    result = run("-w", osen.root, "--lang", "nb", "report", "--format", "md", "--period", "2026-H2",
                 "--as-of", "2026-11-26", "--out", out)
    assert result.stdout.splitlines()[-1] == str(out.resolve())
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Statusrapport 2. halvår 2026 – Omstillingsprogrammet i Osen\n")
    for part in ("## Sammendrag", "## Dekning per målgruppe", "### Holdt eller i rute",
                 "### Ikke holdt", "## Suksesshistorier", "## Ressursbruk",
                 "## Dette forfaller fremover", "| Befolkningen i Osen |",
                 "henger etter", "forsinket", "oppfylt", "fyller inn", "Nyhetssak i media"):
        assert part in text, part
    assert "Ny gründer: Kystlys Design" not in text  # June is outside the second half-year
    assert "Osen Sjømat ansetter fem nye" in text


def test_word_status_report(osen: Workspace, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "årsrapport.docx"
    result = run("-w", osen.root, "--lang", "nb", "report", "--format", "docx", "--period", "2026",
                 "--as-of", "2026-11-26", "--out", out)
    assert result.stdout.splitlines()[-1] == str(out.resolve())
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs
                if p.style is not None and p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Årsrapport 2026 – Omstillingsprogrammet i Osen"
    assert {"Sammendrag", "Dekning per målgruppe", "Suksesshistorier", "Ressursbruk"} <= set(
        headings)
    coverage = doc.tables[0]
    assert [c.text for c in coverage.rows[0].cells][:2] == ["Målgruppe", "Medlemmer"]
    assert len(coverage.rows) == 1 + 6
    statuses = {row.cells[1].text for table in doc.tables[1:3] for row in table.rows[1:]}
    assert {"oppfylt", "forfaller", "henger etter", "forsinket"} <= statuses
    assert doc.core_properties.language == "nb-NO"


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2026-13"], "not a period"),
    (["--as-of", "2026-02-30"], "not a date"),
    (["--out", "no/such/folder/r.html"], "no such folder"),
])
def test_mistakes_are_one_error_line(osen: Workspace, tmp_path: Path, monkeypatch:
                                     pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("-w", osen.root, "report", *args, ok=False)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_the_templates_ship_in_the_package() -> None:
    folder = resources.files("interessent") / "report_templates"
    assert (folder / "dashboard.html.j2").is_file()
    assert (folder / "dashboard.css").is_file()


# --- 10,000 stakeholders ------------------------------------------------------------------


def add_synthetic(ws: Workspace, people: int, ties: int, *, seed: int = 7) -> None:
    """``people`` synthetic stakeholders in the Osen groups, ``ties`` random ties among
    them and to the Osen register, and a meeting for one in fifty of them."""
    rng = random.Random(seed)
    groups = ["befolkningen", "naeringslivet", "grundere", "eksterne"]
    ids = [f"syn-{i:05d}" for i in range(people)]
    register = [s.id for s in ws.store.stakeholders()]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < ties:
        a = rng.choice(ids)
        b = rng.choice(ids if rng.random() < 0.9 else register)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, [
            Stakeholder(id=i, name=f"Syntetisk Person {n}", groups=(rng.choice(groups),),
                        influence=rng.randint(1, 5), interest=rng.randint(1, 5))
            for n, i in enumerate(ids)])
        ws.store._save_relationships(s, [
            Relationship(a, b, "knows", round(rng.uniform(0.1, 1.0), 2), directed=False)
            for a, b in sorted(pairs)])
        ws.store._save_interactions(s, [
            Interaction(f"S{n:05d}", dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 329)),
                        "meeting", "direkte", participants=(i,))
            for n, i in enumerate(ids[::50])])


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path_factory.mktemp("big") / "osen", example="osen")
    add_synthetic(ws, 10_000, 30_000)
    yield ws
    ws.close()


def test_ten_thousand_stakeholders(
    big: Workspace, record_property: Callable[[str, object], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.perf_counter()
    result = run("-w", big.root, "--lang", "nb", "report", "--period", "2026",
                 "--as-of", "2026-11-26")
    seconds = time.perf_counter() - started
    record_property("report_seconds_10k", round(seconds, 2))
    report = build_report(big, YEAR, as_of=AS_OF)
    with capsys.disabled():
        print(f"\n  report at {report.network.total_nodes:,} stakeholders and "
              f"{report.network.total_edges:,} ties: {seconds:.1f} s")
    page = Path(result.stdout.splitlines()[-1]).read_text(encoding="utf-8")
    assert re.search(r"Nettverket har 10\s205 interessenter", page)
    assert "for mange til å vise alle" in page
    assert report.network.limited
    assert report.network.total_nodes == 10_205
    assert len(report.network.nodes) <= NETWORK_LIMIT
    assert page.count("<circle") < 2 * NETWORK_LIMIT + 12 * 11 * 6  # network + chart dots
