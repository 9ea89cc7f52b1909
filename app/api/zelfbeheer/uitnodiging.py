"""The page behind an invitation link: public, with the plot on a map, the group's name and the
conditions in full; "Doe mee" and "Nee, liever niet" are POSTs, so a mail scanner that opens
the link (GET or HEAD) answers nothing.

A visitor who is not logged in and chooses "Doe mee" goes to the login page (and from there,
if needed, to registration); the path back carries `?meedoen=ja`, and after logging in
`na_inloggen` completes the join in the same step.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from app.api.account import CsrfProtect, CurrentUser, login_url
from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep, kaart_settings
from app.config import Settings
from app.errors import DomainError, status_for
from app.geo.plot_map import groenvak_map
from app.models import Gebruiker, Gemeente
from app.services import zelfbeheer

router = APIRouter(include_in_schema=False)

PAD = re.compile(r"^/uitnodiging/([A-Za-z0-9_-]{16,100})$")
KLAAR = "/mijn-groen?melding=uitnodiging"


def _pagina(request: Request, session: Session, templates: Jinja2Templates,
            settings: Settings, gemeente: Gemeente, user: Gebruiker | None, token: str,
            fout: str | None = None, status_code: int = 200,
            afgeslagen: bool = False) -> HTMLResponse:
    u = zelfbeheer.uitnodiging_bekijken(session, gemeente.code, token)
    settings = kaart_settings(request, session, settings, gemeente.code)
    kaart = (groenvak_map(u.plek.geojson, settings.basemap_url, settings.basemap_attributie)
             if u.plek.geojson else None)
    response = templates.TemplateResponse(request, "pages/uitnodiging.html", {
        "gemeente": gemeente, "u": u, "kaart": kaart, "token": token, "user": user,
        "fout": fout, "afgeslagen": afgeslagen, "nog": max(u.min_huishoudens - u.huishoudens, 0),
        "aantal": zelfbeheer.aantal, "nog_nodig": zelfbeheer.nog_nodig},
        status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's URL
    return response


@router.get("/uitnodiging/{token}", response_class=HTMLResponse)
def uitnodiging(token: str, request: Request, session: SessionDep, templates: TemplatesDep,
                settings: SettingsDep, user: CurrentUser, gemeente: GemeenteDep,
                afgeslagen: str = "") -> HTMLResponse:
    """What the invitation is about, for anyone holding the link; reading it changes nothing."""
    return _pagina(request, session, templates, settings, gemeente, user, token,
                   afgeslagen=afgeslagen == "ja")


@router.post("/uitnodiging/{token}", dependencies=[CsrfProtect])
def uitnodiging_beantwoorden(token: str, request: Request, session: SessionDep,
                             templates: TemplatesDep, settings: SettingsDep, user: CurrentUser,
                             gemeente: GemeenteDep,
                             keuze: Annotated[str, Form()] = "") -> Response:
    """Join (after logging in) or decline (no account needed); the contact person hears it."""
    if keuze == "ja" and user is None:
        return RedirectResponse(login_url(f"/uitnodiging/{token}?meedoen=ja"), status_code=303)
    try:
        if keuze == "ja":
            zelfbeheer.uitnodiging_accepteren(session, user, token)
        elif keuze == "nee":
            zelfbeheer.uitnodiging_weigeren(session, user, token)
        else:
            return _pagina(request, session, templates, settings, gemeente, user, token,
                           "Kies ‘Doe mee’ of ‘Nee, liever niet’.", 400)
    except DomainError as exc:
        session.rollback()
        return _pagina(request, session, templates, settings, gemeente, user, token, str(exc),
                       status_for(exc))
    session.commit()
    if keuze == "ja":
        return RedirectResponse(KLAAR, status_code=303)
    return RedirectResponse(f"/uitnodiging/{token}?afgeslagen=ja", status_code=303)


def na_inloggen(request: Request, session: Session, user: Gebruiker,
                volgende: str) -> str | None:
    """After a login that started at "Doe mee": join right away. When that cannot be (the
    link was used meanwhile, a staff account), back to the invitation, which says why."""
    parts = urlsplit(volgende)
    found = PAD.match(parts.path)
    if found is None or parse_qs(parts.query).get("meedoen") != ["ja"]:
        return None
    try:
        zelfbeheer.uitnodiging_accepteren(session, user, found.group(1))
    except DomainError:
        session.rollback()
        return parts.path
    session.commit()
    return KLAAR
