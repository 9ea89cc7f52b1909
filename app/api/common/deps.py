"""Dependencies shared by routers: settings, templates and the current gemeente."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from app.config import Settings
from app.db import API_PREFIX
from app.models import Gemeente
from app.services.gebieden import current_gemeente


def is_api_read(request: Request) -> bool:
    """A GET or HEAD of the open API: read only, so it may use the read engine."""
    path = request.url.path
    return request.method in ("GET", "HEAD") and (path == API_PREFIX or
                                                   path.startswith(API_PREFIX + "/"))


async def get_session(request: Request) -> AsyncIterator[Session]:
    """FastAPI dependency: one session per request; reads of the open API on the read engine.

    It connects on first use, in the route's own thread, and closes here without a trip to
    the threadpool unless it has a transaction to roll back (a read session never has)."""
    state = request.app.state
    session = Session(state.read_engine if is_api_read(request) else state.engine)
    try:
        yield session
    finally:
        if session.in_transaction() and session.get_bind() is state.engine:
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


async def get_settings_dep(request: Request) -> Settings:
    """The Settings the app was created with (tests pass their own)."""
    settings: Settings = request.app.state.settings
    return settings


async def get_templates(request: Request) -> Jinja2Templates:
    """One Jinja2 environment per app."""
    templates: Jinja2Templates = request.app.state.templates
    return templates


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]


def get_gemeente(session: SessionDep, settings: SettingsDep) -> Gemeente:
    """The gemeente this site serves; 404 when none is loaded."""
    return current_gemeente(session, settings.gemeente)


GemeenteDep = Annotated[Gemeente, Depends(get_gemeente)]


def is_htmx(request: Request) -> bool:
    """htmx asks for a fragment; a browser navigating asks for the whole page."""
    return request.headers.get("HX-Request") == "true"


def render(request: Request, templates: Jinja2Templates, page: str, partial: str,
           context: dict[str, object], status_code: int = 200) -> HTMLResponse:
    """The page, or only its partial for htmx: one template per thing, `Vary: HX-Request`."""
    template = partial if is_htmx(request) else page
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response
