"""Every complete command line the README and the docs show runs, against the Osen example.

What is run, per document (``README.md`` and every ``docs/*.md``), in the order the page
shows it:

- the lines of its shell blocks (a fence marked ``sh``, ``console``, ``bash``, ``shell``
  or nothing) that start with ``interessent `` or ``$ interessent `` (a line ending in
  ``\\`` goes on on the next), each through the CLI in-process, and the file operations
  that set them up on the same page (``cd``, ``mkdir``, ``cp``, ``mv``, ``ls``,
  ``export VAR=…``, ``VAR=… interessent …``, ``… > FILE`` and ``&&``). Each must exit 0.
- in a fresh sandbox per document: the Osen example as the folder the page names
  (``osen-demo``, or ``osen`` in team.md), ``examples/`` of this checkout beside it (pages
  say «in a checkout of the repository»), ``HOME`` inside the sandbox; the page starts
  in the workspace folder, or beside it where the page ``cd``\\s into it (:data:`START`).

What is not run, and counted (the test fails when a page has no line it runs):

- ``placeholder``: a word that stands for something the reader fills in: an upper-case
  word (``DIR``, ``ID``, ``FILE``, ``[OPTIONS]``), ``<…>``, ``…`` or ``...``, brackets
  (``[--group G]``), or alternatives in one word (``csv|json``, ``add|list``). Comments
  (``# …``) are not part of the line.
- ``postgresql``: a line that names a PostgreSQL URL runs only in the suite's PostgreSQL
  pass (``--backend postgresql``, see tests/conftest.py), with the URL replaced by the
  test's own database.
- ``transcript``: ``$ interessent …`` in a ``text`` block: a command with the output it
  gave after the page's hand edits (often an error, as the page says).
- ``exempt``: the lines in :data:`EXEMPT`, each with the reason; an entry that no page
  shows any more fails the test. ``sqlite only``: the lines in :data:`SQLITE_ONLY`, not
  run in the PostgreSQL pass.
- other programs in shell blocks (``python3 -m venv``, ``pip``, ``createdb``, ``pg_dump``,
  ``python docs/examples/…``) are not interessent's command lines; the README's set-up
  commands run in tests/test_readme.py, the examples in tests/test_library_examples.py.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections import Counter
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from interessent import init_workspace
from interessent.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_FENCES = {"sh", "console", "bash", "shell", ""}
FILE_OPERATIONS = {"cd", "mkdir", "cp", "mv", "ls", "export"}

# Where each page's reader stands, and what the Osen workspace folder is called there:
# (folder name, start inside it?), default ("osen-demo", True); no folder where the page
# makes it itself.
START: dict[str, tuple[str | None, bool]] = {
    "getting-started.md": ("osen-demo", False),  # `cd osen-demo`
    "adapting.md": (None, False),  # `interessent init osen-demo --example osen`, then `cp`
    "team.md": ("osen", False),  # `interessent -w osen …`
}

# (page, the command as the page shows it) → why it is not run.
EXEMPT: dict[tuple[str, str], str] = {
    ("adapting.md", "interessent -w kystby-plan templates show invitasjon --language en"):
        "invitasjon is the template the reader writes in step 4 (Kystby has it)",
    ("adapting.md", "interessent -w kystby-plan import stakeholders kontaktar.xlsx --dry-run"):
        "the reader's own Excel list",
    ("adapting.md", "interessent -w kystby-plan import stakeholders kontaktar.xlsx"):
        "the reader's own Excel list",
    ("adapting.md", "interessent -w kystby-plan import relationships relasjonar.xlsx"):
        "the reader's own Excel list",
    ("adapting.md", "interessent -w kystby-plan import interactions kontaktlogg.xlsx"):
        "the reader's own Excel list",
    ("privacy.md",
     "interessent privacy erase ragnhild-eide --yes --files    # or erase and clean those files"):
        "the other way to erase her: the line before has erased her already",
    ("importing.md", "interessent import stakeholders kontakter.xlsx"):
        "the reader's own Excel list",
    ("importing.md", "interessent import relationships relasjoner.csv --dry-run"):
        "the reader's own list",
    ("importing.md", 'interessent import interactions logg.csv --encoding cp1252 --delimiter ";"'):
        "the reader's own list",
}

_CAPS = re.compile(r"^-*[A-Z][A-Z_]+$")
_PG_URL = re.compile(r"postgresql(\+\w+)?://[^\s'\"]*")

# (page, command) → why it runs on SQLite only (skipped in the PostgreSQL pass).
SQLITE_ONLY: dict[tuple[str, str], str] = {
    ("privacy.md",
     "interessent privacy compact                       # rebuild the SQLite file (erase does it)"):
        "it rebuilds the SQLite file; on PostgreSQL the administrator runs VACUUM FULL, as "
        "the page says",
}


@attrs.frozen
class Line:
    page: str
    fence: str
    text: str  # as the page shows it, continuation lines joined, without `$ `
    line: int


def _lines(page: Path) -> list[Line]:
    """Every shell line of the page's fenced blocks (continuations joined)."""
    out: list[Line] = []
    fence: str | None = None
    pending = ""
    start = 0
    for number, raw in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("```"):
            fence = stripped[3:].strip() if fence is None else None
            continue
        if fence is None:
            continue
        text = stripped[2:] if stripped.startswith("$ ") and not pending else stripped
        if not pending:
            start = number
        if text.endswith("\\"):
            pending += text[:-1].strip() + " "
            continue
        out.append(Line(page.name, fence, (pending + text).strip(), start))
        pending = ""
    return out


