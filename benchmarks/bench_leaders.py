"""Opinion-leader benchmark: ``interessent leaders`` against sqlite3 + rustworkx, each a
whole command.

    python benchmarks/bench_leaders.py            # 100k stakeholders, 500k ties, 1M interactions
    python benchmarks/bench_leaders.py --quick    # a smoke run of a few seconds
    python benchmarks/bench_leaders.py --group grundere --repeat 5

The budget (issue 10: "leaders stays within 2× of rustworkx"): at most 2.0×, for the whole
network and for one target group (``--group``, default ``naeringslivet``), each the first
command after an import (nothing ranked or kept yet).

Set-up, not timed: the workspace of ``_common.prepared_workspace`` (the generated data
imported with ``import_file``, kept under ``benchmarks/out/ws-…``) and a fresh copy of its
database before each of our runs. rustworkx is not a dependency of interessent: the raw
side runs in an interpreter that has it (this one, or ``benchmarks/out/raw-venv``, see the
README); without one the script says so and exits 0.

- **ours**, timed from outside, start-up and all: ``interessent leaders --top 10 --as-of
  2026-12-31 --format json`` (and ``--group``) — reading the nodes, the active ties and
  the roles, PageRank *and* sampled betweenness, the four-component score, the population
  (group members, the programme's own people left out), the top 10 with their ids and
  names, kept in the database for the next command. A second, unbudgeted row runs the
  same command again (the ranking read back).
- **raw**, timed the same way: ``python bench_leaders.py --raw DB GROUP``: ``sqlite3``
  reads the stakeholder pks and the ties active on that day, keeps the strongest tie of
  each pair in a dict (the network is undirected and ``graph._csr`` keeps the largest
  weight of a pair, while rustworkx would add parallel edges up), builds a
  ``rustworkx.PyDiGraph`` with each tie in both directions, runs
  ``rustworkx.pagerank(alpha=0.85, weight_fn=float)`` and prints the 10 best (among the
  group's members, read with one SQL query, for ``--group``) with their ids. No
  betweenness, no score: the least work that gives a PageRank top 10.

Both sides must compute the same PageRank (checked once, untimed: our vector from
``graph._network``, rustworkx's from the raw side run with ``--check``). Both iterate
until one step moves the vector by less than ``n × 1e-6`` (L1), networkx's rule, but test
it at slightly different points and so stop a few iterations apart; their vectors must lie
within that tolerance of each other and their top 10 by PageRank (within the group, for
``--group``) must share at least 8 stakeholders. The final leader lists differ on purpose
(ours weighs betweenness, influence and roles too, and leaves the programme's own people
out); their overlap is printed. An exceeded budget prints OVER BUDGET but still exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import json
import sqlite3
import sys
import time
from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common

BUDGET = 2.0
TOP = 10
AS_OF = dt.date(2026, 12, 31)
GROUP = "naeringslivet"
#: PageRank's tolerance on both sides (networkx's and rustworkx's default).
PAGERANK_TOL = 1e-6

#: The ties active on a day (self-ties and (near-)zero strengths, which ``graph._csr``
#: drops, left out).
EDGES = """
SELECT source_pk, target_pk, strength FROM relationships
WHERE (start IS NULL OR start <= :day) AND ("end" IS NULL OR "end" >= :day)
  AND source_pk <> target_pk AND strength > 1e-9
