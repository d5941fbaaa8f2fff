"""Stance and acceptance (issue 14, item 4): a stakeholder's stance with its history, and
each target group's acceptance in coverage, counted by hand."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, text

import interessent
from conftest import PLAN
from interessent import InvalidInput, NotFound, Stance, Workspace
from interessent.cli import cli
from interessent.coverage import acceptance_by_group
from interessent.stance import StanceRecord, in_force
from interessent.store import STANCES
from interessent.store.rules import stance_as_of_sql
from interessent.workspace import PLAN_FILE

AS_OF = dt.date(2026, 11, 26)
YEAR = interessent.parse_period("2026")
Make = Callable[[str], Workspace]


def _ws(tmp_path: Path, name: str, plan: str = PLAN) -> Workspace:
    root = tmp_path / name
    root.mkdir()
    (root / PLAN_FILE).write_text(plan, encoding="utf-8")
    return Workspace(root)


def _stances(ws: Workspace) -> int:
    with ws.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(STANCES)) or 0)


def _register(ws: Workspace) -> None:
    """Five members of næringslivet (a … e) and one of befolkningen only (f)."""
    for who in "abcde":
        interessent.add_stakeholder(ws, name=f"Person {who.upper()}", id=who,
                                    groups=["naeringslivet"])
    interessent.add_stakeholder(ws, name="Person F", id="f", groups=["befolkningen"])


def _record_stances(ws: Workspace) -> None:
    interessent.set_stance(ws, "a", stance="support", since="2026-01-10")
    interessent.set_stance(ws, "b", stance=Stance.SUPPORT, since=dt.date(2026, 3, 1))
    interessent.set_stance(ws, "c", stance="support", since="2026-02-01")
    interessent.set_stance(ws, "c", stance="oppose", since="2026-05-01")  # c changed their mind
    interessent.set_stance(ws, "d", stance="neutral", since="2026-04-01")
    interessent.set_stance(ws, "d", stance="support", since="2026-12-01")  # after the as-of day
    interessent.set_stance(ws, "f", stance="support", since="2026-01-05")  # not in næringslivet
    # e: no stance known


# --- history --------------------------------------------------------------------------------


def test_the_history_keeps_every_change(workspace: Workspace) -> None:
    _register(workspace)
    interessent.set_stance(workspace, "a", stance="oppose", since="2026-02-01")
    interessent.set_stance(workspace, "a", stance="neutral", since="2026-05-01")
    interessent.set_stance(workspace, "A", stance="support", since="2026-09-15")  # id in any case
    history = interessent.stance_history(workspace, "a")
    assert [(r.stance, r.since) for r in history] == [
        (Stance.OPPOSE, dt.date(2026, 2, 1)), (Stance.NEUTRAL, dt.date(2026, 5, 1)),
        (Stance.SUPPORT, dt.date(2026, 9, 15))]
    assert {r.stakeholder for r in history} == {"a"}
    assert all(r.recorded_by and r.recorded_at for r in history)
    on = {day: interessent.stance_on(workspace, "a", day) for day in (
        "2026-01-31", "2026-02-01", "2026-04-30", "2026-05-01", "2026-09-14", "2026-09-15",
        "2027-01-01")}
    assert on["2026-01-31"] is None  # before the first: not known
    assert [on[d].stance for d in on if on[d] is not None] == [  # type: ignore[union-attr]
        Stance.OPPOSE, Stance.OPPOSE, Stance.NEUTRAL, Stance.NEUTRAL, Stance.SUPPORT,
        Stance.SUPPORT]
    assert interessent.stance_on(workspace, "a") == history[-1]  # today: the current one
    assert history[0].to_dict() == {
        "stakeholder": "a", "stance": "oppose", "since": "2026-02-01",
        "recorded_at": history[0].to_dict()["recorded_at"],
        "recorded_by": history[0].recorded_by}
    assert interessent.stance_history(workspace, "b") == []
    assert interessent.stance_on(workspace, "b") is None


def test_the_same_stance_again_writes_nothing(workspace: Workspace) -> None:
    _register(workspace)
    first = interessent.set_stance(workspace, "a", stance="support", since="2026-03-01")
    counter = workspace.store.change_counter()
    again = interessent.set_stance(workspace, "a", stance="support", since="2026-06-01")
    assert again == first  # the stance in force since March is returned
    assert workspace.store.change_counter() == counter and _stances(workspace) == 1
    # the same stance before it was in force is a change: it holds from earlier on
    interessent.set_stance(workspace, "a", stance="support", since="2026-01-01")
    assert _stances(workspace) == 2
    # two stances recorded for one day: the one recorded last holds
    interessent.set_stance(workspace, "a", stance="oppose", since="2026-03-01")
    assert interessent.stance_on(workspace, "a", "2026-03-01").stance is Stance.OPPOSE  # type: ignore[union-attr]
    assert interessent.stance_on(workspace, "a", "2026-02-28").stance is Stance.SUPPORT  # type: ignore[union-attr]


def test_recording_a_stance_is_audited_without_saying_which(workspace: Workspace) -> None:
    _register(workspace)
    workspace.store.actor = "marius"
    interessent.set_stance(workspace, "a", stance="oppose", since="2026-02-01")
    [entry] = interessent.audit_log(workspace, action="stance")
    assert (entry.actor, entry.subject_kind, entry.subject) == ("marius", "stakeholder", "a")
    assert "oppose" not in json.dumps(entry.to_dict())
    assert interessent.stance_history(workspace, "a")[0].recorded_by == "marius"


HOSTILE = ["", "   ", "SUPPORTS!", "support\x00", "sup\x1bport", "<b>support</b>", "{{ 7*7 }}",
           "x" * 100_000, "support\r\nBcc: x@example.com", None, 1, ["support"]]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_stance_that_is_not_one_is_refused_and_nothing_written(
        workspace: Workspace, value: object) -> None:
    _register(workspace)
    counter = workspace.store.change_counter()
    with pytest.raises(InvalidInput, match=r"^stance: unknown stance") as caught:
        interessent.set_stance(workspace, "a", stance=value)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300
    assert _stances(workspace) == 0 and workspace.store.change_counter() == counter


@pytest.mark.parametrize("since", ["2026-13-01", "i går", "\x1b[31m", "1066-10-14",
                                   "9" * 5000, 20260101])
def test_a_bad_day_is_refused(workspace: Workspace, since: object) -> None:
    _register(workspace)
    with pytest.raises(InvalidInput) as caught:
        interessent.set_stance(workspace, "a", stance="support", since=since)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300
    assert _stances(workspace) == 0


@pytest.mark.parametrize("who", ["nobody", "<script>", "x" * 10_000])
def test_an_unknown_id_is_not_found(workspace: Workspace, who: str) -> None:
    _register(workspace)
    with pytest.raises(NotFound) as caught:
        interessent.set_stance(workspace, who, stance="support")
    assert len(str(caught.value)) < 300
    with pytest.raises(NotFound):
        interessent.stance_history(workspace, who)
    assert _stances(workspace) == 0


def test_a_stance_is_read_in_any_case_and_in_norwegian(workspace: Workspace) -> None:
    _register(workspace)
    assert interessent.set_stance(workspace, "a", stance=" Support \n", since="2026-01-01").stance \
        is Stance.SUPPORT
    assert interessent.set_stance(workspace, "a", stance="mot", since="2026-02-01").stance \
        is Stance.OPPOSE
    assert interessent.set_stance(workspace, "a", stance="NØYTRAL", since="2026-03-01").stance \
        is Stance.NEUTRAL


@pytest.mark.parametrize("who", ["a\x00", "a\x1b[31m", "a\nb"])
def test_an_id_with_a_control_character_is_refused(workspace: Workspace, who: str) -> None:
    _register(workspace)
    with pytest.raises(InvalidInput, match=r"^id: "):
        interessent.set_stance(workspace, who, stance="support")
    assert _stances(workspace) == 0


def test_an_id_that_is_not_text_is_refused(workspace: Workspace) -> None:
    with pytest.raises(InvalidInput, match=r"^id: expected text"):
        interessent.set_stance(workspace, None, stance="support")  # type: ignore[arg-type]


# --- the rule in Python and in SQL -----------------------------------------------------------


def test_the_rule_in_sql_picks_what_the_rule_in_python_does(workspace: Workspace) -> None:
    """Random histories, several changes a day included, asked on random days."""
    rng = random.Random(14)
    ids = [f"p{n}" for n in range(30)]
    for who in ids:
        interessent.add_stakeholder(workspace, name=who, id=who)
    histories: dict[str, list[StanceRecord]] = {who: [] for who in ids}
    with workspace.store.write() as s:  # straight in: set_stance would skip repeats
        rows = s.execute(text("SELECT id, pk FROM stakeholders"))
        pks: dict[str, int] = {str(i): int(pk) for i, pk in rows}
        for _ in range(200):
            who = rng.choice(ids)
            day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 60))
            stance = rng.choice(list(Stance))
            s.execute(STANCES.insert().values(stakeholder_pk=pks[who], stance=stance.value,
                                              since=day))
            histories[who].append(StanceRecord(who, stance, day))
    names = {pk: who for who, pk in pks.items()}
    for offset in range(-1, 62, 3):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        with workspace.store.read() as s:
            found = {names[pk]: stance for pk, stance in
                     s.execute(text(stance_as_of_sql()), {"day": day})}
        expected = {who: r.stance.value for who in ids
                    if (r := in_force(histories[who], day)) is not None}
        assert found == expected, day
        asked = {who: interessent.stance_on(workspace, who, day) for who in ids}
        assert found == {who: r.stance.value for who, r in asked.items() if r is not None}


# --- acceptance ------------------------------------------------------------------------------


def test_acceptance_counted_by_hand(workspace: Workspace) -> None:
    _register(workspace)
    _record_stances(workspace)
    groups = {g.key: g for g in interessent.measure_coverage(workspace, YEAR, as_of=AS_OF)}
    naering = groups["naeringslivet"]
    # næringslivet on 26 November: a supports, b supports, c opposes (since May), d is
    # neutral (her support from December does not count yet), e unknown; f is no member.
    # Known 4, supporting 2: 2/4 = 0.5
    assert (naering.stances_known, naering.supporting, naering.acceptance) == (4, 2, 0.5)
    assert naering.components["acceptance"] == 0.5
    # befolkningen: only f, who supports: 1/1
    folk = groups["befolkningen"]
    assert (folk.stances_known, folk.supporting, folk.acceptance) == (1, 1, 1.0)
    data = naering.to_dict()
    assert (data["acceptance"], data["stances_known"], data["supporting"]) == (0.5, 4, 2)
    # in December d supports too: 3 of 4
    [december] = interessent.measure_coverage(workspace, YEAR, as_of=dt.date(2026, 12, 2),
                                              groups=["naeringslivet"])
    assert (december.stances_known, december.supporting) == (4, 3)
    # on 1 February only a (since 10 January) and c (support since 1 February): 2/2
    [february] = interessent.measure_coverage(workspace, YEAR, as_of=dt.date(2026, 2, 1),
                                              groups=["naeringslivet"])
    assert (february.stances_known, february.supporting, february.acceptance) == (2, 2, 1.0)


def test_no_stance_known_is_none_not_zero(workspace: Workspace) -> None:
    _register(workspace)
    for g in interessent.measure_coverage(workspace, YEAR, as_of=AS_OF):
        assert (g.acceptance, g.stances_known, g.to_dict()["acceptance"]) == (None, 0, None)
        assert g.components["acceptance"] is None
    _record_stances(workspace)
    # before anyone's stance was recorded from
    for g in interessent.measure_coverage(workspace, YEAR, as_of=dt.date(2026, 1, 4)):
        assert g.acceptance is None


def test_acceptance_counts_members_by_the_groups_rule(tmp_path: Path) -> None:
    plan = PLAN.replace('key = "befolkningen"\nname = "Befolkningen i Osen"\nnumber = 1\n',
                        'key = "befolkningen"\nname = "Befolkningen i Osen"\nnumber = 1\n'
                        'rule = { roles = ["ordforer"] }\n')
    with _ws(tmp_path, "rule", plan) as ws:
        interessent.add_stakeholder(ws, name="Ordføreren", id="ordforer", roles=["ordforer"])
        interessent.add_stakeholder(ws, name="Annen", id="annen")
        interessent.set_stance(ws, "ordforer", stance="oppose", since="2026-01-01")
        interessent.set_stance(ws, "annen", stance="support", since="2026-01-01")
        with ws.store.read() as s:
            found = acceptance_by_group(s, [ws.plan.group("befolkningen")], AS_OF)
        # the mayor is a member by the rule (opposes); "annen" is no member: 0 of 1
        assert (found["befolkningen"].known, found["befolkningen"].supporting) == (1, 0)


WEIGHTED = PLAN + """
[coverage]
direct = 1.0
network = 0.0
leaders = 0.0
commitments = 0.0
acceptance = 1.0
"""


def test_the_score_moves_only_with_a_weight(tmp_path: Path) -> None:
    with _ws(tmp_path, "default") as plain, _ws(tmp_path, "weighted", WEIGHTED) as weighted:
        for ws in (plain, weighted):
            _register(ws)
            interessent.log_interaction(ws, kind="meeting", date="2026-03-02",
                                        participants=["a"])
        before = {g.key: g.score for g in interessent.measure_coverage(plain, YEAR, as_of=AS_OF)}
        for ws in (plain, weighted):
            _record_stances(ws)
        after = {g.key: g.score for g in interessent.measure_coverage(plain, YEAR, as_of=AS_OF)}
        assert after == before  # the default weight is 0: no score moves
        [g] = interessent.measure_coverage(weighted, YEAR, as_of=AS_OF, groups=["naeringslivet"])
        # direct reach: a of five members of equal weight (influence 3 each) = 1/5 = 0.2;
        # acceptance 2/4 = 0.5; weights 1 and 1: (0.2 + 0.5) / 2 = 0.35
        assert g.direct_reach == pytest.approx(0.2)
        assert g.score == pytest.approx(0.35)
        # no stance known: the part gives its weight to the others, the score is direct reach
        [early] = interessent.measure_coverage(weighted, YEAR, as_of=dt.date(2026, 3, 31),
                                               groups=["naeringslivet"])
        # on 31 March: a (support) and c (support since February) known: 2/2 = 1.0;
        # (0.2 + 1.0) / 2 = 0.6
        assert early.score == pytest.approx(0.6)
        [none] = interessent.measure_coverage(weighted, YEAR, as_of=dt.date(2026, 3, 5),
                                              groups=["befolkningen"])
        assert none.acceptance == 1.0  # f supports since 5 January
        assert interessent.coverage.score(
            {"direct": 0.2, "acceptance": None}, weighted.plan) == pytest.approx(0.2)


def test_the_plan_checks_the_weight(tmp_path: Path) -> None:
    with pytest.raises(interessent.PlanError, match=r"coverage\.acceptance"):
        interessent.parse_plan(PLAN + "\n[coverage]\nacceptance = -1\n")


def test_kept_coverage_is_computed_again_after_a_stance(workspace: Workspace) -> None:
    _register(workspace)
    interessent.set_stance(workspace, "a", stance="support", since="2026-01-01")
    [first] = interessent.measure_coverage(workspace, YEAR, as_of=AS_OF, groups=["naeringslivet"])
    counter = workspace.store.change_counter()
    [kept] = interessent.measure_coverage(workspace, YEAR, as_of=AS_OF, groups=["naeringslivet"])
    assert kept == first and (kept.stances_known, kept.supporting) == (1, 1)  # read back
    interessent.set_stance(workspace, "b", stance="oppose", since="2026-01-01")
    assert workspace.store.change_counter() != counter  # the write moved the counter
    [fresh] = interessent.measure_coverage(workspace, YEAR, as_of=AS_OF, groups=["naeringslivet"])
    # a supports, b opposes: 1 of 2
    assert (fresh.stances_known, fresh.supporting, fresh.acceptance) == (2, 1, 0.5)


# --- the command line ------------------------------------------------------------------------


def _run(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--lang", "en", "-w", str(ws.root), *args])


def _error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1, \
        result.stderr
    return result.stderr


def test_the_cli_records_and_shows_the_history(workspace: Workspace) -> None:
    _register(workspace)
    done = _run(workspace, "stakeholder", "edit", "a", "--stance", "support",
                "--stance-since", "2026-02-01")
    assert done.exit_code == 0 and done.output == "a supports since 2026-02-01\n"
    done = _run(workspace, "stakeholder", "edit", "a", "--stance", "oppose")
    assert done.exit_code == 0
    assert _run(workspace, "stakeholder", "edit", "a", "--stance", "oppose").exit_code == 0
    assert _stances(workspace) == 2  # twice the same: once
    today = dt.date.today().isoformat()
    shown = _run(workspace, "stakeholder", "show", "a").output
    assert f"stance        opposes since {today}" in shown
    assert "Stance history (2, oldest first):" in shown
    assert "  2026-02-01  supports" in shown
    [data] = json.loads(_run(workspace, "stakeholder", "show", "a", "--format", "json").output)
    assert data["stance"] == "oppose"
    assert [(r["stance"], r["since"]) for r in data["stances"]] == [
        ("support", "2026-02-01"), ("oppose", today)]
    [other] = json.loads(_run(workspace, "stakeholder", "show", "b", "--format", "json").output)
    assert (other["stance"], other["stances"]) == (None, [])


def test_the_cli_edits_fields_and_the_stance_together(workspace: Workspace) -> None:
    _register(workspace)
    done = _run(workspace, "stakeholder", "edit", "b", "--email", "b@example.com",
                "--stance", "neutral", "--stance-since", "2026-04-01")
    assert done.exit_code == 0, done.output
    assert interessent.stance_on(workspace, "b", "2026-04-01").stance is Stance.NEUTRAL  # type: ignore[union-attr]
    assert workspace.store.stakeholder("b").email == "b@example.com"
    # a bad e-mail with a stance: neither is written
    counter = workspace.store.change_counter()
    _error(_run(workspace, "stakeholder", "edit", "b", "--email", "b@\x00", "--stance",
                "support"))
    assert workspace.store.change_counter() == counter and _stances(workspace) == 1


@pytest.mark.parametrize("args", [
    ("a", "--stance", "maybe"),
    ("a", "--stance", "sup\x1b[31mport"),
    ("a", "--stance", "<script>alert(1)</script>"),
    ("a", "--stance", "x" * 50_000),
    ("a", "--stance", "support", "--stance-since", "2026-02-30"),
    ("a", "--stance", "support", "--stance-since", "{{ now }}"),
    ("a", "--stance-since", "2026-02-01"),
    ("nobody", "--stance", "support"),
    ("a", "--email", "a@example.com", "--stance", "maybe"),
])
def test_the_cli_refuses_in_one_line_and_writes_nothing(workspace: Workspace,
                                                        args: tuple[str, ...]) -> None:
    _register(workspace)
    counter = workspace.store.change_counter()
    line = _error(_run(workspace, "stakeholder", "edit", *args))
    assert len(line) < 400 and "\x1b" not in line
    assert workspace.store.change_counter() == counter and _stances(workspace) == 0
    assert workspace.store.stakeholder("a").email is None


def test_coverage_shows_acceptance(workspace: Workspace) -> None:
    _register(workspace)
    table = _run(workspace, "coverage", "--period", "2026", "--as-of", "2026-11-26").output
    assert "acceptance" not in table  # no stance known: no column
    _record_stances(workspace)
    rows = json.loads(_run(workspace, "coverage", "--period", "2026", "--as-of", "2026-11-26",
                           "--format", "json").output)
    assert {r["key"]: r["acceptance"] for r in rows} == {"befolkningen": 1.0,
                                                          "naeringslivet": 0.5}
    table = _run(workspace, "coverage", "--period", "2026", "--as-of", "2026-11-26").output
    line = next(x for x in table.splitlines() if x.startswith("naeringslivet"))
    assert "50% (2/4)" in line and "acceptance" in table
    csv = _run(workspace, "coverage", "--period", "2026", "--as-of", "2026-11-26",
               "--format", "csv").output.splitlines()
    assert csv[0].endswith(",acceptance,stances_known,supporting")
    assert any(x.startswith("naeringslivet,") and x.endswith(",0.50,4,2") for x in csv)


def test_acceptance_is_in_the_json_of_every_group_even_unknown(make_workspace: Make) -> None:
    ws = make_workspace("empty")
    rows = json.loads(_run(ws, "coverage", "--period", "2026", "--as-of", "2026-11-26",
                           "--format", "json").output)
    assert rows and all("acceptance" in r and r["acceptance"] is None for r in rows)


def test_an_erased_person_gets_no_stance(workspace: Workspace) -> None:
    _register(workspace)
    erased = interessent.erase(workspace, "a", compact=False)
    with pytest.raises(InvalidInput, match="was erased"):
        interessent.set_stance(workspace, erased.id, stance="support")
    assert _stances(workspace) == 0


# --- the status report -----------------------------------------------------------------------


def test_the_status_report_says_acceptance_per_group(tmp_path: Path) -> None:
    with _ws(tmp_path, "plain") as plain, _ws(tmp_path, "weighted", WEIGHTED) as weighted:
        for ws in (plain, weighted):
            _register(ws)
        # nothing known and not weighed: not a word
        text_ = interessent.render_report(plain, YEAR, as_of=AS_OF, fmt="md", language="en")
        assert "Acceptance" not in text_ and "acceptance" not in text_
        # weighed, nothing known yet: says so
        text_ = interessent.render_report(weighted, YEAR, as_of=AS_OF, fmt="md", language="en")
        assert "No member's stance on the programme is known yet" in text_
        _record_stances(plain)
        text_ = interessent.render_report(plain, YEAR, as_of=AS_OF, fmt="md", language="en")
        # befolkningen 1 of 1, næringslivet 2 of 4 (counted above)
        [line] = [x for x in text_.splitlines() if x.startswith("Acceptance")]
        assert "Befolkningen i Osen 100% (1 of 1)" in line
        assert "Det etablerte næringslivet 50% (2 of 4)" in line


def test_the_dashboard_marks_stances_on_the_map(workspace: Workspace) -> None:
    """The page itself (the browser test opens it in Chromium): a named stakeholder with a
    known stance has its mark and its word, the cell counts the stances in it."""
    interessent.add_stakeholder(workspace, name="Kari Berg", id="kari", influence=5,
                                interest=5, groups=["befolkningen"])
    interessent.add_stakeholder(workspace, name="Per Dal", id="per", influence=5, interest=5,
                                groups=["befolkningen"])
    page = interessent.render_report(workspace, YEAR, as_of=AS_OF, language="en")
    assert 'class="stance-legend"' not in page  # no stance known: no legend
    interessent.set_stance(workspace, "kari", stance="oppose", since="2026-02-01")
    page = interessent.render_report(workspace, YEAR, as_of=AS_OF, language="en")
    section = page[page.index('id="makt"'):]
    assert ('<span class="stance stance-oppose" title="opposes" aria-hidden="true">\u2212'
            '</span><span class="visually-hidden">opposes: </span>Kari Berg') in section
    assert '<span class="pig-name">Per Dal</span>' in section  # not known: no mark
    assert 'class="stance-legend"' in section


def test_the_dashboards_curve_weighs_acceptance_as_coverage_does(tmp_path: Path) -> None:
    """Each month's point is the coverage up to its end, as of that end: with acceptance
    weighed, the stances in force on each month's end count."""
    with _ws(tmp_path, "weighted", WEIGHTED) as ws:
        _register(ws)
        interessent.log_interaction(ws, kind="meeting", date="2026-01-20", participants=["a"])
        _record_stances(ws)
        report = interessent.build_report(ws, YEAR, as_of=AS_OF, language="en")
        curve = {s.key: s.points for s in report.series}["naeringslivet"]
        for month in (1, 2, 4, 11):  # January … November; the last column ends on as-of
            end = min(AS_OF, dt.date(2026, month + 1, 1) - dt.timedelta(days=1))
            [expected] = interessent.measure_coverage(
                ws, interessent.Period(dt.date(2026, 1, 1), end), as_of=end,
                groups=["naeringslivet"])
            assert curve[month - 1].score == pytest.approx(expected.score), month
        # by hand on 30 April: direct reach 1/5 = 0.2; a supports (since 10 January), b
        # supports (since 1 March), c supports (since 1 February; opposes only from 1 May),
        # d is neutral (since 1 April): 4 known, 3 supporting, 3/4; (0.2 + 0.75) / 2 = 0.475
        assert curve[3].score == pytest.approx(0.475)
