"""A workspace: a folder with the plan (``interessent.toml``), ``templates/`` and the
database (``interessent.db``, unless ``--db`` / ``INTERESSENT_DB`` names another).

The database's URL is built from its parts (:func:`~interessent.store.sqlite_url`), never
by pasting the folder into a string: a folder called ``Osen?a`` or ``Osen%20a`` keeps
its database inside it.

>>> import tempfile, pathlib
>>> ws = init_workspace(pathlib.Path(tempfile.mkdtemp()) / "demo")
>>> ws.plan.programme.name
'Mitt omstillingsprogram'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import os
import re
import shutil
from collections.abc import Callable, Hashable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy.engine import URL

from .errors import InteressentError, InvalidInput, WorkspaceError
from .files import path_error
from .importing import KINDS, Kind, import_file, parse_kind
from .plan import Plan, TargetGroup, load_plan
from .rules import is_member
from .store import Store, sqlite_url

if TYPE_CHECKING:
    from .model import Stakeholder

__all__ = ["DB_FILE", "PLAN_FILE", "Workspace", "example_names", "example_path",
           "init_workspace"]

T = TypeVar("T")

PLAN_FILE = "interessent.toml"
DB_FILE = "interessent.db"
TEMPLATES_DIR = "templates"
DB_ENV = "INTERESSENT_DB"


class Workspace:
    """An open workspace. The plan and the store are loaded on first use."""

    def __init__(self, root: Path | str, *, db: str | None = None) -> None:
        self.root = Path(root).resolve()
        if not (self.root / PLAN_FILE).is_file():
            raise WorkspaceError(
                f"{self.root} is not an interessent workspace (no {PLAN_FILE}); "
                "run 'interessent init DIR' to make one"
            )
        self.database: str | URL = (db or os.environ.get(DB_ENV)
                                    or sqlite_url(self.root / DB_FILE))
        self._plan: Plan | None = None
        self._store: Store | None = None
        self._memo: dict[Hashable, tuple[int, Any]] = {}

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    @classmethod
    def find(cls, start: Path | str | None = None, *, db: str | None = None) -> Workspace:
        """The workspace at ``start`` (default: the current folder) or its nearest parent."""
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / PLAN_FILE).is_file():
                return cls(folder, db=db)
        raise WorkspaceError(
            f"not inside an interessent workspace (no {PLAN_FILE} in {here} or above)")

    @property
    def db_url(self) -> str:
        """The database's URL as text, its password shown (to open it, use
        :attr:`database`: text cannot always say a file name exactly)."""
        if isinstance(self.database, str):
            return self.database
        return self.database.render_as_string(hide_password=False)

    @db_url.setter
    def db_url(self, url: str) -> None:
        self.database = url

    @property
    def plan_path(self) -> Path:
        return self.root / PLAN_FILE

    @property
    def templates_path(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def plan(self) -> Plan:
        """The validated plan (a :class:`~interessent.errors.PlanError` if it is broken)."""
        if self._plan is None:
            try:
                self._plan = load_plan(self.plan_path)
            except OSError as exc:  # a read error names no file; say which
                raise path_error(self.plan_path, exc) from None
        return self._plan

    @property
    def store(self) -> Store:
        """The database, upgraded to the current schema on first use."""
        if self._store is None:
            self._store = Store(self.database)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` until something is written to the store.

        Commands that rank the network several times (coverage ranks each group) read and
        rank it once."""
        generation = self.store.generation
        found = self._memo.get(key)
        if found is not None and found[0] == generation:
            return cast(T, found[1])
        value = compute()
        self._memo[key] = (generation, value)
        return value

    def members(self, group: str | TargetGroup) -> list[Stakeholder]:
        """Members of a target group: those registered with it plus those its rule selects."""
        target = self.plan.group(group) if isinstance(group, str) else group
        everyone = self.store.stakeholders()
        return [s for s in everyone if is_member(s, target)]


# --- examples and init --------------------------------------------------------------------


def _examples_root() -> Path:
    packaged = Path(str(resources.files("interessent"))) / "examples"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "examples"  # a source checkout
    if checkout.is_dir():
        return checkout
    raise WorkspaceError("the bundled examples are missing from this installation")


def example_names() -> list[str]:
    """The examples that ship with interessent (``osen``)."""
    try:
        root = _examples_root()
    except WorkspaceError:
        return []
    return sorted(p.name for p in root.iterdir() if (p / PLAN_FILE).is_file())


def example_path(name: str) -> Path:
    """The folder of a bundled example."""
    path = _examples_root() / name
    if not (path / PLAN_FILE).is_file():
        known = ", ".join(example_names()) or "none"
        raise WorkspaceError(f"no example named {name!r} (known: {known})")
    return path


_MINIMAL_PLAN = """\
# The plan of your programme: target groups, channels, roles and commitments.
# See docs/plan.md for every key, and the Osen example (interessent init DIR --example osen).

[programme]
name = "Mitt omstillingsprogram"
municipality = "Min kommune"
start = {start}
vision = ""
goals = []

[[groups]]
key = "befolkningen"
name = "Befolkningen"
number = 1

[[channels]]
key = "direkte"
name = "Direkte kontakt"
kind = "direct"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "styreleder"
name = "Styreleder"
programme = true

[[topics]]
key = "daily"
name = "Løpende aktiviteter"

[[topics]]
key = "overarching"
name = "Overordnede, viktige saker"

[information]
notify = ["styreleder", "daglig_leder"]

[[information.rules]]
topic = "daily"
roles = ["daglig_leder"]

[[information.rules]]
topic = "overarching"
roles = ["styreleder"]
"""