"""

# --- the sides ----------------------------------------------------------------------------


def ours_vector(folder: Path, check: Path) -> None:
    """Untimed: our whole PageRank vector, as rank_leaders computes it (a private name; if
    it moves, the check needs updating, the timed rows do not)."""
    import interessent.graph as graph
    from interessent.workspace import Workspace

    ws = Workspace(folder)
    net = graph._network(ws, ws.plan, AS_OF, False, None, 0)
    ws.close()
    ids = _ids(folder / "interessent.db")
    pagerank = {ids[int(pk)]: float(v) for pk, v in zip(net.pks, net.pagerank, strict=True)}
    check.write_text(json.dumps({"pagerank": pagerank}), encoding="utf-8")


def raw(db: Path, group: str | None, check: Path | None) -> None:
    """The raw side's whole command: prints the top 10 as JSON (and with ``check`` writes
    the whole PageRank vector there, after the top)."""
    import rustworkx as rx

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    members_sql = common.group_members_sql(group) if group is not None else ""
    pks = [pk for (pk,) in con.execute("SELECT pk FROM stakeholders ORDER BY pk")]
    g = rx.PyDiGraph()
    index = dict(zip(pks, g.add_nodes_from(pks), strict=True))
    # One tie per pair, the strongest: the network is undirected and graph._csr keeps the
    # largest weight of a pair, while rustworkx would add parallel edges up.
    strongest: dict[tuple[int, int], float] = {}
    get = strongest.get
    for a, b, w in con.execute(EDGES, {"day": AS_OF.isoformat()}):
        pair = (a, b) if a < b else (b, a)
        if w > get(pair, 0.0):
            strongest[pair] = w
    edges = [(index[a], index[b], w) for (a, b), w in strongest.items()]
    edges += [(b, a, w) for a, b, w in edges]
    g.add_edges_from(edges)
    pagerank = rx.pagerank(g, alpha=0.85, weight_fn=float, tol=PAGERANK_TOL)
    candidates: Any = pagerank.items()
    if members_sql:
        members = {index[pk] for (pk,) in con.execute(members_sql)}
        candidates = ((i, v) for i, v in candidates if i in members)
    best = heapq.nlargest(TOP, candidates, key=itemgetter(1))
    marks = ",".join("?" * len(best))
    found = dict(con.execute(f"SELECT pk, id FROM stakeholders WHERE pk IN ({marks})",
                             [g[i] for i, _ in best]))
    print(json.dumps({"top": [(found[g[i]], v) for i, v in best], "edges": len(edges) // 2}))
    if check is not None:
        ids = _ids(db)
        check.write_text(json.dumps({"pagerank": {ids[g[i]]: v for i, v in pagerank.items()}}),
                         encoding="utf-8")
    con.close()


def leaders_command(folder: Path, db: Path, group: str | None) -> list[str]:
    return [*common.INTERESSENT, "-w", str(folder), "--db", f"sqlite:///{db}", "leaders",
            "--top", str(TOP), "--as-of", AS_OF.isoformat(), "--format", "json",
            *(["--group", group] if group else [])]


def _ids(db: Path) -> dict[int, str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT pk, id FROM stakeholders"))
    finally:
        con.close()


# --- the comparison -----------------------------------------------------------------------


def compare(label: str, got: dict[str, dict[str, Any]], checks: dict[str, Path],
            members: set[str] | None) -> str:
    """Assert that both sides computed the same PageRank; a line saying how they agree.

    Both iterate until one step changes the vector by less than ``n × 1e-6`` (L1), as
    networkx does, but they test it at slightly different points, so they stop a few
    iterations apart: their vectors must be within that tolerance of each other, and their
    top 10 by PageRank (within the group, with one) must be nearly the same people.
    """
    mine = json.loads(checks["ours"].read_text(encoding="utf-8"))["pagerank"]
    theirs = json.loads(checks["raw"].read_text(encoding="utf-8"))["pagerank"]
    if mine.keys() != theirs.keys():
        raise AssertionError(f"{label}: the sides ranked different stakeholders "
                             f"({len(mine):,} ours, {len(theirs):,} raw)")
    distance = sum(abs(mine[k] - theirs[k]) for k in mine)
    tolerance = len(mine) * PAGERANK_TOL
    if distance > tolerance:
        raise AssertionError(f"{label}: the PageRank vectors are {distance:.3g} apart (L1), "
                             f"more than the tolerance {tolerance:.3g}")
    pool = [k for k in mine if members is None or k in members]
    ours_top = heapq.nlargest(TOP, pool, key=mine.__getitem__)
    raw_top = [id_ for id_, _ in got["raw"]["top"]]
    same = len(set(ours_top) & set(raw_top))
    if same < TOP - 2:
        raise AssertionError(f"{label}: the top {TOP} by PageRank differ: ours {ours_top}, "
                             f"raw {raw_top}")
    leaders = set(got["ours"]["leaders"])
    return (f"{label}: PageRank vectors {distance:.2g} apart (L1; tolerance {tolerance:.2g}); "
            f"top {TOP} by PageRank{' in the group' if members is not None else ''}: "
            f"{same}/{TOP} the same; {len(leaders & set(raw_top))}/{TOP} of our leaders are in "
            f"raw's PageRank top {TOP} (ours also weighs betweenness, influence and roles and "
            "leaves the programme's own people out)")


def group_members(db: Path, group: str) -> set[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {id_ for (id_,) in con.execute(
            f"SELECT id FROM stakeholders WHERE pk IN ({common.group_members_sql(group)})")}
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--raw"]:
        _, db, group, *check = argv
        raw(Path(db), group or None, Path(check[0]) if check else None)
        return 0
    parser = argparse.ArgumentParser(
        description="Time interessent's leaders command against sqlite3 + rustworkx PageRank "
                    "(see the module docstring).")
    common.size_arguments(parser)
    parser.add_argument("--group", default=GROUP,
                        help=f"the target group of the second row (default {GROUP})")
    args = parser.parse_args(argv)
    python = common.raw_python("rustworkx")
    if python is None:
        print("rustworkx is not installed, so there is nothing to compare with: install it "
              f"apart from interessent ({common.RAW_VENV}/bin/pip install rustworkx, see "
              "benchmarks/README.md); it is not a dependency of interessent.")
        return 0
    n = common.sizes(args)
    reps = common.repeats(args, n)
    script = Path(__file__).resolve()
    print(f"leaders benchmark: {n['stakeholders']:,} stakeholders, "
          f"{n['relationships']:,} relationships, {n['interactions']:,} interactions; "
          f"median of {reps}; rustworkx from {python}", flush=True)
    cases = {"leaders": None, f"leaders --group {args.group}": args.group}
    rows = {label: common.Row(f"{label}, first command after the import",
                              n["relationships"], budget=BUDGET) for label in cases}
    again = {label: common.Row(f"{label}, run again", n["relationships"]) for label in cases}
    agreement: dict[str, str] = {}
    with common.scratch_folder() as scratch_name:
        scratch = Path(scratch_name)
        t0 = time.perf_counter()
        folder = common.prepared_workspace(args, n, scratch)
        prepared = folder / "interessent.db"
        copy = scratch / "ours" / "interessent.db"
        print(f"workspace ready in {time.perf_counter() - t0:.1f} s: {folder}", flush=True)
        common.warm(prepared)
        # Untimed: both sides compute the same PageRank.
        checks = {side: scratch / f"check-{side}.json" for side in ("ours", "raw")}
        common.run_child(script, "--vector", str(folder), str(checks["ours"]))
        for label, group in cases.items():
            done = common.run_command([python, str(script), "--raw", str(prepared), group or "",
                                       str(checks["raw"])], capture=True)
            ours = json.loads(common.run_command(
                leaders_command(folder, common.fresh_copy(prepared, copy), group),
                capture=True).stdout)
            got = {"raw": json.loads(done.stdout), "ours": {"leaders": [r["id"] for r in ours]}}
            members = group_members(prepared, group) if group is not None else None
            agreement[label] = compare(label, got, checks, members)
        for rep in range(reps):
            for label, group in cases.items():
                sides = ("ours", "raw") if rep % 2 == 0 else ("raw", "ours")
                times: dict[str, common.Command] = {}
                for side in sides:
                    if side == "raw":
                        times["raw"] = common.run_command(
                            [python, str(script), "--raw", str(prepared), group or ""])
                        continue
                    common.warm(common.fresh_copy(prepared, copy))
                    times["ours"] = common.run_command(leaders_command(folder, copy, group))
                    times["again"] = common.run_command(leaders_command(folder, copy, group))
                rows[label].add(times["ours"], times["raw"])
                again[label].add(times["again"], times["raw"])
                print(f"  run {rep + 1}/{reps} {label:<28} ours {times['ours'].seconds:6.2f} s"
                      f" (again {times['again'].seconds:6.2f} s)   raw "
                      f"{times['raw'].seconds:6.2f} s", flush=True)

    notes = [
        "",
        "rows = relationships in the store. Whole commands, timed from outside: ours = "
        "`interessent leaders --top 10 --as-of 2026-12-31 --format json` on a fresh copy of "
        "the imported database (read, PageRank + sampled betweenness, score, top 10, kept), "
        "then again (read back); raw = `python bench_leaders.py --raw`: sqlite3 + strongest "
        "tie per pair + rustworkx PyDiGraph + pagerank, top 10.",
        f"Medians of {reps} runs taken in turns; peak MiB and processor time (cpu ×: ours "
        "over raw, user + system) from GNU time.",
        *agreement.values(),
    ]
    common.print_table("Opinion leaders vs sqlite3 + rustworkx PageRank, whole commands "
                       "(median of each side)", [*rows.values(), *again.values()], notes)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--vector"]:
        ours_vector(Path(sys.argv[2]), Path(sys.argv[3]))
        common.report(done=True)
        sys.exit(0)
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
