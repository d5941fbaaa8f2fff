"""Helpers the benchmark scripts share: size flags, child processes, whole commands,
memory, the table.

Each side of a comparison runs in its own child process, so its peak memory (``VmHWM``,
else ``ru_maxrss``) is its own and one side's garbage cannot slow the other down. A child
prints one JSON object on its last stdout line; :func:`run_child` returns it. A whole
command (:func:`run_command`) is timed from outside, start-up and all, as a user waits
for it; :data:`INTERESSENT` is the ``interessent`` command of the checkout being measured.

A table row keeps every run of each side and compares their medians: the machine may be
shared, and the median of runs taken in turns is what a noisy neighbour disturbs least.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PLAN = HERE / "plan.toml"
OUT = HERE / "out"

#: The ``interessent`` command, run by this interpreter: the code being measured (the
#: checkout on ``PYTHONPATH``, or what this environment installed), as its console script
#: runs it.
INTERESSENT = (sys.executable, "-c", "from interessent.cli import main; main()")
#: Where the benchmarks look for the tools a user might pick instead (rustworkx,
#: sqlite-utils), installed apart from interessent's environment (see the README).
RAW_VENV = OUT / "raw-venv"

FULL = {"stakeholders": 100_000, "relationships": 500_000, "interactions": 1_000_000}
QUICK = {"stakeholders": 2_000, "relationships": 10_000, "interactions": 20_000}

#: Every table of the schema, in dependency order.
TABLES = (
    "stakeholders", "stakeholder_roles", "stakeholder_groups", "stakeholder_tags",
    "relationships", "interactions", "interaction_participants", "interaction_groups",
    "interaction_commitments",
)

#: The pragmas interessent.store sets on every SQLite connection (a raw side sets them too).
PRAGMAS = ("PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL",
           "PRAGMA synchronous = NORMAL")


# --- command line -------------------------------------------------------------------------


def size_arguments(parser: argparse.ArgumentParser) -> None:
    """``--stakeholders/--relationships/--interactions`` (default: the full size),
    ``--quick``, ``--repeat``, ``--seed`` and ``--data``."""
    parser.add_argument("--stakeholders", type=int, help=f"default {FULL['stakeholders']:,}")
    parser.add_argument("--relationships", type=int, help=f"default {FULL['relationships']:,}")
    parser.add_argument("--interactions", type=int, help=f"default {FULL['interactions']:,}")
    parser.add_argument("--quick", action="store_true",
                        help="a small smoke run (defaults become "
                             + ", ".join(f"{v:,}" for v in QUICK.values()) + ")")
    parser.add_argument("--repeat", type=int,
                        help="runs of each side, taken in turns; the medians are compared "
                             "(default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path,
                        help="where the generated CSV files go (default: benchmarks/out/…, "
                             "reused when the sizes match; a temporary folder with --quick)")


def sizes(args: argparse.Namespace) -> dict[str, int]:
    base = QUICK if args.quick else FULL
    return {k: getattr(args, k) if getattr(args, k) is not None else v for k, v in base.items()}


def repeats(args: argparse.Namespace, n: Mapping[str, int]) -> int:
    if args.repeat is not None:
        return max(1, int(args.repeat))
    return 3


def dataset(args: argparse.Namespace, n: Mapping[str, int], scratch: Path) -> dict[str, Path]:
    """The CSV files for these sizes, generated (or reused) where ``--data`` says."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    if args.data is not None:
        folder = args.data
    elif args.quick:
        folder = scratch / "data"
    else:
        folder = OUT / "data-{stakeholders}-{relationships}-{interactions}".format(**n)
        folder = folder.with_name(f"{folder.name}-seed{args.seed}")
    return generate(folder, n["stakeholders"], n["relationships"], n["interactions"],
                    args.seed, reuse=True)


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for databases (``$BENCH_TMP`` chooses where)."""
    return tempfile.TemporaryDirectory(prefix="interessent-bench-",
                                       dir=os.environ.get("BENCH_TMP"))


# --- children -----------------------------------------------------------------------------


def peak_rss_kib() -> int:
    """This process's peak resident memory so far, in KiB.

    Linux's ``VmHWM`` where there is one: ``ru_maxrss`` survives ``exec``, so a child
    started from a large parent would report the parent's size. Else ``ru_maxrss``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def current_rss_kib() -> int:
    """This process's resident memory now, in KiB (0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def report(**values: Any) -> None:
    """What a child hands back: one JSON line, with its peak memory added."""
    values.setdefault("peak_kib", peak_rss_kib())
    print(json.dumps(values), flush=True)


def run_child(script: Path, *args: str) -> dict[str, Any]:
    """Run ``script`` with ``args`` in a fresh interpreter; its last stdout line, parsed."""
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed (exit {done.returncode}):\n"
                           f"{done.stderr.strip()}")
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"child {' '.join(args)} printed nothing:\n{done.stderr.strip()}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


@dataclass
class Command:
    """A whole command's run: wall-clock seconds, peak memory, the processor time it used
    (user + system, 0 where GNU time is missing) and what it printed."""

    seconds: float
    peak_kib: int
    stdout: str
    cpu: float = 0.0


def run_command(argv: Sequence[str], *, env: Mapping[str, str] | None = None,
                cwd: Path | None = None, capture: bool = False) -> Command:
    """Run a whole command as a user does, and time it from outside: interpreter start-up,
    imports, the work and the output. Its peak memory and processor time come from GNU
    time where there is one (``/usr/bin/time -f "%M %U %S"``), else 0. A failed command
    raises RuntimeError."""
    timer = Path("/usr/bin/time").exists()
    with tempfile.NamedTemporaryFile(prefix="bench-peak-", suffix=".txt", delete=False) as f:
        peak_file = Path(f.name)
    wrapped = [*(["/usr/bin/time", "-f", "%M %U %S", "-o", str(peak_file)] if timer else []),
               *map(str, argv)]
    full_env = {**os.environ, **(env or {})}
    try:
        t0 = time.perf_counter()
        done = subprocess.run(wrapped, env=full_env, cwd=cwd, text=True,
                              stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
        seconds = time.perf_counter() - t0
        peak, cpu = 0, 0.0
        if timer:
            lines = peak_file.read_text(encoding="utf-8").strip().splitlines()
            fields = lines[-1].split() if lines else []
            if len(fields) == 3:
                peak, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
    finally:
        peak_file.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv[:6]))} … failed (exit {done.returncode}):"
                           f"\n{done.stderr.strip()[-3000:]}")
    return Command(seconds, peak, done.stdout or "", cpu)


def raw_python(module: str) -> str | None:
    """An interpreter that can import ``module``: this one, else the one in
    :data:`RAW_VENV` (None when neither can)."""
    import importlib.util

    if importlib.util.find_spec(module) is not None:
        return sys.executable
    other = RAW_VENV / "bin" / "python"
    if other.exists() and subprocess.run([str(other), "-c", f"import {module}"],
                                         capture_output=True, check=False).returncode == 0:
        return str(other)
    return None


def raw_tool(name: str) -> str | None:
    """A command-line tool (``sqlite-utils``): in :data:`RAW_VENV`, else on ``PATH``."""
    other = RAW_VENV / "bin" / name
    if other.exists():
        return str(other)
    return shutil.which(name)


def fresh_copy(db: Path, target: Path) -> Path:
    """A copy of a checkpointed SQLite database, as it was when its import ended (not
    timed): the state of "the first command after an import".

    The copy is flushed to disk before it is returned. Otherwise the system writes its
    hundreds of megabytes back while the next command runs, and every file that command
    creates waits behind them (a draft's 24,000 letters took three times as long): the
    set-up would be timed as the command's work."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, target)
    with target.open("rb+") as copied:
        os.fsync(copied.fileno())
    return target


# --- databases ----------------------------------------------------------------------------


def schema_template(folder: Path) -> Path:
    """An empty database with interessent's schema, made by ``interessent.store.Store``
    itself (its migrations), to copy for each run. Schema creation is never timed."""
    from interessent.store import Store

    path = folder / "template.db"
    if not path.exists():
        store = Store.for_path(path)
        store.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def copy_database(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return target


def connect_raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the store's pragmas; transactions are explicit."""
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        con.execute(pragma)
    return con


def table_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def same_rows(ours: Path, raw: Path, checks: Mapping[str, str] | None = None) -> None:
    """Assert that two databases hold the same number of rows in every table (and the same
    answer to each of ``checks``, SQL queries returning one row): both sides did the
    same work, or the comparison means nothing."""
    a, b = table_counts(ours), table_counts(raw)
    problems = [f"{t}: ours {a[t]:,}, raw {b[t]:,}" for t in TABLES if a[t] != b[t]]
    for label, query in (checks or {}).items():
        va, vb = _one(ours, query), _one(raw, query)
        if va != vb:
            problems.append(f"{label}: ours {va}, raw {vb}")
    if problems:
        raise AssertionError("the two sides did different work:\n  " + "\n  ".join(problems))


def _one(path: Path, query: str) -> tuple[Any, ...]:
    con = sqlite3.connect(path)
    try:
        return tuple(con.execute(query).fetchone())
    finally:
        con.close()


# --- the table ----------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a benchmark table."""

    what: str
    rows: int
    ours: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    budget: float | None = None
    ours_peak_kib: int = 0
    raw_peak_kib: int = 0
    ours_base_kib: int = 0
    raw_base_kib: int = 0
    #: An absolute budget on our time, in seconds (``budget`` is one on the ratio).
    limit: float | None = None
    #: Decimals of the times shown.
    precision: int = 2
    #: Processor time (user + system) of each run of each side, for whole commands.
    ours_cpu: list[float] = field(default_factory=list)
    raw_cpu: list[float] = field(default_factory=list)

    def add(self, ours: Command, raw: Command) -> None:
        """One run of each side, as whole commands."""
        self.ours.append(ours.seconds)
        self.raw.append(raw.seconds)
        self.ours_cpu.append(ours.cpu)
        self.raw_cpu.append(raw.cpu)
        self.ours_peak_kib = max(self.ours_peak_kib, ours.peak_kib)
        self.raw_peak_kib = max(self.raw_peak_kib, raw.peak_kib)

    @property
    def cpu_ratio(self) -> float | None:
        """Our median processor time over theirs: less disturbed by a busy machine than
        wall-clock time (None when not measured)."""
        if not self.ours_cpu or not self.raw_cpu or not statistics.median(self.raw_cpu):
            return None
        return statistics.median(self.ours_cpu) / statistics.median(self.raw_cpu)

    @property
    def ours_s(self) -> float:
        """The median of our runs."""
        return statistics.median(self.ours)

    @property
    def raw_s(self) -> float:
        """The median of the other side's runs."""
        return statistics.median(self.raw)

    @property
    def ratio(self) -> float:
        return self.ours_s / self.raw_s

    @property
    def over(self) -> bool:
        return ((self.budget is not None and self.ratio > self.budget)
                or (self.limit is not None and self.ours_s > self.limit))

    @property
    def budgeted(self) -> bool:
        return self.budget is not None or self.limit is not None

    def budget_text(self) -> str:
        parts = []
        if self.budget is not None:
            parts.append(f"≤ {self.budget:.1f}×")
        if self.limit is not None:
            parts.append(f"< {self.limit:.{self.precision}f} s")
        return ", ".join(parts) or "none"


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f}"


def print_table(title: str, rows: Sequence[Row], notes: Iterable[str] = ()) -> None:
    header: tuple[str, ...] = ("measured", "rows", "ours s", "raw s", "ratio", "budget",
                               "verdict", "peak MiB ours", "peak MiB raw", "mem ×")
    cpu = any(r.cpu_ratio is not None for r in rows)
    if cpu:
        header += ("cpu ×",)
    lines = []
    for r in rows:
        verdict = "OVER BUDGET" if r.over else ("ok" if r.budgeted else "-")
        line: tuple[str, ...] = (
            r.what, f"{r.rows:,}", f"{r.ours_s:.{r.precision}f}",
            f"{r.raw_s:.{r.precision}f}", f"{r.ratio:.2f}×", r.budget_text(), verdict,
            _mib(r.ours_peak_kib), _mib(r.raw_peak_kib),
            f"{r.ours_peak_kib / max(r.raw_peak_kib, 1):.2f}×",
        )
        if cpu:
            ratio = r.cpu_ratio
            line += ("-" if ratio is None else f"{ratio:.2f}×",)
        lines.append(line)
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    right = {1, 2, 3, 4, 7, 8, 9, 10}

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    print()
    print(title)
    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))
    for note in notes:
        print(note)
    over = [r.what for r in rows if r.over]
    if over:
        print(f"\nOVER BUDGET: {', '.join(over)}")


