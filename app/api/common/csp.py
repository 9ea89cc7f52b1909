"""Content-Security-Policy and Permissions-Policy on every response.

Scripts and styles come only from our own origin (static/): no inline script or style, no
eval, so an injected `<script>` or `onerror=` does not run even if escaping ever fails.
Images may also come from the basemap's origin (the tiles) and from data: URIs, which the
vendored Utrecht CSS uses for its checkbox and select icons (an image cannot run script).
With no basemap configured a page chooses one per gemeente (basiskaart.py) and leaves it in
the request state; that response's policy then names that basemap's origin, and no other."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# zelfbeheer.js offers "Bij mij in de buurt" (navigator.geolocation) on our own pages only.
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"


def basemap_origins(basemap_url: str) -> list[str]:
    """The origin(s) of a tile URL template; `{s}` stands for the subdomains a, b and c."""
    parts = urlsplit(basemap_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    hosts = ([parts.netloc.replace("{s}", s) for s in "abc"] if "{s}" in parts.netloc
             else [parts.netloc])
    return [f"{parts.scheme}://{host}" for host in hosts]


def content_security_policy(basemap_url: str) -> str:
    """The policy: our own origin only, plus the basemap's tiles as images."""
    images = " ".join(["'self'", "data:", *basemap_origins(basemap_url)])
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", f"img-src {images}",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'",
        "frame-ancestors 'none'", "form-action 'self'"])


class SecurityPolicy:
    """Adds both headers to every HTTP response that has none (plain ASGI, no extra task)."""

    def __init__(self, app: ASGIApp, basemap_url: str) -> None:
        self.app = app
        self.basemap_url = basemap_url
        self.policies: dict[str, bytes] = {}  # per basemap URL: at most configured + pdok
        self.permissions = PERMISSIONS_POLICY.encode("latin-1")

    def _policy(self, basemap_url: str) -> bytes:
        if (policy := self.policies.get(basemap_url)) is None:
            policy = content_security_policy(basemap_url).encode("latin-1")
            self.policies[basemap_url] = policy
        return policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # one dict shared with every copy of the scope further in, so a route's choice reaches us
        state = scope.setdefault("state", {})

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                basemap = state.get("basemap_url", self.basemap_url)
                ours = [(b"content-security-policy", self._policy(basemap)),
                        (b"permissions-policy", self.permissions)]
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message["headers"] = headers + [(k, v) for k, v in ours if k not in present]
            await send(message)

        await self.app(scope, receive, with_policy)