def _words(text: str, *, strict: bool = False) -> list[str]:
    """The words as the shell splits them (on output shown in a block, plain words)."""
    try:
        return shlex.split(text, comments=True)
    except ValueError:
        if strict:
            raise
        return text.split()


def _is_interessent(words: list[str]) -> bool:
    while words and re.match(r"^[A-Z_]+=", words[0]):
        words = words[1:]
    return bool(words) and words[0] == "interessent"


def _placeholder(text: str) -> str | None:
    """The first word of ``text`` that stands for something the reader fills in."""
    code = " ".join(shlex.quote(w) for w in _words(text))
    if "…" in code or "..." in code or re.search(r"<[^>\s]+>", code):
        return "…"
    for word in _words(text):
        if "=" in word and re.match(r"^[A-Z_]+=", word):
            continue
        if _CAPS.match(word) or word.startswith("[") or word.endswith("]"):
            return word
        if "|" in word and word != "|" and not word.startswith(("--set", "http")):
            return word
    return None


def _classify(line: Line, backend: str) -> str:
    """``run``, or why the line is not run (see the module's docstring)."""
    words = _words(line.text)
    if not words:
        return "empty"
    interessent = _is_interessent(words) or (
        "&&" in words and _is_interessent(words[:words.index("&&")]))
    if line.fence == "text":
        return "transcript" if interessent else "output"
    if line.fence not in SHELL_FENCES:
        return "output"
    if not interessent and words[0] not in FILE_OPERATIONS:
        return "other program"
    if (line.page, line.text) in EXEMPT:
        return "exempt"
    if (line.page, line.text) in SQLITE_ONLY and backend == "postgresql":
        return "sqlite only"
    if _PG_URL.search(line.text):
        return "run" if backend == "postgresql" else "postgresql"
    if not interessent:
        return "file"
    if _placeholder(line.text):
        return "placeholder"
    return "run"


