"""Beheer: the categories of voorzieningen (name, icon, colour, order, initiative or not).

Staff only, CSRF on every POST, an audit row per change. A category in use cannot be deleted
(the page says so); a colour white text is hard to read on gets a warning, not a refusal.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.api import voorstellen as vf  # the shared voorziening form
from app.api.account import CsrfProtect
from app.api.beheer.pagina import StaffHere
from app.api.common import GemeenteDep, SessionDep, TemplatesDep
from app.errors import Conflict
from app.models import Gemeente
from app.services import voorzieningen

router = APIRouter(include_in_schema=False)

LIJST = "/beheer/categorieen"
MELDINGEN = {"aangemaakt": "De categorie is aangemaakt.",
             "opgeslagen": "De categorie is opgeslagen.",
             "verwijderd": "De categorie is verwijderd."}
NIEUW = {"kleur": "#1d5c8c", "volgorde": "0"}


def _lijst(request: Request, session: Session, templates: TemplatesDep, gemeente: Gemeente,
           waarden: dict[str, str] | None = None, fouten: dict[str, str] | None = None,
           melding: str | None = None, status_code: int = 200) -> HTMLResponse:
    """The categories and the form for a new one."""
    regels = voorzieningen.categorie_lijst(session, gemeente.code)
    ctx = {"gemeente": gemeente, "regels": regels, "waarden": waarden or dict(NIEUW),
           "fouten": fouten or {}, "melding": melding, "kaart": None,
           "min_contrast": voorzieningen.MIN_CONTRAST}
    return vf.toon(request, templates, "pages/beheer/categorieen.html", ctx, status_code)


def _bewerken(request: Request, session: Session, templates: TemplatesDep, gemeente: Gemeente,
              categorie_id: int, waarden: dict[str, str] | None = None,
              fouten: dict[str, str] | None = None, melding: str | None = None,
              status_code: int = 200) -> HTMLResponse:
    categorie = voorzieningen.categorie_ophalen(session, gemeente.code, categorie_id)
    if waarden is None:
        waarden = {"naam": categorie.naam, "icoon": categorie.icoon, "kleur": categorie.kleur,
                   "volgorde": str(categorie.volgorde),
                   "is_initiatief": "ja" if categorie.is_initiatief else ""}
    kleur = waarden.get("kleur", "").strip().lower()
    waarschuwing = voorzieningen.contrast_waarschuwing(kleur) \
        if voorzieningen.KLEUR.match(kleur) else None
    ctx = {"gemeente": gemeente, "c": categorie, "waarden": waarden, "fouten": fouten or {},
           "melding": melding, "waarschuwing": waarschuwing, "kaart": None}
    return vf.toon(request, templates, "pages/beheer/categorie.html", ctx, status_code)


@router.get(LIJST, response_class=HTMLResponse)
def lijst(request: Request, session: SessionDep, templates: TemplatesDep,
          gemeente: GemeenteDep, user: StaffHere, melding: str = "") -> HTMLResponse:
    """All categories with their colour, contrast and use."""
    return _lijst(request, session, templates, gemeente, melding=MELDINGEN.get(melding))


@router.post(LIJST, dependencies=[CsrfProtect])
def aanmaken(request: Request, session: SessionDep, templates: TemplatesDep,
             gemeente: GemeenteDep, user: StaffHere, formulier: vf.Formulier) -> Response:
    """A new category; on to its page, where a low contrast is pointed out."""
    velden, fouten = voorzieningen.categorie_controleer(formulier)
    if fouten:
        return _lijst(request, session, templates, gemeente, formulier, fouten,
                      status_code=400)
    categorie = voorzieningen.categorie_aanmaken(session, user, gemeente.code, velden)
    session.commit()
    return RedirectResponse(f"{LIJST}/{categorie.id}?melding=aangemaakt", status_code=303)


@router.get(f"{LIJST}/{{categorie_id}}", response_class=HTMLResponse)
def bewerken(categorie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
             gemeente: GemeenteDep, user: StaffHere, melding: str = "") -> HTMLResponse:
    """One category's form."""
    return _bewerken(request, session, templates, gemeente, categorie_id,
                     melding=MELDINGEN.get(melding))


@router.post(f"{LIJST}/{{categorie_id}}", dependencies=[CsrfProtect])
def opslaan(categorie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
            gemeente: GemeenteDep, user: StaffHere, formulier: vf.Formulier) -> Response:
    """Save name, icon, colour, order and kind."""
    categorie = voorzieningen.categorie_ophalen(session, gemeente.code, categorie_id)
    velden, fouten = voorzieningen.categorie_controleer(formulier)
    if fouten:
        return _bewerken(request, session, templates, gemeente, categorie_id, formulier, fouten,
                         status_code=400)
    voorzieningen.categorie_wijzigen(session, user, categorie, velden)
    session.commit()
    return RedirectResponse(f"{LIJST}/{categorie_id}?melding=opgeslagen", status_code=303)


@router.post(f"{LIJST}/{{categorie_id}}/verwijderen", dependencies=[CsrfProtect])
def verwijderen(categorie_id: int, request: Request, session: SessionDep,
                templates: TemplatesDep, gemeente: GemeenteDep, user: StaffHere) -> Response:
    """Delete an unused category; one in use stays and the page says why."""
    categorie = voorzieningen.categorie_ophalen(session, gemeente.code, categorie_id)
    try:
        voorzieningen.verwijderen(session, user, categorie)
    except Conflict as exc:
        session.rollback()
        return _bewerken(request, session, templates, gemeente, categorie_id,
                         fouten={"verwijderen": str(exc)}, status_code=409)
    session.commit()
    return RedirectResponse(f"{LIJST}?melding=verwijderd", status_code=303)
