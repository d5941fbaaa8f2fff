"""The coverage kept in the store while the data is unchanged (interessent.coverage.kept).

Seen from the outside: asked again, by another workspace object or another process (the
command line), the same question is answered from what was kept, and the answer is the
one computed; a write in between (the command line's ``log``, the library's
``log_interaction``, an erasure) is seen at once; another period, day, group or plan is
another question; an erasure leaves nothing kept that names the person. Expected numbers
are counted by hand from the data below. How often coverage was computed is counted by
wrapping the function that computes it; the database is never mocked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from interessent import Interaction, Period, Relationship, Stakeholder, Workspace
from interessent.coverage import GroupCoverage, measure_coverage
from interessent.coverage import reach as reach_module
from interessent.privacy import erase
from interessent.registry import log_interaction

D = dt.date
CLI = [sys.executable, "-c", "from interessent.cli import main; main()"]

PLAN = """\
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01
end = 2028-12-31

[[groups]]
key = "bedrift"
name = "Næringslivet"

[[groups]]
key = "folk"
name = "Befolkningen"
rule = { tags = ["innbygger"] }

[[channels]]
key = "media"
name = "Media"
kind = "media"

[[commitments]]
id = "EACH"
title = "Hver innbygger en gang i året"
groups = ["folk"]
kind = "per_member"
members = { tags = ["innbygger"] }
count = 1
cadence = "year"

[coverage]
direct = 1.0
network = 1.0
leaders = 0.0
commitments = 2.0

[leaders]
top = 1
"""


def people() -> list[Stakeholder]:
    return [
        Stakeholder("sjomat", "Sjømat AS", kind="organisation", groups=("bedrift",), influence=5),
        Stakeholder("bygg", "Bygg AS", kind="organisation", groups=("bedrift",), influence=1),
        Stakeholder("kari", "Kari Nordmann", organisation="sjomat", tags=("innbygger",),
                    influence=4),
        Stakeholder("ola", "Ola Hansen", tags=("innbygger",), influence=2),
        Stakeholder("per", "Per Olsen", tags=("innbygger",)),  # no influence: weighs 3
    ]


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    """Kari met on 3 February (so Sjømat, her organisation, is reached too); ola knows
    kari (0.5); an article for folk on 10 January."""
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "interessent.toml").write_text(PLAN, encoding="utf-8")
    ws = Workspace(folder)
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, people())
        ws.store._save_relationships(s, [Relationship("ola", "kari", "knows", 0.5,
                                                      directed=False)])
        ws.store._save_interactions(s, [
            Interaction("m1", D(2026, 2, 3), "meeting", participants=("kari",)),
            Interaction("a1", D(2026, 1, 10), "article", channel="media", groups=("folk",)),
        ])
    ws.close()
    yield folder


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The groups of each coverage computed (not read back) in this process."""
    calls: list[str] = []
    real = reach_module._measure

    def counting(ws, plan, chosen, period, as_of, *known):  # type: ignore[no-untyped-def]
        calls.append(",".join(g.key for g in chosen))
        return real(ws, plan, chosen, period, as_of, *known)

    monkeypatch.setattr(reach_module, "_measure", counting)
    return calls


JUNE = D(2026, 6, 1)
YEAR = Period.year(2026)


def cover(root: Path, as_of: dt.date = JUNE, period: Period = YEAR,
          groups: list[str] | None = None) -> dict[str, GroupCoverage]:
    """Coverage through a workspace object of its own (nothing remembered in memory)."""
    ws = Workspace(root)
    try:
        return {g.key: g for g in measure_coverage(ws, period, as_of=as_of, groups=groups)}
    finally:
        ws.close()


def kept_rows(root: Path) -> list[tuple[str, bytes]]:
    """The coverage kept in the workspace's database (its SQLite file, or the PostgreSQL
    database the suite gives it)."""
    ws = Workspace(root)
    try:
        with ws.store.engine.connect() as conn:
            return [(str(k), bytes(d)) for k, d in conn.execute(text(
                "SELECT key, data FROM rank_cache WHERE key LIKE 'coverage:%'"))]
    finally:
        ws.close()


def test_asked_again_the_answer_is_read_back_exactly(root: Path, computed: list[str]) -> None:
    first = cover(root)
    assert computed == ["bedrift,folk"]
    assert len(kept_rows(root)) == 1
    again = cover(root)
    assert computed == ["bedrift,folk"]  # not computed again
    assert again == first  # every field, floats to the last digit
    folk = again["folk"]
    # Members by rule: kari (4), ola (2), per (3); weight 9. Kari met: direct 4/9; ola
    # knows kari (0.5): network (4 + 2·0.5) / 9.
    assert (folk.members, folk.reached_directly, folk.reached_through_network) == (3, 1, 1)
    assert folk.direct_reach == 4 / 9
    assert folk.network_reach == (4 + 2 * 0.5) / 9
    assert folk.broadcasts == {"media": 1}
    [each] = folk.commitments
    # One of three reached in the year so far; the window is open: due, ola and per missing.
    assert (each.status.value, each.expected, each.actual) == ("due", 3, 1)
    assert each.missing == ("ola", "per")
    assert [w.state.value for w in each.windows] == ["open"]
    assert each.windows[0].period == Period.year(2026)
    # Weights direct 1, network 1, commitments 2 (leaders 0): (4/9 + 5/9 + 2·1/3) / 4.
    assert folk.score == pytest.approx((4 / 9 + 5 / 9 + 2 / 3) / 4)
    # Sjømat (5) reached through kari, Bygg (1) not: 5/6.
    assert again["bedrift"].direct_reach == 5 / 6


