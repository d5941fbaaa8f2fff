"""The power/interest map's stances in a real browser (issue 14, item 4): each named
stakeholder's stance as a mark that reads without colour, with its word for screen
readers, each cell's count of stances, and a legend in words; no console message.

The checker (Chromium, headless) is :mod:`test_browser`'s; without Chromium these tests
are skipped as its are.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import interessent
from interessent.i18n import gettext, stance_word, using
from interessent.model import Stakeholder
from interessent.periods import Period
from interessent.report import write_report
from interessent.workspace import Workspace, init_workspace
from test_browser import _chromium, _keep, _section, render

AS_OF = dt.date(2026, 11, 26)
HOSTILE = '<script>alert(1);console.error("xss")</script>'


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The Osen example with stances: the mayor opposes (support before), a stakeholder
    whose name is a script supports, and one's support starts after the as-of day."""
    ws = init_workspace(tmp_path_factory.mktemp("stance") / "osen", example="osen")
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, [Stakeholder(
            id="hostile", name=HOSTILE, groups=("befolkningen",), influence=5, interest=1)])
    interessent.set_stance(ws, "astrid-lian", stance="support", since="2026-02-01")
    interessent.set_stance(ws, "astrid-lian", stance="oppose", since="2026-09-01")
    interessent.set_stance(ws, "hostile", stance="support", since="2026-03-01")
    interessent.set_stance(ws, "rune-aune", stance="neutral", since="2026-03-01")
    interessent.set_stance(ws, "jonas-lund", stance="support", since="2026-12-05")  # after as-of
    yield ws
    ws.close()


def _cell(dom: str, influence: int, interest: int) -> str:
    """The grid cell of ``influence`` × ``interest`` as the browser parsed it (its title
    says which, in the page's language)."""
    found = re.search(rf'<td class="q-[a-z]+[^"]*" title="[^"]* {influence}, [^"]* '
                      rf'{interest}: \d+">(.*?)</td>', dom, flags=re.DOTALL)
    assert found, (influence, interest)
    return found.group(1)


def test_the_map_shows_stances_in_chromium(osen: Workspace, tmp_path: Path) -> None:
    _chromium()
    page = write_report(osen, Period.year(2026), as_of=AS_OF, out=tmp_path / "rapport.html")
    result = render(page, tmp_path / "stance.png")
    assert result.console == [], result.console
    dom = result.dom
    section = dom[dom.index('id="makt"'):]
    section = section[:section.index("</section>")]
    # the mayor (influence 5, interest 5) opposes on 26 November: the mark, and the word
    # for a screen reader; not colour alone
    mayor = _cell(section, 5, 5)
    # (the Osen plan speaks bokmål: the words are the catalog's)
    oppose, support = stance_word("oppose", "nb"), stance_word("support", "nb")
    assert re.search(rf'<span class="stance stance-oppose" title="{oppose}" aria-hidden="true">'
                     rf'\u2212</span><span class="visually-hidden">{oppose}: </span>Astrid Lian',
                     mayor), mayor
    # the hostile name (influence 5, interest 1) is text, marked as supporting
    hostile = _cell(section, 5, 1)
    assert "stance stance-support" in hostile and ">+</span>" in hostile
    assert html.escape(HOSTILE, quote=False) in hostile and "<script" not in dom.lower()
    # each cell counts every stance in it (1 opposes in the mayor's cell)
    assert re.search(r'class="stance-count">.*?stance-oppose.*?>\u2212</span>1<', mayor)
    # the legend, in words, names the day and every stance
    legend = section[section.index('class="stance-legend"'):]
    assert "26. november 2026" in legend
    with using("nb"):
        unknown = gettext("no mark: not known")
    for word in (support, stance_word("neutral", "nb"), oppose, unknown):
        assert word in legend, word
    # Jonas Lund's support starts in December: not shown on 26 November
    assert not re.search(r'stance-support[^<]*</span><span class="visually-hidden">'
                         rf'{support}: </span>Jonas Lund', section)
    shot = _section(page, "makt", tmp_path / "report-makt-stance.png", (1280, 900))
    assert shot.console == [], shot.console
    _keep(shot.screenshot, "report-makt-stance.png")


def test_without_stances_the_map_is_as_before(tmp_path: Path) -> None:
    _chromium()
    ws = init_workspace(tmp_path / "osen", example="osen")
    try:
        page = write_report(ws, Period.year(2026), as_of=AS_OF, out=tmp_path / "r.html")
    finally:
        ws.close()
    result = render(page, tmp_path / "plain.png", size=(1280, 1000))
    assert result.console == [], result.console
    assert '<p class="stance-legend"' not in result.dom
    assert '<span class="stance ' not in result.dom
