"""Residents co-create the map: propose a voorziening or initiative, or a correction, and keep
an accepted initiative up to date.

Logged-in users only (visitors go to the login page), CSRF on every POST. A proposal is not
public until staff accept it (beheer_voorstellen.py); only its proposer sees it here.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlmodel import Session

from app.api.account import CsrfProtect, RequireUser
from app.api.common import (
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    dag,
    kaart_settings,
    problem,
)
from app.api.voorstellen import formulier as vf
from app.config import Settings
from app.errors import Forbidden, NotFound
from app.models import Gebruiker, Gemeente, Voorziening
from app.services import geografie, voorzieningen

router = APIRouter(include_in_schema=False)

MIJN = "/mijn/voorstellen"
MELDINGEN = {
    "ingediend": "Dank u wel! Uw voorstel is ingediend. Een medewerker van de gemeente bekijkt "
                 "het; u krijgt bericht per e-mail. Tot dan staat het niet op de kaart.",
    "bijgewerkt": "De contactgegevens zijn bijgewerkt en staan meteen op de kaart.",
    "verhuizing": "Uw nieuwe locatie is als voorstel ingediend; een medewerker bekijkt het.",
    "bijgewerkt-verhuizing": "De contactgegevens zijn bijgewerkt. Uw nieuwe locatie is als "
                             "voorstel ingediend; een medewerker bekijkt het.",
    "ongewijzigd": "Er was niets gewijzigd.",
}


def _gepubliceerd(session: Session, gemeente: Gemeente, voorziening_id: int) -> Voorziening:
    """Only published voorzieningen can be corrected or kept up to date by residents."""
    found = voorzieningen.voorziening_ophalen(session, gemeente.code, voorziening_id)
    if found.status != "gepubliceerd":
        raise NotFound("Deze voorziening bestaat niet.")
    return found


def _pagina(request: Request, session: Session, templates: TemplatesDep, settings: Settings,
            gemeente: Gemeente, naam: str, waarden: dict[str, str], fouten: dict[str, str],
            status_code: int = 200, **extra: object) -> HTMLResponse:
    ctx = vf.context(session, kaart_settings(request, session, settings, gemeente.code),
                     gemeente, waarden, fouten, **extra)
    return vf.toon(request, templates, f"pages/voorstellen/{naam}", ctx, status_code)


@router.get("/adres-bij")
def adres_bij(session: SessionDep, gemeente: GemeenteDep,
              lat: float = Query(..., ge=-90, le=90), lon: float = Query(..., ge=-180, le=180)
              ) -> JSONResponse:
    """Reverse geocoding for the map picker: the nearest address within 50 m (public BAG
    data), or 404 when there is none."""
    adres = geografie.adres_bij_punt(session.connection(), gemeente.code, lat, lon)
    if adres is None:
        return problem(404, "Geen adres binnen 50 meter van deze plek.")
    return JSONResponse({"adres": adres.straat_en_nummer, "postcode": adres.postcode,
                         "plaats": adres.woonplaats, "tekst": adres.tekst,
                         "afstand_m": round(adres.afstand_m, 1)})


@router.get("/voorstellen/nieuw", response_class=HTMLResponse)
def nieuw(request: Request, session: SessionDep, templates: TemplatesDep,
          settings: SettingsDep, gemeente: GemeenteDep, user: RequireUser,
          soort: str = Query("", max_length=20)) -> HTMLResponse:
    """Propose a new voorziening, or (soort=initiatief) a maatschappelijk initiatief."""
    waarden: dict[str, str] = {}
    if soort == "initiatief":
        eerste = next((i for i, _, init in
                       voorzieningen.voorziening_categorieen(session, gemeente.code) if init), None)
        waarden["categorie"] = str(eerste) if eerste else ""
    return _pagina(request, session, templates, settings, gemeente, "nieuw.html", waarden, {},
                   initiatief=soort == "initiatief")


@router.post("/voorstellen/nieuw", dependencies=[CsrfProtect])
def nieuw_indienen(request: Request, session: SessionDep, templates: TemplatesDep,
                   settings: SettingsDep, gemeente: GemeenteDep, user: RequireUser,
                   formulier: vf.Formulier) -> Response:
    """Check the fields; store the proposal (not public) or show the messages."""
    voorstel, fouten = voorzieningen.indienen(session, user, gemeente.code, vf.invoer(formulier),
                                              formulier.get("toelichting", ""))
    if voorstel is None:
        session.rollback()
        return _pagina(request, session, templates, settings, gemeente, "nieuw.html",
                       formulier, fouten, 400, initiatief=False)
    session.commit()
    return RedirectResponse(f"{MIJN}?melding=ingediend", status_code=303)


@router.get("/voorzieningen/{voorziening_id}/correctie", response_class=HTMLResponse)
def correctie(voorziening_id: int, request: Request, session: SessionDep,
              templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
              user: RequireUser) -> HTMLResponse:
    """The voorziening's facts in the form, to correct what is wrong."""
    v = _gepubliceerd(session, gemeente, voorziening_id)
    return _pagina(request, session, templates, settings, gemeente, "correctie.html",
                   voorzieningen.voorziening_formulierwaarden(session, voorziening_id), {}, v=v)


