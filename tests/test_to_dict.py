"""Plain data: every result's ``to_dict()`` is JSON-ready, with ISO dates, and is exactly
what the CLI prints as JSON for the same data (issue 13, item 6)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import interessent
from conftest import PLAN
from interessent import Workspace
from interessent.cli import cli

DAY = dt.date(2026, 11, 26)
AS_OF = ("--as-of", DAY.isoformat())
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2})?$")


@pytest.fixture
def plan_text() -> str:
    """The shared test plan, with a retention period of a year."""
    return PLAN.replace('language = "nn"\n', 'language = "nn"\nretention_months = 12\n', 1)


@pytest.fixture
def ws(workspace: Workspace) -> Iterator[Workspace]:
    """Three stakeholders and two meetings, made here:

    - per-berg and kari-dal in befolkningen, osen-sjomat (an organisation) in
      naeringslivet; per-berg holds a legal basis;
    - 2026-03-02 a meeting with per-berg; 2026-04-10 a meeting with osen-sjomat for B5.
    """
    interessent.add_stakeholder(workspace, name="Per Berg", groups=["befolkningen"],
                                influence=4)
    interessent.add_stakeholder(workspace, name="Kari Dal", groups=["befolkningen"])
    interessent.add_stakeholder(workspace, name="Osen Sjømat", kind="organisation",
                                groups=["naeringslivet"])
    interessent.log_interaction(workspace, kind="meeting", date="2026-03-02",
                                participants=["per-berg"], channel="direkte")
    interessent.log_interaction(workspace, kind="meeting", date="2026-04-10",
                                participants=["osen-sjomat"], channel="direkte",
                                commitments=["B5"])
    interessent.record_consent(workspace, "per-berg", basis="samtykke", source="skjema",
                               given="2026-03-02")
    yield workspace


def cli_json(ws: Workspace, *args: str) -> Any:
    done = CliRunner().invoke(cli, ["-w", str(ws.root), *args])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def same(data: Any, printed: Any) -> None:
    """``data`` (to_dict output) goes through json.dumps as it is, and equals what the CLI
    printed."""
    text = json.dumps(data, ensure_ascii=False)  # no default=: plain data only
    assert json.loads(text) == printed == data


def test_group_coverage(ws: Workspace) -> None:
    period = interessent.parse_period("2026")
    result = interessent.measure_coverage(ws, period, as_of=DAY)
    data = [g.to_dict() for g in result]
    same(data, cli_json(ws, "coverage", "--period", "2026", "--format", "json", *AS_OF))
    folk = data[0]
    # befolkningen: per-berg and kari-dal; per-berg met 2026-03-02. Reach is weighted by
    # influence: per-berg's 4 of 4 + 3 (kari-dal declared none: neutral 3) = 0.5714
    assert (folk["key"], folk["members"], folk["reached_directly"], folk["direct_reach"]) == (
        "befolkningen", 2, 1, 0.5714)
    assert (folk["period"], folk["as_of"]) == ("2026-01-01..2026-12-31", "2026-11-26")
    b5 = next(c for c in data[1]["commitments"] if c["id"] == "B5")
    # B5, half-yearly: the meeting of 2026-04-10 met H1; H2 ends 2026-12-31, not met yet
    assert (b5["status"], b5["due"]) == ("due", "2026-12-31")
    assert ISO_DATE.match(b5["due"])


def test_commitment_status_and_explanation(ws: Workspace) -> None:
    period = interessent.parse_period("2026")
    [b5] = interessent.check_commitments(ws, period, as_of=DAY, ids=["B5"])
    same([b5.to_dict()], cli_json(ws, "coverage", "--period", "2026", "--commitment", "B5",
                                  "--format", "json", *AS_OF))
    [why] = interessent.explain_commitments(ws, period, as_of=DAY, ids=["B5"])
    same([why.to_dict()], cli_json(ws, "coverage", "--period", "2026", "--commitment", "B5",
                                   "--explain", "--format", "json", *AS_OF))
    h1 = why.to_dict()["windows"][0]
    assert (h1["start"], h1["end"], h1["actual"]) == ("2026-01-01", "2026-06-30", 1)
    assert [c["date"] for c in h1["contacts"]] == ["2026-04-10"]


def test_dues(ws: Workspace) -> None:
    dues = interessent.due(ws, as_of=DAY, within_days=30, contacts=10)
    data = dues.to_dict()
    same(data, cli_json(ws, "due", "--format", "json", *AS_OF))
    assert (data["as_of"], data["within_days"]) == ("2026-11-26", 30)
    for item in data["commitments"]:
        assert item["start_by"] is None or ISO_DATE.match(item["start_by"])
    # one of the due items alone
    if dues.items:
        assert dues.items[0].to_dict() == data["commitments"][0]


def test_leader_scores(ws: Workspace) -> None:
    ranked = interessent.rank_leaders(ws, top=3, as_of=DAY)
    same([s.to_dict() for s in ranked],
         cli_json(ws, "leaders", "--top", "3", "--format", "json", *AS_OF))
    same([s.to_dict(explanation=True) for s in ranked],
         cli_json(ws, "leaders", "--top", "3", "--explain", "--format", "json", *AS_OF))
    keys = set(ranked[0].to_dict())
    assert keys == {"rank", "id", "name", "score", "pinned", "pagerank", "betweenness",
                    "influence", "role"}


def test_risks(ws: Workspace) -> None:
    found = interessent.structural_risks(ws, interessent.parse_period("2026"), as_of=DAY)
    data = [r.to_dict() for r in found]
    same(data, cli_json(ws, "risks", "--period", "2026", "--format", "json", *AS_OF))
    # both groups were contacted (2026-03-02, 2026-04-10), so neither has "no tie"; kari-dal
    # (a leader of befolkningen, as one of two members) was never met
    assert ("unknown leader", "befolkningen", "kari-dal") in {
        (r["kind"], r["group"], r["subject"]) for r in data}
    assert not any(r["kind"] == "no tie" or r["subject"] == "per-berg" for r in data)


def test_import_result(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "folk.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["name", "groups"], ["Ola Vik", "befolkningen"],
                                 ["Per Berg", "befolkningen"]])
    result = interessent.import_file(ws, "stakeholders", path, dry_run=True)
    data = result.to_dict()
    same(data, cli_json(ws, "import", "stakeholders", str(path), "--dry-run", "--json"))
    # two rows: Ola Vik is new, Per Berg is registered already
    assert (data["rows"], data["added"], data["updated"], data["dry_run"]) == (2, 1, 1, True)
    assert data["ids"] == ["ola-vik", "per-berg"]


def test_draft_run_and_letters(osen: Workspace) -> None:
    run = interessent.draft(osen, "dialogmote", stakeholders=["astrid-lian"], as_of=DAY,
                            write=False)
    data = run.to_dict()
    printed = cli_json(osen, "draft", "dialogmote", "-s", "astrid-lian", "--dry-run",
                       "--json", *AS_OF)
    same(data, printed)
    [letter] = data["letters"]
    assert letter == run.letters[0].to_dict()
    assert (letter["recipient"], letter["path"]) == ("astrid-lian", None)
    assert "Astrid" in letter["content"]
    assert data["out"] == str(osen.root / "utkast" / "dialogmote-2026-11-26")
    assert data["signature"]["name"] == "Marius Høvik"


def test_a_word_letter_is_base64(osen: Workspace) -> None:
    import base64

    run = interessent.draft(osen, "dialogmote", stakeholders=["astrid-lian"], as_of=DAY,
                            fmt="docx", write=False)
    content = run.letters[0].to_dict()["content"]
    assert base64.b64decode(content)[:2] == b"PK"
    json.dumps(run.to_dict())


def test_template_info(osen: Workspace) -> None:
    data = [t.to_dict() for t in interessent.list_templates(osen)]
    same(data, cli_json(osen, "templates", "list", "--format", "json"))
    dialog = next(t for t in data if t["name"] == "dialogmote")
    # dialogmote.j2, dialogmote.nn.j2, dialogmote.en.j2 and dialogmote.html.j2 in the Osen
    # example
    assert (dialog["languages"], dialog["formats"]) == (["en", "nn"], ["any", "html"])


def test_stakeholders_and_profile(ws: Workspace) -> None:
    data = [s.to_dict() for s in interessent.find_stakeholders(ws)]
    same(data, cli_json(ws, "stakeholder", "list", "--format", "json"))
    assert [s["id"] for s in data] == ["kari-dal", "osen-sjomat", "per-berg"]
    profile = interessent.stakeholder_profile(ws, "per-berg").to_dict()
    same([profile], cli_json(ws, "stakeholder", "show", "per-berg", "--format", "json"))
    assert (profile["kind"], profile["language"]) == ("person", "nn")  # the plan's language
    assert [i["date"] for i in profile["interactions"]] == ["2026-03-02"]


def test_privacy_results(ws: Workspace) -> None:
    consents = [c.to_dict() for c in interessent.consents(ws, "per-berg")]
    same(consents, cli_json(ws, "privacy", "consents", "per-berg", "--format", "json"))
    [only] = consents
    assert (only["given"], only["current"], only["withdrawn"]) == ("2026-03-02", True, None)
    assert ISO_TIME.match(only["recorded_at"]), only["recorded_at"]
    entries = [e.to_dict() for e in interessent.audit_log(ws)]
    same(entries, cli_json(ws, "privacy", "audit", "--format", "json"))
    assert all(ISO_TIME.match(e["at"]) for e in entries)
    # retention of 12 months, counted back from 2040: nobody was active since 2039
    report = interessent.retention(ws, as_of=dt.date(2040, 1, 1))
    candidates = [c.to_dict() for c in report.candidates]
    same(candidates, cli_json(ws, "privacy", "retention", "--as-of", "2040-01-01",
                              "--format", "json"))
    assert candidates and all(ISO_DATE.match(c["last_activity"]) for c in candidates)


def test_an_erasure_holds_no_personal_data(ws: Workspace) -> None:
    done = interessent.erase(ws, "kari-dal")
    data = done.to_dict()
    json.dumps(data)
    assert data["id"].startswith("slettet-") and "Kari" not in json.dumps(data)


def test_retention_and_erasure_plans_have_plain_data(ws: Workspace) -> None:
    # retention of 12 months counted back from 2040-01-01: cut-off 2039-01-01; the two
    # people were last active in 2026 (osen-sjomat is an organisation, not personal data),
    # per-berg is kept for his valid consent (given 2026-03-02): kari-dal alone
    report = interessent.retention(ws, as_of=dt.date(2040, 1, 1))
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert (data["as_of"], data["months"], data["cutoff"]) == ("2040-01-01", 12, "2039-01-01")
    assert [c["id"] for c in data["candidates"]] == ["kari-dal"]
    assert data["kept"]["consent"] == 1 and data["erased"] == []
    same(data["candidates"], cli_json(ws, "privacy", "retention", "--as-of", "2040-01-01",
                                      "--format", "json"))
    # the plan of erasing Kari Dal: no ties, no meetings, no legal basis
    plan = interessent.plan_erasure(ws, "kari-dal").to_dict()
    assert json.loads(json.dumps(plan)) == plan
    assert (plan["id"], plan["name"]) == ("kari-dal", "Kari Dal")
    assert plan["new_id"].startswith("slettet-")
    assert (plan["relationships"], plan["participations"], plan["consents"]) == (0, 0, 0)
    assert any("Kari Dal" in text for text in plan["looked_for"])
    assert all(set(c) == {"where", "before", "after"} for c in plan["changes"])
    assert all(set(f) >= {"path", "kind", "action", "holds"} for f in plan["files"])
