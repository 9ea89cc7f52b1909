"""What lets test processes run side by side (pytest-xdist): each has its own database, folders
and ports, so no worker sees another's data or takes another's port."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from app.config import PROJECT_DIR, Settings
from app.main import create_app
from tests import outside_reads
from tests.live_server import bound_socket, port_of, reserved_port, serve


def test_the_session_database_is_this_process_own(db_url: str) -> None:
    assert make_url(db_url).database == f"kaart_test_{os.getpid()}"


def test_uploads_go_to_this_process_temporary_folder(settings: Settings) -> None:
    assert settings.upload_dir is not None
    own = Path(tempfile.gettempdir())
    assert settings.upload_dir.is_relative_to(own)
    assert not settings.upload_dir.is_relative_to(PROJECT_DIR)  # not the shared .kaart/uploads


def test_tmp_path_may_be_read(tmp_path: Path) -> None:
    """Under xdist pytest puts tmp_path below the controller's folder, not the worker's."""
    assert not outside_reads.outside(str(tmp_path / "x"))
    assert tempfile.gettempdir() != outside_reads.RUN_TMP  # each process a folder of its own
    assert Path(tempfile.gettempdir()).parent == Path(outside_reads.RUN_TMP)


def test_a_reserved_port_is_nobody_elses_but_a_server_can_listen_on_it() -> None:
    with reserved_port() as port:
        with socket.socket() as other, pytest.raises(OSError):
            other.bind(("127.0.0.1", port))  # a plain bind: what anyone else would try
        with socket.socket() as server:  # uvicorn and PostgreSQL set SO_REUSEADDR
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", port))
            server.listen()
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                pass


def test_a_bound_socket_refuses_until_the_app_is_served_on_it(settings: Settings,
                                                             db_url: str) -> None:
    sock = bound_socket()
    url = f"http://127.0.0.1:{port_of(sock)}"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/health")
    with serve(create_app(settings, url=db_url), sock) as base:
        assert base == url
        assert httpx.get(f"{url}/health").status_code == 200
    assert sock.fileno() == -1  # closed: the port is given back
