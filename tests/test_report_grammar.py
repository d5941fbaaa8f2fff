"""The status report's sentences read well in nb, nn and en: each count with its own
plural, a verb in the summary, one group's coverage said once; ``report --help`` names no
programme's recipients; a report speaks the programme's language unless asked for
another (an outside tester's findings after issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Workspace, add_stakeholder, i18n, init_workspace, log_interaction
from interessent.cli import cli
from interessent.periods import Period
from interessent.report import render_report

PLAN = """\
[programme]
name = "Prøveprogrammet"
municipality = "Prøve kommune"
start = 2026-01-01
end = 2026-12-31
language = "nb"

[[groups]]
key = "folk"
name = { nb = "Befolkningen", nn = "Folket", en = "The people" }
rule = { kinds = ["person"] }

[[channels]]
key = "direkte"
name = "Direkte kontakt"
kind = "direct"

[[roles]]
key = "leder"
name = "Daglig leder"
programme = true

[[commitments]]
id = "A1"
title = "Møte folket"
groups = ["folk"]
cadence = "year"

[report]
recipients = { nb = "Kommunestyret", nn = "Kommunestyret", en = "The council" }
"""

DAY = dt.date(2026, 6, 30)
YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    made = Workspace(root)
    add_stakeholder(made, id="kari", name="Kari Nordmann")
    # one letter to one recipient, one board meeting: each count is 1
    log_interaction(made, id="K1", date=dt.date(2026, 3, 1), kind="letter",
                    channel="direkte", participants=["kari"])
    log_interaction(made, id="K2", date=dt.date(2026, 4, 1), kind="board_meeting",
                    participants=["kari"], commitments=["A1"])
    return made


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_one_of_each_is_singular_in_every_language(ws: Workspace) -> None:
    en = render_report(ws, YEAR, as_of=DAY, fmt="md", language="en")
    # 2 contacts (K1, K2); 1 letter to 1 recipient; 1 meeting, 1 of them a board meeting;
    # 1 stakeholder met (Kari)
    assert _line(en, "The communication log") == (
        "The communication log shows 2 contacts and activities in the period up to 30 June "
        "2026: 1 letter or e-mail (to 1 recipient), 1 meeting or event, 1 of them a board "
        "meeting, and 1 stakeholder met.")
    nn = render_report(ws, YEAR, as_of=DAY, fmt="md", language="nn")
    assert "1 brev eller e-post (til 1 mottakar)" in nn
    assert "av dei 1 styremøte" in nn
    nb = render_report(ws, YEAR, as_of=DAY, fmt="md", language="nb")
    assert "1 brev eller e-post (til 1 mottaker)" in nb
    assert "herav 1 styremøte," in nb


def test_one_group_is_named_once(ws: Workspace) -> None:
    for language, said in (("en", "Coverage of The people is 100%."),
                           ("nn", "Dekninga av Folket er 100 %."),
                           ("nb", "Dekningen av Befolkningen er 100 %.")):
        text = render_report(ws, YEAR, as_of=DAY, fmt="md", language=language)
        # Kari, the one member, is reached: 1 of 1
        assert said in text
        assert "weakest" not in text and "svak" not in text


def test_the_summary_has_a_verb_in_english(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ky", example="kystby").close()
    lines = {}
    for language in ("en", "nn", "nb"):
        out = tmp_path / f"r-{language}.md"
        result = CliRunner().invoke(cli, [
            "--lang", language, "-w", str(tmp_path / "ky"), "report", "--format", "md",
            "--as-of", "2027-06-30", "--out", str(out)])
        assert result.exit_code == 0, result.output
        lines[language] = out.read_text(encoding="utf-8")
    assert ("As of 30 June 2027, 8 of 9 commitments of the communication strategy are kept "
            "or on track, and 1 is behind.") in lines["en"]
    assert "1 letter or e-mail (to 1 recipient)" in lines["en"]
    assert "1 of them a board meeting" in lines["en"]
    assert "1 brev eller e-post (til 1 mottakar)" in lines["nn"]
    assert ("Per 30. juni 2027 er 8 av 9 tiltak i kommunikasjonsstrategien haldne eller i "
            "rute, og 1 heng etter.") in lines["nn"]
    assert ("Per 30. juni 2027 er 8 av 9 tiltak i kommunikasjonsstrategien holdt eller i "
            "rute, og 1 henger etter.") in lines["nb"]


@pytest.mark.parametrize("language", ["en", "nb", "nn"])
def test_report_help_names_no_programmes_recipients(language: str) -> None:
    text = CliRunner().invoke(cli, ["--lang", language, "report", "--help"]).output
    for named in ("TFK", "KMD", "IN og", "IN and", "kommunestyret", "council", "norsk",
                  "Norwegian"):
        assert named not in text
    assert "[report] recipients" in text


def test_a_report_speaks_the_programmes_language_unless_asked(ws: Workspace) -> None:
    """As docs/languages.md says: ``using`` does not change a report's language."""
    with i18n.using("en"):
        text = render_report(ws, YEAR, as_of=DAY, fmt="md")
    assert "Til: Kommunestyret" in text  # bokmål, the plan's language
    assert "To: The council" in render_report(ws, YEAR, as_of=DAY, fmt="md", language="en")
