"""Helpers for the account tests: an app with accounts wired in, forms, mails, residents."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.api.account import auth as auth_deps
from app.api.account import routes as account
from app.api.common import deps
from app.config import Settings
from app.main import create_app
from app.models import Gebruiker, MailOutbox
from app.models.base import now
from app.services.accounts.gebruikers import create_user, find_by_email, hash_password

GEMEENTE = "GM9901"
PASSWORD = "een lange zin als wachtwoord"
HTML = {"accept": "text/html"}


def wire_accounts(app: FastAPI) -> None:
    """What create_app will do once the lead adds it; both calls are idempotent."""
    auth_deps.install(app)
    if not any(getattr(route, "path", None) == "/inloggen" for route in app.routes):
        app.include_router(account.router)


def make_client(settings: Settings, db_url: str, session: Session,
                base_url: str = "http://testserver") -> TestClient:
    """Like conftest's `client`, plus accounts (handlers and middleware must precede start)."""
    app = create_app(settings, url=db_url)
    wire_accounts(app)
    app.dependency_overrides[deps.get_session] = lambda: session
    return TestClient(app, base_url=base_url)


def csrf_of(page: str) -> str:
    """The hidden csrf_token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no csrf_token field on the page"
    return found.group(1)


def post_form(client: TestClient, form_page: str, action: str, data: dict[str, str],
              **kwargs: object) -> Response:
    """Open the page with the form, then post it with its CSRF token, like a browser."""
    token = csrf_of(client.get(form_page, headers=HTML).text)
    return client.post(action, data={**data, "csrf_token": token}, headers=HTML,
                       follow_redirects=False, **kwargs)  # type: ignore[arg-type]


def login(client: TestClient, email: str, password: str = PASSWORD,
          volgende: str = "") -> Response:
    return post_form(client, "/inloggen", "/inloggen",
                     {"email": email, "wachtwoord": password, "volgende": volgende})


def resident(session: Session, email: str, naam: str = "Test Bewoner",
             password: str = PASSWORD, rol: str = "bewoner") -> Gebruiker:
    """A verified account with a known password (demo accounts get a new one)."""
    user = find_by_email(session, GEMEENTE, email)
    if user is None:
        user = create_user(session, GEMEENTE, email, rol, naam, password, actor="test")
    user.wachtwoord_hash = hash_password(password)
    user.email_geverifieerd_op = now()
    session.add(user)
    session.flush()
    return user


def mails_to(session: Session, aan: str) -> list[MailOutbox]:
    session.flush()
    return list(session.exec(select(MailOutbox).where(MailOutbox.aan == aan)
                             .order_by(MailOutbox.id)))  # type: ignore[arg-type]


def link_in(mail: MailOutbox, path: str) -> str:
    """The path of the link to `path…` in a mail, with its token."""
    found = re.search(rf"https?://[^\s/]+({re.escape(path)}[A-Za-z0-9_-]+)", mail.tekst)
    assert found, f"no link to {path} in: {mail.tekst}"
    return found.group(1)


def cookie_header(response: Response, name: str) -> str:
    """The Set-Cookie line for one cookie, lower-cased attributes for easy checks."""
    lines = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert lines, f"no Set-Cookie for {name}"
    return lines[-1]
