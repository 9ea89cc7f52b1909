"""Account pages (Dutch): register, confirm, log in and out, forgotten password.

The pages of a logged-in resident (/account ...) are in account_self.py, included here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api import common
from app.api.account import mijn as account_self
from app.api.account.auth import (
    CsrfProtect,
    CurrentUser,
    continue_after_login,
    landing,
    login_url,
    safe_next,
)
from app.api.account.pages import client_ip, forget_login, melding, page, site_url
from app.api.common import GemeenteDep, SessionDep, TemplatesDep
from app.services import accounts
from app.services.accounts import InvalidLink, TooManyAttempts

router = APIRouter(include_in_schema=False)
router.include_router(account_self.router)

Text = Annotated[str, Form()]
NIEUWE_LINK = [("/account/bevestiging-opnieuw", "Nieuwe bevestigingslink aanvragen")]
_RESEND: dict[str, Any] = {
    "titel": "Nieuwe bevestigingslink", "actie": "/account/bevestiging-opnieuw",
    "knop": "Link sturen",
    "uitleg": "Vul het e-mailadres in waarmee u zich registreerde. Wij sturen een nieuwe link "
              "om het te bevestigen."}
_FORGOT: dict[str, Any] = {
    "titel": "Wachtwoord vergeten", "actie": "/wachtwoord-vergeten", "knop": "Link sturen",
    "uitleg": "Vul het e-mailadres van uw account in. Wij sturen u een link om een nieuw "
              "wachtwoord te kiezen."}


@router.get("/registreren", response_class=HTMLResponse)
def register_form(request: Request, templates: TemplatesDep, gemeente: GemeenteDep,
                  user: CurrentUser, volgende: str = "") -> Response:
    """The registration form; a logged-in user goes on instead. `volgende` travels along in
    the confirmation link, so the new resident comes back where they started."""
    if user is not None:
        return RedirectResponse(safe_next(volgende, landing(user)), status_code=303)
    return page(request, templates, "registreren.html", gemeente=gemeente,
                volgende=safe_next(volgende, ""))


@router.post("/registreren", response_class=HTMLResponse, dependencies=[CsrfProtect])
def register(request: Request, session: SessionDep, templates: TemplatesDep,
             gemeente: GemeenteDep, naam: Text = "", email: Text = "",
             wachtwoord: Text = "", volgende: Text = "") -> Response:
    """Create the account and mail the link; a taken address gets the same answer."""
    volgende = safe_next(volgende, "")
    fouten = {}
    for field, check in (("naam", lambda: accounts.check_naam(naam)),
                         ("email", lambda: accounts.check_email(email)),
                         ("wachtwoord", lambda: accounts.check_password_policy(wachtwoord, email))):
        try:
            check()
        except accounts.FieldError as exc:
            fouten[field] = str(exc)
    if not fouten:
        try:
            accounts.register(session, gemeente.code, email, wachtwoord, naam, site_url(request),
                              volgende=volgende)
        except accounts.FieldError as exc:
            fouten[exc.field] = str(exc)
    if fouten:
        return page(request, templates, "registreren.html", status=400, gemeente=gemeente,
                    fouten=fouten, waarden={"naam": naam, "email": email},
                    volgende=volgende)
    session.commit()
    return melding(request, templates, gemeente, "Controleer uw e-mail", [
        f"Wij hebben een mail gestuurd naar {email.strip()}. Klik op de link in die mail om uw "
        "account te activeren; de link is 48 uur geldig.",
        "Geen mail ontvangen? Kijk ook in uw map met ongewenste mail."], soort="ok",
        links=NIEUWE_LINK)


@router.get("/account/bevestigen/{token}", response_class=HTMLResponse)
def verify(request: Request, token: str, session: SessionDep, templates: TemplatesDep,
           gemeente: GemeenteDep, volgende: str = "") -> Response:
    """The link from the registration mail."""
    try:
        accounts.verify_email(session, gemeente.code, token)
    except InvalidLink as exc:
        session.rollback()
        return melding(request, templates, gemeente, "Link werkt niet", [str(exc)], "error",
                       NIEUWE_LINK, status=400)
    session.commit()
    return melding(request, templates, gemeente, "E-mailadres bevestigd",
                   ["Uw e-mailadres is bevestigd. U kunt nu inloggen."], "ok",
                   [(login_url(volgende) if safe_next(volgende, "") else "/inloggen",
                     "Inloggen")])


@router.get("/account/bevestiging-opnieuw", response_class=HTMLResponse)
def resend_form(request: Request, templates: TemplatesDep, gemeente: GemeenteDep) -> Response:
    """Ask for a new confirmation link."""
    return page(request, templates, "email_formulier.html", gemeente=gemeente, **_RESEND)


@router.post("/account/bevestiging-opnieuw", response_class=HTMLResponse,
             dependencies=[CsrfProtect])
def resend(request: Request, session: SessionDep, templates: TemplatesDep,
           gemeente: GemeenteDep, email: Text = "") -> Response:
    """Always the same answer, whether or not such an unconfirmed account exists."""
    try:
        accounts.resend_verification(session, gemeente.code, email, site_url(request))
    except accounts.FieldError as exc:
        return page(request, templates, "email_formulier.html", status=400, gemeente=gemeente,
                    fouten={exc.field: str(exc)}, waarden={"email": email}, **_RESEND)
    session.commit()
    return melding(request, templates, gemeente, "Controleer uw e-mail", [
        f"Als er bij ons een account met {email.strip()} wacht op bevestiging, hebben wij daar "
        "nu een nieuwe link naartoe gestuurd."], "ok", [("/inloggen", "Naar inloggen")])


@router.get("/inloggen", response_class=HTMLResponse)
def login_form(request: Request, templates: TemplatesDep, gemeente: GemeenteDep,
               user: CurrentUser, volgende: str = "") -> Response:
    """The login form; `volgende` is where to go afterwards (same site only)."""
    if user is not None:
        return RedirectResponse(safe_next(volgende, landing(user)), status_code=303)
    return page(request, templates, "inloggen.html", gemeente=gemeente,
                volgende=safe_next(volgende, ""), fout=None)


@router.post("/inloggen", response_class=HTMLResponse, dependencies=[CsrfProtect])
def login(request: Request, session: SessionDep, templates: TemplatesDep, gemeente: GemeenteDep,
          email: Text = "", wachtwoord: Text = "", volgende: Text = "") -> Response:
    """Check the password (rate-limited), start a fresh session, go back where they were
    (staff to Beheer, residents to their account when there is nowhere to go back to)."""
    volgende = safe_next(volgende, "")

    def again(status: int, fout: str | None, niet_bevestigd: bool = False,
              fouten: dict[str, str] | None = None) -> HTMLResponse:
        return page(request, templates, "inloggen.html", status=status, gemeente=gemeente,
                    volgende=volgende, fout=fout, niet_bevestigd=niet_bevestigd,
                    fouten=fouten or {}, waarden={"email": email.strip()})

    leeg = {veld: tekst for veld, waarde, tekst in (
        ("email", email.strip(), "Vul uw e-mailadres in."),
        ("wachtwoord", wachtwoord, "Vul uw wachtwoord in.")) if not waarde}
    if leeg:
        return again(400, None, fouten=leeg)
    try:
        user = accounts.authenticate(session, gemeente.code, email, wachtwoord, client_ip(request))
    except TooManyAttempts as exc:
        refused = again(429, str(exc))
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    except accounts.EmailNotVerified as exc:
        return again(400, str(exc), niet_bevestigd=True)
    except accounts.LoginFailed as exc:
        session.commit()  # the failed attempt has to count toward the limit
        return again(400, None, fouten={"wachtwoord": str(exc)})
    old = request.cookies.get(common.SESSION_COOKIE)
    if old:
        accounts.end_session(session, old)
    _, cookie = accounts.create_session(session, user)
    session.commit()
    response = RedirectResponse(continue_after_login(request, session, user, volgende),
                                status_code=303)
    common.set_session_cookie(request, response, cookie)
    return response


@router.post("/uitloggen", dependencies=[CsrfProtect])
def logout(request: Request, session: SessionDep) -> Response:
    """End this session only; other devices stay logged in."""
    accounts.end_session(session, request.cookies.get(common.SESSION_COOKIE, ""))
    session.commit()
    forget_login(request)
    response = RedirectResponse("/", status_code=303)
    common.clear_session_cookie(request, response)
    return response


@router.get("/wachtwoord-vergeten", response_class=HTMLResponse)
def forgot_form(request: Request, templates: TemplatesDep, gemeente: GemeenteDep) -> Response:
    """Ask for a reset link."""
    return page(request, templates, "email_formulier.html", gemeente=gemeente, **_FORGOT)


@router.post("/wachtwoord-vergeten", response_class=HTMLResponse, dependencies=[CsrfProtect])
def forgot(request: Request, session: SessionDep, templates: TemplatesDep,
           gemeente: GemeenteDep, email: Text = "") -> Response:
    """Same answer for known and unknown addresses: nobody learns who has an account."""
    try:
        accounts.request_password_reset(session, gemeente.code, email, site_url(request))
    except accounts.FieldError as exc:
        return page(request, templates, "email_formulier.html", status=400, gemeente=gemeente,
                    fouten={exc.field: str(exc)}, waarden={"email": email}, **_FORGOT)
    session.commit()
    return melding(request, templates, gemeente, "Controleer uw e-mail", [
        f"Als er een account met {email.strip()} is, hebben wij daar een link naartoe gestuurd "
        "om een nieuw wachtwoord te kiezen. De link is 1 uur geldig en werkt één keer.",
        "Geen mail ontvangen? Kijk ook in uw map met ongewenste mail."], "ok")


def _reset_expired(request: Request, templates: TemplatesDep, gemeente: GemeenteDep,
                   message: str) -> HTMLResponse:
    return melding(request, templates, gemeente, "Link werkt niet", [message], "error",
                   [("/wachtwoord-vergeten", "Nieuwe link aanvragen")], status=400)


@router.get("/wachtwoord-herstellen/{token}", response_class=HTMLResponse)
def reset_form(request: Request, token: str, session: SessionDep, templates: TemplatesDep,
               gemeente: GemeenteDep) -> Response:
    """The form for a new password, only while the link is valid."""
    if not accounts.reset_link_valid(session, gemeente.code, token):
        return _reset_expired(request, templates, gemeente, str(InvalidLink()))
    return page(request, templates, "wachtwoord_herstellen.html", gemeente=gemeente,
                token=token)


@router.post("/wachtwoord-herstellen/{token}", response_class=HTMLResponse,
             dependencies=[CsrfProtect])
def reset(request: Request, token: str, session: SessionDep, templates: TemplatesDep,
          gemeente: GemeenteDep, wachtwoord: Text = "") -> Response:
    """Set the new password; every device, this one included, logs in again."""
    try:
        accounts.reset_password(session, gemeente.code, token, wachtwoord,
                                site_url(request))
    except accounts.FieldError as exc:
        return page(request, templates, "wachtwoord_herstellen.html", status=400, gemeente=gemeente,
                    token=token, fouten={exc.field: str(exc)})
    except InvalidLink as exc:
        return _reset_expired(request, templates, gemeente, str(exc))
    session.commit()
    forget_login(request)
    return melding(request, templates, gemeente, "Wachtwoord gewijzigd", [
        "Uw wachtwoord is gewijzigd. Log in met uw nieuwe wachtwoord."], "ok",
        [("/inloggen", "Inloggen")])
