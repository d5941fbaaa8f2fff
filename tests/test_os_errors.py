"""Every OS error is one clean line that names the path (issue 11, item 9).

CI runs as root, and root ignores file permissions, so a folder that cannot be written
is made for real: a read-only tmpfs, or a tmpfs filled to the last byte, mounted in the
test's folder (skipped, with the reason, where mounting is not permitted); a device like
``/dev/full``, which refuses every byte; and paths under ``/proc``. Each failed command
must say ``Error: <path>: <reason>`` on one line and exit 1, leave nothing in the
folder, and leave the store as it was. Bytes that are not UTF-8 on the command line are refused
in a real process, given bytes for its arguments.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

import interessent as interessent_package
from interessent import Workspace, init_workspace
from interessent.cli import cli
from interessent.store import Base

AS_OF = ["--as-of", "2026-11-26"]
#: A person in the Osen example.
PERSON = "solveig-aune"

Mount = Callable[[str], Path]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_error_line(result: Result) -> str:
    """Exit 1 and one line ``Error: …`` on stderr; never a traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def snapshot(root: Path) -> dict[str, list[str]]:
    """Every row of every data table, so a test can see that nothing was written. The
    rankings kept under the change counter (rank_cache) are derived, not data: a command
    that ranks may keep its ranking even when its output file could not be written."""
    with Workspace(root) as ws, ws.store.read() as s:
        return {t.name: sorted(repr(tuple(r)) for r in s.execute(select(t)))
                for t in Base.metadata.sorted_tables if t.name != "rank_cache"}


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("os-errors") / "osen"
    init_workspace(root, example="osen").close()
    return root


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Mount]:
    """Mounts a tmpfs with the given options in the test's folder; unmounts it after."""
    if not sys.platform.startswith("linux"):
        pytest.skip("mounts a Linux tmpfs")
    mounted: list[Path] = []

    def make(options: str) -> Path:
        folder = tmp_path / f"mnt{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
        mounted.append(folder)
        return folder

    yield make
    for folder in reversed(mounted):
        if subprocess.run(["umount", str(folder)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def read_only(mount: Mount) -> Path:
    return mount("ro,size=1m")


def full(mount: Mount) -> Path:
    """A tmpfs with no byte left: a file fills it (new empty files can still be made)."""
    folder = mount("size=64k")
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return folder


FOLDERS = {"read-only": read_only, "full": full}

#: Each command that writes a file or folder the user names: its arguments for a target
#: in a folder, and the target.
WRITERS: dict[str, Callable[[Path], tuple[list[str | Path], Path]]] = {
    "export csv": lambda d: (["export", "stakeholders", "--out", d / "s.csv"], d / "s.csv"),
    "export json": lambda d: (["export", "interactions", "--format", "json", "--out",
                               d / "i.json"], d / "i.json"),
    "export graph": lambda d: (["export", "graph", "--out", d / "g.graphml", *AS_OF],
                               d / "g.graphml"),
    "report html": lambda d: (["report", "--out", d / "r.html", *AS_OF], d / "r.html"),
    "report md": lambda d: (["report", "--format", "md", "--out", d / "r.md", *AS_OF],
                            d / "r.md"),
    "report docx": lambda d: (["report", "--format", "docx", "--out", d / "r.docx", *AS_OF],
                              d / "r.docx"),
    "privacy export": lambda d: (["privacy", "export", PERSON, "--out", d / "p.json"],
                                 d / "p.json"),
    "backup": lambda d: (["backup", d / "b.db"], d / "b.db"),
}
_SQLITE_ONLY = {"backup"}  # PostgreSQL is backed up with pg_dump, which interessent names


def _cases() -> list[Any]:
    return [pytest.param(folder, name, id=f"{name}, {folder}",
                         marks=[pytest.mark.sqlite_only(reason="backs up the SQLite file")]
                         if name in _SQLITE_ONLY else [])
            for folder in FOLDERS for name in WRITERS]


@pytest.mark.parametrize(("folder", "command"), _cases())
def test_a_folder_that_cannot_be_written_is_one_line_naming_the_file(
        osen: Path, mount: Mount, folder: str, command: str) -> None:
    where = FOLDERS[folder](mount)
    args, target = WRITERS[command](where)
    before, files = snapshot(osen), listing(where)
    line = one_error_line(run("-w", osen, *args))
    reason = "Read-only file system" if folder == "read-only" else "No space left on device"
    assert line == f"Error: {target}: {reason}"
    assert listing(where) == files  # nothing half-written, no temporary file
    assert snapshot(osen) == before  # the store untouched (privacy export's audit too)


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("command", [
    ["draft", "dialogmote", "-g", "naeringslivet", "--record", *AS_OF],
    ["draft", "dialogmote", "-g", "naeringslivet", "--combined", *AS_OF],
    ["notify", "Brann i fiskemottaket"],
], ids=["draft", "draft combined", "notify"])
def test_letters_to_a_folder_that_cannot_be_written(osen: Path, mount: Mount, folder: str,
                                                    command: list[str]) -> None:
    where = FOLDERS[folder](mount)
    before, files = snapshot(osen), listing(where)
    line = one_error_line(run("-w", osen, *command, "--out", where / "utkast"))
    assert line.startswith(f"Error: could not write the letters to {where / 'utkast'}: ")
    assert listing(where) == files
    assert snapshot(osen) == before  # --record logged nothing


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("example", [[], ["--example", "osen"]], ids=["minimal", "osen"])
def test_init_in_a_folder_that_cannot_be_written(mount: Mount, folder: str,
                                                 example: list[str]) -> None:
    where = FOLDERS[folder](mount)
    files = listing(where)
    line = one_error_line(run("init", where / "ws", *example))
    assert line.startswith(f"Error: {where / 'ws'}")  # the folder, or a file init made in it
    assert line.endswith("Read-only file system" if folder == "read-only"
                         else "No space left on device")
    assert listing(where) == files


def test_the_backup_names_the_backup_not_the_database(osen: Path, mount: Mount) -> None:
    where = full(mount)
    line = one_error_line(run("-w", osen, "backup", where / "kopi.db"))
    assert str(where / "kopi.db") in line
    assert "interessent.db" not in line and "sqlite:" not in line


# --- devices: no mount needed -------------------------------------------------------------
#
# The devices are made in the test's folder with /dev/full's and /dev/null's numbers, so a
# regression replaces a copy, never the system's own /dev/full (as root it could).

FULL, NULL = os.makedev(1, 7), os.makedev(1, 3)


def device(folder: Path, name: str, number: int) -> Path:
    """A character device in ``folder`` (skipped where one cannot be made or used)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("makes a Linux device node")
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, number)
        with path.open("rb"):
            pass
    except OSError as exc:
        pytest.skip(f"cannot make or open a device node here: {exc}")
    return path


@pytest.mark.parametrize("command", ["export csv", "report html", "privacy export"])
def test_a_full_device_is_written_into_and_refuses(osen: Path, tmp_path: Path,
                                                   command: str) -> None:
    full_device = device(tmp_path, "full", FULL)
    args = WRITERS[command](tmp_path)[0]
    args[args.index("--out") + 1] = full_device
    before = snapshot(osen)
    line = one_error_line(run("-w", osen, *args))
    assert line == f"Error: {full_device}: No space left on device"
    assert stat.S_ISCHR(full_device.stat().st_mode)  # still the device, not a file
    assert listing(tmp_path) == ["full"]
    assert snapshot(osen) == before  # privacy export left no audit entry


@pytest.mark.sqlite_only(reason="backs up the SQLite file")
def test_a_backup_never_replaces_a_device(osen: Path, tmp_path: Path) -> None:
    full_device = device(tmp_path, "full", FULL)
    line = one_error_line(run("-w", osen, "backup", full_device, "--force"))
    assert line == f"Error: {full_device}: not a regular file; name a new file for the backup"
    assert stat.S_ISCHR(full_device.stat().st_mode)
    assert listing(tmp_path) == ["full"]


def test_a_link_to_a_device_is_written_through_and_kept(osen: Path, tmp_path: Path) -> None:
    null = device(tmp_path, "null", NULL)
    link = tmp_path / "ut.csv"
    link.symlink_to(null)
    run("-w", osen, "export", "stakeholders", "--out", link)
    assert link.is_symlink() and stat.S_ISCHR(link.stat().st_mode)
    assert listing(tmp_path) == ["null", "ut.csv"]


def _proc(path: str) -> Path:
    if not Path(path).exists():
        pytest.skip(f"no {path} here")
    return Path(path)


def test_a_folder_that_takes_no_new_files(osen: Path) -> None:
    _proc("/proc/version")
    line = one_error_line(run("-w", osen, "export", "stakeholders", "--out", "/proc/version"))
    assert line == "Error: /proc/version: cannot create a file in /proc"


def test_a_plan_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    """The workspace's own file, not one the command was given: still one line with its
    name (reading /proc/self/mem at offset 0 is an I/O error)."""
    _proc("/proc/self/mem")
    root = tmp_path / "ws"
    init_workspace(root).close()
    (root / "interessent.toml").unlink()
    (root / "interessent.toml").symlink_to("/proc/self/mem")
    line = one_error_line(run("-w", root, "plan", "check"))
    assert line == f"Error: {root.resolve() / 'interessent.toml'}: Input/output error"


def test_any_other_os_error_is_one_line(tmp_path: Path) -> None:
    _proc("/proc/self/mem")
    root = tmp_path / "ws"
    init_workspace(root).close()
    (root / "templates" / "brev.j2").symlink_to("/proc/self/mem")
    one_error_line(run("-w", root, "templates", "list"))


# --- bytes that are not UTF-8 on the command line ----------------------------------------


def interessent(*args: bytes | str | Path, cwd: Path | None = None,
                env: dict[bytes, bytes] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real command line, its arguments given as bytes (on SQLite)."""
    argv = [os.fsencode(sys.executable), b"-c", b"from interessent.cli import main; main()",
            *(a if isinstance(a, bytes) else os.fsencode(a) for a in args)]
    environ = {k: v for k, v in os.environb.items() if k != b"INTERESSENT_DB"}
    # the code under test, wherever the process runs (PYTHONPATH may be relative)
    source = os.fsencode(Path(interessent_package.__file__).resolve().parents[1])
    environ[b"PYTHONPATH"] = os.pathsep.encode().join(
        [source, *filter(None, [environ.get(b"PYTHONPATH")])])
    environ.update(env or {})
    return subprocess.run(argv, capture_output=True, cwd=cwd, env=environ, timeout=120,
                          check=False)


def one_clean_line(done: subprocess.CompletedProcess[bytes]) -> str:
    assert done.returncode == 1, done
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    lines = done.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    return lines[0]


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace on SQLite with one person, for the processes below."""
    root = tmp_path_factory.mktemp("bytes") / "ws"
    assert interessent("init", root).returncode == 0
    assert interessent("-w", root, "stakeholder", "add", "Kari Aune").returncode == 0
    return root


def _people(root: Path) -> bytes:
    done = interessent("-w", root, "stakeholder", "list", "--format", "csv")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(("args", "shown"), [
    ([b"-w", b"\xff", b"stakeholder", b"list"], "'\\xff'"),
    ([b"stakeholder", b"add", b"Kari \xe5se"], "'Kari \\xe5se'"),
    ([b"stakeholder", b"list", b"--group", b"\xc3"], "'\\xc3'"),
    ([b"report", b"--out", b"/tmp/r\xff.html"], "'/tmp/r\\xff.html'"),
])
def test_an_argument_that_is_not_utf8_is_refused(plain: Path, args: list[bytes],
                                                 shown: str) -> None:
    before = _people(plain)
    done = interessent(*args, cwd=plain)
    assert one_clean_line(done) == (
        f"Error: the argument {shown} is not UTF-8 text; interessent takes names, paths and "
        "values as UTF-8 (rename the file or folder, or retype the value)")
    assert _people(plain) == before


def test_a_file_whose_name_is_not_utf8_is_refused(plain: Path, tmp_path: Path) -> None:
    name = tmp_path / os.fsdecode(b"caf\xe9.csv")
    name.write_text("id,name\nola,Ola\n", encoding="utf-8")
    before = _people(plain)
    assert "is not UTF-8 text" in one_clean_line(
        interessent("-w", plain, "import", "stakeholders", os.fsencode(name)))
    assert _people(plain) == before


def test_an_environment_variable_that_is_not_utf8_is_refused(plain: Path) -> None:
    before = _people(plain)
    done = interessent("-w", plain, "stakeholder", "add", "Ola", env={
        b"INTERESSENT_ACTOR": b"ol\xe9"})
    assert one_clean_line(done).startswith(
        "Error: the environment variable INTERESSENT_ACTOR is not UTF-8 text")
    assert _people(plain) == before


def test_a_folder_whose_name_is_not_utf8_is_shown_not_crashed_on(tmp_path: Path) -> None:
    """Not typed but found (the current folder): the error shows the byte as \\xff."""
    odd = tmp_path / os.fsdecode(b"\xff")
    odd.mkdir()
    line = one_clean_line(interessent("stakeholder", "list", cwd=odd))
    assert line.startswith(f"Error: not inside an interessent workspace (no interessent.toml "
                           f"in {tmp_path}/\\xff or above)")


def test_init_in_a_folder_whose_name_is_not_utf8_prints_its_bytes(tmp_path: Path) -> None:
    """Even on a terminal that would refuse them, the message gives the name's own bytes."""
    odd = tmp_path / os.fsdecode(b"\xff")
    odd.mkdir()
    done = interessent("init", "ws", cwd=odd, env={b"PYTHONIOENCODING": b"utf-8:strict"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"Made workspace " + os.fsencode(odd) + b"/ws: 0 stakeholders")
    assert (odd / "ws" / "interessent.toml").is_file()
