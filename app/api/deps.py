"""Dependencies shared by routers: settings, templates and the current gemeente."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from app.config import Settings
from app.db import get_session
from app.models import Gemeente
from app.services.gebieden import current_gemeente

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
           context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """The page, or only its partial for htmx: one template per thing, `Vary: HX-Request`."""
    template = partial if is_htmx(request) else page
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response
