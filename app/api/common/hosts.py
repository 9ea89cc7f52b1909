"""Which requests we answer and who sent them: the Host check and X-Forwarded-For.

Starlette's TrustedHostMiddleware drops the port before comparing, so `127.0.0.1:8000`
could never be an entry; this small equivalent compares host and port. The client address
behind a proxy comes from uvicorn's ProxyHeadersMiddleware (rightmost untrusted entry of
X-Forwarded-For), run here with our own trust list instead of uvicorn's 127.0.0.1 default."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.api.common import problems
from app.config import Settings

UNKNOWN_HOST = ("Deze website is niet bereikbaar via dit adres. Gebruik het adres dat de "
                "gemeente noemt.")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def split_host(value: str) -> tuple[str, int | None] | None:
    """'Name:port' or '[v6]:port' into (name, port); None when it is no host at all."""
    value = value.strip().lower().rstrip(".")
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[:end + 1], value[end + 1:]
        if end < 0 or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    else:
        name, _, port = value.partition(":")
    if not name or any(c in name for c in "/@ \\") or ":" in port:
        return None
    if not port:
        return name, None
    return (name, int(port)) if port.isdigit() and 0 < int(port) < 65536 else None


class AllowedHosts:
    """Entries are `name` (any port) or `name:port`; a Host without port has its scheme's."""

    def __init__(self, entries: list[str]) -> None:
        parsed = [split_host(entry) for entry in entries]
        self.entries = {entry for entry in parsed if entry is not None}

    def allows(self, host: str, scheme: str) -> bool:
        found = split_host(host)
        if found is None:
            return False
        name, port = found
        port = port or DEFAULT_PORTS.get(scheme)
        return (name, None) in self.entries or (name, port) in self.entries


class TrustedHosts:
    """400 for a Host header that is not ours, before any route can build a link from it.

    /health is exempt: container and load-balancer probes call it by IP, and it has no links."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = AllowedHosts(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["path"] == "/health" or self.allowed.allows(headers.get("host", ""),
                                                             scope.get("scheme", "http")):
            await self.app(scope, receive, send)
            return
        response: Response
        if "text/html" in headers.get("accept", ""):
            response = PlainTextResponse(UNKNOWN_HOST, status_code=400)
        else:
            response = problems.problem(400, UNKNOWN_HOST)
        await response(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Host check inside, proxy headers outside it (so the scheme is known when comparing)."""
    app.add_middleware(TrustedHosts, allowed=settings.allowed_host_list)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
