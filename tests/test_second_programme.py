"""Adoption without code change: a second, different programme runs the whole cycle.

``examples/kystby`` is a fictional municipality's programme that shares nothing with Osen
but the program: other target groups (fiskeri, reiseliv, ungdom, innbyggjarar, fylket),
other roles (prosjektleiar, styreleiar, ordførar …), other cadences (a monthly
newsletter of its own interaction kind, quarterly contact with each fish farm, a ratio of
events hosted by tourism businesses, a structural observer seat), nynorsk as the
programme's language, Windows-1252 CSV files with decimal commas and Norwegian dates, a
nynorsk and an English letter template, and a nynorsk replacement for a built-in one.

Everything goes through the command line, as a municipality would use it: init --from,
import (an Excel list written here), log, leaders, coverage, due, draft, notify, report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from interessent.cli import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kystby"
BEFORE_THE_CALL = ["--as-of", "2027-06-10"]
END_OF_H1 = ["--period", "2027-H1", "--as-of", "2027-06-30"]


def run(ws: Path | None, *args: str | Path) -> Result:
    prefix = ["-w", str(ws)] if ws is not None else []
    result = CliRunner().invoke(cli, [*prefix, *(str(a) for a in args)], catch_exceptions=False)
    assert result.exit_code == 0, f"{args}: {result.output}"
    return result


def as_json(ws: Path, *args: str) -> object:
    return json.loads(run(ws, *args, "--format", "json").stdout)


def _excel_list(path: Path) -> None:
    """A contact list as a municipality keeps it in Excel: Norwegian headers, organisations
    by name (one defined further down), roles by an alias, some cells empty."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Interessenter"
    sheet.append(["Navn", "Type", "Organisasjon", "Roller", "Målgrupper", "Innflytelse",
                  "Målform", "E-post", "Stikkord"])
    sheet.append(["Fiona MacLeod", "person", "Kystby Rorbuer", None, "reiseliv", 2, "en",
                  "fiona@rorbuer.example", None])
    sheet.append(["Liv Aarflot", "person", "Kystby Kajakk AS", "Daglig leder", "reiseliv", 3,
                  "nb", "liv@kajakk.example", None])
    sheet.append(["Kystby Kajakk AS", "organisasjon", None, None, None, 2, None,
                  "post@kajakk.example", "reiseliv"])
    sheet.append(["Oskar Vik", "person", None, "Ungdomsrepresentant", None, 2, None, None, None])
    book.save(path)


