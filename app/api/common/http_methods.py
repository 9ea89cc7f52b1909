"""HTTP method semantics for every route, site and API alike (RFC 9110).

HEAD works wherever GET does: the request runs as a GET and only the body is left out, so the
headers (Content-Length, ETag, Content-Type) are the GET's. A 405 always says in `Allow` which
methods the resource does take: the router answers for the first route whose path matches,
whereas a path can be served by routes in several routers (reads in one, writes in another).
"""

from __future__ import annotations

from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CANDIDATES = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
FILES = ("GET", "HEAD")  # what a static files mount serves


def allowed_methods(scope: Scope) -> list[str]:
    """The methods some route of the app takes for this path; HEAD wherever GET is."""
    routes = getattr(scope.get("app"), "routes", [])
    found: set[str] = set()
    for method in CANDIDATES:
        probe = {**scope, "method": method}
        for route in routes:
            if route.matches(probe)[0] == Match.FULL:
                found.update(FILES if isinstance(route, Mount) else (method,))
                break
    if "GET" in found:
        found.add("HEAD")
    return [m for m in CANDIDATES if m in found]


class HttpMethods:
    """HEAD as GET without the body; `Allow` on a 405 that does not name it itself.

    Plain ASGI, like StandardHeaders: no extra task per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        inner = {**scope, "method": "GET"} if head else scope
        as_sent = dict(inner)  # routing writes into the scope it is given (root_path, route)

        async def send_adjusted(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"allow" for name, _ in headers):
                    headers.append((b"allow", ", ".join(allowed_methods(as_sent)).encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(inner, receive, send_adjusted)
