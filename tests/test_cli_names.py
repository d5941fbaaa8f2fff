"""Names where people read, and ``leaders --explain`` in words (issue 12, items 2 and 3).

A small register made in the test: Kari Berg, tied to four members of Næringslivet
and to one outsider; the sentences are counted by hand from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import interessent
from interessent import i18n
from interessent.cli import cli

AS_OF = "2026-06-01"
PLAN = """\
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01

[[groups]]
key = "naering"
name = "Næringslivet"

[[commitments]]
id = "N1"
title = "Møte hver opinionsdanner"
groups = ["naering"]
kind = "leaders"
count = 1
cadence = "year"

[leaders]
top = 2
"""
# Kari (k) knows p1, p2, p3 and Ola (o) in the group, and x outside it; Ola knows p1.
STAKEHOLDERS = """\
id;navn;type;målgrupper;innflytelse
k;Kari Berg;person;naering;5
o;Ola Dal;person;naering;2
p1;Per En;person;naering;1
p2;Pia To;person;naering;1
p3;Pål Tre;person;naering;1
x;Xena Ute;person;;1
"""
TIES = """\
fra;til;type;styrke;rettet
k;p1;knows;1;nei
k;p2;knows;1;nei
k;p3;knows;1;nei
k;o;knows;1;nei
k;x;knows;1;nei
o;p1;knows;1;nei
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    for kind, text in (("stakeholders", STAKEHOLDERS), ("relationships", TIES)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["-w", str(root), "import", kind, str(path)])
        assert result.exit_code == 0, result.output
    return root


def _run(ws: Path, language: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-w", str(ws), "--lang", language, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _flat(text: str) -> str:
    return " ".join(text.split())


# Within Næringslivet 4 are tied to Kari (p1, p2, p3, o; x is outside the group); the
# top 2 of the group are Kari and one of those tied to her: 1 other opinion leader.
IN_GROUP = {
    "nb": "rangert som nr. 1 fordi 4 i Næringslivet er knyttet til Kari Berg, blant dem "
          "1 annen opinionsdanner; registeret setter innflytelsen til Kari Berg til 5 av 5",
    "nn": "rangert som nr. 1 fordi 4 i Næringslivet er knytte til Kari Berg, mellom dei "
          "1 annan opinionsdannar; registeret set påverknaden til Kari Berg til 5 av 5",
    "en": "ranked no. 1 because 4 in Næringslivet are tied to Kari Berg, among them 1 "
          "other opinion leader; the register sets Kari Berg's influence to 5 of 5",
}
# Over the whole register 5 are tied to her (p1, p2, p3, o, x).
OVERALL = {
    "nb": "rangert som nr. 1 fordi 5 personer i registeret er knyttet til Kari Berg",
    "nn": "rangert som nr. 1 fordi 5 personar i registeret er knytte til Kari Berg",
    "en": "ranked no. 1 because 5 people in the register are tied to Kari Berg",
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_leaders_explain_says_why_in_words(ws: Path, language: str) -> None:
    out = _flat(_run(ws, language, "leaders", "--explain", "--group", "naering",
                     "--as-of", AS_OF))
    assert IN_GROUP[language] in out
    assert "pagerank" not in out and "0.35×" not in out  # no formula for people
    overall = _flat(_run(ws, language, "leaders", "--explain", "--as-of", AS_OF))
    assert OVERALL[language] in overall


def test_the_numbers_stay_in_json_and_csv(ws: Path) -> None:
    rows = json.loads(_run(ws, "nb", "leaders", "--explain", "--group", "naering",
                           "--as-of", AS_OF, "--format", "json"))
    assert rows[0]["id"] == "k" and rows[0]["influence"] == 1.0  # (5 - 1) / 4
    assert "×pagerank" in rows[0]["explanation"]  # the formula, in English
    csv_out = _run(ws, "nn", "leaders", "--explain", "--as-of", AS_OF, "--format", "csv")
    assert csv_out.splitlines()[0].startswith("rank,id,name,score,pagerank")


def test_the_library_speaks_the_language_it_is_given(ws: Path) -> None:
    w = interessent.Workspace(ws)
    try:
        ranked = interessent.rank_leaders(w, group="naering", top=2,
                                          as_of=interessent.parse_date(AS_OF))
        assert interessent.leader_reasons(w, ranked, group="naering",
                                          as_of=interessent.parse_date(AS_OF))["k"] == \
            IN_GROUP["en"]  # English unless told otherwise
        with i18n.using("nn"):
            said = interessent.leader_reasons(w, ranked, group="naering",
                                              as_of=interessent.parse_date(AS_OF))
    finally:
        w.close()
    assert said["k"] == IN_GROUP["nn"]


def test_names_where_people_read(ws: Path) -> None:
    # N1 wants each of the 2 leaders of Næringslivet (Kari, then Ola: influence 2 beats
    # Per's 1 at the same two ties) met once a year; nobody was met: the table names
    # them, JSON keeps the ids.
    out = _flat(_run(ws, "nb", "coverage", "--as-of", AS_OF))
    assert "2 opinionsdannere, hver 1 per år; ennå ikke nådd: Kari Berg, Ola Dal" in out
    data = json.loads(_run(ws, "nb", "coverage", "--commitment", "N1", "--as-of", AS_OF,
                           "--format", "json"))
    assert data[0]["missing"] == ["k", "o"]
    people = _flat(_run(ws, "en", "due", "--as-of", AS_OF))
    assert "Næringslivet" in people  # the group's name in the contacts table
    listing = _flat(_run(ws, "nn", "stakeholder", "list"))
    # the id stays (it is typed next); the group by its name
    assert "k Kari Berg person Næringslivet" in listing


@pytest.mark.parametrize(("language", "said"), [
    ("nb", "Feil: ingen interessent med id 'nobody'"),
    ("nn", "Feil: ingen interessent med id 'nobody'"),
    ("en", "Error: no stakeholder with id 'nobody'"),
])
def test_a_library_error_in_the_language_of_the_command_line(ws: Path, language: str,
                                                             said: str) -> None:
    result = CliRunner().invoke(cli, ["-w", str(ws), "--lang", language, "stakeholder",
                                      "show", "nobody"])
    assert result.exit_code == 1
    assert result.output.strip() == said


def test_the_library_raises_in_english_unless_told(ws: Path) -> None:
    w = interessent.Workspace(ws)
    try:
        with pytest.raises(interessent.NotFound, match="no stakeholder with id 'nobody'"):
            interessent.stakeholder_profile(w, "nobody")
        with i18n.using("nn"), pytest.raises(interessent.NotFound,
                                             match="ingen interessent med id 'nobody'"):
            interessent.stakeholder_profile(w, "nobody")
    finally:
        w.close()


def test_data_with_braces_is_shown_as_it_is(ws: Path) -> None:
    # a name is data: placeholders in it are not filled in by the message around it
    out = _run(ws, "nn", "stakeholder", "add", "Kari {name} %s {0}", "--id", "kari-b")
    assert out.strip() == "La til kari-b (Kari {name} %s {0})"
