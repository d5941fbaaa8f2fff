"""Coverage and report benchmark: ``interessent coverage`` and ``interessent report`` for
a year, against one hand-written SQL query, each a whole command.

    python benchmarks/bench_coverage.py            # 100k stakeholders, 500k ties, 1M interactions
    python benchmarks/bench_coverage.py --quick    # a smoke run of a few seconds
    python benchmarks/bench_coverage.py --repeat 5 --profile

The budgets (issue 10, "the same answers at a million interactions, fast"):

- ``coverage`` for a year, the first command after an import (nothing kept yet): at most
  3× the raw query; run again with the data unchanged (the coverage kept in the database,
  read back): at most 2×;
- ``report`` for the year (the dashboard), the first command after an import: at most 3×
  that ``coverage`` command.

Set-up, not timed: the workspace of ``_common.prepared_workspace`` (``benchmarks/plan.toml``
and the generated data imported with ``import_file``, kept under ``benchmarks/out/ws-…``),
a fresh copy of its database for each run (the state an import leaves: nothing ranked or
kept), and an indexed copy for the raw side, to which the script adds three covering
indexes (:data:`RAW_INDEXES`: the interaction window by date with pk and host, and the
ties from each end with the other end, strength and dates).

- **ours**, timed from outside, start-up and all: ``interessent coverage --period 2026
  --as-of 2026-12-31 --format json`` (ranking each group's opinion leaders, checking every
  commitment, the reach query, the leaders informed and the broadcasts), first on the fresh
  copy, then again on it; and ``interessent report --period 2026 --as-of 2026-12-31`` on
  another fresh copy, then again.
- **raw**, timed the same way: ``python bench_coverage.py --raw DB START END``, one SQL
  statement (:func:`raw_reach_sql`, ``sqlite3`` module) giving, per group, the members
  (registered in ``stakeholder_groups`` or picked by the plan group's rule, written out in
  SQL), their influence weights (undeclared = 3), how many were reached directly (took part
  in, hosted, or are the organisation of someone who took part in an interaction of the
  period up to ``as_of``), the weighted direct reach, and the weighted network reach (a
  member not reached directly counts with the strength of its strongest tie active in the
  period to anyone reached), printed as JSON.

Both coverage sides must agree for every group on the members, the reached and the
reached-through-network counts, and on direct and network reach to 1e-4 (the command
rounds to four decimals), or the script stops. A last, unbudgeted pair of rows does the
first week of 2026: with a million interactions in the year everyone is reached directly,
so the year alone never tests the network part; in one week about a quarter are. An
exceeded budget prints OVER BUDGET but still exits 0. ``--profile`` adds a cProfile of our
coverage and report commands (run once more each, untimed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common

COLD_BUDGET = 3.0
WARM_BUDGET = 2.0
REPORT_BUDGET = 3.0
AS_OF = dt.date(2026, 12, 31)
START = dt.date(2026, 1, 1)
WEEK_END = dt.date(2026, 1, 7)
#: Indexes added to the raw side's copy (the store's own indexes are there already).
RAW_INDEXES = (
    "CREATE INDEX bench_interactions_window ON interactions (date, pk, host_pk)",
    'CREATE INDEX bench_ties_from ON relationships (source_pk, target_pk, strength, start, "end")',
    'CREATE INDEX bench_ties_to ON relationships (target_pk, source_pk, strength, start, "end")',
)
NEUTRAL_INFLUENCE = 3
#: The command rounds reach to four decimals.
TOLERANCE = 1e-4 + 1e-12


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


# --- the sides: whole commands ------------------------------------------------------------


def raw(db: Path, start: dt.date, end: dt.date) -> None:
    """The raw side's whole command: one query, its reach as JSON."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(raw_reach_sql(common.group_keys()),
                       {"start": start.isoformat(), "end": end.isoformat()})
    print(json.dumps(_reach(rows.fetchall())))
    con.close()


