"""What residents do in zelfbeheer: request a plot, join a group, answer an invitation, keep
the log, and manage their own groups on Mijn groen. Every POST is CSRF-checked; the services
decide who may do what."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from app.api.account import CsrfProtect, RequireUser, site_url
from app.api.common import (
    ACTIVITEIT_LABEL,
    ADOPTIE_STATUS_LABEL,
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    kaart_settings,
)
from app.api.zelfbeheer.fotos import photo_limits, photo_store
from app.config import Settings
from app.errors import DomainError, InvalidFields, status_for
from app.geo.plot_map import groenvak_map
from app.models import Foto, Gebruiker, Gemeente
from app.services import zelfbeheer
from app.services.gebieden import gemeente_van
from app.services.zelfbeheer import adoptie_ophalen, deelname_ophalen, groenvak_paneel, mijn_groen

router = APIRouter(include_in_schema=False)

MELDINGEN = {
    "aangevraagd": "Uw aanvraag is opgeslagen. U ontvangt bericht per e-mail.",
    "aansluiten": "Uw verzoek om aan te sluiten is verstuurd naar de contactpersoon van de groep.",
    "uitnodiging": "U doet nu mee met de groep.",
    "ingetrokken": "De aanvraag is ingetrokken.",
    "beeindigd": "Het zelfbeheer is beëindigd.",
    "verlaten": "U heeft de groep verlaten.",
    "besloten": "Uw besluit is doorgegeven.",
    "onderhoud": "Het onderhoud is toegevoegd aan het logboek.",
}


def _done(melding: str) -> Response:
    """POST/redirect/GET to Mijn groen with a fixed message (never echo input)."""
    return RedirectResponse(f"/mijn-groen?melding={melding}", status_code=303)


def _field_of(message: str, fields: dict[str, tuple[str, ...]]) -> str:
    """Which form field a service message is about, by its words; '' for the whole form."""
    lower = message.lower()
    for name, words in fields.items():
        if any(word in lower for word in words):
            return name
    return ""


AANVRAAG_VELDEN = {"groepsnaam": ("naam",), "voorwaarden": ("voorwaarden",),
                   "mede_aanvragers": ("e-mail", "adres")}


@router.get("/zelfbeheer/groenvak/{groenvak_id}/aanvragen", response_class=HTMLResponse)
def aanvraag_formulier(groenvak_id: int, request: Request, session: SessionDep,
                       templates: TemplatesDep, settings: SettingsDep, user: RequireUser,
                       gemeente: GemeenteDep) -> HTMLResponse:
    """The request form with the plot on a small map and the gemeente's conditions in full."""
    return _aanvraag_pagina(request, session, templates, settings, gemeente, groenvak_id, {}, {})


def _aanvraag_pagina(request: Request, session: Session, templates: Jinja2Templates,
                     settings: Settings, gemeente: Gemeente, groenvak_id: int,
                     waarden: Mapping[str, object], fouten: dict[str, str],
                     status_code: int = 200) -> HTMLResponse:
    paneel = groenvak_paneel(session, gemeente.code, groenvak_id)
    plek = zelfbeheer.plek_van(session, groenvak_id)
    settings = kaart_settings(request, session, settings, gemeente.code)
    kaart = (groenvak_map(plek.geojson, settings.basemap_url, settings.basemap_attributie)
             if plek.geojson else None)
    return templates.TemplateResponse(request, "pages/aanvragen.html", {
        "gemeente": gemeente, "p": paneel, "plek": plek, "kaart": kaart,
        "voorwaarden": gemeente_van(session, gemeente.code).overeenkomst_tekst,
        "min_huishoudens": gemeente.min_huishoudens, "waarden": waarden, "fouten": fouten},
        status_code=status_code)


@router.post("/zelfbeheer/groenvak/{groenvak_id}/aanvragen", dependencies=[CsrfProtect])
def aanvragen(groenvak_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
              settings: SettingsDep, user: RequireUser, gemeente: GemeenteDep,
              groepsnaam: Annotated[str, Form()] = "", motivatie: Annotated[str, Form()] = "",
              plan: Annotated[str, Form()] = "", mede_aanvragers: Annotated[str, Form()] = "",
              groepsnaam_openbaar: Annotated[str, Form()] = "",
              voorwaarden: Annotated[str, Form()] = "") -> Response:
    """Create the adoptie (concept, or aangevraagd when enough households take part)."""
    waarden = {"groepsnaam": groepsnaam, "motivatie": motivatie, "plan": plan,
               "mede_aanvragers": mede_aanvragers, "groepsnaam_openbaar": bool(groepsnaam_openbaar),
               "voorwaarden": bool(voorwaarden)}
    emails = [e.strip() for e in mede_aanvragers.replace(",", "\n").splitlines() if e.strip()]
    try:
        zelfbeheer.aanvragen(session, user, groenvak_id, groepsnaam, bool(groepsnaam_openbaar),
                             motivatie, plan, emails, bool(voorwaarden),
                             site_url(request))
    except DomainError as exc:
        session.rollback()
        fouten = (exc.fouten if isinstance(exc, InvalidFields)
                  else {_field_of(str(exc), AANVRAAG_VELDEN) or "formulier": str(exc)})
        return _aanvraag_pagina(request, session, templates, settings, gemeente, groenvak_id,
                                waarden, fouten, status_for(exc))
    session.commit()
    return _done("aangevraagd")