@router.post("/voorzieningen/{voorziening_id}/correctie", dependencies=[CsrfProtect])
def correctie_indienen(voorziening_id: int, request: Request, session: SessionDep,
                       templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
                       user: RequireUser, formulier: vf.Formulier) -> Response:
    """A correction goes to review; the voorziening itself stays as it is until accepted."""
    v = _gepubliceerd(session, gemeente, voorziening_id)
    voorstel, fouten = voorzieningen.indienen(session, user, gemeente.code, vf.invoer(formulier),
                                              formulier.get("toelichting", ""), v)
    if voorstel is None:
        session.rollback()
        return _pagina(request, session, templates, settings, gemeente, "correctie.html",
                       formulier, fouten, 400, v=v)
    session.commit()
    return RedirectResponse(f"{MIJN}?melding=ingediend", status_code=303)


@router.get(MIJN, response_class=HTMLResponse)
def mijn(request: Request, session: SessionDep, templates: TemplatesDep,
         gemeente: GemeenteDep, user: RequireUser, melding: str = "") -> HTMLResponse:
    """The user's own proposals with status and, when rejected, the reason."""
    eigen = voorzieningen.mijn(session, user)
    bij_te_werken = {v.voorziening_id for v in eigen if v.voorziening_id and
                     voorzieningen.mag_bijwerken(
                         session, user, voorzieningen.voorziening_ophalen(session, gemeente.code,
                                                                            v.voorziening_id))}
    ctx = {"gemeente": gemeente, "voorstellen": eigen, "bij_te_werken": bij_te_werken,
           "melding": MELDINGEN.get(melding), "voorstel_label": vf.VOORSTEL_STATUS_LABEL,
           "dag": dag}
    return vf.toon(request, templates, "pages/voorstellen/mijn.html", ctx)


def _mag(session: Session, gemeente: Gemeente, user: Gebruiker,
         voorziening_id: int) -> Voorziening:
    v = _gepubliceerd(session, gemeente, voorziening_id)
    if not voorzieningen.mag_bijwerken(session, user, v):
        raise Forbidden(voorzieningen.GEEN_RECHT)
    return v


@router.get("/voorzieningen/{voorziening_id}/bijwerken", response_class=HTMLResponse)
def bijwerken(voorziening_id: int, request: Request, session: SessionDep,
              templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
              user: RequireUser) -> HTMLResponse:
    """The proposer's own initiative: contact data, and a new place if it moved."""
    v = _mag(session, gemeente, user, voorziening_id)
    return _pagina(request, session, templates, settings, gemeente, "bijwerken.html",
                   voorzieningen.voorziening_formulierwaarden(session, voorziening_id), {}, v=v)


@router.post("/voorzieningen/{voorziening_id}/bijwerken", dependencies=[CsrfProtect])
def bijwerken_opslaan(voorziening_id: int, request: Request, session: SessionDep,
                      templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
                      user: RequireUser, formulier: vf.Formulier) -> Response:
    """Contact fields live; a moved place as a proposal for review."""
    v = _mag(session, gemeente, user, voorziening_id)
    gedaan, fouten = voorzieningen.bijwerken(session, user, v, vf.invoer(formulier))
    if fouten:
        session.rollback()
        return _pagina(request, session, templates, settings, gemeente, "bijwerken.html",
                       formulier, fouten, 400, v=v)
    session.commit()
    melding = {("contact",): "bijgewerkt", ("locatie",): "verhuizing",
               ("contact", "locatie"): "bijgewerkt-verhuizing"}.get(tuple(gedaan), "ongewijzigd")
    return RedirectResponse(f"{MIJN}?melding={melding}", status_code=303)