class _Sandbox:
    """A page's sandbox: its folder, the reader's current folder and environment."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
        self.root = root
        self.cwd = root
        self.env: dict[str, str] = {"HOME": str(root / "home")}
        (root / "home").mkdir()
        self.monkeypatch = monkeypatch
        self.backend = backend
        self.runner = CliRunner()

    def path(self, name: str) -> Path:
        if name.startswith("~/"):
            return Path(self.env["HOME"]) / name[2:]
        return self.cwd / name

    def _url(self, text: str) -> str:
        """On PostgreSQL, the page's server is this test's database."""
        db = os.environ.get("INTERESSENT_DB", "")
        return _PG_URL.sub(lambda m: db, text) if self.backend == "postgresql" else text

    def run(self, line: Line) -> None:
        words = _words(self._url(line.text), strict=True)
        while "&&" in words:
            cut = words.index("&&")
            self._one(line, words[:cut])
            words = words[cut + 1:]
        self._one(line, words)

    def _one(self, line: Line, words: list[str]) -> None:
        env = dict(self.env)
        while words and re.match(r"^[A-Z_]+=", words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        head, args = words[0], words[1:]
        where = f"{line.page}:{line.line}: {line.text}"
        if head == "cd":
            self.cwd = self.path(args[0]).resolve()
            assert self.cwd.is_dir(), where
        elif head == "export":
            for pair in args:
                name, _, value = pair.partition("=")
                self.env[name] = value
                self.monkeypatch.setenv(name, value)
        elif head == "mkdir":
            for name in args:
                self.path(name).mkdir()
        elif head == "cp":
            recursive = "-r" in args
            source, target = (self.path(a) for a in args if a != "-r")
            if recursive:
                shutil.copytree(source, target / source.name if target.is_dir() else target)
            else:
                shutil.copy2(source, target)
        elif head == "mv":
            shutil.move(self.path(args[0]), self.path(args[1]))
        elif head == "ls":
            pass
        else:
            assert head == "interessent", where
            out = None
            if ">" in args:
                out, args = self.path(args[args.index(">") + 1]), args[:args.index(">")]
            args = [str(self.path(a)) if a.startswith("~/") else a for a in args]
            self.monkeypatch.chdir(self.cwd)
            for name, value in env.items():
                self.monkeypatch.setenv(name, value)
            result = self.runner.invoke(cli, args, catch_exceptions=True)
            shown = f"{where}\nexit {result.exit_code}\n{result.output[-3000:]}"
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                shown)
            assert result.exit_code == 0, shown
            assert "Traceback" not in result.output, shown
            if out is not None:
                out.write_text(result.stdout, encoding="utf-8")


@pytest.fixture(scope="module")
def osen_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("osen-doc") / "osen-demo"
    init_workspace(root, example="osen").close()
    return root


def _runnable_pages() -> list[Path]:
    return [p for p in PAGES if any(_classify(x, "postgresql") == "run" for x in _lines(p))]


@pytest.mark.parametrize("page", _runnable_pages(), ids=lambda p: p.name)
def test_the_pages_command_lines_run_against_the_osen_example(
        page: Path, tmp_path: Path, osen_copy: Path, backend: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    name, inside = START.get(page.name, ("osen-demo", True))
    if name is not None:
        shutil.copytree(osen_copy, tmp_path / name)
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    sandbox = _Sandbox(tmp_path, monkeypatch, backend)
    if name is not None and inside:
        sandbox.cwd = tmp_path / name
    counts: Counter[str] = Counter()
    for line in _lines(page):
        kind = _classify(line, backend)
        counts[kind] += 1
        if kind in ("run", "file"):
            sandbox.run(line)
    print(f"{page.name}: {dict(counts)}")
    assert counts["run"] > 0


def test_the_rules_pick_what_they_say() -> None:
    def kind(text: str, fence: str = "sh", backend: str = "sqlite") -> str:
        return _classify(Line("x.md", fence, text, 1), backend)

    assert kind("interessent coverage --period 2026-H2   # every group …") == "run"
    assert kind("interessent init DIR [--example osen]") == "placeholder"
    assert kind("interessent privacy export|erase|restrict ID") == "placeholder"
    assert kind("interessent export stakeholders --format csv|json") == "placeholder"
    assert kind("interessent backup FILE") == "placeholder"
    assert kind("interessent [OPTIONS] COMMAND [ARGS]...") == "placeholder"
    assert kind("interessent draft x --set sted=<sted>") == "placeholder"
    assert kind("INTERESSENT_USER=marius interessent privacy restrict astrid-lian") == "run"
    assert kind("interessent -w osen --db 'postgresql+psycopg://…' due") == "postgresql"
    assert kind("interessent -w osen --db 'postgresql+psycopg://…' due",
                backend="postgresql") == "run"
    assert kind("interessent plan check", fence="text") == "transcript"
    assert kind("interessent plan check", fence="toml") == "output"
    assert kind("mkdir kystby-plan") == "file"
    assert kind("createdb --owner osen osen_register") == "other program"


def test_every_exemption_is_still_on_its_page() -> None:
    shown = {(x.page, x.text) for p in PAGES for x in _lines(p)}
    assert sorted(set(EXEMPT) - shown) == []
    assert sorted(set(SQLITE_ONLY) - shown) == []


def test_the_pages_have_command_lines_to_run() -> None:
    """Counted over all pages, so that a change of the rules cannot silently run none."""
    counts: Counter[str] = Counter(
        _classify(x, "sqlite") for p in PAGES for x in _lines(p))
    print(dict(counts))
    assert counts["run"] >= 80
    assert counts["placeholder"] >= 8  # the README's summary of the commands
    assert counts["exempt"] == len(EXEMPT)
