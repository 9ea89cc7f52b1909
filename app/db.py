"""Database URL, engine and session; turns connection failures into one clear line."""

from __future__ import annotations

import psycopg
from sqlalchemy import Engine, NullPool, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from app import cluster
from app.config import Settings
from app.errors import DatabaseUnavailable, SetupError

API_PREFIX = "/v1"
URL_EXAMPLE = "postgresql://gebruiker:wachtwoord@host:5432/database"


def normalise_url(raw: str) -> str:
    """Accept postgres:// and postgresql:// and always drive it with psycopg 3."""
    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise SetupError(f"DATABASE_URL is ongeldig; verwacht iets als {URL_EXAMPLE}.") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise SetupError(f"DATABASE_URL moet naar PostgreSQL met PostGIS wijzen ({URL_EXAMPLE}), "
                         f"niet naar {url.get_backend_name()}.")
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def database_url(settings: Settings, database: str | None = None) -> str:
    """DATABASE_URL when set; otherwise the managed cluster's database (not started here)."""
    if settings.database_url:
        url = normalise_url(settings.database_url)
        return make_url(url).set(database=database).render_as_string(hide_password=False) \
            if database else url
    return cluster.url(cluster.cluster_for(settings), database or settings.db_name)


def make_engine(url: str, **kwargs: object) -> Engine:
    """One pool per process; pre-ping so a restarted database does not break requests."""
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10,
                         connect_args={"connect_timeout": 5}, **kwargs)


def make_read_engine(url: str | URL) -> Engine:
    """The pool for reads of the open API (GET/HEAD under /v1), which never write.

    Autocommit: no BEGIN and ROLLBACK round trips, and psycopg keeps its prepared statements
    (a ROLLBACK makes it deallocate them all), so a repeated query is parsed and planned once
    per connection. No parallel plans and no JIT: the API answers many small queries; on a
    busy server a parallel plan costs more CPU per request than it saves in time, and JIT
    compiling a dense tile's query takes longer (about 20 ms) than it saves.
    """
    return create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True, pool_size=10,
                         max_overflow=10, connect_args={
                             "connect_timeout": 5,
                             "options": "-c max_parallel_workers_per_gather=0 -c jit=off"})


def explain_connection_error(exc: Exception, url: str) -> str:
    """Map psycopg's connection errors to one Dutch line that says what to do."""
    parsed = make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    msg = str(getattr(exc, "orig", exc) or exc)
    if "password authentication failed" in msg or "no password supplied" in msg:
        return f"Inloggen bij de database op {where} mislukt: controleer gebruiker en wachtwoord."
    if "does not exist" in msg and "database" in msg:
        return (f"Database '{parsed.database}' bestaat niet op {where}: maak hem aan "
                f"(createdb {parsed.database}) of corrigeer DATABASE_URL.")
    if "could not translate host name" in msg or "Name or service not known" in msg:
        return f"Databaseserver '{parsed.host}' onbekend: corrigeer de host in DATABASE_URL."
    return (f"Database op {where} niet bereikbaar: start hem (`kaart db start` voor de lokale "
            "database) of corrigeer DATABASE_URL.")


def server_versions(engine: Engine) -> dict[str, str]:
    """PostgreSQL and PostGIS versions; raises DatabaseUnavailable with a clear message."""
    try:
        with engine.connect() as conn:
            pg = conn.execute(text("SHOW server_version")).scalar_one()
            postgis = conn.execute(text(
                "SELECT extversion FROM pg_extension WHERE extname = 'postgis'")).scalar()
    except (OperationalError, DBAPIError, psycopg.Error) as exc:
        raise DatabaseUnavailable(
            explain_connection_error(exc, engine.url.render_as_string())) from None
    return {"postgresql": str(pg).split(" ")[0], "postgis": str(postgis) if postgis else ""}


def ensure_database(admin_url: str, name: str) -> None:
    """Create a database in the managed cluster when it is missing (names are our own)."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except (OperationalError, DBAPIError) as exc:
        raise SetupError(explain_connection_error(exc, admin_url)) from None
    finally:
        engine.dispose()


def prepare(settings: Settings, start_local: bool = True, database: str | None = None) -> str:
    """The URL to use; with no DATABASE_URL, start the local cluster and create the database."""
    if settings.database_url:
        return database_url(settings, database)
    local = cluster.cluster_for(settings)
    if start_local:
        cluster.start(local)
    elif not cluster.is_running(local):
        raise SetupError("De lokale database draait niet: start hem met `kaart db start`.")
    ensure_database(cluster.url(local, "postgres"), database or settings.db_name)
    return cluster.url(local, database or settings.db_name)