# --- a prepared workspace (the read benchmarks) -------------------------------------------


def prepared_workspace(args: argparse.Namespace, n: Mapping[str, int], scratch: Path,
                       log: Any = print) -> Path:
    """A workspace folder (``plan.toml`` as ``interessent.toml``) whose database holds the
    generated data for these sizes, imported with ``interessent.importing.import_file``.

    For the benchmarks that only read (leaders, coverage). Kept under
    ``benchmarks/out/ws-…`` and reused while the data (its manifest's fingerprint), the plan
    and the schema revision are unchanged; built in ``scratch`` with ``--quick``. Building it
    is never timed. The database is checkpointed (no ``-wal`` file), so a plain copy of
    ``interessent.db`` is a complete copy.
    """
    import hashlib
    import time

    from interessent.store import SCHEMA_HEAD

    data = dataset(args, n, scratch)
    manifest = data["stakeholders"].parent / "manifest.json"
    digest = hashlib.sha256()
    digest.update(manifest.read_bytes())
    digest.update(PLAN.read_bytes())
    digest.update(SCHEMA_HEAD.encode())
    stamp = digest.hexdigest()
    if args.quick and args.data is None:
        folder = scratch / "workspace"
    else:
        name = "ws-{stakeholders}-{relationships}-{interactions}".format(**n)
        folder = OUT / f"{name}-seed{args.seed}"
    ready = folder / "prepared.json"
    if ready.is_file():
        try:
            if json.loads(ready.read_text(encoding="utf-8")).get("stamp") == stamp:
                return folder
        except ValueError:
            pass
    from interessent.importing import import_file
    from interessent.workspace import Workspace

    building = folder.with_name(folder.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    shutil.copyfile(PLAN, building / "interessent.toml")
    t0 = time.perf_counter()
    with Workspace(building) as ws:
        for kind in ("stakeholders", "relationships", "interactions"):
            result = import_file(ws, kind, data[kind])
            log(f"  prepared workspace: {result.rows:,} {kind} imported "
                f"({time.perf_counter() - t0:.0f} s)")
    con = sqlite3.connect(building / "interessent.db")
    try:
        # No ANALYZE: our side must meet the database as a user's import leaves it.
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    (building / "prepared.json").write_text(
        json.dumps({"stamp": stamp, **n, "seed": args.seed}, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    return folder


def warm(path: Path) -> None:
    """Read a file once so that whichever side runs first does not pay for a cold cache."""
    with path.open("rb") as stream:
        while stream.read(1 << 24):
            pass


def group_members_sql(key: str, plan: Path = PLAN) -> str:
    """A SELECT of the pks of one target group of ``plan``: registered with it, or picked
    by its rule (ids, roles, tags, groups, kinds) — hand-written SQL for the raw sides."""
    import tomllib

    groups = tomllib.loads(plan.read_text(encoding="utf-8"))["groups"]
    rule = next(g for g in groups if g["key"] == key).get("rule", {})
    unknown = set(rule) - {"ids", "roles", "tags", "groups", "kinds"}
    if unknown:
        raise RuntimeError(f"the raw side cannot select by {sorted(unknown)} (group {key})")

    def quoted(values: Sequence[str]) -> str:
        return ", ".join("'" + v.replace("'", "''") + "'" for v in values)

    parts = ["SELECT stakeholder_pk FROM stakeholder_groups "
             f"WHERE group_key IN ({quoted([key, *rule.get('groups', [])])})"]
    selects = {
        "ids": "SELECT pk FROM stakeholders WHERE id IN ({})",
        "roles": "SELECT stakeholder_pk FROM stakeholder_roles WHERE role IN ({})",
        "tags": "SELECT stakeholder_pk FROM stakeholder_tags WHERE tag IN ({})",
        "kinds": "SELECT pk FROM stakeholders WHERE kind IN ({})",
    }
    for field_, sql in selects.items():
        if rule.get(field_):
            parts.append(sql.format(quoted(rule[field_])))
    return " UNION ".join(parts)


def group_keys(plan: Path = PLAN) -> list[str]:
    import tomllib

    return [g["key"] for g in tomllib.loads(plan.read_text(encoding="utf-8"))["groups"]]
