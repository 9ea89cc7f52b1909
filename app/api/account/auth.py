"""Who is logged in and what they may do: dependencies for every router, plus CSRF.

Use:  user: CurrentUser (None when anonymous), user: RequireUser, user: RequireStaff, and
      dependencies=[CsrfProtect] on every POST/PUT/PATCH/DELETE route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import errors
from app.api import common
from app.api.common import SessionDep
from app.models import Gebruiker
from app.services import accounts

STAFF_ROLES = ("medewerker", "beheerder")
LOGIN_PATH = "/inloggen"
STAFF_ONLY = "Deze pagina is alleen voor medewerkers van de gemeente."


def get_current_user(request: Request, session: SessionDep) -> Gebruiker | None:
    """The user behind the session cookie; slides its expiry (committed here, since a GET
    route never commits)."""
    value = request.cookies.get(common.SESSION_COOKIE)
    if not value:
        return None
    loaded = accounts.load_session(session, value)
    if loaded is None:
        request.state.session_cookie_stale = True
        return None
    request.state.csrf_session_token = loaded.sessie.csrf_token
    request.state.gebruiker = loaded.gebruiker
    if loaded.refreshed:
        session.commit()
        request.state.session_cookie_refresh = value
    return loaded.gebruiker


CurrentUser = Annotated[Gebruiker | None, Depends(get_current_user)]


class LoginRequired(StarletteHTTPException):
    """Raised by RequireUser; the handler from install() turns it into a redirect to login."""

    def __init__(self) -> None:
        super().__init__(401, "Log in om verder te gaan.")


def require_user(user: CurrentUser) -> Gebruiker:
    """Pages for logged-in users only."""
    if user is None:
        raise LoginRequired()
    return user


RequireUser = Annotated[Gebruiker, Depends(require_user)]


def require_staff(user: RequireUser) -> Gebruiker:
    """Pages for gemeente staff (medewerker or beheerder); residents get a 403 page."""
    if user.rol not in STAFF_ROLES:
        raise errors.Forbidden(STAFF_ONLY)
    return user


RequireStaff = Annotated[Gebruiker, Depends(require_staff)]


async def csrf_protect(request: Request, user: CurrentUser) -> None:
    """Dependency for every state-changing route; resolves the user first for the token."""
    await common.check_csrf(request)


CsrfProtect = Depends(csrf_protect)


def safe_next(value: str | None, default: str = "/account") -> str:
    """Only paths on this site: `volgende` must never send someone to another host."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    parts = urlsplit(value)
    return default if parts.scheme or parts.netloc else value


def landing(user: Gebruiker) -> str:
    """Where a login without `volgende` lands: staff on Beheer, residents on their account."""
    return "/beheer" if user.rol in STAFF_ROLES else "/account"


# After a login that came back to `volgende`, a page may finish what the visitor started
# there (joining a group from an invitation): handler(request, session, user, volgende)
# returns where to go instead, or None. Registered per app by app.main.
AfterLogin = Callable[[Request, Session, Gebruiker, str], str | None]


def after_login(app: FastAPI, handler: AfterLogin) -> None:
    """Register a handler that may complete an action right after logging in."""
    app.state.after_login = [*getattr(app.state, "after_login", []), handler]


def continue_after_login(request: Request, session: Session, user: Gebruiker,
                         volgende: str) -> str:
    """Run the app's after-login handlers; the first that acts decides where to go."""
    for handler in getattr(request.app.state, "after_login", []):
        doel = handler(request, session, user, volgende)
        if doel is not None:
            return safe_next(doel, landing(user))
    return volgende or landing(user)


def login_url(next_path: str) -> str:
    """/inloggen?volgende=<path>, to come back after logging in."""
    return f"{LOGIN_PATH}?{urlencode({'volgende': safe_next(next_path, '/')})}"


def _path_of(url: str, request: Request) -> str:
    """Path and query of a same-site URL (from HX-Current-URL or Referer), else '/'."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.url.netloc:
        return "/"
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


async def _login_required(request: Request, exc: Exception) -> Response:
    """Pages: 303 to login; HTMX: 401 with HX-Redirect (a swap would hide the login page)."""
    if request.headers.get("HX-Request") == "true":
        back = _path_of(request.headers.get("HX-Current-URL", ""), request)
        return Response(status_code=401, headers={"HX-Redirect": login_url(back),
                                                  "Vary": "HX-Request"})
    if request.url.path.startswith("/v1"):
        return common.problem(401, "Log in om verder te gaan.")
    if request.method == "GET":
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        back = _path_of(request.headers.get("referer", ""), request)
    return RedirectResponse(login_url(back), status_code=303, headers={"Vary": "HX-Request"})


def install(app: FastAPI) -> None:
    """Wire accounts into an app: login redirects, cookie middleware, template globals."""
    if getattr(app.state, "auth_installed", False):
        return
    app.state.auth_installed = True
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_middleware(common.CookieMiddleware)
    common.install_template_globals(app.state.templates)
