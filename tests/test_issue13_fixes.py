"""Issue 13's promises that an outsider found broken, fixed: each test names what was
found (a plan built in code with text for a date or a kind, an actor with a line feed,
huge values quoted whole in messages, results without ``to_dict()``, templates that
build gigabytes)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import interessent
from interessent import PlanError

PLAN = """
[programme]
name = "Verdiprogrammet"
municipality = "Osen kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Folk i Osen"

[[commitments]]
id = "F1"
title = "Møte"
groups = ["folk"]
kind = "cadence"
cadence = "year"
"""


# --- item 1: a plan built in code holds values of their types -----------------------------


def test_text_where_a_kind_or_a_date_is_due_is_a_plan_error_in_code() -> None:
    plan = interessent.parse_plan(PLAN)
    commitment = plan.commitments[0]
    with pytest.raises(PlanError) as caught:
        attrs.evolve(plan, commitments=(attrs.evolve(
            commitment, kind="cadence", cadence="year"),))  # type: ignore[arg-type]
    # two values given as text: kind and cadence
    assert sorted(p.path for p in caught.value.problems) == [
        "commitments[0].cadence", "commitments[0].kind"]
    assert "not str 'year'" in str(caught.value)
    with pytest.raises(PlanError) as caught:
        attrs.evolve(plan, programme=attrs.evolve(
            plan.programme, end="2026-12-31"))  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["programme.end"]


def test_a_file_may_still_write_a_date_as_text_and_code_its_types() -> None:
    # A file (or a mapping from JSON) writes what it can: text for a date is read as one.
    plan = interessent.parse_plan(PLAN.replace("start = 2026-01-01",
                                               'start = "2026-01-01"'))
    assert plan.programme.start == dt.date(2026, 1, 1)
    same = attrs.evolve(plan, programme=attrs.evolve(plan.programme, end=dt.date(2026, 12, 31)))
    assert same.programme.end == dt.date(2026, 12, 31)
