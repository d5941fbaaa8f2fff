"""Structural risk on a small network drawn by hand."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from interessent import Interaction, Period, Relationship, Stakeholder, Workspace
from interessent.graph import leaders_unknown_to_programme, rank_leaders
from interessent.risk import RiskKind, structural_risks
from interessent.rules import KindCategory, kinds_in

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
        w.store._save_stakeholders(s, [
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
        w.store._save_relationships(s, [
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
    ws.store._add_interaction(Interaction("m1", dt.date(2026, 3, 1), "meeting",
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
        ws.store._save_relationships(s, [Relationship("c1", "prog", "observer", 1.0)])
    found = structural_risks(ws, Period.year(2026), as_of=dt.date(2026, 6, 1))
    assert ("c", "c1") not in {(r.group, r.subject) for r in found
                               if r.kind is RiskKind.UNKNOWN_LEADER}


# --- logged direct contact is contact with the programme ----------------------------------


def unknown_leaders(ws: Workspace, period: Period, day: dt.date) -> set[tuple[str, str]]:
    return {(r.group, r.subject or "") for r in structural_risks(ws, period, as_of=day)
            if r.kind is RiskKind.UNKNOWN_LEADER}


def test_a_logged_call_with_nobody_from_the_programme_listed_is_a_tie(ws: Workspace) -> None:
    # c1 was called in March; the log lists only c1, as most logs do
    ws.store._add_interaction(Interaction("k1", dt.date(2026, 3, 1), "call",
                                         participants=("c1",)))
    found = structural_risks(ws, Period.year(2026), as_of=dt.date(2026, 6, 1))
    # c1 is known now; c2 still is not; group c has contact, so no "no tie" risk
    assert unknown_leaders(ws, Period.year(2026), dt.date(2026, 6, 1)) == {
        ("b", "b2"), ("c", "c2")}
    assert (RiskKind.NO_TIE, "c") not in {(r.kind, r.group) for r in found}
    # and nobody in the programme is named for it: no "single person" risk is made up
    assert not [r for r in found if r.group == "c" and r.kind is RiskKind.SINGLE_PERSON]


def test_only_direct_contact_in_the_period_counts(ws: Workspace) -> None:
    with ws.store.write() as s:
        ws.store._save_interactions(s, [
            # an article naming c1 reaches no one directly
            Interaction("a1", dt.date(2026, 3, 1), "article", participants=("c1",)),
            # a meeting with c2 in 2025, before the period
            Interaction("m0", dt.date(2025, 11, 1), "meeting", participants=("c2",)),
            # a letter to b2 after the day asked about
            Interaction("l9", dt.date(2026, 7, 1), "letter", participants=("b2",)),
        ])
    assert unknown_leaders(ws, Period.year(2026), dt.date(2026, 6, 1)) == {
        ("b", "b2"), ("c", "c1"), ("c", "c2")}
    assert (RiskKind.NO_TIE, "c") in {(r.kind, r.group) for r in structural_risks(
        ws, Period.year(2026), as_of=dt.date(2026, 6, 1))}
    # seen from 2025, the meeting with c2 counts
    assert ("c", "c2") not in unknown_leaders(ws, Period.year(2025), dt.date(2025, 12, 31))


def test_a_plans_own_direct_kind_counts(tmp_path: Path) -> None:
    root = tmp_path / "own"
    root.mkdir()
    (root / "interessent.toml").write_text(PLAN + """
[[interaction_kinds]]
key = "folkemote"
name = "Folkemøte"
categories = ["direct", "gathering"]

[[interaction_kinds]]
key = "oppslag"
name = "Oppslag"
""", encoding="utf-8")
    with Workspace(root) as w:
        with w.store.write() as s:
            w.store._save_stakeholders(s, [Stakeholder("c1", "C1", groups=("c",)),
                                          Stakeholder("c2", "C2", groups=("c",))])
            w.store._save_interactions(s, [
                Interaction("f1", dt.date(2026, 3, 1), "folkemote", participants=("c1",)),
                # a kind that declares no category is not direct contact
                Interaction("o1", dt.date(2026, 3, 2), "oppslag", participants=("c2",)),
            ])
        assert unknown_leaders(w, Period.year(2026), dt.date(2026, 6, 1)) == {("c", "c2")}


def test_an_organisation_is_known_through_the_people_who_act_for_it(tmp_path: Path) -> None:
    root = tmp_path / "orgs"
    root.mkdir()
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    day = dt.date(2026, 6, 1)
    with Workspace(root) as w:
        with w.store.write() as s:
            w.store._save_stakeholders(s, [
                # group c's two leaders: two organisations
                Stakeholder("org1", "Org 1", kind="organisation", groups=("c",)),
                Stakeholder("org2", "Org 2", kind="organisation", groups=("c",)),
                Stakeholder("ansatt1", "Ansatt i Org 1", organisation="org1"),
                Stakeholder("observer2", "Styremedlem i Org 2"),
            ])
            w.store._save_relationships(s, [
                Relationship("observer2", "org2", "board_member", 1.0)])
            w.store._save_interactions(s, [
                Interaction("k1", dt.date(2026, 3, 1), "call", participants=("ansatt1",)),
                Interaction("k2", dt.date(2026, 3, 2), "call", participants=("observer2",)),
            ])
        # Org 1's employee acts for it; a board seat does not make one act for Org 2
        assert unknown_leaders(w, Period.year(2026), day) == {("c", "org2")}


def test_trond_kvam_met_eight_times_is_no_unknown_leader(osen: Workspace) -> None:
    """Counted from the Osen example's data/interactions.csv."""
    path = osen.root / "data" / "interactions.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    direct = set(kinds_in(KindCategory.DIRECT, osen.plan))
    met = [r["id"] for r in rows if "trond-kvam" in r["deltakere"].split("|")
           and r["type"] in direct and r["dato"].startswith("2026")]
    # five meetings, two calls and an e-mail; none lists a programme person beside him
    assert len(met) == 8
    day = dt.date(2026, 11, 26)
    found = structural_risks(osen, Period.year(2026), as_of=day)
    assert "trond-kvam" not in {r.subject for r in found}
    # he has no relationship with the programme: from November on, unknown again
    leaders = rank_leaders(osen, group="ledelse", top=10, as_of=day)
    assert "trond-kvam" in {s.id for s in leaders}
    after = leaders_unknown_to_programme(osen, leaders, as_of=day,
                                         since=dt.date(2026, 11, 1))
    assert "trond-kvam" in {s.id for s in after}