def coverage_command(folder: Path, db: Path, period: str) -> list[str]:
    return [*common.INTERESSENT, "-w", str(folder), "--db", f"sqlite:///{db}", "coverage",
            "--period", period, "--as-of", AS_OF.isoformat(), "--format", "json"]


def report_command(folder: Path, db: Path, out: Path) -> list[str]:
    return [*common.INTERESSENT, "-w", str(folder), "--db", f"sqlite:///{db}", "report",
            "--period", "2026", "--as-of", AS_OF.isoformat(), "--out", str(out)]


def raw_command(db: Path, end: dt.date) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--raw", str(db),
            START.isoformat(), end.isoformat()]


def ours_reach(stdout: str) -> dict[str, dict[str, Any]]:
    """The reach of each group, from the command's JSON."""
    return {g["key"]: {"members": g["members"], "reached": g["reached_directly"],
                       "through_network": g["reached_through_network"],
                       "direct_reach": g["direct_reach"], "network_reach": g["network_reach"]}
            for g in json.loads(stdout)}


def profile(argv: Sequence[str], path: Path) -> None:
    """Run one of our commands once more under cProfile (untimed)."""
    code = ("import cProfile, sys; from interessent.cli import main; "
            "sys.argv = ['interessent', *sys.argv[1:]]; "
            f"cProfile.run('main()', {str(path)!r})")
    common.run_command([sys.executable, "-c", code, *argv[len(common.INTERESSENT):]])


