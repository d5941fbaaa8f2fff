"""Shared fixtures: a small plan, workspaces, and the database backend the suite runs on.

The suite runs on SQLite files in ``tmp_path`` (the default) or on a real PostgreSQL
server: ``pytest --backend postgresql`` (or ``INTERESSENT_TEST_BACKEND=postgresql``) with
``INTERESSENT_TEST_PG`` naming the server, e.g.
``postgresql+psycopg://postgres@127.0.0.1:54329/postgres``. On PostgreSQL every test gets
a database of its own (``INTERESSENT_DB`` points at it, so every ``Workspace`` in the test
uses it), and each workspace folder keeps a database of its own as it keeps its SQLite
file: a copied folder has a copy of the original's data (see :class:`Databases`).

Markers: ``sqlite_only`` (inspects SQLite files or pragmas; skipped on PostgreSQL) and
``postgresql`` (needs a PostgreSQL server: runs with the postgresql backend or whenever
``INTERESSENT_TEST_PG`` is set; skipped with a reason when no server is reachable, and a
failure instead in CI, where ``.ci/run`` starts one).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from interessent.workspace import DB_ENV, PLAN_FILE, Workspace

BACKENDS = ("sqlite", "postgresql")
PG_ENV = "INTERESSENT_TEST_PG"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend", choices=BACKENDS,
        default=os.environ.get("INTERESSENT_TEST_BACKEND", "sqlite") or "sqlite",
        help="the database the suite runs on (also INTERESSENT_TEST_BACKEND); postgresql "
        f"needs {PG_ENV}=postgresql+psycopg://USER@HOST:PORT/DB",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason=...): inspects SQLite files or pragmas (skipped on "
        "PostgreSQL)")
    config.addinivalue_line(
        "markers", f"postgresql: needs a PostgreSQL server ({PG_ENV}); a failure in CI "
        "when there is none")
    if config.getoption("backend") == "postgresql" and not os.environ.get(PG_ENV):
        raise pytest.UsageError(
            f"--backend postgresql needs {PG_ENV}, the URL of a server to make test "
            "databases on, e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres")


def pytest_report_header(config: pytest.Config) -> str:
    backend = config.getoption("backend")
    server = os.environ.get(PG_ENV)
    return f"interessent backend: {backend}" + (f" (server {_redacted(server)})" if server
                                                 else "")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class PostgresServer:
    """Makes and drops databases on the test server, through an AUTOCOMMIT connection."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.url = make_url(url)
        self.engine = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                                    connect_args={"connect_timeout": 5})
        self._base: str | None = None

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _run(self, sql: str) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql(sql)

    def create(self, template: str | None = None, prefix: str = "t") -> str:
        """A new database (empty, or a copy of ``template``); its name."""
        name = f"i_{prefix}_{uuid.uuid4().hex[:16]}"
        if template is None:
            self._run(f'CREATE DATABASE "{name}"')
            return name
        with self.engine.connect() as conn:  # a copy needs the template to itself
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{template}' AND pid <> pg_backend_pid()")
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop(self, name: str) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def base(self) -> str:
        """A database at the newest schema, made once; tests start from copies of it."""
        if self._base is None:
            from interessent.store import Store

            name = self.create(prefix="base")
            Store(self.url_of(name)).close()
            self._base = name
        return self._base

    def close(self) -> None:
        if self._base is not None:
            self.drop(self._base)
        self.engine.dispose()


def _connect_to_server() -> tuple[PostgresServer | None, str]:
    """The server named by INTERESSENT_TEST_PG, or None and why not."""
    url = os.environ.get(PG_ENV)
    if not url:
        return None, f"no PostgreSQL server: set {PG_ENV} (see tests/conftest.py)"
    try:
        server = PostgresServer(url)
        server._run("SELECT 1")
    except Exception as exc:
        return None, f"the PostgreSQL server {_redacted(url)} is not reachable: {exc}"
    return server, ""


@pytest.fixture(scope="session")
def postgres_server(pytestconfig: pytest.Config) -> Iterator[PostgresServer | None]:
    """The test server, or None when there is none (and none was asked for)."""
    server, why = _connect_to_server()
    if server is None and pytestconfig.getoption("backend") == "postgresql":
        pytest.exit(f"--backend postgresql: {why}", returncode=3)
    pytestconfig.stash[_WHY_NO_SERVER] = why
    yield server
    if server is not None:
        server.close()