def test_a_write_in_between_is_seen(root: Path, computed: list[str]) -> None:
    cover(root)
    ws = Workspace(root)
    try:
        log_interaction(ws, kind="call", date="2026-03-01", participants=["per"])
    finally:
        ws.close()
    assert kept_rows(root) == []  # the write dropped what was kept
    folk = cover(root)["folk"]
    assert len(computed) == 2
    # kari and per met: (4 + 3) / 9; ola through kari: (4 + 3 + 2·0.5) / 9.
    assert (folk.reached_directly, folk.reached_through_network) == (2, 1)
    assert folk.direct_reach == pytest.approx(7 / 9)
    assert folk.network_reach == pytest.approx(8 / 9)
    assert folk.commitments[0].missing == ("ola",)


def test_another_day_period_groups_or_plan_is_another_question(root: Path,
                                                               computed: list[str]) -> None:
    cover(root)
    # Before kari's meeting: nobody in folk reached, the article was (10 January).
    early = cover(root, as_of=D(2026, 1, 31))["folk"]
    assert (early.reached_directly, early.broadcasts) == (0, {"media": 1})
    # February alone: kari's meeting, no article.
    feb = cover(root, period=Period(D(2026, 2, 1), D(2026, 2, 28)))["folk"]
    assert (feb.reached_directly, feb.broadcasts) == (1, {})
    only = cover(root, groups=["folk"])
    assert list(only) == ["folk"]
    both = cover(root, groups=["folk", "bedrift"])
    assert list(both) == ["folk", "bedrift"]  # in the order asked
    assert len(computed) == 5
    # The plan changed on disk: network no longer weighs; (4/9 + 2·1/3) / 3.
    plan = root / "interessent.toml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("network = 1.0", "network = 0.0"),
                    encoding="utf-8")
    folk = cover(root)["folk"]
    assert len(computed) == 6
    assert folk.score == pytest.approx((4 / 9 + 2 / 3) / 3)
    # Each answer under this plan is kept to be read back; the others were the old plan's.
    assert cover(root)["folk"] == folk
    assert len(computed) == 6
    assert cover(root, as_of=D(2026, 1, 31))["folk"].reached_directly == 0
    assert len(computed) == 7


def test_an_erasure_leaves_no_kept_coverage_naming_the_person(root: Path) -> None:
    cover(root)
    [(_, data)] = kept_rows(root)
    assert b'"ola"' in data  # ola is still missing
    ws = Workspace(root)
    try:
        erase(ws, "ola")
        assert kept_rows(root) == []
        [each] = {g.key: g for g in measure_coverage(
            ws, Period.year(2026), as_of=D(2026, 6, 1))}["folk"].commitments
        # Erasure clears the tags, so ola is no member any more: kari and per, per missing.
        assert (each.missing, each.expected, each.actual) == (("per",), 2, 1)
    finally:
        ws.close()
    for _, data in kept_rows(root):
        assert b"ola" not in data.lower() and b"Hansen" not in data


def test_something_else_under_the_key_is_ignored(root: Path, computed: list[str]) -> None:
    first = cover(root)
    [(key, _)] = kept_rows(root)
    ws = Workspace(root)
    try:
        for junk in (b"not json", b'{"format": 1, "groups": [{"key": "folk"}]}', b"[]"):
            with ws.store.engine.begin() as conn:
                conn.execute(text("UPDATE rank_cache SET data = :d WHERE key = :k"),
                             {"d": junk, "k": key})
            assert cover(root) == first
    finally:
        ws.close()
    assert len(computed) == 4


def test_the_command_line_answers_again_from_what_it_kept(root: Path) -> None:
    env = dict(os.environ)  # on PostgreSQL, INTERESSENT_DB names the test's database
    argv = [*CLI, "-w", str(root), "coverage", "--period", "2026", "--as-of", "2026-06-01",
            "--format", "json"]
    first = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert len(kept_rows(root)) == 1
    again = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    rows = {g["key"]: g for g in json.loads(again.stdout)}
    assert (rows["folk"]["members"], rows["folk"]["reached_directly"]) == (3, 1)
    assert rows["folk"]["direct_reach"] == round(4 / 9, 4)


def test_each_language_keeps_its_own_words_and_the_plans_names(tmp_path: Path,
                                                              computed: list[str]) -> None:
    """An answer kept in bokmål is not read back in English: its explanations are worded
    in a language. A group's name given per language stays per language when read back."""
    from interessent.i18n import localized, using

    folder = tmp_path / "ws"
    folder.mkdir()
    plan = PLAN.replace('name = "Befolkningen"',
                        'name = { nb = "Befolkningen", nn = "Innbyggjarane", en = "The people" }')
    (folder / "interessent.toml").write_text(plan, encoding="utf-8")
    ws = Workspace(folder)
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, people())
    ws.close()
    with using("nb"):
        nb = cover(folder)["folk"]
        nb_again = cover(folder)["folk"]
    with using("en"):
        en = cover(folder)["folk"]
        en_again = cover(folder)["folk"]
    assert computed == ["bedrift,folk", "bedrift,folk"]  # once per language, then kept
    assert nb.commitments[0].explanation == nb_again.commitments[0].explanation
    # three tagged innbygger, none met: all three missing, by name
    assert nb.commitments[0].explanation == (
        "3 medlemmer, hver 1 per år; ennå ikke nådd: Kari Nordmann, Ola Hansen, Per Olsen")
    assert en.commitments[0].explanation == en_again.commitments[0].explanation
    assert en.commitments[0].explanation.startswith("3 members, each 1 per year; ")
    for g in (nb_again, en_again):  # read back: still the plan's text in every language
        assert localized(g.name, "nn") == "Innbyggjarane"
        assert localized(g.name, "en") == "The people"
