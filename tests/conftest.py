"""Tests run against a real PostGIS: the managed local cluster (or KAART_TEST_DATABASE_URL).

The session gets a fresh database `kaart_test`, migrated and loaded with the demo gemeente;
each test runs in a transaction that is rolled back.

Test processes run in parallel (pytest-xdist, `scripts/test`): each one has its own databases
(named with its pid), its own temporary and upload folder, and takes its ports from the OS.
Tests marked `serial` must not share the machine; see `pytest_collection_modifyitems`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app import db, migrate
from app.api.common import deps
from app.config import Settings
from app.errors import SetupError
from app.main import create_app
from app.services.demo import laden as demo
from tests import outside_reads

# Every test fails that opens a file outside the repository (see tests/outside_reads.py).
outside_reads.install()
pytest_runtest_setup = outside_reads.pytest_runtest_setup
pytest_runtest_call = outside_reads.pytest_runtest_call
pytest_runtest_teardown = outside_reads.pytest_runtest_teardown

TEST_DB = "kaart_test"
SERIAL_HELP = ("tests marked serial: include (default), exclude, or only them. scripts/test "
               "runs the others in parallel and these after, alone")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--serial-tests", choices=("include", "exclude", "only"),
                     default="include", help=SERIAL_HELP)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep or drop the serial tests as asked; in a parallel worker they never run, because
    other workers would share the machine with them (scripts/test runs them afterwards)."""
    mode = config.getoption("serial_tests")
    if mode != "include":
        serial = {item: item.get_closest_marker("serial") is not None for item in items}
        config.hook.pytest_deselected(items=[i for i in items if serial[i] != (mode == "only")])
        items[:] = [i for i in items if serial[i] == (mode == "only")]
    elif hasattr(config, "workerinput"):
        alone = pytest.mark.skip(reason="serial: runs alone; without -n, or in the serial pass of "
                                 "scripts/test")
        for item in items:
            if item.get_closest_marker("serial") is not None:
                item.add_marker(alone)


def pytest_sessionstart(session: pytest.Session) -> None:
    """With parallel workers, start the managed cluster once here, before they race to."""
    config = session.config
    distributed = config.getoption("dist", "no") != "no" and config.getoption("tx", None)
    if distributed and not hasattr(config, "workerinput") \
            and not os.environ.get("KAART_TEST_DATABASE_URL"):
        with contextlib.suppress(SetupError):  # then each test that needs it says why
            db.prepare(app_settings(), database="postgres")


CREATED: list[tuple[str, str]] = []  # (admin url, database) to drop when the session ends


def fresh_database(settings: Settings, name: str) -> str:
    """Create an empty database `name_<pid>` (parallel runs never share one); return its URL."""
    name = f"{name}_{os.getpid()}"
    base = os.environ.get("KAART_TEST_DATABASE_URL")
    admin = db.normalise_url(base) if base else db.prepare(settings, database="postgres")
    admin = make_url(admin).set(database="postgres").render_as_string(hide_password=False)
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    CREATED.append((admin, name))
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Default settings without a basemap, so pages never reach for the internet; the hosts
    of TestClient and of live servers on a free port (`127.0.0.1`, no port: any port)."""
    return app_settings()


# Uploads, imports and exports of this test process (not the repository's .kaart/uploads, which
# parallel workers and a developer's own `kaart serve` would share).
UPLOADS = Path(outside_reads.SESSION_TMP) / "uploads"


def app_settings(**values: object) -> Settings:
    """Settings for an app under test, with and without the `settings` fixture."""
    return Settings(**{"basemap_url": "", "database_url": None,  # type: ignore[arg-type]
                       "allowed_hosts": "testserver, 127.0.0.1", "upload_dir": UPLOADS,
                       **values})


@pytest.fixture(scope="session")
def db_url(settings: Settings) -> str:
    url = fresh_database(settings, TEST_DB)
    migrate.upgrade(url)
    demo.load(url)
    return url


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases() -> Iterator[None]:
    """Leave the cluster as we found it."""
    yield
    for admin, name in CREATED:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection with an outer transaction that the test never commits."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture()
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits become savepoints inside the rolled-back transaction."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session


@pytest.fixture()
def client(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    """The app on the test database; requests share the test's transaction."""
    app = create_app(settings, url=db_url)
    app.dependency_overrides[deps.get_session] = lambda: session
    with TestClient(app) as client:
        yield client


def scalar(conn: Connection | Session, sql: str, **params: object) -> object:
    """Shorthand for one value from SQL."""
    return conn.execute(text(sql), params).scalar()
