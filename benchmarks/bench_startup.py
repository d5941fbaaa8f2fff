"""Start-up benchmark: ``interessent --help`` against a bare interpreter and against click.

    python benchmarks/bench_startup.py            # 10 runs of each command
    python benchmarks/bench_startup.py --quick    # 3 runs
    python benchmarks/bench_startup.py --repeat 20

The budget (issue 2: "``interessent --help`` starts in well under 0.3 s (heavy libraries
imported lazily)"): under 0.3 s, absolute. Each command runs as its own process, from the
start of the process to its exit, ``--repeat`` times (default 10) in turns; the table
compares medians:

- **ours**: the ``interessent`` console script of this virtual environment, ``--help``
  (must exit 0 and print its usage); and ``python -c "import interessent"`` (the
  library's public API, no budget);
- **raw**: ``python -c pass`` (the interpreter alone: what no command line can beat) and
  ``python -c "import click"`` (the least a click command line imports), with the same
  interpreter.

Peak MiB is each command's maximum resident set size in one more run under GNU
``/usr/bin/time -f %M`` (0 where it is missing). Then, in one more process,
``interessent --help`` is run in-process under ``-X importtime``: the script lists which
heavy libraries it imported (none should be: SQLAlchemy, networkx, numpy,
scipy, Jinja2, Alembic, cattrs, openpyxl, Babel, Rich, docxtpl …) and the imports that
cost the most. An exceeded budget prints OVER BUDGET but still exits 0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common

LIMIT = 0.3
FULL_REPEAT = 10
QUICK_REPEAT = 3
#: Libraries ``interessent --help`` must not import (each costs tens of milliseconds).
HEAVY = ("sqlalchemy", "alembic", "networkx", "numpy", "scipy", "jinja2", "cattrs",
         "openpyxl", "babel", "rich", "docxtpl", "docx", "psycopg", "psycopg2", "rustworkx",
         "pandas", "lxml", "markdown", "tomli_w")

#: Run in a child under -X importtime: the CLI's --help in-process, then the modules loaded.
PROBE = """
import json, sys
sys.argv = ["interessent", "--help"]
from interessent.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\n" + json.dumps(sorted(sys.modules)))
"""


def timed_run(command: Sequence[str]) -> tuple[float, str]:
    """Wall-clock seconds from start to exit, and stdout, of one process."""
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}):\n"
                           f"{done.stderr}")
    return seconds, done.stdout


def peak_kib(command: Sequence[str]) -> int:
    """The peak resident memory of one more run of ``command``, in KiB, as GNU time reports
    it (0 where there is no /usr/bin/time).

    Not this script's own ``wait4``: Linux counts the child's memory from before its
    ``exec``, when it is still a copy of this process, so every small command would seem
    as large as this script. ``time`` is small and forks the command itself.
    """
    gnu_time = Path("/usr/bin/time")
    if not gnu_time.exists():
        return 0
    done = subprocess.run([str(gnu_time), "-f", "%M", *command], capture_output=True,
                          text=True, check=False)
    try:
        return int(done.stderr.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return 0


def import_report(python: str) -> tuple[list[str], list[tuple[float, float, str]]]:
    """The heavy libraries ``interessent --help`` imports, and every import it makes as
    (self ms, cumulative ms, module name indented by its nesting)."""
    done = subprocess.run([python, "-X", "importtime", "-c", PROBE], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the import probe failed:\n{done.stderr}")
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    costs = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:"):].split("|")
        costs.append((int(self_us) / 1000, int(cumulative_us) / 1000, name.rstrip()))
    return heavy, costs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `interessent --help` against `python -c pass` and `python -c "
                    "'import click'` (see the module docstring).")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_REPEAT} runs instead of {FULL_REPEAT}")
    parser.add_argument("--repeat", type=int, help=f"runs of each command (default "
                        f"{FULL_REPEAT}, {QUICK_REPEAT} with --quick)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    reps = max(1, args.repeat or (QUICK_REPEAT if args.quick else FULL_REPEAT))
    python = sys.executable
    script = Path(python).with_name("interessent")
    if not script.exists():
        raise RuntimeError(f"no console script at {script}: install the package into this "
                           "environment (pip install -e .)")
    commands = {
        "help": [str(script), "--help"],
        "library": [python, "-c", "import interessent"],
        "pass": [python, "-c", "pass"],
        "click": [python, "-c", "import click"],
    }
    print(f"start-up benchmark: {script} --help and {python}; median of {reps}", flush=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(reps):
        order = list(commands) if rep % 2 == 0 else list(reversed(commands))
        for name in order:
            seconds, out = timed_run(commands[name])
            if name == "help" and "Usage:" not in out:
                raise AssertionError(f"interessent --help printed no usage:\n{out}")
            times[name].append(seconds)
    peaks = {name: peak_kib(command) for name, command in commands.items()}
    rows = []
    for what, ours, raw, limit in (
        ("interessent --help vs python -c pass", "help", "pass", LIMIT),
        ("interessent --help vs import click", "help", "click", LIMIT),
        ("import interessent vs python -c pass", "library", "pass", None),
    ):
        rows.append(common.Row(what, 1, ours=times[ours], raw=times[raw], limit=limit,
                               precision=3, ours_peak_kib=peaks[ours],
                               raw_peak_kib=peaks[raw]))
    heavy, costs = import_report(python)
    extra = statistics.median(times["help"]) - statistics.median(times["pass"])
    notes = [
        "",
        "Seconds from process start to exit (median of each); the budget is absolute: our time "
        f"< {LIMIT} s. --help spends {extra * 1000:.0f} ms more than the bare interpreter, "
        f"{(statistics.median(times['help']) - statistics.median(times['click'])) * 1000:.0f} "
        "ms more than importing click.",
        "Peak MiB: each command's maximum resident set size in one more run under GNU time "
        "(/usr/bin/time -f %M; 0 where it is missing).",
        "Heavy libraries imported by `interessent --help`: " + (", ".join(heavy) or "none")
        + f" (checked: {', '.join(HEAVY)}).",
    ]
    common.print_table("Start-up of the command line (median of each)", rows, notes)
    print("\nImports of `interessent --help` by cumulative time (-X importtime, one run; ms; "
          "indented under what imported them):")
    for self_ms, cumulative_ms, name in sorted(costs, key=lambda c: -c[1])[:12]:
        print(f"  {cumulative_ms:7.1f}  (self {self_ms:5.1f})  {name[1:]}")
    print("Largest own import times (ms):")
    for self_ms, _, name in sorted(costs, key=lambda c: -c[0])[:8]:
        print(f"  {self_ms:7.1f}  {name.strip()}")
    if heavy:
        print(f"\nHEAVY IMPORTS at start-up: {', '.join(heavy)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
