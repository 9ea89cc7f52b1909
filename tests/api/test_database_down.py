"""A database that is gone, or goes away mid-request: a Dutch 503, never a 500, and never the
database's host or port in the answer (that is for the log)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from app.config import Settings
from app.main import create_app

HTML = {"accept": "text/html"}
DOWN = "postgresql+psycopg://kaart:x@127.0.0.1:1/kaart"
GENERIC = "De database is tijdelijk niet bereikbaar. Probeer het later opnieuw."
API_PATHS = ["/health", "/v1/collections", "/v1/collections/groenvakken/items"]


def assert_dutch_503(response: Any, hidden: tuple[str, ...]) -> None:
    assert response.status_code == 503, response.text
    if response.headers["content-type"] == "application/problem+json":
        body = response.json()
        assert body["status"] == 503 and body["title"]
        assert body["detail"] == GENERIC
    else:
        assert "tijdelijk niet bereikbaar" in response.text
    for secret in hidden:
        assert secret not in response.text


@pytest.mark.parametrize("path", API_PATHS)
def test_closed_port_is_a_generic_503_and_the_detail_is_logged(
        settings: Settings, path: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings, url=DOWN)) as client:
        response = client.get(path)
        page = client.get("/", headers=HTML)
    assert_dutch_503(response, hidden=("127.0.0.1", ":1"))
    assert_dutch_503(page, hidden=("127.0.0.1", ":1"))
    logged = [r.getMessage() for r in caplog.records if r.name == "kaart.web"]
    assert any("127.0.0.1:1" in line for line in logged)  # the operator learns where it looked


class Terminator:
    """Kills the backend of the next statement just before it runs, as a restart would."""

    def __init__(self, admin_url: str) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.armed = False
        self.killed = 0

    def __call__(self, conn: Any, *_: Any) -> None:
        if not self.armed:
            return
        self.armed = False
        pid = conn.connection.dbapi_connection.info.backend_pid
        with self.admin.connect() as admin:
            # wait (up to 5 s) until the backend is really gone
            admin.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        self.killed += 1


@pytest.fixture()
def terminator(db_url: str) -> Iterator[Terminator]:
    killer = Terminator(db_url)
    yield killer
    killer.admin.dispose()


def arm(engines: list[Engine], killer: Terminator) -> None:
    for engine in engines:
        event.listen(engine, "before_cursor_execute", killer)


@pytest.mark.parametrize(("path", "headers"), [
    ("/v1/collections/groenvakken/items", {}),
    ("/v1/collections", {}),
    ("/", HTML),
    ("/account/gegevens.json", {}),
])
def test_backend_terminated_mid_request_is_a_503(settings: Settings, db_url: str,
                                                 terminator: Terminator, path: str,
                                                 headers: dict[str, str]) -> None:
    app = create_app(settings, url=db_url)
    arm([app.state.engine, app.state.read_engine], terminator)
    host = make_url(db_url).host or "localhost"
    with TestClient(app) as client:
        assert client.get("/v1/collections").status_code == 200  # the pools are warm
        terminator.armed = True
        response = client.get(path, headers=headers)
        assert terminator.killed == 1
        assert_dutch_503(response, hidden=(host, str(make_url(db_url).port)))
        again = client.get("/v1/collections")  # pre-ping: the next request reconnects
    assert again.status_code == 200
