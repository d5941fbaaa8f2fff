"""Coverage benchmark: ``interessent.coverage.coverage`` against one hand-written SQL query.

    python benchmarks/bench_coverage.py            # 100k stakeholders, 500k ties, 1M interactions
    python benchmarks/bench_coverage.py --quick    # a smoke run of a few seconds
    python benchmarks/bench_coverage.py --repeat 3 --profile

The budget (issue: "``coverage`` for a year takes no more than 1.5× raw SQL computing the
same direct and network reach per group on an indexed SQLite copy"): at most 1.5×.

Set-up, not timed: the workspace of ``_common.prepared_workspace`` (``benchmarks/plan.toml``
and the generated data imported with ``import_file``, kept under ``benchmarks/out/ws-…``)
and a copy of its database for the raw side, to which the script adds three covering
indexes (:data:`RAW_INDEXES`: the interaction window by date with pk and host, and the
ties from each end with the other end, strength and dates). Each side runs in its own
fresh process, its modules imported and its database opened before the clock starts.

- **ours**, timed: ``coverage(ws, Period.year(2026), as_of=2026-12-31)`` for all six
  groups — ranking each group's opinion leaders, checking every commitment, the reach
  query, the leaders informed and the broadcast touchpoints. That is what "coverage for a
  year" costs, so the budget is on the whole call.
- **ours, reach query only** (no budget; to show where the excess is): the module's own
  reach query (``coverage._reach_sql``, a private name) run through a store session.
- **raw**, timed: one SQL statement (:func:`raw_reach_sql`, ``sqlite3`` module) giving,
  per group, the members (registered in ``stakeholder_groups`` or picked by the plan
  group's rule, written out in SQL), their influence weights (undeclared = 3), how many
  were reached directly (took part in, hosted, or are the organisation of someone who
  took part in an interaction of the period up to ``as_of``), the weighted direct reach,
  and the weighted network reach (a member not reached directly counts with the strength
  of its strongest tie active in the period to anyone reached).

A second, unbudgeted pair of rows does the same for the first week of 2026 (once, however
many ``--repeat``): with a million interactions over the year every stakeholder is
reached directly, so the year alone would never test the network part; in one week about
a quarter are.

Both sides must agree for every group on the members, the reached and the
reached-through-network counts, and on direct and network reach to 1e-9, or the script
stops. An exceeded budget prints OVER BUDGET but still exits 0. ``--profile`` adds a
timed breakdown of our call and a cProfile of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common

BUDGET = 1.5
AS_OF = dt.date(2026, 12, 31)
START = dt.date(2026, 1, 1)
#: The periods measured: (label, last day, budget).
PERIODS = (("coverage 2026", dt.date(2026, 12, 31), BUDGET),
           ("coverage 2026-01-01..07", dt.date(2026, 1, 7), None))
#: Indexes added to the raw side's copy (the store's own indexes are there already).
RAW_INDEXES = (
    "CREATE INDEX bench_interactions_window ON interactions (date, pk, host_pk)",
    'CREATE INDEX bench_ties_from ON relationships (source_pk, target_pk, strength, start, "end")',
    'CREATE INDEX bench_ties_to ON relationships (target_pk, source_pk, strength, start, "end")',
)
NEUTRAL_INFLUENCE = 3
TOLERANCE = 1e-9


def raw_reach_sql(groups: Sequence[str]) -> str:
    """Per group: members, weight, reached, direct weight, network weight, reached only
    through the network. ``:start``/``:end`` bound the interactions and the ties' activity.

    ``MATERIALIZED`` and the unary ``+`` pin the plan: the window and the reached set are
    computed once, and each tie lookup goes by the member's end of the tie (an index
    search) while membership of the other end in ``reached`` is only tested — SQLite
    would otherwise probe the tie index once per reached stakeholder.
    """
    members = " UNION ALL ".join(
        f"SELECT '{key}' AS gkey, stakeholder_pk AS pk FROM ({common.group_members_sql(key)})"
        for key in groups)
    active = ('(r.start IS NULL OR r.start <= :end) AND (r."end" IS NULL OR r."end" >= :start)')
    return f"""
WITH
win AS MATERIALIZED (SELECT pk, host_pk FROM interactions WHERE date >= :start AND date <= :end),
people AS MATERIALIZED (
    SELECT DISTINCT p.stakeholder_pk AS pk FROM win
    JOIN interaction_participants p ON p.interaction_pk = win.pk),
