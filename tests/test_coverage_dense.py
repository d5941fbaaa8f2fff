"""Reach in a period that holds most of the log (a year), counted by hand.

A period holding at least half of the interactions logged is read stakeholder by
stakeholder (``interessent.coverage.reach.is_dense``), a shorter one from the period's
interactions. Both must find the same people and organisations: those who took part or
hosted, and the organisations they act for on the contact's day (works-for, leads, chair;
not a board seat). The expected numbers below are counted from the data made here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from interessent import Interaction, Period, Relationship, Stakeholder, Workspace
from interessent.coverage import GroupCoverage, measure_coverage
from interessent.coverage.reach import _reach_sql, is_dense
from interessent.errors import StoreError
from interessent.registry import log_interaction

D = dt.date

PLAN = """\
[programme]
name = "Tett"
municipality = "Testvik kommune"
start = 2026-01-01

[[groups]]
key = "bedrift"
name = "Næringslivet"

[[channels]]
key = "media"
name = "Media"
kind = "media"
"""


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """Three firms in the group: Verft (influence 2), Fabrikk (4), Lager (none: 3).

    - lise works for Verft only from 1 March to 30 April 2026 (strength 0.6), and took
      part in a meeting on 10 February, before that;
    - tor leads Fabrikk all along, and hosted a meeting on 1 June (nobody else there);
    - anne sits on Lager's board (0.4; a seat does not make her act for it) and took
      part in a call on 10 May; Lager knows Fabrikk (0.5);
    - an article for the group on 15 March; kunde, a customer with no ties, is there to
      be written to.
    """
    root = tmp_path / "ws"
    root.mkdir()
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    w = Workspace(root)
    fill(w)
    yield w
    w.close()


def fill(w: Workspace) -> None:
    """The stakeholders, ties and interactions of :func:`ws`."""
    with w.store.write() as s:
        w.store._save_stakeholders(s, [
            Stakeholder("verft", "Verft AS", kind="organisation", groups=("bedrift",),
                        influence=2),
            Stakeholder("fabrikk", "Fabrikk AS", kind="organisation", groups=("bedrift",),
                        influence=4),
            Stakeholder("lager", "Lager AS", kind="organisation", groups=("bedrift",)),
            Stakeholder("lise", "Lise"), Stakeholder("tor", "Tor"), Stakeholder("anne", "Anne"),
            Stakeholder("kunde", "Kunde"),  # a customer outside the group, no ties
        ])
        w.store._save_relationships(s, [
            Relationship("lise", "verft", "works_for", 0.6, start=D(2026, 3, 1),
                         end=D(2026, 4, 30)),
            Relationship("tor", "fabrikk", "leads", 0.9),
            Relationship("anne", "lager", "board_member", 0.4),
            Relationship("lager", "fabrikk", "knows", 0.5, directed=False),
        ])
        w.store._save_interactions(s, [
            Interaction("i1", D(2026, 2, 10), "meeting", participants=("lise",)),
            Interaction("i2", D(2026, 5, 10), "call", participants=("anne",)),
            Interaction("i3", D(2026, 6, 1), "meeting", host="tor"),
            Interaction("i4", D(2026, 3, 15), "article", channel="media", groups=("bedrift",)),
        ])


def bedrift(ws: Workspace, period: Period) -> GroupCoverage:
    [group] = measure_coverage(ws, period, as_of=D(2026, 12, 31), groups=["bedrift"])
    return group


def dense(ws: Workspace, period: Period) -> bool:
    with ws.store.read() as session:
        return is_dense(session, period.start, period.end)


def test_a_year_of_the_log_counted_by_hand(ws: Workspace) -> None:
    year = Period.year(2026)
    assert dense(ws, year)  # all 4 interactions
    g = bedrift(ws, year)
    # Fabrikk directly (tor, who leads it, hosted i3); Verft not (lise's meeting was before
    # her tie began), Lager not (a board seat). Weight 2 + 4 + 3 = 9.
    assert (g.members, g.reached_directly) == (3, 1)
    assert g.direct_reach == pytest.approx(4 / 9)
    # Network: Lager knows Fabrikk (0.5; anne's seat is weaker, 0.4); Verft's tie to lise,
    # who was reached, is active in the year (0.6): (4 + 3·0.5 + 2·0.6) / 9.
    assert g.network_reach == pytest.approx((4 + 1.5 + 1.2) / 9)
    assert g.reached_through_network == 2
    assert g.broadcasts == {"media": 1}


def test_a_host_on_a_day_the_tie_holds_reaches_the_organisation(ws: Workspace) -> None:
    log_interaction(ws, kind="email", date="2026-04-10", host="lise", participants=["kunde"])
    year = Period.year(2026)
    assert dense(ws, year)
    g = bedrift(ws, year)
    # Verft now directly too (lise hosted on 10 April, while she worked there): (4 + 2) / 9;
    # network (4 + 2 + 3·0.5) / 9, Lager alone through the network.
    assert g.reached_directly == 2
    assert g.direct_reach == pytest.approx(6 / 9)
    assert g.network_reach == pytest.approx(7.5 / 9)
    assert g.reached_through_network == 1
    # March and April hold 2 of the 5 interactions: read from the period's interactions,
    # with the same answer for Verft (2 of 9).
    spring = Period(D(2026, 3, 1), D(2026, 4, 30))
    assert not dense(ws, spring)
    g = bedrift(ws, spring)
    assert g.reached_directly == 1
    assert g.direct_reach == pytest.approx(2 / 9)
    assert g.broadcasts == {"media": 1}


def test_february_alone_reaches_nobody_in_the_group(ws: Workspace) -> None:
    feb = Period(D(2026, 2, 1), D(2026, 2, 28))
    assert not dense(ws, feb)  # 1 of 4
    g = bedrift(ws, feb)
    # lise took part, but her tie to Verft begins in March: nothing direct, nothing through.
    assert (g.reached_directly, g.reached_through_network, g.network_reach) == (0, 0, 0.0)
    assert g.broadcasts == {}


@pytest.mark.parametrize("start,end", [
    (D(2026, 1, 1), D(2026, 12, 31)), (D(2026, 2, 1), D(2026, 2, 28)),
    (D(2026, 3, 1), D(2026, 4, 30)), (D(2026, 4, 10), D(2026, 4, 10)),
    (D(2026, 5, 1), D(2026, 6, 30)), (D(2025, 1, 1), D(2025, 12, 31)),
])
def test_both_ways_find_the_same_reach(ws: Workspace, start: dt.date, end: dt.date) -> None:
    """Whichever way is chosen, the other gives the same rows (the choice is speed only)."""
    log_interaction(ws, kind="email", date="2026-04-10", host="lise", participants=["kunde"])
    rows = {}
    with ws.store.read() as session:
        dialect = session.get_bind().dialect.name
        for way in (False, True):
            stmt, params = _reach_sql(ws.plan.groups, dialect, way)
            params.update(start=start, end=end)
            rows[way] = sorted(tuple(r) for r in session.execute(stmt, params))
    assert rows[True] == rows[False]


def test_a_database_in_memory_counts_the_same(ws: Workspace) -> None:
    # A database file gives each thread its own connection (the reach is counted in a
    # thread of its own while the ranking runs); one in memory has a single connection
    # and counts in turn. Same data, same numbers.
    assert ws.folder is not None
    memory = Workspace(ws.folder, db="sqlite://")
    try:
        fill(memory)
        for period in (Period.year(2026), Period(D(2026, 5, 1), D(2026, 6, 30))):
            assert bedrift(memory, period) == bedrift(ws, period)
        g = bedrift(memory, Period.year(2026))
        # As counted in test_a_year_of_the_log_counted_by_hand: Fabrikk only, directly;
        # Verft and Lager through the network.
        assert (g.members, g.reached_directly, g.reached_through_network) == (3, 1, 2)
        assert g.broadcasts == {"media": 1}
    finally:
        memory.close()


def test_a_failing_reach_query_fails_the_coverage(ws: Workspace) -> None:
    # The reach and broadcast queries run in a thread of their own: their error reaches
    # the caller as the store's error, and nothing is kept.
    with ws.store.write() as s:
        s.execute(text("DROP TABLE interaction_groups"))
    with pytest.raises(StoreError):
        bedrift(ws, Period.year(2026))
