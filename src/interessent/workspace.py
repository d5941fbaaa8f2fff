"""A workspace: the plan (``interessent.toml``), the templates and the database.

Most live in a folder: the plan file, ``templates/`` and the SQLite file
``interessent.db`` (unless ``db`` names another database). :meth:`Workspace.from_plan`
makes one from values instead, a plan as text, a mapping or a :class:`~interessent.plan.Plan`,
templates as a mapping and, by default, a database in memory.

The library reads no environment variable: the database, who is working (the audit
log's actor) and how long a writer waits are arguments. The command line maps
``INTERESSENT_DB``, ``INTERESSENT_USER`` and ``INTERESSENT_BUSY_TIMEOUT_MS`` to them.

The database's URL is built from its parts (:func:`~interessent.store.sqlite_url`), never
by pasting the folder into a string: a folder called ``Osen?a`` or ``Osen%20a`` keeps
its database inside it.

A workspace may live long (a notebook, a web service) while other processes write to
its database: what it computes and keeps (:meth:`Workspace.memo`) is kept only while the
database's change counter (:mod:`interessent.store.cache`) is unchanged, and a plan file
changed on disk is read again. :meth:`Workspace.refresh` forgets everything at once.

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
from collections.abc import Callable, Hashable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from .bounds import text_problem
from .errors import InteressentError, InvalidInput, WorkspaceError
from .files import path_error
from .plan import Plan, TargetGroup, load_plan, parse_plan, structure_plan
from .rules import is_member
from .store import Store, check_actor, sqlite_url

if TYPE_CHECKING:
    from .importing import Kind
    from .model import Stakeholder

__all__ = ["DB_FILE", "PLAN_FILE", "Workspace", "example_names", "example_path",
           "init_workspace"]

T = TypeVar("T")

PLAN_FILE = "interessent.toml"
DB_FILE = "interessent.db"
TEMPLATES_DIR = "templates"
#: The environment variable the command line reads for ``--db`` (the library reads none).
DB_ENV = "INTERESSENT_DB"

#: What :meth:`Workspace.from_plan` takes as a plan.
PlanSource = Plan | Mapping[str, Any] | str | os.PathLike[str]
#: A database: a URL (text or SQLAlchemy's) or an engine made elsewhere.
Database = str | URL | Engine


class Workspace:
    """An open workspace. The plan and the store are loaded on first use.

    ``Workspace(root)`` opens the workspace in folder ``root``; ``db`` names another
    database than its ``interessent.db``, ``actor`` who the audit log says made the
    changes (default: the operating-system user), ``busy_timeout_ms`` how long a writer
    waits for another (default 10 s). :meth:`from_plan` makes one from values.
    """

    def __init__(self, root: Path | str, *, db: Database | None = None,
                 actor: str | None = None, busy_timeout_ms: int | None = None) -> None:
        folder = Path(root).resolve()
        if not (folder / PLAN_FILE).is_file():
            raise WorkspaceError(
                f"{folder} is not an interessent workspace (no {PLAN_FILE}); "
                "run 'interessent init DIR' to make one"
            )
        self._setup(folder, db or sqlite_url(folder / DB_FILE), None,
                    folder / TEMPLATES_DIR, {}, actor, busy_timeout_ms)

    def _setup(self, folder: Path | None, database: Database, plan: Plan | None,
               templates_path: Path | None, templates: Mapping[str, str],
               actor: str | None, busy_timeout_ms: int | None) -> None:
        self.folder = folder
        """The workspace's folder; None for one made from values."""
        self.database: Database = database
        self.templates_folder: Path | None = templates_path
        """The folder of the workspace's own templates (None: none)."""
        self.template_sources: dict[str, str] = dict(templates)
        """Templates given as text, by file name (``invitasjon.j2``)."""
        self.busy_timeout_ms = busy_timeout_ms
        self._actor = check_actor(actor)
        self._plan = plan
        self._plan_stamp: tuple[int, int, int] | None = None
        self._store: Store | None = None
        self._memo: dict[Hashable, Any] = {}
        self._memo_state: tuple[int | None, int] | None = None

    @classmethod
    def from_plan(
        cls,
        plan: PlanSource,
        *,
        db: Database = "sqlite://",
        templates: Mapping[str, str] | Path | str | None = None,
        actor: str | None = None,
        busy_timeout_ms: int | None = None,
    ) -> Workspace:
        """A workspace made from values, with no folder of its own.

        - ``plan``: TOML text (a ``str``), a mapping as a TOML file holds it, a
          :class:`~interessent.plan.Plan`, or the path of a plan file (a
          :class:`~pathlib.Path`). It is checked as a plan file is:
          :class:`~interessent.errors.PlanError` lists every problem.
        - ``db``: a database URL or an SQLAlchemy :class:`~sqlalchemy.engine.Engine`
          (which the workspace uses and never closes). The default, ``sqlite://``, is a
          database in memory that lasts until :meth:`close`.
        - ``templates``: a mapping of template file name (``invitasjon.j2``,
          ``invitasjon.nn.md.j2``; a name without ``.j2`` gets it) to its source, or a
          folder of templates. The built-in templates are there too.
        - ``actor``: who the audit log says made the changes (default: the
          operating-system user).

        Reports and letters have no default folder to go to: give them ``out``.

        >>> ws = Workspace.from_plan('''
        ... [programme]
        ... name = "Testprogrammet"
        ... municipality = "Osen kommune"
        ... start = 2026-01-01
        ... ''', templates={"hei": "Hei {{ name }}!"}, actor="notatbok")
        >>> ws.plan.programme.name, ws.store.counts()["stakeholders"]
        ('Testprogrammet', 0)
        >>> ws.close()
        """
        checked = _checked_plan(plan)
        folder, sources = _templates(templates)
        ws = cls.__new__(cls)
        ws._setup(None, db, checked, folder, sources, actor, busy_timeout_ms)
        ws.store  # noqa: B018 - a database that cannot be opened says so now
        return ws

    def __repr__(self) -> str:
        if self.folder is None:
            return f"Workspace.from_plan({self.plan.programme.name!r})"
        return f"Workspace({str(self.folder)!r})"

    @classmethod
    def find(cls, start: Path | str | None = None, *, db: Database | None = None,
             actor: str | None = None, busy_timeout_ms: int | None = None) -> Workspace:
        """The workspace at ``start`` (default: the current folder) or its nearest parent;
        the other arguments as for :class:`Workspace`."""
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / PLAN_FILE).is_file():
                return _opened(cls, folder, db, actor, busy_timeout_ms)
        raise WorkspaceError(
            f"not inside an interessent workspace (no {PLAN_FILE} in {here} or above)")

    @property
    def root(self) -> Path:
        """The workspace's folder (a :class:`WorkspaceError` for one made from values,
        which has none: give what writes files a place to write them)."""
        if self.folder is None:
            raise WorkspaceError("this workspace was made from values and has no folder; "
                                 "say where to write")
        return self.folder

    @property
    def name(self) -> str:
        """The folder's name, or the programme's for a workspace made from values."""
        return self.folder.name if self.folder is not None else self.plan.programme.name

    @property
    def db_url(self) -> str:
        """The database's URL as text, its password shown (to open it, use
        :attr:`database`: text cannot always say a file name exactly)."""
        url = self.database.url if isinstance(self.database, Engine) else self.database
        if isinstance(url, str):
            return url
        return url.render_as_string(hide_password=False)

    @db_url.setter
    def db_url(self, url: str) -> None:
        self.database = url

    @property
    def actor(self) -> str | None:
        """Who the audit log says made the changes (None: the operating-system user)."""
        return self._actor

    @actor.setter
    def actor(self, actor: str | None) -> None:
        self._actor = check_actor(actor)
        if self._store is not None:
            self._store.actor = actor

    @property
    def templates_path(self) -> Path:
        """The folder of the workspace's own templates (a :class:`WorkspaceError` for one
        made from values without a folder of templates)."""
        if self.templates_folder is None:
            raise WorkspaceError("this workspace was made from values and has no folder of "
                                 "templates")
        return self.templates_folder

    @property
    def plan_path(self) -> Path:
        return self.root / PLAN_FILE

    @property
    def plan(self) -> Plan:
        """The validated plan (a :class:`~interessent.errors.PlanError` if it is broken);
        a plan file changed since it was read is read again."""
        if self.folder is None:
            assert self._plan is not None
            return self._plan
        path = self.folder / PLAN_FILE
        try:
            info = path.stat()
            stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            stamp = None  # load_plan says what is wrong
        if self._plan is None or stamp is None or stamp != self._plan_stamp:
            try:
                self._plan = load_plan(path)
            except OSError as exc:  # a read error names no file; say which
                raise path_error(path, exc) from None
            self._plan_stamp = stamp
        return self._plan

    @property
    def store(self) -> Store:
        """The database, upgraded to the current schema on first use."""
        if self._store is None:
            self._store = Store(self.database, busy_timeout_ms=self.busy_timeout_ms,
                                actor=self._actor)
            self._store.on_write = self._forget
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self._forget()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> None:
        """Forget everything computed and kept, and read the plan file again on next use.

        Never needed for fresh data (what is kept is checked against the database's
        change counter, the plan file against its time and size), but it frees the
        memory at once, and it reads again what a change outside interessent (a SQL
        tool, a plan file put back with its old time) left looking unchanged."""
        self._forget()
        if self.folder is not None:
            self._plan = None
        if self._store is not None:
            self._store._keeping = True

    def _forget(self) -> None:
        self._memo.clear()
        self._memo_state = None

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` until anything is written to the
        database, by this process or any other (its change counter moves; see
        :mod:`interessent.store.cache`). Everything remembered is forgotten then, so no
        result computed about a person outlives a change to the register (an erasure).

        Commands that rank the network several times (coverage ranks each group) read and
        rank it once."""
        store = self.store
        state = (store.change_counter(), store.generation)  # read before the data
        if state != self._memo_state:
            self._memo.clear()
            self._memo_state = state
        if key in self._memo:
            return cast(T, self._memo[key])
        value = compute()
        if self._memo_state == state:  # nothing cleared it while computing
            self._memo[key] = value
        return value

    def members(self, group: str | TargetGroup) -> list[Stakeholder]:
        """Members of a target group: those registered with it plus those its rule selects."""
        target = self.plan.group(group) if isinstance(group, str) else group
        everyone = self.store.stakeholders()
        return [s for s in everyone if is_member(s, target)]


W = TypeVar("W", bound=Workspace)


def _opened(cls: type[W], folder: Path, db: Database | None, actor: str | None,
            busy_timeout_ms: int | None) -> W:
    """``cls(folder, db=db)`` with the actor and the busy timeout set before first use
    (set, not passed: a subclass or wrapper may take only ``db``)."""
    ws = cls(folder, db=db)
    ws.actor = actor
    ws.busy_timeout_ms = busy_timeout_ms
    return ws


def _checked_plan(plan: object) -> Plan:
    """A plan from what :meth:`Workspace.from_plan` takes, checked as a plan file is."""
    if isinstance(plan, Plan):
        return plan
    if isinstance(plan, str):
        return parse_plan(plan)
    if isinstance(plan, os.PathLike):
        return load_plan(Path(plan))
    if isinstance(plan, Mapping):
        return structure_plan(plan)
    raise InvalidInput(f"a plan is TOML text, a mapping, a Plan or the path of a plan file, "
                       f"not {type(plan).__name__}")


def _templates(given: object) -> tuple[Path | None, dict[str, str]]:
    """(the templates folder, templates given as text by file name) from ``templates``."""
    if given is None:
        return None, {}
    if isinstance(given, str | os.PathLike):
        folder = Path(given).expanduser().resolve()
        if not folder.is_dir():
            raise WorkspaceError(f"{folder}: no such folder of templates")
        return folder, {}
    if not isinstance(given, Mapping):
        raise InvalidInput(f"templates are a mapping of name to source or a folder, not "
                           f"{type(given).__name__}")
    sources: dict[str, str] = {}
    for name, source in given.items():
        if not isinstance(name, str) or not isinstance(source, str):
            raise InvalidInput(f"templates map names to their source as text, not "
                               f"{type(name).__name__} to {type(source).__name__}")
        problem = text_problem(name)
        if problem or not name.strip() or "/" in name or "\\" in name or name.startswith("."):
            raise InvalidInput(f"not a template name: {name!r}")
        if name.endswith(".docx"):
            raise InvalidInput(f"{name}: a Word template is a file; put it in a folder of "
                               "templates and give the folder")
        sources[name if name.endswith(".j2") else f"{name}.j2"] = source
    return None, sources


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
    # Deferred: the importer (and the privacy and report code it pulls in) is a third of
    # every command's start-up, and only a plan folder's data lists need it.
    from .importing import KINDS, parse_kind

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
    db: Database | None = None,
    progress: Callable[[str], None] | None = None,
    actor: str | None = None,
    busy_timeout_ms: int | None = None,
) -> Workspace:
    """Make a workspace at ``root``: a minimal plan, or a copy of an example (``example``
    names a bundled one, ``source`` any folder laid out like one) with every list in its
    ``data/`` folder imported (:func:`data_lists`). ``db``, ``actor`` and
    ``busy_timeout_ms`` as for :class:`Workspace`.

    Nothing is left behind when it fails.
    """
    if example and source:
        raise WorkspaceError("give an example name or a source folder, not both")
    check_actor(actor)  # before anything is made
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
        ws = _opened(Workspace, root, db, actor, busy_timeout_ms)
        ws.plan  # noqa: B018 - validate before anything is imported
        if origin is not None:
            # Deferred: see data_lists.
            from .importing import import_file

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