def _bevestig(request: Request, templates: Jinja2Templates, gemeente: Gemeente, titel: str,
              tekst: str, actie: str, knoppen: list[tuple[str, str]], fout: str = "",
              status_code: int = 200) -> HTMLResponse:
    """A small confirmation page with one form and its buttons (name=keuze)."""
    return templates.TemplateResponse(request, "pages/bevestigen.html", {
        "gemeente": gemeente, "titel": titel, "tekst": tekst, "actie": actie,
        "knoppen": knoppen, "fout": fout}, status_code=status_code)


@router.get("/zelfbeheer/adoptie/{adoptie_id}/aansluiten", response_class=HTMLResponse)
def aansluiten_formulier(adoptie_id: int, request: Request, session: SessionDep,
                         templates: TemplatesDep, user: RequireUser,
                         gemeente: GemeenteDep) -> HTMLResponse:
    adoptie = adoptie_ophalen(session, gemeente.code, adoptie_id)
    naam = adoptie.groepsnaam if adoptie.groepsnaam_openbaar else "de groep"
    return _bevestig(request, templates, gemeente, "Vragen om aan te sluiten",
                     f"Wilt u meedoen met {naam}? De contactpersoon van de groep krijgt uw "
                     "verzoek en ziet dan uw naam.", f"/zelfbeheer/adoptie/{adoptie_id}/aansluiten",
                     [("ja", "Ja, vraag om aan te sluiten")])


@router.post("/zelfbeheer/adoptie/{adoptie_id}/aansluiten", dependencies=[CsrfProtect])
def aansluiten(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
               user: RequireUser, gemeente: GemeenteDep) -> Response:
    try:
        zelfbeheer.aansluiten_vragen(session, user, adoptie_ophalen(session, gemeente.code,
                                                                    adoptie_id))
    except DomainError as exc:
        session.rollback()
        return _bevestig(request, templates, gemeente, "Vragen om aan te sluiten", "",
                         f"/zelfbeheer/adoptie/{adoptie_id}/aansluiten", [], str(exc),
                         status_for(exc))
    session.commit()
    return _done("aansluiten")


@router.get("/mijn-groen", response_class=HTMLResponse)
def mijn_groen_pagina(request: Request, session: SessionDep, templates: TemplatesDep,
                      user: RequireUser, gemeente: GemeenteDep,
                      melding: str = "") -> HTMLResponse:
    """My groups, invitations, join requests and recent work, with what I can do next."""
    return _mijn_groen(request, session, templates, gemeente, user, MELDINGEN.get(melding))


def _mijn_groen(request: Request, session: Session, templates: Jinja2Templates,
                gemeente: Gemeente, user: Gebruiker,
                melding: str | None = None, fout: str | None = None,
                status_code: int = 200,
                onderhoud_form: Mapping[str, object] | None = None) -> HTMLResponse:
    return templates.TemplateResponse(request, "pages/mijn_groen.html", {
        "gemeente": gemeente, "m": mijn_groen(session, user), "melding": melding, "fout": fout,
        "activiteiten": ACTIVITEIT_LABEL, "vandaag": date.today().isoformat(),
        "statussen": ADOPTIE_STATUS_LABEL, "onderhoud_form": onderhoud_form},
        status_code=status_code)


def _act(request: Request, session: Session, templates: Jinja2Templates, gemeente: Gemeente,
         user: Gebruiker, action: Callable[[], object], melding: str) -> Response:
    """Run a Mijn-groen action; a refusal shows Mijn groen again with the reason on top."""
    try:
        action()
    except DomainError as exc:
        session.rollback()
        return _mijn_groen(request, session, templates, gemeente, user, fout=str(exc),
                           status_code=status_for(exc))
    session.commit()
    return _done(melding)


@router.post("/mijn-groen/adopties/{adoptie_id}/intrekken", dependencies=[CsrfProtect])
def intrekken(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
              user: RequireUser, gemeente: GemeenteDep) -> Response:
    return _act(request, session, templates, gemeente, user, lambda: zelfbeheer.intrekken(
        session, user, adoptie_ophalen(session, gemeente.code, adoptie_id)), "ingetrokken")


@router.post("/mijn-groen/adopties/{adoptie_id}/beeindigen", dependencies=[CsrfProtect])
def beeindigen(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
               user: RequireUser, gemeente: GemeenteDep,
               reden: Annotated[str, Form()] = "") -> Response:
    return _act(request, session, templates, gemeente, user, lambda: zelfbeheer.beeindigen(
        session, user, adoptie_ophalen(session, gemeente.code, adoptie_id), reden), "beeindigd")