DATA_DIR = "data"
#: The file types of a list in ``data/``; the importer reads some and explains the others.
LIST_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods",
                           ".numbers"})


def data_lists(folder: Path) -> list[tuple[Kind, Path]]:
    """The lists in a plan folder's ``data/``, in the order to import them: every
    stakeholders list, then every relationships list, then every interactions list. A
    file's kind is the first word of its name (``stakeholders.csv``,
    ``stakeholders-styret.xlsx``, ``interessenter_programmet.csv``, ``kontakter-2027.csv``),
    the one named just that first. Hidden files and Excel's lock files are no lists; any
    other list whose kind its name does not tell is an error, so none is left out."""
    data = folder / DATA_DIR
    found: list[tuple[Kind, bool, str, Path]] = []
    for path in sorted(data.iterdir()) if data.is_dir() else []:
        if (path.name.startswith((".", "~$")) or not path.is_file()
                or path.suffix.lower() not in LIST_SUFFIXES):
            continue
        word = re.split(r"[-_ .]", path.stem, maxsplit=1)[0]
        try:
            kind = parse_kind(word)
        except InvalidInput:
            raise WorkspaceError(
                f"{path}: its name does not say which list it is; name it after the list "
                "it holds: stakeholders…, relationships… or interactions… (or interessenter…, "
                "relasjoner…, kontakter…), for example stakeholders-styret.csv"
            ) from None
        found.append((kind, path.stem != word, path.name, path))
    return [(kind, path) for kind, _, _, path in
            sorted(found, key=lambda f: (KINDS.index(f[0]), f[1], f[2]))]


def init_workspace(
    root: Path | str,
    *,
    example: str | None = None,
    source: Path | None = None,
    db: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Workspace:
    """Make a workspace at ``root``: a minimal plan, or a copy of an example (``example``
    names a bundled one, ``source`` any folder laid out like one) with every list in its
    ``data/`` folder imported (:func:`data_lists`).

    Nothing is left behind when it fails.
    """
    if example and source:
        raise WorkspaceError("give an example name or a source folder, not both")
    root = Path(root).resolve()
    if (root / PLAN_FILE).exists():
        raise WorkspaceError(f"{root} is already a workspace ({PLAN_FILE} exists)")
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    if root.exists() and any(root.iterdir()):
        raise WorkspaceError(f"{root} is not empty; choose a new or empty folder")
    origin = example_path(example) if example else source
    if origin is not None and not (origin / PLAN_FILE).is_file():
        raise WorkspaceError(f"{origin} has no {PLAN_FILE}; it is not an example folder")
    made = root  # the outermost folder init makes, removed again if it fails
    while not made.parent.exists() and made.parent != made:
        made = made.parent
    created = not root.exists()
    ws: Workspace | None = None
    try:
        if origin is None:
            root.mkdir(parents=True, exist_ok=True)
            (root / TEMPLATES_DIR).mkdir()
            (root / PLAN_FILE).write_text(
                _MINIMAL_PLAN.format(start=dt.date.today().replace(month=1, day=1).isoformat()),
                encoding="utf-8",
            )
        else:
            _copy_folder(origin, root)
            (root / TEMPLATES_DIR).mkdir(exist_ok=True)
        ws = Workspace(root, db=db)
        ws.plan  # noqa: B018 - validate before anything is imported
        if origin is not None:
            for kind, path in data_lists(root):
                result = import_file(ws, kind, path)
                if progress:
                    progress(result.summary())
        else:
            ws.store  # noqa: B018 - create the database
        return ws
    except (InteressentError, OSError) as exc:
        if ws is not None:
            ws.close()
        _clear(made if created else root, created)
        if isinstance(exc, OSError):
            # a failed copy names its source first and the file it was writing second
            raise path_error(exc.filename2 or exc.filename or root, exc) from None
        raise


#: What copying an example leaves out: its database and caches.
_NOT_COPIED = (DB_FILE, f"{DB_FILE}-*", "__pycache__")


def _copy_folder(origin: Path, root: Path) -> None:
    """Copy ``origin`` into ``root``; the first file that fails raises its own OSError
    (``shutil.copytree`` would gather every failure into one long message)."""
    root.mkdir(parents=True, exist_ok=True)
    for entry in sorted(origin.iterdir()):
        if any(fnmatch.fnmatch(entry.name, pattern) for pattern in _NOT_COPIED):
            continue
        if entry.is_dir():
            _copy_folder(entry, root / entry.name)
        else:
            shutil.copy2(entry, root / entry.name)


def _clear(root: Path, created: bool) -> None:
    """Remove what a failed init made: the folders it made, or what it put in the empty
    folder it was given."""
    if created:
        shutil.rmtree(root, ignore_errors=True)
        return
    with contextlib.suppress(OSError):
        for child in root.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
