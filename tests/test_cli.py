"""The command line through click's CliRunner, on real SQLite files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from interessent.cli import cli

AS_OF = ["--as-of", "2026-11-26"]


def run(*args: str | Path, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def one_error_line(result: Result) -> str:
    """A user mistake: exit 1, an `Error: …` message, and never a traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: "), result.stderr
    return result.stderr.splitlines()[0]


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("cli") / "osen"
    run("init", root, "--example", "osen")
    yield root


def test_help_lists_the_commands() -> None:
    out = run("--help").output
    for command in ("init", "plan", "import", "export", "stakeholder", "log", "leaders",
                    "coverage", "due"):
        assert f"  {command}" in out


def test_init_an_empty_workspace_and_check_its_plan(tmp_path: Path) -> None:
    out = run("init", tmp_path / "ny").output
    assert "0 stakeholders" in out
    assert "is valid" in run("-w", tmp_path / "ny", "plan", "check").output


def test_outside_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = one_error_line(run("stakeholder", "list", ok=False))
    assert "not inside an interessent workspace" in line


def test_a_broken_plan_names_each_key_path(tmp_path: Path) -> None:
    run("init", tmp_path / "ws")
    plan = tmp_path / "ws" / "interessent.toml"
    plan.write_text(plan.read_text().replace('kind = "direct"', 'kind = "pigeon"')
                    + '\n[[commitments]]\nid = "X"\ntitle = "x"\ngroups = ["befolkningen"]\n'
                    'cadence = "fortnightly"\n', encoding="utf-8")
    result = run("-w", tmp_path / "ws", "plan", "check", ok=False)
    assert one_error_line(result).endswith("2 problems in the plan")
    assert "channels[0].kind (line" in result.stderr and "'pigeon'" in result.stderr
    assert "commitments[0].cadence (line" in result.stderr
    assert "unknown period 'fortnightly'" in result.stderr


def test_plan_check_on_osen_has_no_warnings(osen: Path) -> None:
    result = run("-w", osen, "plan", "check")
    assert "6 target groups, 19 commitments" in result.output
    assert "warning" not in result.stderr


def test_stakeholder_list_as_json(osen: Path) -> None:
    rows = json.loads(run("-w", osen, "stakeholder", "list", "--group", "virkemiddelapparatet",
                          "--format", "json").output)
    assert {"id", "name", "kind", "groups"} <= set(rows[0])
    ids = {r["id"] for r in rows}
    assert {"innovasjon-norge", "trondelag-fylkeskommune", "kmd", "siri-brekken"} <= ids
    assert all("virkemiddelapparatet" in r["groups"] for r in rows)


def test_stakeholder_list_as_csv_is_formula_safe(osen: Path) -> None:
    out = run("-w", osen, "stakeholder", "list", "--format", "csv").output
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["id", "name", "kind"]
    assert len(rows) == 1 + 205
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row)


def test_stakeholder_show(osen: Path) -> None:
    out = run("-w", osen, "stakeholder", "show", "siri-brekken").output
    assert "Innovasjon Norge (innovasjon-norge)" in out
    assert "observer" in out and "Interactions (" in out
    line = one_error_line(run("-w", osen, "stakeholder", "show", "nobody", ok=False))
    assert "no stakeholder with id 'nobody'" in line


def test_leaders_as_json(osen: Path) -> None:
    rows = json.loads(run("-w", osen, "leaders", "--top", "5", "--format", "json",
                          *AS_OF).output)
    assert len(rows) == 5
    assert {"id", "name", "score"} <= set(rows[0])
    scores = [r["score"] for r in rows[1:]]
    assert scores == sorted(scores, reverse=True)


def test_leaders_explain(osen: Path) -> None:
    # words for people (issue 12); the formula stays in JSON
    out = run("-w", osen, "leaders", "--group", "naeringslivet", "--explain", *AS_OF).output
    assert "ranked no. 1 because" in out and "×pagerank" not in out
    rows = json.loads(run("-w", osen, "leaders", "--group", "naeringslivet", "--explain",
                          "--format", "json", *AS_OF).output)
    assert "×pagerank" in rows[0]["explanation"] and "×betweenness" in rows[0]["explanation"]


def test_coverage_as_json(osen: Path) -> None:
    groups = json.loads(run("-w", osen, "coverage", "--period", "2026", "--format", "json",
                            *AS_OF).output)
    assert [g["key"] for g in groups] == ["befolkningen", "naeringslivet", "grundere",
                                          "ledelse", "virkemiddelapparatet", "eksterne"]
    for g in groups:
        assert 0 <= g["score"] <= 1
        for c in g["commitments"]:
            assert {"id", "status", "expected", "actual"} <= set(c)
    v = {c["id"]: c for c in groups[4]["commitments"]}
    assert v["V4"]["status"] == "due" and v["V4"]["missing"] == ["kmd"]


def test_coverage_table_and_csv(osen: Path) -> None:
    table = run("-w", osen, "coverage", "--period", "2026-H2", *AS_OF).output
    # English: the plan's English name of the group befolkningen
    assert "The people of Osen" in table and "B6" in table
    rows = list(csv.DictReader(io.StringIO(
        run("-w", osen, "coverage", "--period", "2026", "--format", "csv", *AS_OF).output)))
    assert len(rows) == 6 and rows[0]["key"] == "befolkningen"