_WHY_NO_SERVER = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def backend(pytestconfig: pytest.Config) -> str:
    """``sqlite`` or ``postgresql``: the database the suite runs on."""
    return str(pytestconfig.getoption("backend"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("backend") == "postgresql":
        for item in items:
            marker = item.get_closest_marker("sqlite_only")
            if marker is not None:
                why = marker.kwargs.get("reason", "inspects the SQLite file or its pragmas")
                item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


class Databases:
    """Which database each workspace folder has on PostgreSQL, so that a folder behaves
    as it does with its SQLite file: a new folder has an empty database, a copied folder
    a copy of the original's, two folders never share one.

    A workspace opened on the scope's ``INTERESSENT_DB`` (a module's or a test's) gets a
    database by its folder: the one a marker file in the folder names, copied (a folder
    copied from a module-scoped fixture's, say); else, for the scope's first new folder,
    the scope's own database (which subprocesses see through ``INTERESSENT_DB``), for
    later ones a new empty one. Everything a scope made is closed and dropped after it.
    """

    MARKER = ".interessent-test-database"

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.scopes: list[dict[str, Any]] = []

    def push(self, prefix: str) -> str:
        name = self.server.create(template=self.server.base(), prefix=prefix)
        self.scopes.append({"url": self.server.url_of(name), "roots": {}, "made": [name],
                            "stores": []})
        return name

    def pop(self) -> None:
        scope = self.scopes.pop()
        for store in scope["stores"]:  # closed, so no connection is left to the collector
            store.close()
        for name in scope["made"]:
            self.server.drop(name)

    def opened(self, store: Any) -> None:
        if self.scopes:
            self.scopes[-1]["stores"].append(store)

    def resolve(self, root: Path, url: str) -> str:
        if not self.scopes or url != self.scopes[-1]["url"]:
            return url
        scope = self.scopes[-1]
        roots: dict[Path, str] = scope["roots"]
        if root in roots:
            return roots[root]
        marker = root / self.MARKER
        name = None
        if marker.is_file():
            with contextlib.suppress(Exception):  # a database dropped since: a new one
                name = self.server.create(template=marker.read_text().strip())
                scope["made"].append(name)
        if name is None:
            if not roots:
                name = scope["made"][0]
            else:
                name = self.server.create(template=self.server.base())
                scope["made"].append(name)
            with contextlib.suppress(OSError):
                marker.write_text(name, encoding="utf-8")
        roots[root] = self.server.url_of(name)
        return roots[root]


@pytest.fixture(scope="session")
def _databases(backend: str, postgres_server: PostgresServer | None) -> Iterator[
        Databases | None]:
    """On PostgreSQL: every Workspace and Store goes through :class:`Databases`."""
    if backend != "postgresql" or postgres_server is None:
        yield None
        return
    from interessent.store import Store

    databases = Databases(postgres_server)
    real_workspace, real_store = Workspace.__init__, Store.__init__

    def workspace_init(self: Workspace, root: Path | str, *, db: Any = None,
                       **kwargs: Any) -> None:
        # The library reads no environment variable; here the suite maps INTERESSENT_DB
        # to ``db`` as the command line does, so library code runs on PostgreSQL too.
        real_workspace(self, root, db=db or os.environ.get(DB_ENV), **kwargs)
        self.db_url = databases.resolve(self.root, self.db_url)

    def store_init(self: Store, url: str, **kwargs: Any) -> None:
        real_store(self, url, **kwargs)
        databases.opened(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Workspace, "__init__", workspace_init)
        patch.setattr(Store, "__init__", store_init)
        yield databases


@pytest.fixture(scope="module", autouse=True)
def _module_database(_databases: Databases | None) -> Iterator[str | None]:
    """On PostgreSQL: the module's database, which module-scoped fixtures fill."""
    if _databases is None:
        yield None
        return
    name = _databases.push("m")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV, _databases.server.url_of(name))
        try:
            yield name
        finally:
            _databases.pop()


@pytest.fixture(autouse=True)
def _test_database(
    request: pytest.FixtureRequest,
    postgres_server: PostgresServer | None,
    _databases: Databases | None,
    _module_database: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str | None]:
    """On PostgreSQL: a database for this test alone as INTERESSENT_DB (see
    :class:`Databases`). Also fails or skips ``postgresql``-marked tests without a server."""
    if request.node.get_closest_marker("postgresql") and postgres_server is None:
        why = request.config.stash.get(_WHY_NO_SERVER, "no PostgreSQL server")
        if _in_ci():
            pytest.fail(f"CI must run the PostgreSQL tests: {why}")
        pytest.skip(why)
    if _databases is None:
        yield None
        return
    name = _databases.push("t")
    monkeypatch.setenv(DB_ENV, _databases.server.url_of(name))
    try:
        yield name
    finally:
        _databases.pop()


@pytest.fixture
def db_url(tmp_path: Path, _test_database: str | None,
           postgres_server: PostgresServer | None) -> str:
    """A database URL for a store of its own: a SQLite file in ``tmp_path``, or this
    test's PostgreSQL database."""
    if _test_database is not None and postgres_server is not None:
        return postgres_server.url_of(_test_database)
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def pg_url(request: pytest.FixtureRequest,
           postgres_server: PostgresServer | None) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (whatever the backend); skipped without a server
    (a failure in CI)."""
    if postgres_server is None:
        why = request.config.stash.get(_WHY_NO_SERVER, "no PostgreSQL server")
        if _in_ci():
            pytest.fail(f"CI must run the PostgreSQL tests: {why}")
        pytest.skip(why)
    name = postgres_server.create(prefix="pg")
    try:
        yield postgres_server.url_of(name)
    finally:
        postgres_server.drop(name)


PLAN = """\
[programme]
name = "Testprogrammet"
municipality = "Osen kommune"
start = 2026-01-01
language = "nn"

[[groups]]
key = "befolkningen"
name = "Befolkningen i Osen"
number = 1

[[groups]]
key = "naeringslivet"
name = "Det etablerte næringslivet"
number = 2

[[channels]]
key = "direkte"
name = "Direkte kontakt"
kind = "direct"

[[channels]]
key = "media"
name = "Lokale medier"
kind = "media"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "styreleder"
name = "Styreleder"
programme = true
aliases = ["styreformann"]

[[roles]]
key = "ordforer"
name = "Ordfører"

[[commitments]]
id = "B1"
title = "Nyheter i lokale medier"
groups = ["befolkningen", "naeringslivet"]
cadence = "month"
channel = "media"

[[commitments]]
id = "B5"
title = "Dialogmøter med næringslivet"
groups = ["naeringslivet"]
cadence = "half_year"
"""


@pytest.fixture
def plan_text() -> str:
    return PLAN


@pytest.fixture
def make_workspace(tmp_path: Path, plan_text: str) -> Iterator[Callable[[str], Workspace]]:
    """Makes workspaces with the test plan under ``tmp_path/<name>``; closes them after."""
    opened: list[Workspace] = []

    def make(name: str = "ws") -> Workspace:
        root = tmp_path / name
        root.mkdir()
        (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
        ws = Workspace(root)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def workspace(make_workspace: Callable[[str], Workspace]) -> Workspace:
    """A workspace at ``tmp_path/ws`` whose database is the SQLite file ``interessent.db``."""
    return make_workspace("ws")


@pytest.fixture(scope="module")
def osen_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Osen example made once per test module; copy it with the ``osen`` fixture."""
    from interessent import init_workspace

    root = tmp_path_factory.mktemp("osen") / "ws"
    init_workspace(root, example="osen").close()
    return root


@pytest.fixture
def osen(osen_folder: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A fresh copy of the Osen example for one test (modules may define their own)."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(osen_folder, root)
    ws = Workspace(root)
    yield ws
    ws.close()


@pytest.fixture(scope="session", autouse=True)
def _english() -> Iterator[None]:
    """The suite reads the command line's English: ``INTERESSENT_LANG=en``, since the
    Osen plan says ``language = "nb"``. Tests of other languages pass ``--lang`` or set
    the variable; tests of the language order unset it (tests/test_i18n.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INTERESSENT_LANG", "en")
        yield