@pytest.fixture(scope="module")
def kystby(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Kystby workspace after init, an Excel import and one logged call."""
    root = tmp_path_factory.mktemp("kystby")
    ws = root / "kystby"
    made = run(None, "init", ws, "--from", EXAMPLE)
    assert "36 stakeholders, 39 relationships, 17 interactions" in made.stdout
    assert "stakeholders.csv: 36 rows (36 added, 0 updated); read as Windows-1252" in made.stderr

    contacts = root / "nye-kontaktar.xlsx"
    _excel_list(contacts)
    dry = run(ws, "import", "stakeholders", contacts, "--dry-run").stdout
    assert "4 rows (4 added, 0 updated)" in dry and "nothing written" in dry
    assert "4 rows (4 added, 0 updated)" in run(ws, "import", "stakeholders", contacts).stdout

    logged = run(ws, "log", "call", "--with", "james-oneill", "--channel", "direkte",
                 "--commitment", "FH1", "--topic", "Quarterly contact", "--date", "2027-06-14")
    assert logged.stdout.startswith("Logged K2027-0018: call on 2027-06-14")
    yield ws


def test_the_plan_is_the_programmes_own(kystby: Path) -> None:
    out = run(kystby, "plan", "check").stdout
    assert "5 target groups, 9 commitments, 4 channels, 10 roles" in out
    assert (kystby / "templates" / "invitasjon.en.j2").is_file()
    # Osen's target groups mean nothing here.
    result = CliRunner().invoke(cli, ["-w", str(kystby), "stakeholder", "list", "--group",
                                      "befolkningen"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no target group 'befolkningen' in the plan (known: "
                                    "fiskeri, reiseliv, ungdom, innbyggjarar, fylket)")


def test_the_excel_list_was_imported(kystby: Path) -> None:
    def show(id_: str) -> dict[str, object]:
        rows = as_json(kystby, "stakeholder", "show", id_)
        assert isinstance(rows, list)
        return dict(rows[0])

    fiona = show("fiona-macleod")
    assert (fiona["organisation"], fiona["language"]) == ("kystby-rorbuer", "en")
    liv = show("liv-aarflot")
    assert liv["organisation"] == "kystby-kajakk-as"  # named before it was defined
    assert liv["roles"] == ["dagleg_leiar"]  # by the alias "Daglig leder"
    oskar = show("oskar-vik")
    assert oskar["language"] == "nn"  # the programme's language, not Osen's bokmål
    members = as_json(kystby, "stakeholder", "list", "--group", "ungdom")
    assert isinstance(members, list)
    assert "oskar-vik" in {m["id"] for m in members}  # by the group's rule (role)


def test_due_before_the_call(kystby: Path) -> None:
    data = as_json(kystby, "due", *BEFORE_THE_CALL)
    assert isinstance(data, dict)
    items = {c["id"]: c for c in data["commitments"]}
    assert items["NB1"]["urgency"] == "behind"  # no newsletter in March
    assert items["FH1"]["urgency"] == "due soon"
    assert items["FH1"]["missing"] == ["nordvik-oppdrett"]
    assert items["FH1"]["due"] == "2027-06-30"
    table = run(kystby, "due", *BEFORE_THE_CALL).stdout
    assert "Kontakt med kvart oppdrettsselskap kvart kvartal" in table


def test_leaders(kystby: Path) -> None:
    everyone = as_json(kystby, "leaders", *BEFORE_THE_CALL)
    assert isinstance(everyone, list)
    assert len(everyone) == 5  # the plan's [leaders] top
    assert everyone[0]["id"] == "siv-nerland" and everyone[0]["pinned"]
    own = {"kystby-loftet", "ingrid-saether", "olav-brekke", "gunnhild-vik"}
    assert not own & {r["id"] for r in everyone}  # the programme's own people inform leaders

    youth = as_json(kystby, "leaders", "--group", "ungdom", *BEFORE_THE_CALL)
    assert isinstance(youth, list)
    assert youth[0]["id"] == "emma-solheim"  # leads the youth council, ties to the others
    members = {"emma-solheim", "nora-aasen", "jonas-berg", "oskar-vik", "kystby-ungdomsrad",
               "kystby-vgs"}
    assert {r["id"] for r in youth} <= members


def test_coverage_of_a_small_group_worked_out_by_hand(kystby: Path) -> None:
    """fylket: the county (influence 5) and the state administrator (4) by the group's
    rule, and the county's contact person Eva Rakvåg (3), registered with the group.

    In 2027-H1 the programme met Eva (10 March, FY1); that reaches her and, through her,
    the county. The state administrator was not reached; its strongest tie to anyone
    reached is a 0.5 partnership with the county. So

    - direct reach  = (5 + 3) / (5 + 4 + 3)            = 8/12  = 0.6667
    - network reach = (5 + 3 + 4 × 0.5) / 12            = 10/12 = 0.8333
    - leaders       = 2 of the group's 3 members (top 5) = 0.6667
    - commitments   = FY1 met (1 of 1), FY2 met (1 of 1) = 1.0
    - score = (0.40 × 8/12 + 0.10 × 10/12 + 0.20 × 2/3 + 0.30 × 1) / 1.0 = 0.7833
      with Kystby's own weights (direct 0.40, network 0.10, leaders 0.20, commitments 0.30).
    """
    rows = as_json(kystby, "coverage", *END_OF_H1, "--group", "fylket")
    assert isinstance(rows, list) and len(rows) == 1
    fylket = rows[0]
    assert fylket["members"] == 3
    assert fylket["reached_directly"] == 2
    assert fylket["reached_through_network"] == 1
    assert fylket["direct_reach"] == pytest.approx(8 / 12, abs=1e-4)
    assert fylket["network_reach"] == pytest.approx(10 / 12, abs=1e-4)
    assert (fylket["leaders"], fylket["leaders_informed"]) == (3, 2)
    assert fylket["components"]["commitments"] == 1.0
    assert fylket["score"] == pytest.approx(0.4 * 8 / 12 + 0.1 * 10 / 12 + 0.2 * 2 / 3 + 0.3,
                                            abs=1e-4)
    assert {c["id"]: c["status"] for c in fylket["commitments"]} == {"FY1": "met", "FY2": "met"}


def test_coverage_after_the_call(kystby: Path) -> None:
    groups = as_json(kystby, "coverage", *END_OF_H1)
    assert isinstance(groups, list)
    assert [g["key"] for g in groups] == ["fiskeri", "reiseliv", "ungdom", "innbyggjarar",
                                          "fylket"]
    status = {c["id"]: c for g in groups for c in g["commitments"]}
    assert status["FH1"]["status"] == "met"  # the call to James reached Nordvik Oppdrett
    assert (status["FH1"]["expected"], status["FH1"]["actual"]) == (6, 6)
    assert status["RL2"]["status"] == "met"  # 2 of 5 events at tourism businesses ≥ 33 %
    assert status["NB1"]["status"] == "behind"
    table = run(kystby, "coverage", *END_OF_H1).stdout
    assert "Innbyggjarane i Kystby" in table and "Ein tredjedel av arrangementa" in table


def test_draft_in_each_recipients_language(kystby: Path, tmp_path: Path) -> None:
    out = tmp_path / "invitasjonar"
    result = run(kystby, "draft", "invitasjon", "--group", "reiseliv", "--out", out,
                 "--as-of", "2027-06-15", "--set", "dato=2027-08-20", "--set",
                 "stad=Havgapet Hotell").stdout
    assert "Drafted 10 letters (invitasjon, md)" in result
    assert "Signed by Ingrid Sæther (Prosjektleiar)" in result

    def letter(id_: str) -> str:
        return (out / f"{id_}.md").read_text(encoding="utf-8")

    for english in ("heidi-schmidt", "fiona-macleod", "kystby-rorbuer"):
        text = letter(english)
        assert "interessent: mal" not in text  # the run, not the letter, names the template
        assert "## Invitation to the Kystby tourism forum" in text
        assert "Date and place: Friday, 20 August 2027, Havgapet Hotell." in text
        assert "Kystby, 15 June 2027" in text and "Kind regards" in text
    assert "Dear Heidi," in letter("heidi-schmidt")
    assert "invites you and Kystby Rorbuer" in letter("fiona-macleod")

    sofie = letter("sofie-wang")
    assert "interessent: mal" not in sofie
    assert "Hei Sofie," in sofie
    assert "## Invitasjon til reiselivsforum i Kystby" in sofie
    assert "Tid og stad: fredag 20. august 2027, Havgapet Hotell." in sofie
    assert "Som dagleg leiar i Havgapet Hotell" in sofie
    assert "Kystby, 15. juni 2027" in sofie and "Med venleg helsing" in sofie
    # A bokmål reader gets the programme's language: there is no bokmål variant.
    liv = letter("liv-aarflot")
    assert "Hei Liv," in liv and "Med venleg helsing" in liv
    assert "Som dagleg leiar i Kystby Kajakk AS" in liv


def test_notify_with_the_workspaces_own_nynorsk_notice(kystby: Path, tmp_path: Path) -> None:
    out = tmp_path / "varsel"
    result = run(kystby, "notify", "Rømming frå merd hos Nordvik Oppdrett", "--out", out,
                 "--as-of", "2027-06-10").stdout
    assert "1. Styreleiar: Olav Brekke (olav-brekke)" in result
    assert "3. Ordførar: Siv Nerland (siv-nerland)" in result
    notice = (out / "siv-nerland.md").read_text(encoding="utf-8")
    assert "Dette er eit varsel om ei vesentleg hending i Kystby-løftet." in notice
    assert "styreleiar, prosjektleiar, ordførar og kommunedirektør" in notice


def test_report(kystby: Path, tmp_path: Path) -> None:
    md = tmp_path / "rapport.md"
    run(kystby, "--lang", "nn", "report", "--format", "md", *END_OF_H1, "--out", md)
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Statusrapport 1. halvår 2027 – Kystby-løftet")
    assert "| Fylkeskommunen og statsforvaltaren | 3 | 2 | 67 % | 83 % | 2 av 3 | 78 % |" in text
    assert "FH1 Kontakt med kvart oppdrettsselskap kvart kvartal" in text
    assert "Kystlaks opnar nytt settefiskanlegg" in text  # a success story
    assert "Osen" not in text

    html = tmp_path / "rapport.html"
    run(kystby, "report", *END_OF_H1, "--out", html)
    page = html.read_text(encoding="utf-8")
    assert "Kystby-løftet" in page and "Reiselivsnæringa" in page
    assert "Osen" not in page
