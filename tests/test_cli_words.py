"""The Osen cycle through the CLI in bokmål, nynorsk and English: no words of the other
languages in what the command line says (issue 12, must show).

The Osen data is bokmål (the plan's texts, the names, the templates' descriptions): those
values are stripped from the output before the check, since data is shown as it is.
Reports and letters are checked by their own tests (their wording is other work of the
same issue); this cycle runs them and checks the CLI's own lines about them.
"""

from __future__ import annotations

import csv
import html
import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent.cli import _output, cli

OSEN = Path(__file__).resolve().parents[1] / "examples" / "osen"
AS_OF = "2026-11-20"

#: Words only one language uses (function words and the CLI's own words); a language's
#: output must hold none of the others'.
STOP = {
    "nb": ["ikke", "jeg", "hvor", "hvem", "hva", "behandlet", "henger etter", "forsinket",
           "bare", "medlemmer", "kontakter", "dager", "nå"],
    "nn": ["ikkje", "eg", "korleis", "vert", "kva", "kven", "berre", "medlemer", "kontaktar",
           "dagar", "heng etter", "forseinka"],
    "en": ["the", "and", "not", "Usage", "Options", "with", "of", "reached", "members",
           "behind", "overdue", "because"],
}
NORWEGIAN_IN_ENGLISH = ["og", "ikke", "ikkje", "på", "av", "som", "fordi", "medlem"]


def _data_values(ws: Path) -> list[str]:
    """Every text of the Osen data: the plan's strings, the register's cells, the
    templates' descriptions (their authors'), longest first, to strip whole values."""
    texts: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(tomllib.loads((OSEN / "interessent.toml").read_text(encoding="utf-8")))
    for path in (OSEN / "data").glob("*.csv"):
        with path.open(encoding="utf-8-sig") as f:
            for row in csv.reader(f, delimiter=";"):
                texts.update(cell for cell in row if cell)
    listed = CliRunner().invoke(cli, ["-w", str(ws), "templates", "list", "--format", "json"])
    walk([t["description"] for t in json.loads(listed.output)])
    return sorted((t for t in texts if len(t) > 3), key=len, reverse=True)


def _stripped(out: str, values: list[str]) -> str:
    """``out`` without the data values in it, also where a table wrapped them: whole
    values first, then each table cell (cells are two spaces apart) that is a piece of a
    value, as a wrapped cell leaves on each line."""
    for value in values:
        words = value.split()
        pattern = r"\s+".join(re.escape(w) for w in words)
        out = re.sub(rf"(?<![\w-]){pattern}(?![\w-])", " ", out)
    data = "\n".join(" ".join(v.split()) for v in values)
    lines = []
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        lines.append("  ".join(c for c in cells if len(c) < 4 or c not in data))
    return re.sub(r"\S*[/\\]\S*", " ", "\n".join(lines))  # paths name the workspace


def _found(words: list[str], text: str) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text,
                                          flags=0 if w[0].isupper() else re.IGNORECASE)]


_ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:ord-1@test\r
DTSTAMP:20261101T080000Z\r
DTSTART:20261110T090000Z\r
DTEND:20261110T100000Z\r
SUMMARY:Samtale\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:Kristin.Hallan@osen-posten.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ukjent@example.org\r
END:VEVENT\r
END:VCALENDAR\r
"""
_EML = """From: Kristin Hallan <kristin.hallan@osen-posten.example>\r
To: ukjent@example.org\r
Subject: Sak\r
Date: Tue, 10 Nov 2026 09:00:00 +0100\r
Message-ID: <a1@test>\r
\r
Tekst.\r
"""


def _cycle(tmp_path: Path, language: str) -> str:
    """The Osen cycle of the README, as a user runs it, under ``--lang language``."""
    runner = CliRunner()
    ws = tmp_path / f"osen-{language}"
    said: list[str] = []

    def run(*args: str, ok: bool = True) -> None:
        result = runner.invoke(cli, ["--lang", language, "-w", str(ws), *args])
        assert (result.exit_code == 0) is ok, (args, result.output)
        said.append(result.output)

    run("init", str(ws), "--from", str(OSEN))
    run("--help")
    for command in ("init", "import", "leaders", "coverage", "due", "risks", "draft",
                    "notify", "report", "log", "stakeholder", "relationship", "privacy",
                    "concern", "task"):
        run(command, "--help")
    run("plan", "check")
    run("import", "stakeholders", str(OSEN / "data" / "stakeholders.csv"), "--dry-run")
    run("leaders", "--as-of", AS_OF)
    run("leaders", "--explain", "--as-of", AS_OF)
    run("leaders", "--explain", "--group", "naeringslivet", "--as-of", AS_OF)
    run("coverage", "--as-of", AS_OF)
    run("due", "--as-of", AS_OF)
    run("risks", "--as-of", AS_OF)
    run("stakeholder", "list", "--group", "grundere")
    run("templates", "list")
    run("log", "meeting", "--with", "bodil-haugen", "--commitment", "B5", "--date", AS_OF,
        "--sentiment", "positive")
    # what stakeholders say and what follows (issue 14): a concern by the first opinion
    # leader, a task already late on AS_OF, a stance, an article carrying a key message
    first = json.loads(runner.invoke(cli, ["-w", str(ws), "leaders", "--as-of", AS_OF,
                                           "--format", "json"]).output)[0]["id"]
    run("concern", "add", "Bredbånd Seter", "--raised-by", first, "--date", AS_OF)
    run("task", "add", "Ring Bodil", "--owner", "daglig_leder", "--due", "2026-11-10",
        "--stakeholder", "bodil-haugen")
    run("concern", "list")
    run("task", "list")
    run("due", "--as-of", AS_OF)
    run("concern", "close", "C2026-0001", "--answer", "Avklart")
    run("task", "done", "T2026-0001")
    run("task", "list", "--all")
    run("stakeholder", "edit", "bodil-haugen", "--stance", "support", "--stance-since", AS_OF)
    run("stakeholder", "show", "bodil-haugen")
    run("log", "article", "--group", "befolkningen", "--outlet", "osen-posten",
        "--message", "grunderkommune", "--tone", "positive", "--date", AS_OF)
    run("stakeholder", "show", "osen-posten")
    run("coverage", "--as-of", AS_OF)
    # contacts from a calendar and from mail: one known attendee, one unknown address
    ics = tmp_path / f"kalender {language}.ics"
    ics.write_text(_ICS, encoding="utf-8")
    run("import", "calendar", str(ics), "--as-of", AS_OF)
    run("import", "calendar", str(ics), "--as-of", AS_OF)  # again: nothing new
    mail = tmp_path / f"post {language}"
    mail.mkdir()
    (mail / "1.eml").write_text(_EML, encoding="utf-8")
    run("import", "mail", str(mail), "--dry-run")
    run("import", "mail", str(mail))
    run("draft", "dialogmote", "--group", "naeringslivet", "--dry-run", "--as-of", AS_OF)
    run("notify", "Hendelse")
    run("report", "--as-of", AS_OF)
    run("due", "--within", "soon", ok=False)  # an error of the command line's own
    return "\n".join(said)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_osen_cycle_speaks_one_language(tmp_path: Path, language: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # tables as wide as their rows: a value wrapped inside its column, between the cells
    # of the next, could not be told from the words around it
    monkeypatch.setattr(_output, "PIPE_WIDTH", 100_000)
    out = _stripped(_cycle(tmp_path, language), _data_values(tmp_path / f"osen-{language}"))
    others = [w for other, words in STOP.items() if other != language for w in words]
    if language == "en":
        others += NORWEGIAN_IN_ENGLISH
    assert _found(others, out) == []
    # and it did speak: words of its own language are there
    own = {"nb": ["ikke", "henger etter"], "nn": ["ikkje", "heng etter"],
           "en": ["the", "behind"]}[language]
    assert _found(own, out) == own


# --- the reports in the cycle --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_status_report_speaks_the_language_asked_for(tmp_path: Path, language: str,
                                                          fmt: str) -> None:
    ws = tmp_path / "osen"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(ws), "--from", str(OSEN)]).exit_code == 0
    result = runner.invoke(cli, ["--lang", language, "-w", str(ws), "report", "--format", fmt,
                                 "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    report = Path(result.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    if fmt == "html":  # the words people read: the page without its markup, styles and script
        report = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", report)
        report = html.unescape(re.sub(r"<[^>]+>", " ", report))
    text = _stripped(report, _data_values(ws))
    others = [w for other, words in STOP.items() if other != language for w in words]
    assert _found(others + (NORWEGIAN_IN_ENGLISH if language == "en" else []), text) == []


def test_help_follows_each_run_and_the_reference_stays_english() -> None:
    runner = CliRunner()
    nn = runner.invoke(cli, ["--lang", "nn", "due", "--help"]).output
    assert "Kva som må gjerast no, og kven som bør kontaktast." in nn
    en = runner.invoke(cli, ["--lang", "en", "due", "--help"]).output
    assert "What needs action now, and whom to contact next." in en
    runner.invoke(cli, ["--lang", "nb", "--help"])  # the last run in the process spoke nb
    from interessent.cli._reference import reference

    docs = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
    assert reference() == docs.read_text(encoding="utf-8")
