"""Opinion-leader benchmark: ``interessent.graph.rank_leaders`` against sqlite3 + rustworkx.

    python benchmarks/bench_leaders.py            # 100k stakeholders, 500k ties, 1M interactions
    python benchmarks/bench_leaders.py --quick    # a smoke run of a few seconds
    python benchmarks/bench_leaders.py --group grundere --repeat 3 --profile

The budget (issue: "``leaders`` takes no more than 2× reading the same edges from SQLite
and running a rustworkx build + PageRank on them"): at most 2.0×, for the whole network
and for one target group (``--group``, default ``naeringslivet``).

Set-up, not timed: a workspace (``benchmarks/plan.toml`` as ``interessent.toml``) whose
database holds the generated data, imported with ``interessent.importing.import_file``
once and kept under ``benchmarks/out/ws-…`` (see ``_common.prepared_workspace``). Both
sides read that one file. Each side runs in its own fresh process, its modules imported
and its database opened before the clock starts:

- **ours**, timed: ``rank_leaders(ws, top=10, as_of=2026-12-31)`` (and with ``group=``) —
  reading the nodes, the active ties and the roles, PageRank *and* sampled betweenness,
  the four-component score, the population (group members, the programme's own people
  left out) and the top 10 with their ids and names.
- **raw**, timed: ``sqlite3`` reads the stakeholder pks and the ties active on that day
  (``SELECT source_pk, target_pk, strength FROM relationships WHERE …``), keeps the
  strongest tie of each pair in a dict (the network is undirected and ``graph._csr``
  keeps the largest weight of a pair, while rustworkx would add parallel edges up; a
  ``GROUP BY`` in SQL is slower), builds a ``rustworkx.PyDiGraph`` with each tie in both
  directions, runs ``rustworkx.pagerank(alpha=0.85, weight_fn=float)`` and
  takes the 10 best (among the group's members, read with one SQL query, for ``--group``)
  with their ids. No betweenness, no score: the least work that gives a PageRank top 10.

Both sides must compute the same PageRank: ours is read, untimed, from the network
``rank_leaders`` memoised. Both iterate until one step moves the vector by less than
``n × 1e-6`` (L1), networkx's rule, but test it at slightly different points and so stop
a few iterations apart; their vectors must lie within that tolerance of each other and
their top 10 by PageRank (within the group, for ``--group``) must share at least 8
stakeholders. The final leader lists differ on purpose (ours weighs betweenness,
influence and roles too, and leaves the programme's own people out); their overlap is
printed. rustworkx is not a dependency of interessent: without it the script says so
and exits 0. An exceeded budget prints OVER BUDGET but still exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import importlib.util
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

# --- the two sides (run in child processes) -----------------------------------------------


def ours(folder: Path, group: str | None, check: Path, profile: Path | None) -> None:
    import interessent.graph as graph
    from interessent.workspace import Workspace

    ws = Workspace(folder)
    ws.plan  # noqa: B018 - load and validate the plan before the clock starts
    ws.store  # noqa: B018 - open the database likewise
    base = common.current_rss_kib()
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    leaders = graph.rank_leaders(ws, group=group, top=TOP, as_of=AS_OF)
    seconds = time.perf_counter() - t0
    if profiler is not None and profile is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    peak = common.peak_rss_kib()
    # Untimed: our whole PageRank vector, from the network rank_leaders memoised (a
    # private name; if it moves, the check recomputes it the same way).
    net = ws.memo(("leaders-sparse", AS_OF, False, None, 0),
                  lambda: graph._network(ws, ws.plan, AS_OF, False, None, 0))
    ws.close()
    ids = _ids(folder / "interessent.db")
    pagerank = {ids[int(pk)]: float(v) for pk, v in zip(net.pks, net.pagerank, strict=True)}
    check.write_text(json.dumps({"pagerank": pagerank}), encoding="utf-8")
    common.report(seconds=seconds, base_kib=base, peak_kib=peak,
                  leaders=[(s.id, s.pagerank) for s in leaders])


def raw(db: Path, group: str | None, check: Path) -> None:
    import rustworkx as rx

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    members_sql = common.group_members_sql(group) if group is not None else ""
    base = common.current_rss_kib()
    t0 = time.perf_counter()
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
    top = [(found[g[i]], v) for i, v in best]
    seconds = time.perf_counter() - t0
    peak = common.peak_rss_kib()
    ids = _ids(db)
    check.write_text(json.dumps({"pagerank": {ids[g[i]]: v for i, v in pagerank.items()}}),
                     encoding="utf-8")
    con.close()
    common.report(seconds=seconds, base_kib=base, peak_kib=peak, top=top,
                  edges=len(edges) // 2)


def _ids(db: Path) -> dict[int, str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT pk, id FROM stakeholders"))
    finally:
        con.close()


def child(argv: Sequence[str]) -> int:
    side, target, group, check, *profile = argv
    if side == "ours":
        ours(Path(target), group or None, Path(check), Path(profile[0]) if profile else None)
    else:
        raw(Path(target), group or None, Path(check))
    return 0


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
    leaders = {id_ for id_, _ in got["ours"]["leaders"]}
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


def print_profile(path: Path, top: int) -> None:
    import pstats

    print(f"\n--- cProfile of our rank_leaders (an extra, untimed run; the profiler slows "
          f"it down): top {top} by cumulative time; full stats in {path}")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(
        description="Time interessent's rank_leaders against sqlite3 + rustworkx PageRank "
                    "(see the module docstring).")
    common.size_arguments(parser)
    parser.add_argument("--group", default=GROUP,
                        help=f"the target group of the second row (default {GROUP})")
    parser.add_argument("--profile", action="store_true",
                        help="also run our side once more under cProfile (untimed) and print "
                             "where its time goes")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("rustworkx") is None:
        print("rustworkx is not installed, so there is nothing to compare with: "
              "pip install rustworkx to run this comparison (it is not a dependency of "
              "interessent).")
        return 0
    n = common.sizes(args)
    reps = common.repeats(args, n)
    script = Path(__file__).resolve()
    print(f"leaders benchmark: {n['stakeholders']:,} stakeholders, "
          f"{n['relationships']:,} relationships, {n['interactions']:,} interactions; "
          f"best of {reps}", flush=True)
    cases = {"leaders": None, f"leaders --group {args.group}": args.group}
    rows = {label: common.Row(label, n["relationships"], budget=BUDGET) for label in cases}
    agreement: dict[str, str] = {}
    with common.scratch_folder() as scratch_name:
        scratch = Path(scratch_name)
        t0 = time.perf_counter()
        folder = common.prepared_workspace(args, n, scratch)
        db = folder / "interessent.db"
        print(f"workspace ready in {time.perf_counter() - t0:.1f} s: {folder}", flush=True)
        common.warm(db)
        for rep in range(reps):
            for label, group in cases.items():
                sides = ("ours", "raw") if rep % 2 == 0 else ("raw", "ours")
                got: dict[str, dict[str, Any]] = {}
                checks = {side: scratch / f"check-{side}.json" for side in sides}
                for side in sides:
                    target = folder if side == "ours" else db
                    got[side] = common.run_child(script, "_child", side, str(target),
                                                 group or "", str(checks[side]))
                members = group_members(db, group) if group is not None else None
                agreement[label] = compare(label, got, checks, members)
                row = rows[label]
                row.ours.append(got["ours"]["seconds"])
                row.raw.append(got["raw"]["seconds"])
                for side in ("ours", "raw"):
                    setattr(row, f"{side}_peak_kib",
                            max(getattr(row, f"{side}_peak_kib"), got[side]["peak_kib"]))
                    setattr(row, f"{side}_base_kib",
                            max(getattr(row, f"{side}_base_kib"), got[side]["base_kib"]))
                print(f"  run {rep + 1}/{reps} {label:<28} ours {got['ours']['seconds']:7.2f} s"
                      f"   raw {got['raw']['seconds']:7.2f} s   same PageRank", flush=True)
        if args.profile:
            stats = common.OUT / "profiles" / "leaders.prof"
            stats.parent.mkdir(parents=True, exist_ok=True)
            common.run_child(script, "_child", "ours", str(folder), "",
                             str(scratch / "check-profile.json"), str(stats))

    notes = [
        "",
        "rows = relationships in the store. ours = interessent.graph.rank_leaders(top=10, "
        "as_of=2026-12-31): read, PageRank + sampled betweenness, score, top 10; "
        "raw = sqlite3 + strongest tie per pair + rustworkx PyDiGraph + pagerank, top 10.",
        "Each side runs in its own process with its modules imported and its database open "
        "before the clock starts; peak MiB is that process's VmHWM (RSS before the clock: "
        + ", ".join(f"{r.what} ours {r.ours_base_kib / 1024:.0f} / raw "
                    f"{r.raw_base_kib / 1024:.0f}" for r in rows.values()) + " MiB).",
        *agreement.values(),
    ]
    common.print_table("Opinion leaders vs sqlite3 + rustworkx PageRank (best time of each side)",
                       list(rows.values()), notes)
    if args.profile:
        print_profile(common.OUT / "profiles" / "leaders.prof", 30)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
