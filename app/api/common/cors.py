"""CORS for the open API only: other sites may read /v1 and /health, never the site's pages
or a resident's own data (/account/...)."""

from __future__ import annotations

from typing import Any

from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

OPEN_PREFIXES = ("/v1", "/health")


def is_open(path: str, prefixes: tuple[str, ...] = OPEN_PREFIXES) -> bool:
    """/v1 and /v1/..., not /v1foo."""
    return any(path == p or path.startswith(p + "/") for p in prefixes)


class OpenApiCORS:
    """Starlette's CORSMiddleware, applied to paths under `prefixes` alone."""

    def __init__(self, app: ASGIApp, /, prefixes: tuple[str, ...] = OPEN_PREFIXES,
                 **options: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **options)
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_open(scope["path"], self.prefixes):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
