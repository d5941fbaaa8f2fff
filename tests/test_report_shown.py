"""What a dashboard lists of long lists: the first entries of coverage's own explanation
(the same order), with exact counts of the rest and the command that lists them all; and
the newest success stories with how many there are in all."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Interaction, Period, Stakeholder, Workspace
from interessent.cli import cli
from interessent.coverage import explain_commitments
from interessent.coverage.explaining import Shown
from interessent.report import build_report, render_html, render_markdown

D = dt.date
YEAR = Period.year(2026)
AS_OF = D(2026, 12, 31)

PLAN = """\
[programme]
name = "Utvalg"
municipality = "Prøve kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[[commitments]]
id = "A1"
title = "Artikler"
groups = ["folk"]
cadence = "year"
kinds = ["article"]

[[commitments]]
id = "M1"
title = "Møte med hver innbygger"
groups = ["folk"]
kind = "per_member"
cadence = "year"
members = { tags = ["innbygger"] }
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """205 people (p000–p204); 230 articles (a000–a229, 53 of them success stories);
    25 meetings with p000 (m000–m024) and one with each of p001–p204 (n001–n204). The
    days are few (ten in January), so many contacts share a day and their ids, not their
    order of logging, decide the order within it."""
    root = tmp_path_factory.mktemp("shown")
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    rng = random.Random(5)
    people = [Stakeholder(f"p{n:03d}", f"Person {n:03d}", tags=("innbygger",))
              for n in range(205)]
    articles = [Interaction(f"a{n:03d}", D(2026, 1, 1 + rng.randrange(10)), "article",
                            topic=f"Sak {n}", success=n % 13 == 0 or n >= 210)
                for n in range(230)]
    meetings = [Interaction(f"m{n:03d}", D(2026, 1, 1 + rng.randrange(10)), "meeting",
                            participants=("p000",), commitments=("M1",) if n % 2 else ())
                for n in range(25)]
    meetings += [Interaction(f"n{n:03d}", D(2026, 1, 1 + rng.randrange(10)), "meeting",
                             participants=(f"p{n:03d}",)) for n in range(1, 205)]
    logged = [*articles, *meetings]
    rng.shuffle(logged)  # pks in another order than ids
    ws = Workspace(root)
    try:
        with ws.store.write() as s:
            ws.store._save_stakeholders(s, people)
            ws.store._save_interactions(s, logged)
    finally:
        ws.close()
    return root


def test_the_shown_lists_are_the_first_of_the_whole_explanation(root: Path) -> None:
    with Workspace(root) as ws:
        whole = {e.status.id: e for e in explain_commitments(ws, YEAR, as_of=AS_OF)}
        shown = {e.status.id: e for e in explain_commitments(
            ws, YEAR, as_of=AS_OF, shown=Shown(contacts=7, members=4, per_member=3))}
    [a_whole], [a_shown] = whole["A1"].windows, shown["A1"].windows
    assert len(a_whole.contacts) == 230  # every article, a000–a229
    assert a_shown.contacts == a_whole.contacts[:7]
    assert a_shown.contact_count == 230
    assert a_shown.member_count == 0
    [m_whole], [m_shown] = whole["M1"].windows, shown["M1"].windows
    assert len(m_whole.members) == 205  # p000–p204
    assert m_shown.member_count == 205
    assert [m.id for m in m_shown.members] == ["p000", "p001", "p002", "p003"]
    for got, full in zip(m_shown.members, m_whole.members, strict=False):
        assert got.id == full.id
        assert got.contacts == full.contacts[:3]
        assert got.reached == full.reached
    # p000: its 25 meetings; everyone else: one
    assert [m.reached for m in m_shown.members] == [25, 1, 1, 1]
    assert len(m_shown.members[0].contacts) == 3
    # the window's contacts, each once: 25 + 204 = 229 meetings; cut, the window lists its
    # members (only the first four's contacts are read), not also its contacts
    assert len(m_whole.contacts) == 229
    assert m_whole.contact_count == 229
    assert m_shown.contacts == () and m_shown.contact_count is None
    assert not m_shown.contacts_gathered
    # the statuses are the same
    assert shown["A1"].status == whole["A1"].status
    assert shown["M1"].status == whole["M1"].status


def test_the_dashboard_counts_what_it_does_not_list(root: Path) -> None:
    with Workspace(root) as ws:
        report = build_report(ws, YEAR, as_of=AS_OF, language="en")
        whole = {e.status.id: e for e in explain_commitments(ws, YEAR, as_of=AS_OF)}
    page = render_html(report)
    e = {x.status.id: x for x in report.explained}
    # A1: the first 200 of 230 articles, in the explanation's order
    assert e["A1"].windows[0].contacts == whole["A1"].windows[0].contacts[:200]
    assert "and 30 more" in page  # 230 − 200
    # M1: the first 200 of 205 members; p000's first 20 of 25 meetings
    assert "and 5 more members" in page  # 205 − 200
    assert "and 5 more</li>" in page  # 25 − 20
    members = e["M1"].windows[0].members
    assert len(members) == 200 and members[0].contacts == whole["M1"].windows[0].members[
        0].contacts[:20]
    for command in ("A1", "M1"):
        assert (f"interessent coverage --commitment {command} --period "
                "2026-01-01..2026-12-31 --as-of 2026-12-31 --explain") in page
    # the command the page names lists every one
    result = CliRunner().invoke(cli, [
        "-w", str(root), "--lang", "en", "coverage", "--commitment", "A1", "--period",
        "2026-01-01..2026-12-31", "--as-of", "2026-12-31", "--explain", "--format", "json"])
    assert result.exit_code == 0, result.output
    [listed] = json.loads(result.output)
    assert len(listed["windows"][0]["contacts"]) == 230