def test_a_malformed_period_is_a_clear_error(osen: Path) -> None:
    line = one_error_line(run("-w", osen, "coverage", "--period", "2026-Q5", ok=False))
    assert "not a period: '2026-Q5'" in line
    line = one_error_line(run("-w", osen, "due", "--as-of", "yesterday", ok=False))
    assert "not a date" in line


def test_due_as_json(osen: Path) -> None:
    data = json.loads(run("-w", osen, "due", "--format", "json", *AS_OF).output)
    assert data["commitments"][0]["urgency"] == "overdue"
    assert data["contacts"] and {"id", "name", "reason"} <= set(data["contacts"][0])


def test_export_graph_reads_back_in_networkx(osen: Path, tmp_path: Path) -> None:
    out = tmp_path / "osen.graphml"
    run("-w", osen, "export", "graph", "--format", "graphml", "--out", out, *AS_OF)
    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() == 205
    assert graph.nodes["innovasjon-norge"]["name"] == "Innovasjon Norge"
    gexf = run("-w", osen, "export", "graph", "--format", "gexf", *AS_OF).output
    assert gexf.lstrip().startswith("<?xml")


def test_export_stakeholders_round_trips_through_import(osen: Path, tmp_path: Path) -> None:
    exported = tmp_path / "stakeholders.csv"
    run("-w", osen, "export", "stakeholders", "--out", exported)
    run("init", tmp_path / "copy")
    # the copy needs the Osen plan for the groups and roles
    (tmp_path / "copy" / "interessent.toml").write_text(
        (osen / "interessent.toml").read_text(encoding="utf-8"), encoding="utf-8")
    out = run("-w", tmp_path / "copy", "import", "stakeholders", exported).output
    assert "205 rows (205 added, 0 updated)" in out
    again = run("-w", tmp_path / "copy", "export", "stakeholders").stdout_bytes
    assert again == exported.read_bytes()


def test_a_rejected_import_is_one_error_and_writes_nothing(osen: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("navn;målgrupper\nKari Ny;befolkningen\nOla Ny;ukjent\n", encoding="utf-8")
    before = run("-w", osen, "export", "stakeholders").output
    result = run("-w", osen, "import", "stakeholders", bad, ok=False)
    assert "rejected, nothing imported: 1 bad row" in one_error_line(result)
    assert "row 3" in result.stderr and "ukjent" in result.stderr
    assert run("-w", osen, "export", "stakeholders").output == before


def test_import_dry_run(osen: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    new.write_text("navn,målgrupper\nKari Ny,befolkningen\n", encoding="utf-8")
    assert "dry run" in run("-w", osen, "import", "stakeholders", new, "--dry-run").output
    one_error_line(run("-w", osen, "stakeholder", "show", "kari-ny", ok=False))


def test_stakeholder_add_edit_and_log_move_coverage(tmp_path: Path) -> None:
    ws = tmp_path / "osen"
    run("init", ws, "--example", "osen")

    def befolkningen() -> dict[str, int]:
        rows = json.loads(run("-w", ws, "coverage", "--period", "2026", "--group",
                              "befolkningen", "--format", "json", *AS_OF).output)
        return {"members": rows[0]["members"], "reached": rows[0]["reached_directly"]}

    before = befolkningen()
    out = run("-w", ws, "stakeholder", "add", "Åse Ørnes", "--group", "befolkningen",
              "--role", "Leder lag/forening", "--influence", "4",
              "--phone", "+47 900 00 000").output
    assert "Added ase-ornes (Åse Ørnes)" in out
    assert befolkningen() == {"members": before["members"] + 1, "reached": before["reached"]}

    run("-w", ws, "stakeholder", "edit", "ase-ornes", "--email", "ase@example.no",
        "--clear", "phone")
    shown = json.loads(run("-w", ws, "stakeholder", "show", "ase-ornes", "--format",
                           "json").output)[0]
    assert (shown["email"], shown["phone"], shown["roles"]) == (
        "ase@example.no", None, ["leder_lag_forening"])

    out = run("-w", ws, "log", "meeting", "--with", "ase-ornes", "--channel", "direkte",
              "--commitment", "B2", "--date", "2026-11-25", "--topic", "Orientering").output
    assert out.startswith("Logged K2026-0340: meeting on 2026-11-25")
    assert befolkningen() == {"members": before["members"] + 1,
                              "reached": before["reached"] + 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stakeholder", "add", "Per", "--group", "befolkningn"],
         "--group: unknown target group 'befolkningn'"),
        (["stakeholder", "add", "Kari", "--id", "siri-brekken"], "already exists"),
        (["stakeholder", "edit", "nobody", "--email", "x@example.no"],
         "no stakeholder with id 'nobody'"),
        (["log", "meeting", "--with", "nobody"], "unknown stakeholder 'nobody'"),
        (["log", "meeting", "--with", "siri-brekken", "--commitment", "B9"],
         "unknown commitment 'B9'"),
        (["log", "meeting", "--with", "siri-brekken", "--date", "31.02.2026"], "not a date"),
        (["log", "meeting"], "say whom it reached"),
    ],
)
def test_everyday_mistakes_are_one_line_and_change_nothing(
    osen: Path, args: list[str], message: str
) -> None:
    before = run("-w", osen, "export", "interactions").output
    line = one_error_line(run("-w", osen, *args, ok=False))
    assert message in line
    assert run("-w", osen, "export", "interactions").output == before