@router.post("/mijn-groen/adopties/{adoptie_id}/verlaten", dependencies=[CsrfProtect])
def verlaten(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
             user: RequireUser, gemeente: GemeenteDep) -> Response:
    return _act(request, session, templates, gemeente, user, lambda: zelfbeheer.verlaten(
        session, user, adoptie_ophalen(session, gemeente.code, adoptie_id)), "verlaten")


@router.post("/mijn-groen/deelnames/{deelname_id}/beslissen", dependencies=[CsrfProtect])
def beslissen(deelname_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
              user: RequireUser, gemeente: GemeenteDep,
              keuze: Annotated[str, Form()] = "") -> Response:
    if keuze not in ("ja", "nee"):  # no clear choice: nothing is decided
        return _mijn_groen(request, session, templates, gemeente, user,
                           fout="Kies ‘Toelaten’ of ‘Afwijzen’.", status_code=400)
    return _act(request, session, templates, gemeente, user,
                lambda: zelfbeheer.aansluiten_beslissen(
                    session, user, deelname_ophalen(session, gemeente.code, deelname_id),
                    keuze == "ja"),
                "besloten")


ONDERHOUD_VELDEN = {"datum": ("datum",), "activiteit": ("activiteit",),
                    "fotos": ("foto", "afbeelding")}
FOTO_NUMMER = re.compile(r"^Foto (\d+): ")


def _datum(datum: str, fouten: dict[str, str]) -> date | None:
    if not datum.strip():
        fouten["datum"] = "Vul de datum in waarop u het onderhoud deed."
        return None
    try:
        return date.fromisoformat(datum.strip())
    except ValueError:
        fouten["datum"] = "Vul een geldige datum in, bijvoorbeeld 31-05-2025."
        return None


def _foto_fout(message: str, namen: list[str]) -> str:
    """A photo's error names the file the resident chose, not just its number."""
    found = FOTO_NUMMER.match(message)
    if found and 0 < int(found.group(1)) <= len(namen):
        return f"{namen[int(found.group(1)) - 1]}: {message[found.end():]}"
    return f"{namen[0]}: {message}" if len(namen) == 1 else message


@router.post("/mijn-groen/adopties/{adoptie_id}/onderhoud", dependencies=[CsrfProtect])
def onderhoud_toevoegen(adoptie_id: int, request: Request, session: SessionDep,
                        templates: TemplatesDep, user: RequireUser, gemeente: GemeenteDep,
                        datum: Annotated[str, Form()] = "",
                        activiteit: Annotated[str, Form()] = "",
                        notitie: Annotated[str, Form()] = "",
                        fotos: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """A log entry with up to 5 photos, every field checked in one pass; one bad photo (or a
    full disk) keeps the whole entry out, and the form comes back open with what was typed,
    the names of the chosen files and the reasons beside the fields."""
    store, limits = photo_store(request), photo_limits(request)
    gekozen = [f for f in (fotos or []) if f.filename]
    namen = [f.filename or "" for f in gekozen]
    saved: list[Foto] = []
    fouten: dict[str, str] = {}
    dag = _datum(datum, fouten)
    if activiteit not in ACTIVITEIT_LABEL:
        fouten["activiteit"] = "Kies wat u heeft gedaan."
    adoptie = adoptie_ophalen(session, gemeente.code, adoptie_id)
    fout: str | None = None
    status = 400
    try:  # checked on a stand-in date and activity too, so every field answers at once
        regel = zelfbeheer.onderhoud_toevoegen(
            session, user, adoptie, dag or date.today(),
            activiteit if "activiteit" not in fouten else next(iter(ACTIVITEIT_LABEL)), notitie)
        files = [f.file.read(limits.max_bytes + 1) for f in gekozen]  # one byte over is enough
        try:
            saved.extend(zelfbeheer.add_photos(session, store, regel, files, limits))
        except DomainError as exc:
            if _field_of(str(exc), ONDERHOUD_VELDEN) != "fotos":
                raise
            fouten["fotos"] = _foto_fout(str(exc), namen)
            status = status_for(exc)  # 413 for a photo too large, 415 for no photo
    except DomainError as exc:
        field = _field_of(str(exc), ONDERHOUD_VELDEN)
        status = status_for(exc) if not fouten or field == "fotos" else status
        if field:
            fouten.setdefault(field, str(exc))
        else:
            fout = str(exc)
    if fouten or fout:
        status = 400 if len(fouten) > 1 else status  # several fields: plain bad input
        session.rollback()
        for foto in saved:
            store.delete(foto.opslag_sleutel)
        form = {"adoptie_id": adoptie_id, "fouten": fouten,
                "waarden": {"datum": datum, "activiteit": activiteit, "notitie": notitie,
                            "fotos": namen}}
        return _mijn_groen(request, session, templates, gemeente, user, fout=fout,
                           status_code=status, onderhoud_form=form)
    try:
        session.commit()
    except BaseException:
        for foto in saved:
            store.delete(foto.opslag_sleutel)
        raise
    return _done("onderhoud")
