"""The plan file: structure, cross-references, key paths and TOML lines of every error."""

from pathlib import Path

import pytest

from interessent import PlanError, parse_plan
from interessent.periods import Unit
from interessent.plan import CommitmentKind, load_plan

BASE = """\
[programme]
name = "Prøveprogrammet"
municipality = "Prøve kommune"
start = 2026-01-01

[[phases]]
key = "oppstart"
name = "Oppstartsåret"
start = 2026-01-01
end = 2026-12-31

[[groups]]
key = "befolkningen"
name = "Befolkningen"

[[groups]]
key = "naeringslivet"
name = "Næringslivet"

[[channels]]
key = "media"
name = "Lokalmedia"
kind = "media"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[topics]]
key = "daily"
name = "Løpende"
"""


def problems(text: str) -> list[tuple[str, str, int | None]]:
    with pytest.raises(PlanError) as info:
        parse_plan(text, source="plan.toml")
    return [(p.path, p.message, p.line) for p in info.value.problems]


def test_a_valid_plan_loads_into_typed_values() -> None:
    plan = parse_plan(BASE + """
[[commitments]]
id = "B1"
title = "Nyheter i lokalmedia"
groups = ["befolkningen", "naeringslivet"]
count = 1
cadence = "monthly"
phase = "oppstart"
channel = "media"
responsible = "daglig_leder"
""")
    c = plan.commitment("B1")
    assert c.kind is CommitmentKind.CADENCE
    assert c.cadence is Unit.MONTH
    assert c.groups == ("befolkningen", "naeringslivet")
    assert plan.phase("oppstart").period.days == 365
    assert plan.programme_roles == {"daglig_leder"}


def test_unknown_period_names_its_key_path_and_line() -> None:
    text = BASE + """
[[commitments]]
id = "B1"
title = "x"
groups = ["befolkningen"]
cadence = "fortnightly"
"""
    line = text.splitlines().index('cadence = "fortnightly"') + 1
    assert problems(text) == [(
        "commitments[0].cadence",
        "unknown period 'fortnightly' (expected one of month, quarter, half_year, year)",
        line,
    )]


def test_unknown_keys_are_errors_not_ignored() -> None:
    text = BASE.replace('municipality = "Prøve kommune"',
                        'municipality = "Prøve kommune"\nmunicipallity = "typo"')
    assert problems(text) == [("programme.municipallity", "unknown key", 4)]


def test_every_problem_is_reported_with_its_path() -> None:
    text = BASE + """
[[commitments]]
id = "B1"
title = "x"
groups = ["befolkningen", "grundere"]
cadence = "quarter"
phase = "hovedfase"
channel = "tv"
responsible = "ordforer"

[[commitments]]
id = "B1"
title = "y"
groups = ["naeringslivet"]
kind = "ratio"

[information]
notify = ["styreleder"]

[[information.rules]]
topic = "politics"
roles = ["daglig_leder"]
"""
    found = problems(text)
    paths = [p for p, _, _ in found]
    assert paths == [
        "commitments[1].id",
        "commitments[0].groups[1]",
        "commitments[0].phase",
        "commitments[0].channel",
        "commitments[0].responsible",
        "commitments[1].ratio",
        "commitments[1].of",
        "commitments[1].host",
        "information.rules[0].topic",
        "information.notify[0]",
    ]
    lines = text.splitlines()
    by_path = {p: line for p, _, line in found if line is not None}
    assert lines[by_path["commitments[0].channel"] - 1] == 'channel = "tv"'
    assert lines[by_path["commitments[1].id"] - 1] == 'id = "B1"'
    assert by_path["commitments[1].id"] > by_path["commitments[0].channel"]
    assert lines[by_path["information.rules[0].topic"] - 1] == 'topic = "politics"'
    assert "unknown target group 'grundere'" in dict((p, m) for p, m, _ in found)[
        "commitments[0].groups[1]"]


def test_wrong_types_are_named() -> None:
    text = BASE.replace('start = 2026-01-01\n\n[[phases]]', 'start = "soon"\n\n[[phases]]')
    [(path, message, line)] = problems(text)
    assert path == "programme.start" and line == 4
    assert "soon" in message


def test_missing_required_key() -> None:
    text = BASE.replace('name = "Prøveprogrammet"\n', "")
    [(path, message, _)] = problems(text)
    assert (path, message) == ("programme.name", "required key is missing")


def test_toml_syntax_error_gives_the_line() -> None:
    [(path, message, line)] = problems(BASE + "\n[[groups]\nkey = 1\n")
    assert path == "(toml)" and "not valid TOML" in message
    assert line == len(BASE.splitlines()) + 2


def test_structural_and_per_member_rules() -> None:
    text = BASE + """
[[commitments]]
id = "V3"
title = "Observatører"
groups = ["naeringslivet"]
kind = "structural"
requires = [{ source = "in", kind = "observes", target = "styret" }]

[[commitments]]
id = "E3"
title = "Kompetansemiljø"
groups = ["naeringslivet"]
kind = "per_member"
cadence = "year"
count = 0
"""
    found = {p: m for p, m, _ in problems(text)}
    assert set(found) == {"commitments[0].requires[0].kind", "commitments[1].count",
                          "commitments[1].members"}
    assert "unknown relationship kind 'observes'" in found["commitments[0].requires[0].kind"]


def test_missing_plan_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="does not exist"):
        load_plan(tmp_path / "interessent.toml")