reached AS MATERIALIZED (
    SELECT pk FROM people
    UNION SELECT host_pk FROM win WHERE host_pk IS NOT NULL
    UNION SELECT s.organisation_pk FROM people JOIN stakeholders s ON s.pk = people.pk
          WHERE s.organisation_pk IS NOT NULL),
members AS ({members}),
per AS (
    SELECT m.gkey AS gkey, m.pk AS pk, COALESCE(s.influence, {NEUTRAL_INFLUENCE}) AS w,
           m.pk IN reached AS direct
    FROM members m JOIN stakeholders s ON s.pk = m.pk),
scored AS (
    SELECT gkey, w, direct, CASE WHEN direct THEN 1 ELSE COALESCE((
        SELECT max(strength) FROM (
            SELECT r.strength FROM relationships r
            WHERE r.source_pk = per.pk AND +r.target_pk IN reached AND {active}
            UNION ALL
            SELECT r.strength FROM relationships r
            WHERE r.target_pk = per.pk AND +r.source_pk IN reached AND {active})
    ), 0) END AS tie
    FROM per)
SELECT gkey, count(*), sum(w), sum(direct), sum(w * direct), sum(w * tie),
       sum(NOT direct AND tie > 0)
FROM scored GROUP BY gkey
"""


def _reach(rows: Any) -> dict[str, dict[str, Any]]:
    """Reach per group from rows of (gkey, members, weight, reached, direct weight,
    network weight, through network)."""
    out = {}
    for key, members, weight, reached, direct, network, through in rows:
        weight = float(weight or 0)
        out[str(key)] = {
            "members": int(members), "reached": int(reached or 0),
            "through_network": int(through or 0),
            "direct_reach": float(direct or 0) / weight if weight else 0.0,
            "network_reach": float(network or 0) / weight if weight else 0.0,
        }
    return out


# --- the sides (run in child processes) ---------------------------------------------------


def _open(folder: Path) -> Any:
    import interessent.coverage
    import interessent.graph
    from interessent.workspace import Workspace

    ws = Workspace(folder)
    ws.plan  # noqa: B018 - load and validate the plan before the clock starts
    ws.store  # noqa: B018 - open the database likewise
    return ws, interessent.coverage


def ours(folder: Path, end: dt.date, profile: Path | None) -> None:
    from interessent.periods import Period

    ws, coverage = _open(folder)
    period = Period(START, end)
    base = common.current_rss_kib()
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    result = coverage.coverage(ws, period, as_of=AS_OF)
    seconds = time.perf_counter() - t0
    if profiler is not None and profile is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    ws.close()
    reach = {g.key: {"members": g.members, "reached": g.reached_directly,
                     "through_network": g.reached_through_network,
                     "direct_reach": g.direct_reach, "network_reach": g.network_reach}
             for g in result}
    extra = {g.key: {"leaders": f"{g.leaders_informed}/{g.leaders}",
                     "touchpoints": g.touchpoints,
                     "commitments": {c.id: c.status.value for c in g.commitments}}
             for g in result}
    common.report(seconds=seconds, base_kib=base, reach=reach, extra=extra)


def ours_reach(folder: Path, end: dt.date) -> None:
    """Only the module's reach query (a private name: the diagnosis may need updating if
    it moves; the budgeted row does not depend on it)."""
    ws, coverage = _open(folder)
    groups = list(ws.plan.groups)
    base = common.current_rss_kib()
    t0 = time.perf_counter()
    with ws.store.read() as session:
        stmt, params = coverage._reach_sql(groups)
        params.update(start=START, end=min(end, AS_OF))
        rows = session.execute(stmt, params).all()
    seconds = time.perf_counter() - t0
    ws.close()
    common.report(seconds=seconds, base_kib=base, reach=_reach(rows))


def raw(db: Path, end: dt.date) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    sql = raw_reach_sql(common.group_keys())
    base = common.current_rss_kib()
    t0 = time.perf_counter()
    rows = con.execute(sql, {"start": START.isoformat(), "end": min(end, AS_OF).isoformat()})
    reach = _reach(rows.fetchall())
    seconds = time.perf_counter() - t0
    con.close()
    common.report(seconds=seconds, base_kib=base, reach=reach)


def parts(folder: Path) -> None:
    """Our year's coverage cut into its parts, each timed (private names; diagnosis only)."""
    from interessent.periods import Period
    from interessent.plan import Members

    ws, coverage = _open(folder)
    plan = ws.plan
    period = Period.year(2026)
    times: list[tuple[str, float]] = []

    def timed(label: str, work: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        value = work()
        times.append((label, time.perf_counter() - t0))
        return value

    keys = [g.key for g in plan.groups]
    leaders = timed("rank_leaders, each group (_leaders_by_group)",
                    lambda: coverage._leaders_by_group(ws, keys, AS_OF))
    for c in plan.commitments:
        timed(f"check_commitments {c.id} ({c.kind.value})",
              partial(coverage.check_commitments, ws, period, as_of=AS_OF, ids=[c.id]))
    with ws.store.read() as session:
        stmt, params = coverage._reach_sql(list(plan.groups))
        params.update(start=period.start, end=AS_OF)
        timed("reach query (_reach_sql)", lambda: session.execute(stmt, params).all())
        log = coverage._Log(ws, session)

        def informed(key: str) -> Any:
            return log.contacts(log.select(Members(ids=tuple(leaders[key]))), period, None)

        for key in keys:
            timed(f"leaders informed, {key} (_Log.contacts)", partial(informed, key))
        timed("broadcasts (_broadcasts)",
              lambda: coverage._broadcasts(session, list(plan.groups), period.start, AS_OF))
    ws.close()
    common.report(parts=times)


def child(argv: Sequence[str]) -> int:
    side, target, *rest = argv
    if side == "ours":
        end, *profile = rest
        ours(Path(target), dt.date.fromisoformat(end), Path(profile[0]) if profile else None)
    elif side == "reach":
        ours_reach(Path(target), dt.date.fromisoformat(rest[0]))
    elif side == "raw":
        raw(Path(target), dt.date.fromisoformat(rest[0]))
    else:
        parts(Path(target))
    return 0


# --- the comparison -----------------------------------------------------------------------


def same_reach(label: str, mine: dict[str, dict[str, Any]],
               theirs: dict[str, dict[str, Any]]) -> None:
    problems = []
    for key in sorted(mine.keys() | theirs.keys()):
        a, b = mine.get(key), theirs.get(key)
        if a is None or b is None:
            problems.append(f"{key}: only {'ours' if b is None else 'raw'} has it")
            continue
        for field in ("members", "reached", "through_network"):
            if a[field] != b[field]:
                problems.append(f"{key} {field}: ours {a[field]}, raw {b[field]}")
        for field in ("direct_reach", "network_reach"):
            if abs(a[field] - b[field]) > TOLERANCE:
                problems.append(f"{key} {field}: ours {a[field]!r}, raw {b[field]!r}")
    if problems:
        raise AssertionError(f"{label}: the two sides computed different reach:\n  "
                             + "\n  ".join(problems))


def describe(reach: dict[str, dict[str, Any]]) -> str:
    return "; ".join(f"{k} {v['members']:,} members, {v['reached']:,} direct + "
                     f"{v['through_network']:,} network, reach {v['direct_reach']:.3f}/"
                     f"{v['network_reach']:.3f}" for k, v in sorted(reach.items()))


def raw_copy(db: Path, scratch: Path) -> Path:
    """The raw side's indexed copy of the database (not timed)."""
    copy = scratch / "raw.db"
    shutil.copyfile(db, copy)
    con = sqlite3.connect(copy)
    try:
        for statement in RAW_INDEXES:
            con.execute(statement)
        con.commit()
    finally:
        con.close()
    return copy


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(
        description="Time interessent's coverage against one hand-written SQL query for the "
                    "same reach (see the module docstring).")
    common.size_arguments(parser)
    parser.add_argument("--profile", action="store_true",
                        help="also time the parts of our year's coverage and run it once more "
                             "under cProfile (untimed), and print both")
    args = parser.parse_args(argv)
    n = common.sizes(args)
    reps = common.repeats(args, n)
    script = Path(__file__).resolve()
    print(f"coverage benchmark: {n['stakeholders']:,} stakeholders, "
          f"{n['relationships']:,} relationships, {n['interactions']:,} interactions; "
          f"best of {reps}", flush=True)
    rows: dict[str, common.Row] = {}
    for label, _, budget in PERIODS:
        rows[label] = common.Row(label, n["interactions"], budget=budget)
        rows[f"  {label}: reach query only"] = common.Row(f"  {label}: reach query only",
                                                           n["interactions"])
    seen: dict[str, str] = {}
    extra: dict[str, Any] = {}
    breakdown: list[tuple[str, float]] = []
    with common.scratch_folder() as scratch_name:
        scratch = Path(scratch_name)
        t0 = time.perf_counter()
        folder = common.prepared_workspace(args, n, scratch)
        db = folder / "interessent.db"
        common.warm(db)
        copy = raw_copy(db, scratch)
        print(f"workspace and indexed raw copy ready in {time.perf_counter() - t0:.1f} s: "
              f"{folder}", flush=True)
        for rep in range(reps):
            # The week (no budget; it is there to test the network part) runs once.
            for label, end, _ in PERIODS if rep == 0 else PERIODS[:1]:
                sides = ("ours", "reach", "raw") if rep % 2 == 0 else ("raw", "reach", "ours")
                got: dict[str, dict[str, Any]] = {}
                for side in sides:
                    target = copy if side == "raw" else folder
                    got[side] = common.run_child(script, "_child", side, str(target),
                                                 end.isoformat())
                same_reach(label, got["ours"]["reach"], got["raw"]["reach"])
                same_reach(f"{label} (reach query only)", got["reach"]["reach"],
                           got["raw"]["reach"])
                seen[label] = describe(got["raw"]["reach"])
                extra[label] = got["ours"]["extra"]
                for row, side in ((rows[label], "ours"),
                                  (rows[f"  {label}: reach query only"], "reach")):
                    row.ours.append(got[side]["seconds"])
                    row.raw.append(got["raw"]["seconds"])
                    row.ours_peak_kib = max(row.ours_peak_kib, got[side]["peak_kib"])
                    row.raw_peak_kib = max(row.raw_peak_kib, got["raw"]["peak_kib"])
                    row.ours_base_kib = max(row.ours_base_kib, got[side]["base_kib"])
                    row.raw_base_kib = max(row.raw_base_kib, got["raw"]["base_kib"])
                print(f"  run {rep + 1}/{reps} {label:<24} ours {got['ours']['seconds']:7.2f} s"
                      f"   reach query only {got['reach']['seconds']:6.2f} s"
                      f"   raw {got['raw']['seconds']:6.2f} s   same reach", flush=True)
        if args.profile:
            breakdown = common.run_child(script, "_child", "parts", str(folder))["parts"]
            stats = common.OUT / "profiles" / "coverage.prof"
            stats.parent.mkdir(parents=True, exist_ok=True)
            common.run_child(script, "_child", "ours", str(folder), PERIODS[0][1].isoformat(),
                             str(stats))

    notes = [
        "",
        "rows = interactions in the store. ours = interessent.coverage.coverage(ws, period, "
        "as_of=2026-12-31), all groups: leaders, commitments, reach, broadcasts; reach query "
        "only = coverage._reach_sql through a store session; raw = one sqlite3 query for the "
        "same reach on an indexed copy (" + "; ".join(
            s.split(" ON ")[1] for s in RAW_INDEXES) + ").",
        "Each side runs in its own process with its modules imported and its database open "
        "before the clock starts; peak MiB is that process's VmHWM (RSS before the clock: ours "
        f"{rows[PERIODS[0][0]].ours_base_kib / 1024:.0f} MiB, raw "
        f"{rows[PERIODS[0][0]].raw_base_kib / 1024:.0f} MiB). The raw side's time is the "
        "same in a period's two rows.",
        *(f"{label}, both sides: {text}" for label, text in seen.items()),
        *(f"{label}, ours also: " + json.dumps(value, ensure_ascii=False)
          for label, value in extra.items()),
    ]
    common.print_table("Coverage vs one hand-written SQL query (best time of each side)",
                       list(rows.values()), notes)
    if breakdown:
        total = sum(seconds for _, seconds in breakdown)
        print("\n--- our year's coverage, part by part (one run, each part timed on its own; "
              "private names)")
        for what, seconds in sorted(breakdown, key=lambda p: -p[1]):
            print(f"  {seconds:7.2f} s  {100 * seconds / total:5.1f} %  {what}")
        print(f"  {total:7.2f} s  total")
        print_profile(common.OUT / "profiles" / "coverage.prof", 25)
    return 0


def print_profile(path: Path, top: int) -> None:
    import pstats

    print(f"\n--- cProfile of our coverage for 2026 (an extra, untimed run): top {top} by "
          f"cumulative time; full stats in {path}")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
