"""Each business rule has one Python form and one SQL form; these tests hold them together.

Hypothesis makes small registers (people, organisations, ties with start and end days)
and a group rule or a plan; the Python form in :mod:`interessent.rules` and its SQL form
beside the store's queries must select exactly the same stakeholders and ties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, select, text

from interessent.model import Kind, Relationship, Stakeholder
from interessent.plan import Members, Plan, Role, TargetGroup, parse_plan
from interessent.rules import (
    ACTING_TIE_KINDS,
    BUILTIN_KIND_CATEGORIES,
    KindCategory,
    acts_for,
    is_member,
    is_programme_own,
    kind_categories,
    kinds_in,
    party_of,
    tie_active_during,
    tie_active_on,
)
from interessent.store import REL, ST, Store
from interessent.store.rules import (
    Selection,
    active_during_sql,
    active_on_sql,
    members_sql,
    party_sql,
    programme_people_sql,
    tie_active_clause,
)

A, B = ST.alias("a"), ST.alias("b")
ORGS = ("org-a", "org-b", "org-c")
ROLES = ("styreleder", "daglig_leder", "ordforer", "ansatt")
GROUPS = ("g1", "g2", "g3")
TAGS = ("t1", "t2")
REL_KINDS = ("works_for", "leads", "board_chair", "board_member", "observer", "knows")
DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in (0, 30, 59, 60, 61, 120, 364)]
maybe_day = st.none() | st.sampled_from(DAYS)
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def subset(xs: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(xs), unique=True, max_size=len(xs))


@st.composite
def registers(draw: st.DrawFn) -> tuple[list[Stakeholder], list[Relationship]]:
    """Three organisations and up to eight people, with ties among all of them."""
    orgs = [Stakeholder(id=o, name=o, kind=Kind.ORGANISATION, roles=draw(subset(ROLES)),
                        groups=draw(subset(GROUPS)), tags=draw(subset(TAGS))) for o in ORGS]
    people = [Stakeholder(id=f"p{i}", name=f"p{i}", kind=Kind.PERSON,
                          organisation=draw(st.none() | st.sampled_from(ORGS)),
                          roles=draw(subset(ROLES)), groups=draw(subset(GROUPS)),
                          tags=draw(subset(TAGS)))
              for i in range(draw(st.integers(0, 8)))]
    everyone = [s.id for s in orgs + people]
    ties: dict[tuple[str, str, str], Relationship] = {}
    for _ in range(draw(st.integers(0, 25))):
        a, b = draw(st.sampled_from(everyone)), draw(st.sampled_from(everyone))
        if a == b:
            continue
        start, end = draw(maybe_day), draw(maybe_day)
        if start and end and end < start:
            start, end = end, start
        rel = Relationship(a, b, draw(st.sampled_from(REL_KINDS)), start=start, end=end)
        ties[rel.key] = rel
    return orgs + people, list(ties.values())


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="module")
def base_plan() -> Plan:
    return parse_plan('[programme]\nname = "P"\nmunicipality = "M"\nstart = 2026-01-01\n')


def _fill(store: Store, people: list[Stakeholder], ties: list[Relationship]) -> None:
    with store.write() as s:
        for table in ("relationships", "stakeholder_roles", "stakeholder_groups",
                      "stakeholder_tags", "stakeholders"):
            s.execute(text(f"DELETE FROM {table}"))
        store._save_stakeholders(s, people)
        store._save_relationships(s, ties)


def _ids(store: Store, selection: Selection, **more: Any) -> set[str]:
    sql, params, expanding = selection
    stmt = text(f"SELECT id FROM stakeholders WHERE pk IN ({sql})").bindparams(
        *(bindparam(name, expanding=True) for name in expanding))
    with store.read() as s:
        return set(s.scalars(stmt, {**params, **more}))


@FAST
@given(world=registers(), first=st.sampled_from(DAYS), length=st.sampled_from([0, 1, 45, 400]))
def test_tie_active_python_and_sql_agree(store: Store, world: Any, first: dt.date,
                                         length: int) -> None:
    people, ties = world
    _fill(store, people, ties)
    last = first + dt.timedelta(days=length)
    query = """SELECT a.id, b.id, rel.kind FROM relationships rel
               JOIN stakeholders a ON a.pk = rel.source_pk
               JOIN stakeholders b ON b.pk = rel.target_pk WHERE {}"""
    with store.read() as s:
        during = {tuple(r) for r in s.execute(text(query.format(active_during_sql())),
                                              {"start": first, "end": last})}
        on = {tuple(r) for r in s.execute(text(query.format(active_on_sql())),
                                          {"day": first})}
        core = {tuple(r) for r in s.execute(
            select(A.c.id, B.c.id, REL.c.kind)
            .join(A, A.c.pk == REL.c.source_pk).join(B, B.c.pk == REL.c.target_pk)
            .where(tie_active_clause(REL, first, last)))}
    expected = {t.key for t in ties if tie_active_during(t, first, last)}
    assert during == expected
    assert core == expected
    assert on == {t.key for t in ties if tie_active_on(t, first)}


@FAST
@given(world=registers(), organisation=st.none() | st.sampled_from([*ORGS, "p0", "nobody"]),
       own=st.lists(st.sampled_from(ROLES), unique=True))
def test_programme_people_python_and_sql_agree(store: Store, base_plan: Plan, world: Any,
                                               organisation: str | None,
                                               own: list[str]) -> None:
    people, ties = world
    _fill(store, people, ties)
    plan = attrs.evolve(
        base_plan, programme=attrs.evolve(base_plan.programme, organisation=organisation),
        roles=tuple(Role(r, r, programme=r in own) for r in ROLES))
    expected = {s.id for s in people if is_programme_own(s.id, s.roles, plan)}
    assert _ids(store, programme_people_sql(plan)) == expected


@FAST
@given(world=registers(), rule=st.builds(
    Members,
    ids=st.lists(st.sampled_from(["p0", "p3", "org-b", "x"]), max_size=2),
    roles=st.lists(st.sampled_from(ROLES), max_size=2),
    tags=st.lists(st.sampled_from(TAGS), max_size=1),
    groups=st.lists(st.sampled_from(GROUPS), max_size=1),
    kinds=st.lists(st.sampled_from(["person", "organisation"]), max_size=1)))
def test_membership_python_and_sql_agree(store: Store, world: Any, rule: Members) -> None:
    people, ties = world
    _fill(store, people, ties)
    group = TargetGroup("g1", "Gruppe 1", rule=rule)
    assert _ids(store, members_sql(group, 0)) == {s.id for s in people if is_member(s, group)}


@FAST
@given(world=registers(), day=st.sampled_from(DAYS))
def test_party_python_and_sql_agree(store: Store, world: Any, day: dt.date) -> None:
    people, ties = world
    _fill(store, people, ties)
    for organisation in ORGS:
        expected = party_of(organisation, people, ties, day)
        assert _ids(store, party_sql(), party_org=organisation, day=day) == expected


def test_tie_windows_by_hand() -> None:
    """A tie from 1 March to 31 March: a span that touches it by one day is enough."""
    tie = Relationship("a", "b", "knows", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert tie_active_on(tie, dt.date(2026, 3, 1))
    assert tie_active_on(tie, dt.date(2026, 3, 31))
    assert not tie_active_on(tie, dt.date(2026, 2, 28))
    assert not tie_active_on(tie, dt.date(2026, 4, 1))
    assert tie_active_during(tie, dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    assert tie_active_during(tie, dt.date(2026, 3, 31), dt.date(2026, 12, 31))
    assert not tie_active_during(tie, dt.date(2026, 4, 1), dt.date(2026, 12, 31))
    open_ended = Relationship("a", "b", "knows")
    assert tie_active_on(open_ended, dt.date(1990, 1, 1))


def test_party_by_hand() -> None:
    """Nofima's party: its contact person (organisation field), its leader (a leads tie),
    not the observer it sends elsewhere, nor a board member of Nofima, nor someone whose
    works-for tie ended."""
    day = dt.date(2026, 6, 1)
    nofima = Stakeholder("nofima", "Nofima", kind=Kind.ORGANISATION)
    contact = Stakeholder("kontakt", "Kontakt", organisation="nofima")
    leader = Stakeholder("leder", "Leder")
    board = Stakeholder("styremedlem", "Styremedlem")
    former = Stakeholder("tidligere", "Tidligere")
    ties = [Relationship("leder", "nofima", "leads"),
            Relationship("styremedlem", "nofima", "board_member"),
            Relationship("tidligere", "nofima", "works_for", end=dt.date(2026, 5, 31)),
            Relationship("kontakt", "programmet", "observer")]
    people = [nofima, contact, leader, board, former]
    assert party_of("nofima", people, ties, day) == {"nofima", "kontakt", "leder"}
    assert acts_for(former, "nofima", ties, dt.date(2026, 5, 31))
    assert not acts_for(contact, "programmet", ties, day)
    assert {"works_for", "leads", "board_chair"} == ACTING_TIE_KINDS


def test_kind_categories() -> None:
    """A meeting is direct and a gathering; a call is direct, not a gathering; an
    article is a broadcast; a letter is direct and written."""
    D, G, W, B = (KindCategory.DIRECT, KindCategory.GATHERING, KindCategory.WRITTEN,
                  KindCategory.BROADCAST)
    assert kind_categories("meeting") == {D, G}
    assert kind_categories("call") == {D}
    assert kind_categories("letter") == {D, W}
    assert kind_categories("article") == {B}
    assert "call" not in kinds_in(G)
    assert kinds_in(G) == ("board_meeting", "event", "meeting", "presentation", "visit")
    assert kinds_in(W) == ("annual_report", "email", "letter", "mailing", "report")
    assert kind_categories("mailing") == {W}  # one message to many: no direct contact
    for category in KindCategory:
        assert set(kinds_in(category)) == {k for k, cs in BUILTIN_KIND_CATEGORIES.items()
                                           if category in cs}
