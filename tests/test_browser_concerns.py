"""The dashboard's concerns and tasks sections in a real browser (issue 14): open concerns
per target group and open tasks, the overdue first, with hostile titles shown as text and
no console message. Uses the checker of tests/test_browser.py (skipped without Chromium,
a failure on CI)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import update

import interessent
from interessent.periods import Period
from interessent.report import write_report
from interessent.store import TASKS
from interessent.workspace import Workspace, init_workspace
from test_browser import HOSTILE, render

AS_OF = dt.date(2026, 11, 26)


@pytest.fixture
def osen(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "osen", example="osen")


def _section(dom: str, name: str) -> str:
    found = re.search(rf'<section id="{name}">(.*?)</section>', dom, re.S)
    assert found, f"no section {name}"
    return found.group(1)


def test_open_concerns_and_tasks_in_chromium(osen: Workspace, tmp_path: Path) -> None:
    # each concern is given its group, so the count per group is ours to make
    add = interessent.add_concern
    add(osen, title=HOSTILE, raised_by="astrid-lian", group="befolkningen", on="2026-10-01")
    add(osen, title="Bredbånd på Nesset", raised_by="kari-fuglem", group="befolkningen",
        on="2026-10-02")
    answered = add(osen, title="Kaia", raised_by="kari-fuglem", group="befolkningen",
                   on="2026-10-03")
    interessent.close_concern(osen, answered.id, answer="Ordnet", on="2026-10-20")
    add(osen, title="Næringsareal", raised_by="astrid-lian", group="naeringslivet",
        on="2026-11-01")
    interessent.add_task(osen, title="Senere <b>fet</b>", owner="daglig_leder",
                         due="2026-12-10")
    interessent.add_task(osen, title="Forsinket", owner="styreleder", due="2026-11-01")
    done = interessent.add_task(osen, title="Gjort", owner="daglig_leder", due="2026-10-01")
    # recorded in September (a task is open from the day it is recorded, and is not done
    # before it)
    with osen.store.write() as session:
        session.execute(update(TASKS).values(created_at=dt.datetime(2026, 9, 1, 9)))
    interessent.complete_task(osen, done.id, on="2026-10-01")

    page = write_report(osen, Period.year(2026), as_of=AS_OF, fmt="html",
                        out=tmp_path / "dashboard.html")
    result = render(page, tmp_path / "concerns.png")
    assert result.console == []
    assert "<script" not in result.dom.lower()

    concerns = _section(result.dom, "innspill")
    # open on November 26th: befolkningen 2 (the hostile one, Bredbånd; Kaia is
    # answered), næringslivet 1
    groups = re.findall(r'<h3 class="concern-group">(.*?) <span class="muted">\((\d+)\)',
                        concerns)
    assert [n for _name, n in groups] == ["2", "1"]
    assert "Kaia" not in concerns
    assert "&lt;script&gt;alert(1);console.error(\"xss\")&lt;/script&gt;" in concerns

    tasks = _section(result.dom, "oppgaver")
    rows = re.findall(r'<tr class="(overdue|open)"><td><span class="cid">(T2026-\d+)</span>',
                      tasks)
    # open: Forsinket (due November 1st, overdue) first, then Senere; Gjort is done
    assert rows == [("overdue", "T2026-0002"), ("open", "T2026-0001")]
    assert "Senere &lt;b&gt;fet&lt;/b&gt;" in tasks and "Gjort" not in tasks