def test_a_report_lists_the_newest_stories_and_counts_them_all(root: Path) -> None:
    with Workspace(root) as ws:
        report = build_report(ws, YEAR, as_of=AS_OF, language="en")
        stories = [(i.date, i.id) for i in ws.store.interactions(start=YEAR.start, end=AS_OF)
                   if i.success]
    # n % 13 == 0 for n < 230: 0, 13, …, 221 (18 numbers); n >= 210: 20 more, less 221
    # counted twice: 18 + 20 − 1 = 37
    assert report.story_count == 37
    assert len(stories) == 37
    assert len(report.stories) == 37  # fewer than the 50 listed: all of them
    newest = sorted(stories, reverse=True)
    assert [s.id for s in report.stories] == [i for _, i in newest]
    page = render_html(report)
    assert "newest of" not in page


def test_more_stories_than_shown(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from interessent.report import gathering

    monkeypatch.setattr(gathering, "STORIES_SHOWN", 5)
    with Workspace(root) as ws:
        report = build_report(ws, YEAR, as_of=AS_OF, language="en")
        stories = sorted(((i.date, i.id) for i in ws.store.interactions(
            start=YEAR.start, end=AS_OF) if i.success), reverse=True)
    assert report.story_count == 37  # counted in the test above
    assert [s.id for s in report.stories] == [i for _, i in stories[:5]]
    assert "The 5 newest of 37 success stories in the period." in render_html(report)
    text = render_markdown(report)
    assert "The 5 newest of 37 success stories in the period." in text
    assert "37 success stories told." in text


DUE_PLAN = """\
[programme]
name = "Frist"
municipality = "Prøve kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[[groups]]
key = "bedrift"
name = "Næringslivet"
rule = { kinds = ["organisation"] }
"""


def _not_asked(dialect: str, dense: bool = False) -> str:
    raise AssertionError("due asked who was reached again")


def test_what_is_due_asks_who_was_reached_once_with_the_series(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report's series and its «contact next» share one question of who was reached
    this year (the plan's contact interval): the same people as :func:`due` alone."""
    from interessent import Relationship
    from interessent.coverage import due, dues

    root = tmp_path / "ws"
    root.mkdir()
    (root / "interessent.toml").write_text(DUE_PLAN, encoding="utf-8")
    with Workspace(root) as ws:
        with ws.store.write() as s:
            ws.store._save_stakeholders(s, [
                Stakeholder("fisk", "Fisk AS", kind="organisation"),
                Stakeholder("bygg", "Bygg AS", kind="organisation"),
                Stakeholder("hotell", "Hotell AS", kind="organisation"),
                Stakeholder("ola", "Ola", tags=("innbygger",)),
                Stakeholder("kari", "Kari", tags=("innbygger",), organisation="hotell"),
                Stakeholder("per", "Per", tags=("innbygger",)),
                Stakeholder("anne", "Anne", tags=("innbygger",)),
            ])
            ws.store._save_relationships(s, [
                Relationship("ola", "fisk", "works_for", 1.0, directed=True,
                             start=D(2026, 3, 1)),
                Relationship("per", "bygg", "works_for", 1.0, directed=True,
                             end=D(2026, 1, 31)),
            ])
            ws.store._save_interactions(s, [
                Interaction("k1", D(2026, 1, 20), "meeting", participants=("ola",)),
                Interaction("k2", D(2026, 2, 10), "board_meeting", host="per"),
                Interaction("k3", D(2026, 3, 2), "call", participants=("ola",)),
                Interaction("k4", D(2026, 4, 30), "meeting", participants=("kari",)),
            ])
        day = D(2026, 5, 15)
        with monkeypatch.context() as m:  # the report asks the reach query no more
            m.setattr(dues, "reached_sql", _not_asked)
            report = build_report(ws, YEAR, as_of=day, language="en")
        alone = due(ws, as_of=day)
    # reached this year: Ola (k1, k3), Per (hosted k2), Kari (k4), Fisk (Ola's call on
    # 2 March, his tie from 1 March), Hotell (Kari's organisation). Not: Anne, and Bygg
    # (Per's tie ended before k2).
    assert sorted(c.id for c in report.dues.contacts) == ["anne", "bygg"]
    assert report.dues == alone
