"""CSRF protection and the cookies it and the login session need.

Logged in: the session's own token (form field `csrf_token` or header `X-CSRF-Token`).
Anonymous (register, login, reset): a signed double-submit token; the cookie `kaart_csrf`
holds a random nonce, the form the HMAC of it under the secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import Forbidden
from app.services.accounts import LIFETIME

SESSION_COOKIE = "kaart_sessie"
CSRF_COOKIE = "kaart_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CSRF_EXPIRED = "Uw formulier is verlopen; laad de pagina opnieuw."
CSRF_COOKIE_AGE = 7 * 24 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
API_PREFIX = "/v1"

# Until KAART_SECRET_KEY exists in Settings: one key per process (fine for one worker).
_PROCESS_KEY = secrets.token_bytes(32)


def _secret_key(request: Request) -> bytes:
    """The signing key from the settings, or the per-process fallback."""
    key: Any = getattr(request.app.state.settings, "secret_key", None)
    if key is not None and hasattr(key, "get_secret_value"):
        key = key.get_secret_value()
    return key.encode() if isinstance(key, str) and key else _PROCESS_KEY


def _sign(request: Request, nonce: str) -> str:
    return hmac.new(_secret_key(request), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def _cookie_nonce(request: Request) -> str | None:
    nonce = request.cookies.get(CSRF_COOKIE, "")
    return nonce if NONCE_RE.match(nonce) else None


def csrf_token(request: Request) -> str:
    """The token a form or HTMX request must send back; sets up the anonymous cookie if new.

    Empty on the open API's HTML pages: they set no cookies and have nothing to post."""
    if is_api_path(request.url.path):
        return ""
    request.state.csrf_used = True  # the page is now per browser: no shared caching
    session_token: str | None = getattr(request.state, "csrf_session_token", None)
    if session_token:
        return session_token
    nonce = _cookie_nonce(request) or getattr(request.state, "csrf_nonce_new", None)
    if nonce is None:
        nonce = secrets.token_urlsafe(32)
        request.state.csrf_nonce_new = nonce
    return _sign(request, nonce)


def csrf_field(request: Request) -> Markup:
    """`{{ csrf_field(request) }}` in every form that changes something."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request)))


def token_is_valid(request: Request, sent: str) -> bool:
    """The session's token, or a signed anonymous token matching this browser's cookie."""
    if not sent or len(sent) > 200:
        return False
    session_token: str | None = getattr(request.state, "csrf_session_token", None)
    if session_token and hmac.compare_digest(sent, session_token):
        return True
    nonce = _cookie_nonce(request)
    return nonce is not None and hmac.compare_digest(sent, _sign(request, nonce))


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request that did not come from one of our own pages."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else ""
    if not token_is_valid(request, sent):
        raise Forbidden(CSRF_EXPIRED)


def is_https(request: Request) -> bool:
    """uvicorn's --proxy-headers turns X-Forwarded-Proto into the scheme."""
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, value: str) -> None:
    """HttpOnly (no script can read it), SameSite=Lax, Secure on https."""
    response.set_cookie(SESSION_COOKIE, value, max_age=int(LIFETIME.total_seconds()), path="/",
                        secure=is_https(request), httponly=True, samesite="lax")
    request.state.session_cookie_done = True


def clear_session_cookie(request: Request, response: Response) -> None:
    """Logout and deletion: the browser forgets the cookie too."""
    response.delete_cookie(SESSION_COOKIE, path="/", secure=is_https(request), httponly=True,
                           samesite="lax")
    request.state.session_cookie_done = True


def apply_cookies(request: Request, response: Response) -> None:
    """Write the cookies this request asked for: a new CSRF nonce, a slid or stale session.
    Idempotent, so a route and the middleware can both call it."""
    state = request.state
    if getattr(state, "cookies_applied", False):
        return
    state.cookies_applied = True
    if getattr(state, "csrf_used", False) and (
            "public" in response.headers.get("cache-control", "public")):
        response.headers["Cache-Control"] = "private, no-cache"
    nonce = getattr(state, "csrf_nonce_new", None)
    if nonce and _cookie_nonce(request) is None:
        response.set_cookie(CSRF_COOKIE, nonce, max_age=CSRF_COOKIE_AGE, path="/",
                            secure=is_https(request), httponly=True, samesite="lax")
    if getattr(state, "session_cookie_done", False):
        return
    if getattr(state, "session_cookie_stale", False):
        clear_session_cookie(request, response)
    elif getattr(state, "session_cookie_refresh", None):
        set_session_cookie(request, response, state.session_cookie_refresh)


def is_api_path(path: str) -> bool:
    """The open API under /v1: no cookies, no CSRF (writes there use an API key)."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


class _StartedResponse(Response):
    """The headers of an http.response.start message, with Response's cookie helpers."""

    def __init__(self, message: Message) -> None:  # no super().__init__: there is no body
        self.status_code = message["status"]
        self.raw_headers = message["headers"] = list(message.get("headers", []))


class CookieMiddleware:
    """App-wide: pages of every router get their cookies without thinking about it.

    Plain ASGI rather than BaseHTTPMiddleware (no extra task and stream per request), and
    requests to the open API pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                apply_cookies(Request(scope), _StartedResponse(message))
            await send(message)

        await self.app(scope, receive, with_cookies)


def install_template_globals(templates: Jinja2Templates) -> None:
    """csrf_field(request), csrf_token(request) and current_user(request) in every template."""
    templates.env.globals.setdefault("csrf_field", csrf_field)
    templates.env.globals.setdefault("csrf_token", csrf_token)
    templates.env.globals.setdefault(
        "current_user", lambda request: getattr(request.state, "gebruiker", None))
