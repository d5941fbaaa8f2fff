"""Import benchmark: ``interessent import`` against ``sqlite-utils insert`` (whole
commands), and ``interessent.importing.import_file`` against raw ``sqlite3``.

    python benchmarks/bench_import.py            # 100k stakeholders, 500k ties, 1M interactions
    python benchmarks/bench_import.py --quick    # a smoke run of a few seconds
    python benchmarks/bench_import.py --stakeholders 20000 --relationships 100000 \\
        --interactions 200000 --repeat 3

Two comparisons, in turns, on the same files:

1. **What a user would pick instead** (issue 10: "import stays faster than ``sqlite-utils
   insert`` of the same CSV"): the whole command ``interessent import KIND FILE`` into a
   fresh workspace, against ``sqlite-utils insert DB KIND FILE --csv`` into a fresh
   database, step by step (stakeholders, relationships, interactions) and in total, timed
   from outside, start-up and all. sqlite-utils keeps each file as one flat table of text
   while interessent checks every row against the plan and the register and stores ids,
   lists and links, so this is not a same-rows comparison: it is the one a user makes.
   Budget: below 1.0× for each step. sqlite-utils is not a dependency of interessent: it
   is taken from ``benchmarks/out/raw-venv`` or ``PATH`` (see the README); without it these
   rows are left out with a message.
2. **The same rows** (issue 1: "importing 100,000 stakeholders takes no more than 2× the
   raw insert"): our import of the stakeholders file may take at most 2.0× the raw insert
   of the same rows. Relationships and interactions are measured and reported the same
   way, without a budget. As follows:

Each step runs once per side in its own child process, so each side's peak memory is
its own:

- **ours**: a fresh workspace (``benchmarks/plan.toml`` as ``interessent.toml``), its
  plan loaded and its database opened before the clock starts; then the timed
  ``import_file(ws, kind, csv)``, which reads, checks and writes in one transaction.
- **raw**: a database with the same schema (made by ``interessent.store.Store``, i.e.
  its migrations) and the same pragmas (WAL, synchronous=NORMAL, foreign_keys=ON); then,
  timed, in one transaction: ``csv.DictReader`` over the same file, ``executemany`` of
  the main rows, the id → pk map read back, ``executemany`` of the child rows. No
  validation — the least work that gives the same database.

After every step both databases must hold the same number of rows in every table (and
agree on a few aggregates), or the script stops: a benchmark that compares different work
is worthless. An exceeded budget prints OVER BUDGET but still exits 0.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common

#: sqlite-utils' whole command must be slower than ours: ratio below 1.0.
COMMAND_BUDGET = 1.0

STEPS = ("stakeholders", "relationships", "interactions")
BUDGETS: dict[str, float | None] = {"stakeholders": 2.0, "relationships": None,
                                    "interactions": None}
#: Runs of each side of the budgeted step, at least.
BUDGET_RUNS = 3

#: Aggregates both sides must agree on after each step, besides the row counts.
CHECKS = {
    "stakeholders": {
        "stakeholder values": "SELECT count(organisation_pk), total(influence), "
        "total(interest), count(email), count(phone), count(address), count(notes), "
        "sum(kind = 'organisation'), sum(language = 'nn') FROM stakeholders",
        "organisation links": "SELECT count(*) FROM stakeholders p JOIN stakeholders o "
        "ON o.pk = p.organisation_pk WHERE o.kind = 'organisation'",
    },
    "relationships": {
        "relationship values": "SELECT sum(directed), round(total(strength), 6), "
        "count(start), count(DISTINCT source_pk), count(DISTINCT target_pk) FROM relationships",
    },
    "interactions": {
        "interaction values": "SELECT count(host_pk), sum(success), count(notes), "
        "count(channel), count(topic), min(date), max(date) FROM interactions",
    },
}


# --- the two sides (run in child processes) -----------------------------------------------


def ours(step: str, folder: Path, source: Path, profile: Path | None = None) -> None:
    from interessent.importing import import_file
    from interessent.workspace import Workspace

    ws = Workspace(folder)
    ws.plan  # noqa: B018 - load and validate the plan before the clock starts
    ws.store  # noqa: B018 - open (and, if need be, create) the database likewise
    base = common.current_rss_kib()
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    result = import_file(ws, step, source)
    seconds = time.perf_counter() - t0
    if profiler is not None and profile is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    ws.close()
    common.report(seconds=seconds, base_kib=base, rows=result.rows)


def _opt(text: str) -> str | None:
    return text or None


def _raw_stakeholders(con: sqlite3.Connection, source: Path) -> int:
    now = str(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    con.executemany(
        "INSERT INTO stakeholders (id, name, kind, email, phone, address, influence, "
        "interest, language, legal_basis, notes, opted_out, restricted, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)",
        (
            (r["id"], r["name"], r["kind"], _opt(r["email"]), _opt(r["phone"]),
             _opt(r["address"]), int(r["influence"]) if r["influence"] else None,
             int(r["interest"]) if r["interest"] else None, r["language"],
             _opt(r["legal_basis"]), _opt(r["notes"]), now, now)
            for r in rows
        ),
    )
    pks = dict(con.execute("SELECT id, pk FROM stakeholders"))
    con.executemany(
        "UPDATE stakeholders SET organisation_pk = ? WHERE pk = ?",
        ((pks[r["organisation"]], pks[r["id"]]) for r in rows if r["organisation"]),
    )
    for column, table, field in (("roles", "stakeholder_roles", "role"),
                                 ("groups", "stakeholder_groups", "group_key"),
                                 ("tags", "stakeholder_tags", "tag")):
        con.executemany(
            f"INSERT INTO {table} (stakeholder_pk, {field}) VALUES (?, ?)",
            ((pks[r["id"]], v) for r in rows if r[column] for v in r[column].split("|")),
        )
    return len(rows)


def _raw_relationships(con: sqlite3.Connection, source: Path) -> int:
    pks = dict(con.execute("SELECT id, pk FROM stakeholders"))
    with source.open(encoding="utf-8", newline="") as stream:
        cursor = con.executemany(
            'INSERT INTO relationships (source_pk, target_pk, kind, strength, directed, '
            'start, "end") VALUES (?, ?, ?, ?, ?, ?, ?)',
            (
                (pks[r["source"]], pks[r["target"]], r["kind"], float(r["strength"]),
                 r["directed"] == "true", _opt(r["start"]), _opt(r["end"]))
                for r in csv.DictReader(stream)
            ),
        )
    return cursor.rowcount


def _raw_interactions(con: sqlite3.Connection, source: Path) -> int:
    pks = dict(con.execute("SELECT id, pk FROM stakeholders"))
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    con.executemany(
        "INSERT INTO interactions (id, date, kind, channel, topic, host_pk, success, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (r["id"], r["date"], r["kind"], _opt(r["channel"]), _opt(r["topic"]),
             pks[r["host"]] if r["host"] else None, r["success"] == "true", _opt(r["notes"]))
            for r in rows
        ),
    )
    ipks = dict(con.execute("SELECT id, pk FROM interactions"))
    con.executemany(
        "INSERT INTO interaction_participants (interaction_pk, stakeholder_pk) VALUES (?, ?)",
        ((ipks[r["id"]], pks[p]) for r in rows if r["participants"]
         for p in r["participants"].split("|")),
    )
    for column, table, field in (("groups", "interaction_groups", "group_key"),
                                 ("commitments", "interaction_commitments", "commitment_id")):
        con.executemany(
            f"INSERT INTO {table} (interaction_pk, {field}) VALUES (?, ?)",
            ((ipks[r["id"]], v) for r in rows if r[column] for v in r[column].split("|")),
        )
    return len(rows)


RAW: dict[str, Callable[[sqlite3.Connection, Path], int]] = {
    "stakeholders": _raw_stakeholders,
    "relationships": _raw_relationships,
    "interactions": _raw_interactions,
}


def raw(step: str, db: Path, source: Path) -> None:
    con = common.connect_raw(db)
    base = common.current_rss_kib()
    t0 = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    try:
        count = RAW[step](con, source)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    seconds = time.perf_counter() - t0
    con.close()
    common.report(seconds=seconds, base_kib=base, rows=count)


def child(argv: Sequence[str]) -> int:
    side, step, target, source, *profile = argv
    if side == "ours":
        ours(step, Path(target), Path(source), Path(profile[0]) if profile else None)
    else:
        raw(step, Path(target), Path(source))
    return 0


def print_profile(step: str, path: Path, top: int) -> None:
    import pstats

    print(f"\n--- cProfile of our {step} import (an extra, untimed run; the profiler "
          f"slows it down): top {top} by own time; full stats in {path}")
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(top)


# --- the comparison -----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(
        description="Time interessent's import against raw sqlite3 executemany of the same "
                    "rows (see the module docstring).")
    common.size_arguments(parser)
    parser.add_argument("--profile", action="store_true",
                        help="also run our side of each step once more under cProfile "
                             "(untimed) and print where its time goes")
    args = parser.parse_args(argv)
    n = common.sizes(args)
    reps = common.repeats(args, n)
    # The budgeted step (stakeholders, from an empty database) is cheap: always best of 3.
    extra = max(0, BUDGET_RUNS - reps)
    script = Path(__file__).resolve()
    print(f"import benchmark: {n['stakeholders']:,} stakeholders, "
          f"{n['relationships']:,} relationships, {n['interactions']:,} interactions; "
          f"best of {reps} (stakeholders: of {reps + extra})", flush=True)

    with common.scratch_folder() as scratch_name:
        scratch = Path(scratch_name)
        t0 = time.perf_counter()
        data = common.dataset(args, n, scratch)
        print(f"data ready in {time.perf_counter() - t0:.1f} s: {data['stakeholders'].parent}",
              flush=True)
        template = common.schema_template(scratch)
        profiles = common.OUT / "profiles"
        if args.profile:
            profiles.mkdir(parents=True, exist_ok=True)
        rows = {step: common.Row(step, n[step], budget=BUDGETS[step]) for step in STEPS}
        for rep in range(reps + extra):
            # Runs past ``reps`` repeat only the budgeted first step, on fresh databases.
            steps = STEPS if rep < reps else STEPS[:1]
            run = scratch / f"run{rep}"
            ws = run / "workspace"
            ws.mkdir(parents=True)
            shutil.copyfile(common.PLAN, ws / "interessent.toml")
            ours_db = common.copy_database(template, ws / "interessent.db")
            raw_db = common.copy_database(template, run / "raw.db")
            for step in steps:
                profiling = args.profile and rep == reps - 1
                if profiling:
                    shutil.copytree(ws, run / f"profile-{step}")
                sides = ("ours", "raw") if rep % 2 == 0 else ("raw", "ours")
                got = {}
                for side in sides:
                    target = ws if side == "ours" else raw_db
                    got[side] = common.run_child(script, "_child", side, step, str(target),
                                                 str(data[step]))
                common.same_rows(ours_db, raw_db, CHECKS[step])
                row = rows[step]
                row.ours.append(got["ours"]["seconds"])
                row.raw.append(got["raw"]["seconds"])
                row.ours_peak_kib = max(row.ours_peak_kib, got["ours"]["peak_kib"])
                row.raw_peak_kib = max(row.raw_peak_kib, got["raw"]["peak_kib"])
                row.ours_base_kib = max(row.ours_base_kib, got["ours"]["base_kib"])
                row.raw_base_kib = max(row.raw_base_kib, got["raw"]["base_kib"])
                print(f"  run {rep + 1}/{reps + extra} {step:<13} "
                      f"ours {got['ours']['seconds']:7.2f} s   raw {got['raw']['seconds']:7.2f} s"
                      "   same rows in every table", flush=True)
                if profiling:
                    stats = profiles / f"import-{step}.prof"
                    common.run_child(script, "_child", "ours", step, str(run / f"profile-{step}"),
                                     str(data[step]), str(stats))
                    shutil.rmtree(run / f"profile-{step}")
            shutil.rmtree(run)

        commands = _commands(args, n, reps, scratch, data, template)

    notes = [
        "",
        "ours = interessent.importing.import_file (read, check, write; one transaction); "
        "raw = csv.DictReader + sqlite3 executemany, no checks.",
        "Each side runs in its own process; peak MiB is that process's peak RSS (VmHWM), including "
        "the interpreter and its imports (RSS before the clock started, per step: "
        + ", ".join(f"{r.what} ours {r.ours_base_kib / 1024:.0f} / raw "
                    f"{r.raw_base_kib / 1024:.0f}" for r in rows.values()) + " MiB).",
    ]
    if commands:
        common.print_table(
            "Import vs sqlite-utils insert, whole commands (median of each side)", commands, [
                "",
                "ours = `interessent import KIND FILE` into a fresh workspace; sqlite-utils = "
                "`sqlite-utils insert DB KIND FILE --csv` into a fresh database; the steps in "
                "order, on the same two databases. Peak MiB and processor time (cpu ×: ours "
                "over sqlite-utils, user + system) from GNU time.",
            ])
    common.print_table("Import vs raw sqlite3, the same rows (median of each side)",
                       list(rows.values()), notes)
    if args.profile:
        for step in STEPS:
            print_profile(step, profiles / f"import-{step}.prof", 25)
    return 0


def _commands(args: argparse.Namespace, n: dict[str, int], reps: int, scratch: Path,
              data: dict[str, Path], template: Path) -> list[common.Row]:
    """The whole-command comparison with sqlite-utils (rows of the first table)."""
    tool = common.raw_tool("sqlite-utils")
    if tool is None:
        print(f"sqlite-utils is not installed: the comparison with it is left out (install "
              f"it apart from interessent: {common.RAW_VENV}/bin/pip install sqlite-utils, see "
              "benchmarks/README.md).", flush=True)
        return []
    rows = {step: common.Row(f"import {step}", n[step], budget=COMMAND_BUDGET)
            for step in STEPS}
    total = common.Row("import all three", sum(n.values()), budget=COMMAND_BUDGET)
    for rep in range(reps):
        run = scratch / f"commands{rep}"
        ws = run / "workspace"
        ws.mkdir(parents=True)
        shutil.copyfile(common.PLAN, ws / "interessent.toml")
        common.copy_database(template, ws / "interessent.db")
        flat = run / "flat.db"
        sums = {"ours": 0.0, "raw": 0.0}
        cpu = {"ours": 0.0, "raw": 0.0}
        for step in STEPS:
            sides = ("ours", "raw") if rep % 2 == 0 else ("raw", "ours")
            got: dict[str, common.Command] = {}
            for side in sides:
                argv = ([*common.INTERESSENT, "-w", str(ws), "import", step, str(data[step])]
                        if side == "ours" else
                        [tool, "insert", str(flat), step, str(data[step]), "--csv"])
                got[side] = common.run_command(argv)
                sums[side] += got[side].seconds
            rows[step].add(got["ours"], got["raw"])
            cpu["ours"] += got["ours"].cpu
            cpu["raw"] += got["raw"].cpu
            total.ours_peak_kib = max(total.ours_peak_kib, got["ours"].peak_kib)
            total.raw_peak_kib = max(total.raw_peak_kib, got["raw"].peak_kib)
            print(f"  commands {rep + 1}/{reps} {step:<13} interessent import "
                  f"{got['ours'].seconds:7.2f} s   sqlite-utils insert {got['raw'].seconds:7.2f} s",
                  flush=True)
        counts = common.table_counts(ws / "interessent.db")
        con = sqlite3.connect(flat)
        try:
            flat_counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                           for t in STEPS}
        finally:
            con.close()
        if any(counts[t] != n[t] or flat_counts[t] != n[t] for t in STEPS):
            raise AssertionError(f"rows imported: ours {counts}, sqlite-utils {flat_counts}, "
                                 f"expected {n}")
        total.ours.append(sums["ours"])
        total.raw.append(sums["raw"])
        total.ours_cpu.append(cpu["ours"])
        total.raw_cpu.append(cpu["raw"])
        shutil.rmtree(run)
    return [*rows.values(), total]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
