"""Store test fixtures: fresh databases on SQLite and on a real PostgreSQL server.

``backend`` runs a test twice: on a SQLite file and on the PostgreSQL server that ``./run-tests`` starts
(``SVDESK_TEST_PG_URL``, see ``scripts/pg-test-server.sh``). Without a server the PostgreSQL half is
*skipped with the reason*, never passed. Fresh databases are clones of a template migrated once per session
(a file copy for SQLite, ``CREATE DATABASE … TEMPLATE`` for PostgreSQL), so each test starts in milliseconds.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from svdesk.store import api

PG_URL = os.environ.get("SVDESK_TEST_PG_URL", "")
PG_SKIP = ("no PostgreSQL test server: " + os.environ["SVDESK_TEST_PG_UNAVAILABLE"]
           if os.environ.get("SVDESK_TEST_PG_UNAVAILABLE")
           else "no PostgreSQL test server (SVDESK_TEST_PG_URL is not set; ./run-tests starts one)")


@dataclass(frozen=True)
class Target:
    """Where a test database lives: a file or a server URL."""

    kind: str
    path: Path | None = None
    url: str | None = None

    def open(self, **kw: object) -> api.Database:
        """Open it (the caller closes it)."""
        return api.connect(self.path, url=self.url, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest schema, made once through the product path (Alembic)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    with api.open_database(path):
        pass
    return path


def _pg_admin(url: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _with_db(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database at the newest schema, to clone per test (skips without a server)."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"svdesk_template_{os.getpid()}"
    _pg_admin(PG_URL, f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(PG_URL, f"CREATE DATABASE {name}")
    with api.open_database(url=_with_db(PG_URL, name)):
        pass
    yield name
    _pg_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def fresh_sqlite(sqlite_template: Path, tmp_path: Path) -> Callable[[], Target]:
    """Make fresh SQLite databases (copies of the template)."""
    count = 0

    def make() -> Target:
        nonlocal count
        count += 1
        path = tmp_path / f"db{count}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        return Target("sqlite", path=path)

    return make


@pytest.fixture
def fresh_pg(request: pytest.FixtureRequest) -> Iterator[Callable[[], Target]]:
    """Make fresh PostgreSQL databases (clones of the template), dropped afterwards."""
    template = request.getfixturevalue("pg_template")
    made: list[str] = []

    def make() -> Target:
        name = f"svdesk_t_{uuid.uuid4().hex[:12]}"
        _pg_admin(PG_URL, f"CREATE DATABASE {name} TEMPLATE {template}")
        made.append(name)
        return Target("postgresql", url=_with_db(PG_URL, name))

    yield make
    for name in made:
        _pg_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest) -> Callable[[], Target]:
    """Fresh databases on each backend in turn."""
    if request.param == "sqlite":
        return request.getfixturevalue("fresh_sqlite")  # type: ignore[no-any-return]
    return request.getfixturevalue("fresh_pg")  # type: ignore[no-any-return]


@pytest.fixture
def target(fresh: Callable[[], Target]) -> Target:
    """One fresh database on each backend."""
    return fresh()


@pytest.fixture
def db(target: Target) -> Iterator[api.Database]:
    """An open, empty database on each backend."""
    database = target.open()
    yield database
    database.close()
