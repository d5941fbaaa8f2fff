"""Structural risk on a small network drawn by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from interessent import Interaction, Period, Relationship, Stakeholder, Workspace
from interessent.risk import RiskKind, structural_risks

PLAN = """\
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01
organisation = "prog"

[[groups]]
key = "a"
name = "Gruppe A"

[[groups]]
key = "b"
name = "Gruppe B"

[[groups]]
key = "c"
name = "Gruppe C"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "styreleder"
name = "Styreleder"
programme = true

[leaders]
top = 2
"""


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    w = Workspace(root)
    with w.store.write() as s:
        w.store.save_stakeholders(s, [
            Stakeholder("prog", "Programmet AS", kind="organisation"),
            Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",)),
            Stakeholder("sl", "Sverre Leder", roles=("styreleder",)),
            # group a: a1 knows dl, a2 knows sl — two people carry the programme into it
            Stakeholder("a1", "A1", groups=("a",)), Stakeholder("a2", "A2", groups=("a",)),
            # group b: only dl knows b1; b2 knows b1 but nobody in the programme
            Stakeholder("b1", "B1", groups=("b",)), Stakeholder("b2", "B2", groups=("b",)),
            # group c: nobody tied to the programme (c1–c2 know each other only)
            Stakeholder("c1", "C1", groups=("c",)), Stakeholder("c2", "C2", groups=("c",)),
        ])
        w.store.save_relationships(s, [
            Relationship("a1", "dl", "knows", 0.5, directed=False),
            Relationship("sl", "a2", "knows", 0.5, directed=False),
            Relationship("dl", "b1", "knows", 0.5, directed=False),
            Relationship("b1", "b2", "knows", 0.9, directed=False),
            Relationship("c1", "c2", "knows", 0.9, directed=False),
            # an old tie to c1 that ended does not count
            Relationship("c1", "sl", "knows", 0.9, directed=False, end=dt.date(2025, 1, 1)),
        ])
    yield w
    w.close()


def test_the_three_kinds_of_risk(ws: Workspace) -> None:
    found = structural_risks(ws, Period.year(2026), as_of=dt.date(2026, 6, 1))
    kinds = {(r.kind, r.group, r.subject) for r in found}
    assert (RiskKind.NO_TIE, "c", None) in kinds
    assert (RiskKind.SINGLE_PERSON, "b", "dl") in kinds
    assert not any(r.group == "a" and r.kind is not RiskKind.UNKNOWN_LEADER for r in found)
    # b2 and c1, c2 are leaders of their groups (top 2) whom nobody in the programme knows
    unknown = {(r.group, r.subject) for r in found if r.kind is RiskKind.UNKNOWN_LEADER}
    assert unknown == {("b", "b2"), ("c", "c1"), ("c", "c2")}


def test_meeting_the_group_in_the_period_removes_the_no_tie_risk(ws: Workspace) -> None:
    ws.store.add_interaction(Interaction("m1", dt.date(2026, 3, 1), "meeting",
                                         participants=("sl", "c1")))
    found = structural_risks(ws, Period.year(2026), as_of=dt.date(2026, 6, 1))
    c = [(r.kind, r.subject) for r in found if r.group == "c"]
    assert (RiskKind.NO_TIE, None) not in c
    assert (RiskKind.SINGLE_PERSON, "sl") in c
    # outside the period the meeting does not count
    later = structural_risks(ws, Period.year(2027), as_of=dt.date(2027, 6, 1))
    assert (RiskKind.NO_TIE, "c") in {(r.kind, r.group) for r in later}


def test_an_observer_seat_makes_a_leader_known(ws: Workspace) -> None:
    with ws.store.write() as s:
        ws.store.save_relationships(s, [Relationship("c1", "prog", "observer", 1.0)])
    found = structural_risks(ws, Period.year(2026), as_of=dt.date(2026, 6, 1))
    assert ("c", "c1") not in {(r.group, r.subject) for r in found
                               if r.kind is RiskKind.UNKNOWN_LEADER}
