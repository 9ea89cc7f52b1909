"""Mijn account: my data, change e-mail, download my data (AVG inzage), delete my account."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from app.api.account.auth import CsrfProtect, RequireUser
from app.api.account.pages import NO_STORE, client_ip, forget_login, melding, page, site_url
from app.api.common import GemeenteDep, SessionDep, TemplatesDep
from app.errors import Conflict, Forbidden
from app.models import Gebruiker, Gemeente
from app.services import accounts
from app.services.accounts import InvalidLink, TooManyAttempts

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form()]
EXPORT_NAME = "mijn-gegevens-voorzieningenkaart.json"


def _overview(request: Request, templates: Jinja2Templates, gemeente: Gemeente,
              user: Gebruiker, status: int = 200, **context: object) -> HTMLResponse:
    context.setdefault("email_fouten", {})
    context.setdefault("email_waarden", {})
    context.setdefault("verwijder_fouten", {})
    context.setdefault("melding", None)
    return page(request, templates, "overzicht.html", status=status, gemeente=gemeente,
                gebruiker=user, **context)


def _password_ok(request: Request, session: Session, user: Gebruiker,
                 password: str) -> tuple[int, str] | None:
    """Re-check the password; a wrong one is committed (it counts toward the login limit)."""
    try:
        accounts.confirm_password(session, user, password, client_ip(request))
    except TooManyAttempts as exc:
        return 429, str(exc)
    except accounts.FieldError as exc:
        session.commit()
        return 400, str(exc)
    return None


@router.get("/account", response_class=HTMLResponse)
def overview(request: Request, templates: TemplatesDep, gemeente: GemeenteDep,
             user: RequireUser) -> Response:
    """My data and what I can do with it."""
    return _overview(request, templates, gemeente, user)


@router.post("/account/email", response_class=HTMLResponse, dependencies=[CsrfProtect])
def change_email(request: Request, session: SessionDep, templates: TemplatesDep,
                 gemeente: GemeenteDep, user: RequireUser, nieuw_email: Text = "",
                 wachtwoord: Text = "") -> Response:
    """Mail a link to the new address after the password (a borrowed laptop is not enough);
    both fields are checked in one go."""
    waarden = {"nieuw_email": nieuw_email}
    fouten: dict[str, str] = {}
    status = 400
    try:
        accounts.check_email(nieuw_email, "nieuw_email")
    except accounts.FieldError as exc:
        fouten[exc.field] = str(exc)
    if not wachtwoord:
        fouten["wachtwoord"] = "Vul uw huidige wachtwoord in."
    elif failed := _password_ok(request, session, user, wachtwoord):
        status, fouten["wachtwoord"] = failed
    if not fouten:
        try:
            accounts.request_email_change(session, user, nieuw_email, site_url(request))
        except accounts.FieldError as exc:
            fouten[exc.field] = str(exc)
    if fouten:
        return _overview(request, templates, gemeente, user, status, email_fouten=fouten,
                         email_waarden=waarden)
    session.commit()
    return _overview(request, templates, gemeente, user, melding=(
        f"Wij hebben een link gestuurd naar {nieuw_email.strip()}. Klik daarop om de wijziging "
        "te bevestigen (24 uur geldig). Tot dan blijft uw huidige e-mailadres in gebruik."))


@router.get("/account/email/bevestigen/{token}", response_class=HTMLResponse)
def confirm_email(request: Request, token: str, session: SessionDep, templates: TemplatesDep,
                  gemeente: GemeenteDep) -> Response:
    """The link in the mail to the new address."""
    try:
        accounts.confirm_email_change(session, gemeente.code, token, site_url(request))
    except InvalidLink as exc:
        session.rollback()
        return melding(request, templates, gemeente, "Link werkt niet", [str(exc)], "error",
                       [("/account", "Naar mijn account")], status=400)
    except Conflict as exc:
        session.rollback()  # the link stays usable once the other account lets go
        return melding(request, templates, gemeente, "E-mailadres niet gewijzigd", [str(exc)],
                       "error", [("/account", "Naar mijn account")], status=409)
    session.commit()
    return melding(request, templates, gemeente, "E-mailadres gewijzigd", [
        "Uw nieuwe e-mailadres is bevestigd. Log voortaan in met dit adres."], "ok",
        [("/account", "Naar mijn account")])


@router.get("/account/gegevens.json")
def download(session: SessionDep, user: RequireUser) -> Response:
    """Everything we hold about me, as a file (AVG: recht op inzage en dataportabiliteit)."""
    data = accounts.export_my_data(session, user)
    accounts.record_export(session, user)
    session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{EXPORT_NAME}"',
        "Cache-Control": NO_STORE})


@router.post("/account/verwijderen", response_class=HTMLResponse, dependencies=[CsrfProtect])
def delete(request: Request, session: SessionDep, templates: TemplatesDep,
           gemeente: GemeenteDep, user: RequireUser, wachtwoord: Text = "") -> Response:
    """Anonymise the account after the password; groups keep an anonymous trace."""
    if not wachtwoord:
        return _overview(request, templates, gemeente, user, 400,
                         verwijder_fouten={"wachtwoord": "Vul uw wachtwoord in."})
    failed = _password_ok(request, session, user, wachtwoord)
    if failed:
        return _overview(request, templates, gemeente, user, failed[0],
                         verwijder_fouten={"wachtwoord": failed[1]})
    try:
        accounts.delete_account(session, user)
    except Forbidden as exc:
        return _overview(request, templates, gemeente, user, 403,
                         verwijder_fouten={"wachtwoord": str(exc)})
    session.commit()
    forget_login(request)
    return melding(request, templates, gemeente, "Account verwijderd", [
        "Uw account is verwijderd. Wij hebben uw naam, e-mailadres en wachtwoord gewist.",
        "Groepen waar u lid van was, zien alleen nog dat er een anonieme deelnemer was."], "ok",
        [("/", "Naar de kaart")])
