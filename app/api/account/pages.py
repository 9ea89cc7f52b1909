"""What the account routes share: rendering with the right cookies and headers, form values."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.api import common
from app.config import Settings
from app.models import Gemeente

NO_STORE = "no-store"


def site_url(request: Request) -> str:
    """Base of links in mails: from settings (KAART_PUBLIC_URL or the first allowed host),
    never from the request's Host header, which whoever sends the request controls."""
    settings: Settings = request.app.state.settings
    return settings.mail_url


def client_ip(request: Request) -> str:
    """The client's address; behind a proxy in KAART_TRUSTED_PROXIES, from X-Forwarded-For
    (app.api.common.hosts)."""
    return request.client.host if request.client else "onbekend"


def page(request: Request, templates: Jinja2Templates, name: str, *, status: int = 200,
         **context: object) -> HTMLResponse:
    """Render pages/account/<name>; never cached (personal data), cookies applied here so the
    pages work before the lead installs the cookie middleware."""
    common.install_template_globals(templates)
    context.setdefault("fouten", {})
    context.setdefault("waarden", {})
    response: HTMLResponse = templates.TemplateResponse(
        request, f"pages/account/{name}", context, status_code=status)
    response.headers["Cache-Control"] = NO_STORE
    common.apply_cookies(request, response)
    return response


def melding(request: Request, templates: Jinja2Templates, gemeente: Gemeente, titel: str,
            teksten: list[str], soort: str = "info", links: list[tuple[str, str]] | None = None,
            status: int = 200) -> HTMLResponse:
    """A short result page: 'check your mail', 'link expired', 'account deleted'."""
    return page(request, templates, "melding.html", status=status, gemeente=gemeente, titel=titel,
                teksten=teksten, soort=soort, links=links or [])


def forget_login(request: Request) -> None:
    """After logout, reset or deletion the rest of this response is for an anonymous visitor,
    and the browser drops its session cookie."""
    for name in ("csrf_session_token", "gebruiker", "session_cookie_refresh"):
        if hasattr(request.state, name):
            delattr(request.state, name)
    request.state.session_cookie_stale = True