class _Runs:
    """One repeat's commands, by side."""

    def __init__(self) -> None:
        self.done: dict[str, common.Command] = {}

    def measure(self, key: str, argv: list[str], capture: bool = False) -> str:
        self.done[key] = common.run_command(argv, capture=capture)
        return self.done[key].stdout


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
    if argv[:1] == ["--raw"]:
        raw(Path(argv[1]), dt.date.fromisoformat(argv[2]), dt.date.fromisoformat(argv[3]))
        return 0
    parser = argparse.ArgumentParser(
        description="Time interessent's coverage and report commands against one "
                    "hand-written SQL query for the same reach (see the module docstring).")
    common.size_arguments(parser)
    parser.add_argument("--profile", action="store_true",
                        help="also run our coverage and report once more under cProfile "
                             "(untimed) and print where their time goes")
    args = parser.parse_args(argv)
    n = common.sizes(args)
    reps = common.repeats(args, n)
    print(f"coverage benchmark: {n['stakeholders']:,} stakeholders, "
          f"{n['relationships']:,} relationships, {n['interactions']:,} interactions; "
          f"median of {reps}", flush=True)
    rows = {
        "cold": common.Row("coverage 2026, first command after the import", n["interactions"],
                           budget=COLD_BUDGET),
        "warm": common.Row("coverage 2026, run again (data unchanged)", n["interactions"],
                           budget=WARM_BUDGET),
        "report": common.Row("report 2026 (vs coverage), first command after the import",
                             n["interactions"], budget=REPORT_BUDGET),
        "report again": common.Row("report 2026 (vs coverage), run again", n["interactions"]),
        "week": common.Row("coverage 2026-01-01..07, first command (network reach)",
                           n["interactions"]),
    }
    seen: dict[str, str] = {}
    with common.scratch_folder() as scratch_name:
        scratch = Path(scratch_name)
        t0 = time.perf_counter()
        folder = common.prepared_workspace(args, n, scratch)
        prepared = folder / "interessent.db"
        raw_db = raw_copy(prepared, scratch)
        copy = scratch / "ours" / "interessent.db"
        out = scratch / "report.html"
        print(f"workspace and indexed raw copy ready in {time.perf_counter() - t0:.1f} s: "
              f"{folder}", flush=True)
        for rep in range(reps):
            first_raw = rep % 2 == 0
            runs = _Runs()
            measure = runs.measure
            raw_out = ""
            if first_raw:
                raw_out = measure("raw", raw_command(raw_db, AS_OF), capture=True)
            common.warm(common.fresh_copy(prepared, copy))
            cold = measure("cold", coverage_command(folder, copy, "2026"), capture=True)
            warm = measure("warm", coverage_command(folder, copy, "2026"), capture=True)
            common.warm(common.fresh_copy(prepared, copy))
            measure("report", report_command(folder, copy, out))
            measure("report again", report_command(folder, copy, out))
            if not first_raw:
                raw_out = measure("raw", raw_command(raw_db, AS_OF), capture=True)
            theirs = json.loads(raw_out)
            same_reach("coverage 2026, first", ours_reach(cold), theirs)
            same_reach("coverage 2026, again", ours_reach(warm), theirs)
            seen["coverage 2026"] = describe(theirs)
            for key, against in (("cold", "raw"), ("warm", "raw"), ("report", "cold"),
                                 ("report again", "warm")):
                rows[key].add(runs.done[key], runs.done[against])
            t = {key: done.seconds for key, done in runs.done.items()}
            print(f"  run {rep + 1}/{reps}: coverage {t['cold']:6.2f} s first, "
                  f"{t['warm']:6.2f} s again; report {t['report']:6.2f} s first, "
                  f"{t['report again']:6.2f} s again; raw query {t['raw']:6.2f} s; "
                  "same reach", flush=True)
        # The week, once: the network part of reach (no budget).
        common.warm(common.fresh_copy(prepared, copy))
        week_ours = common.run_command(coverage_command(
            folder, copy, f"{START.isoformat()}..{WEEK_END.isoformat()}"), capture=True)
        week_raw = common.run_command(raw_command(raw_db, WEEK_END), capture=True)
        theirs = json.loads(week_raw.stdout)
        same_reach("coverage of the first week", ours_reach(week_ours.stdout), theirs)
        seen["coverage 2026-01-01..07"] = describe(theirs)
        rows["week"].add(week_ours, week_raw)
        if args.profile:
            stats = common.OUT / "profiles"
            stats.mkdir(parents=True, exist_ok=True)
            common.fresh_copy(prepared, copy)
            profile(coverage_command(folder, copy, "2026"), stats / "coverage-cold.prof")
            profile(coverage_command(folder, copy, "2026"), stats / "coverage-warm.prof")
            common.fresh_copy(prepared, copy)
            profile(report_command(folder, copy, out), stats / "report-cold.prof")

    notes = [
        "",
        "rows = interactions in the store. Whole commands, timed from outside (start-up, "
        "imports, work, output): ours = `interessent coverage --period 2026 --as-of 2026-12-31 "
        "--format json` on a fresh copy of the imported database, then again; `interessent "
        "report --period 2026 --as-of 2026-12-31` likewise (its ratio is to our coverage "
        "command, first to first and again to again); raw = `python bench_coverage.py --raw`: "
        "one sqlite3 query for the same reach on an indexed copy (" + "; ".join(
            s.split(" ON ")[1] for s in RAW_INDEXES) + ").",
        f"Medians of {reps} runs taken in turns (raw first on odd runs, last on even); peak "
        "MiB and processor time (cpu ×: ours over raw, user + system) from GNU time.",
        *(f"{label}, both sides: {text}" for label, text in seen.items()),
    ]
    common.print_table("Coverage and report vs one hand-written SQL query, whole commands "
                       "(median of each side)", list(rows.values()), notes)
    if args.profile:
        for name in ("coverage-cold", "coverage-warm", "report-cold"):
            print_profile(common.OUT / "profiles" / f"{name}.prof", 30)
    return 0


def print_profile(path: Path, top: int) -> None:
    import pstats

    print(f"\n--- cProfile of {path.stem} (an extra, untimed run): top {top} by cumulative "
          f"time; full stats in {path}")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
