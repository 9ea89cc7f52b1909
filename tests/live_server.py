"""The app under a real uvicorn on a free loopback port, in a thread, for tests that need HTTP.

Ports are never looked up and then bound again later: the socket the OS picked a port for is
the one the server listens on, so parallel test workers can never end up on one port.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


def bound_socket() -> socket.socket:
    """A loopback TCP socket on a port the OS picked, bound but not listening yet.

    While it is open no other process gets the port, and connecting to it is refused: hand
    it to a server (`serve(app, sock)`), or keep it as "a port where nobody answers".
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def port_of(sock: socket.socket) -> int:
    port: int = sock.getsockname()[1]
    return port


@contextmanager
def reserved_port() -> Iterator[int]:
    """A free port for a child process to listen on (`kaart serve --port`, PostgreSQL).

    Until the block ends we keep it bound with SO_REUSEADDR and never listen: the OS hands it to
    nobody else meanwhile, while a server that sets SO_REUSEADDR too (uvicorn and PostgreSQL
    do) can still bind and listen on it.
    """
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        yield port_of(sock)


@contextmanager
def serve(app: FastAPI, sock: socket.socket | None = None) -> Iterator[str]:
    """Serve `app` until the block ends (on `sock` when given); yields its base URL."""
    sock = sock or bound_socket()
    port = port_of(sock)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(150):
            if server.started or not thread.is_alive():
                break
            time.sleep(0.1)
        assert server.started, "the live server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
