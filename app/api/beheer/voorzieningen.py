"""Beheer: staff create, change, archive and check voorzieningen on a form with a map picker.

Every route needs a medewerker or beheerder of this gemeente (residents 403, visitors to the
login page); every POST carries the CSRF token. Writes go through voorziening_writes (the API's
path), with an audit row each; nothing is deleted: archiving takes a voorziening off the map.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.api import voorstellen as vf  # the shared voorziening form
from app.api.account import CsrfProtect
from app.api.beheer.pagina import StaffHere
from app.api.common import (
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    dag,
    kaart_settings,
)
from app.errors import DomainError, NotFound, status_for
from app.models import Gebruiker, Gemeente
from app.services import gebieden, voorzieningen
from app.services.voorzieningen import STATUS_LABEL, controleer

router = APIRouter(include_in_schema=False)

LIJST = "/beheer/voorzieningen"
MELDINGEN = {
    "aangemaakt": "De voorziening is aangemaakt en staat op de kaart.",
    "opgeslagen": "De wijzigingen zijn opgeslagen.",
    "gearchiveerd": "De voorziening is gearchiveerd: ze staat niet meer op de kaart en in de "
                    "API, maar blijft bewaard.",
    "gepubliceerd": "De voorziening is weer gepubliceerd.",
    "gecontroleerd": "Vastgelegd: vandaag gecontroleerd.",
}


def _formulier(request: Request, session: Session, templates: TemplatesDep,
               settings: SettingsDep, gemeente: Gemeente, waarden: dict[str, str],
               fouten: dict[str, str], voorziening_id: int | None = None,
               melding: str | None = None, status_code: int = 200,
               fout: str | None = None) -> HTMLResponse:
    """The new or edit page, with messages next to the fields."""
    voorziening = voorzieningen.voorziening_ophalen(session, gemeente.code, voorziening_id) \
        if voorziening_id is not None else None
    ctx = vf.context(session, kaart_settings(request, session, settings, gemeente.code),
                     gemeente, waarden, fouten, v=voorziening, melding=melding, fout=fout)
    return vf.toon(request, templates, "pages/beheer/voorziening.html", ctx, status_code)


@router.get(LIJST, response_class=HTMLResponse)
def lijst(request: Request, session: SessionDep, templates: TemplatesDep,
          settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
          zoek: str = Query("", max_length=100), categorie: str = Query("", max_length=12),
          status: str = Query("gepubliceerd", max_length=20),
          wijk: str = Query("", max_length=40)) -> HTMLResponse:
    """All voorzieningen, filtered by name or address, category, status and wijk."""
    fouten: dict[str, str] = {}
    cats = voorzieningen.voorziening_categorieen(session, gemeente.code)
    wijken = gebieden.overview(session, gemeente.code)
    cat_id = int(categorie) if categorie.isdigit() else None
    if categorie and cat_id not in {c[0] for c in cats}:
        fouten["categorie"] = "Kies een categorie uit de lijst."
    if status and status not in STATUS_LABEL:
        fouten["status"] = "Kies een status uit de lijst."
    if wijk and wijk not in {w.code for w in wijken}:
        fouten["wijk"] = "Kies een wijk of dorp uit de lijst."
    regels, totaal = ([], 0) if fouten else voorzieningen.voorziening_lijst(
        session, gemeente.code, zoek, cat_id, status or None, wijk or None)
    ctx = {"gemeente": gemeente, "regels": regels, "totaal": totaal, "fouten": fouten,
           "filter": {"zoek": zoek, "categorie": categorie, "status": status, "wijk": wijk},
           "categorieen": [(str(i), n) for i, n, _ in cats],
           "statussen": list(STATUS_LABEL.items()), "status_label": STATUS_LABEL,
           "wijken": [(w.code, f"{w.naam} ({w.soort})") for w in wijken],
           "max": voorzieningen.LIJST_MAX, "kaart": None,
           "dag": dag}
    return vf.toon(request, templates, "pages/beheer/voorzieningen.html", ctx,
                   400 if fouten else 200)


@router.get(f"{LIJST}/nieuw", response_class=HTMLResponse)
def nieuw(request: Request, session: SessionDep, templates: TemplatesDep,
          settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere) -> HTMLResponse:
    """An empty form."""
    return _formulier(request, session, templates, settings, gemeente, {}, {})


@router.post(f"{LIJST}/nieuw", dependencies=[CsrfProtect])
def aanmaken(request: Request, session: SessionDep, templates: TemplatesDep,
             settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
             formulier: vf.Formulier) -> Response:
    """Check every field; a published voorziening, or the form again with the messages."""
    uit = controleer(session, gemeente.code, vf.invoer(formulier, staff=True), staff=True)
    if not uit.fouten:
        fid = voorzieningen.voorziening_aanmaken(session, user, gemeente.code, uit.kolommen)
        session.commit()
        return RedirectResponse(f"{LIJST}/{fid}?melding=aangemaakt", status_code=303)
    session.rollback()
    return _formulier(request, session, templates, settings, gemeente, formulier, uit.fouten,
                      status_code=400)


@router.get(f"{LIJST}/{{voorziening_id}}", response_class=HTMLResponse)
def bewerken(voorziening_id: int, request: Request, session: SessionDep,
             templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
             user: StaffHere, melding: str = "") -> HTMLResponse:
    """The form filled with the stored values; archive and 'Nu gecontroleerd' beside it."""
    voorzieningen.voorziening_ophalen(session, gemeente.code, voorziening_id)
    return _formulier(request, session, templates, settings, gemeente,
                      voorzieningen.voorziening_formulierwaarden(session, voorziening_id), {},
                      voorziening_id, MELDINGEN.get(melding))


@router.post(f"{LIJST}/{{voorziening_id}}", dependencies=[CsrfProtect])
def opslaan(voorziening_id: int, request: Request, session: SessionDep,
            templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
            user: StaffHere, formulier: vf.Formulier) -> Response:
    """Save the changed fields; a point that did not move stays exactly where it was."""
    voorzieningen.voorziening_ophalen(session, gemeente.code, voorziening_id)
    uit = controleer(session, gemeente.code, vf.invoer(formulier, staff=True), staff=True)
    if not uit.fouten:
        voorzieningen.voorziening_wijzigen(session, user, gemeente.code, voorziening_id,
                                           uit.kolommen)
        session.commit()
        return RedirectResponse(f"{LIJST}/{voorziening_id}?melding=opgeslagen",
                                status_code=303)
    session.rollback()
    return _formulier(request, session, templates, settings, gemeente, formulier, uit.fouten,
                      voorziening_id, status_code=400)


def _actie(request: Request, session: Session, templates: TemplatesDep, settings: SettingsDep,
           gemeente: Gemeente, user: Gebruiker, voorziening_id: int, melding: str,
           actie: str) -> Response:
    """Archive, publish again or mark checked; a refusal shows on the edit page."""
    try:
        if actie == "gecontroleerd":
            voorzieningen.gecontroleerd(session, user, gemeente.code, voorziening_id)
        else:
            voorzieningen.status_zetten(session, user, gemeente.code, voorziening_id,
                                        actie)
    except NotFound:
        raise
    except DomainError as exc:
        session.rollback()
        return _formulier(request, session, templates, settings, gemeente,
                          voorzieningen.voorziening_formulierwaarden(session, voorziening_id),
                          {}, voorziening_id, status_code=status_for(exc), fout=str(exc))
    session.commit()
    return RedirectResponse(f"{LIJST}/{voorziening_id}?melding={melding}", status_code=303)


@router.post(f"{LIJST}/{{voorziening_id}}/archiveren", dependencies=[CsrfProtect])
def archiveren(voorziening_id: int, request: Request, session: SessionDep,
               templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
               user: StaffHere) -> Response:
    """Off the map and out of the API; kept in the database and the audit log."""
    return _actie(request, session, templates, settings, gemeente, user, voorziening_id,
                  "gearchiveerd", "gearchiveerd")


@router.post(f"{LIJST}/{{voorziening_id}}/publiceren", dependencies=[CsrfProtect])
def publiceren(voorziening_id: int, request: Request, session: SessionDep,
               templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
               user: StaffHere) -> Response:
    """An archived voorziening back on the map."""
    return _actie(request, session, templates, settings, gemeente, user, voorziening_id,
                  "gepubliceerd", "gepubliceerd")


@router.post(f"{LIJST}/{{voorziening_id}}/gecontroleerd", dependencies=[CsrfProtect])
def gecontroleerd(voorziening_id: int, request: Request, session: SessionDep,
                  templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
                  user: StaffHere) -> Response:
    """'Nu gecontroleerd': laatst_gecontroleerd becomes today."""
    return _actie(request, session, templates, settings, gemeente, user, voorziening_id,
                  "gecontroleerd", "gecontroleerd")
