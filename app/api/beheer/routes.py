"""Beheer: the gemeente's staff decide on zelfbeheer requests and follow running adopties.

Every route needs a logged-in medewerker or beheerder of this site's gemeente (residents get
403, visitors go to the login page). The forms' POST routes live in beheer_acties.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.api.beheer import acties as beheer_acties
from app.api.beheer import importeren as beheer_import
from app.api.beheer import wachtrij as beheer_wachtrij
from app.api.beheer.pagina import (
    MELDINGEN,
    STATUS_LABEL,
    StaffHere,
    adoptie_pagina,
    groenvak_pagina,
    pagina,
)
from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep
from app.services import gebieden, zelfbeheer
from app.services.zelfbeheer import adopties_per_gebied
from app.workflow import STATUSSEN

router = APIRouter(include_in_schema=False)
router.include_router(beheer_acties.router)
router.include_router(beheer_import.router)
router.include_router(beheer_wachtrij.router)


@router.get("/beheer", response_class=HTMLResponse)
def start(request: Request, session: SessionDep, templates: TemplatesDep, gemeente: GemeenteDep,
          user: StaffHere, zoek: str = Query("", max_length=100)) -> HTMLResponse:
    """What waits for staff, with links, and a search to find a groenvak by name or number."""
    gevonden = [r for r in gebieden.search(session, gemeente.code, zoek)
                if r.soort == "groenvak"] if zoek.strip() else []
    return pagina(request, templates, "index.html", gemeente,
                  tellingen=zelfbeheer.tellingen(session, user), zoek=zoek, gevonden=gevonden)


@router.get("/beheer/adopties", response_class=HTMLResponse)
def adopties(request: Request, session: SessionDep, templates: TemplatesDep,
             gemeente: GemeenteDep, user: StaffHere, wijk: str = Query("", max_length=40),
             status: str = Query("", max_length=40),
             schouw: str = Query("", max_length=10)) -> HTMLResponse:
    """All adopties per wijk or dorp, filtered by area and status; schouw=zonder: running
    ones without a schouw in the past year."""
    wijken = gebieden.overview(session, gemeente.code)
    fouten: dict[str, str] = {}
    if wijk and wijk not in {w.code for w in wijken}:
        fouten["wijk"] = "Kies een wijk of dorp uit de lijst."
    if status and status not in STATUSSEN:
        fouten["status"] = "Kies een status uit de lijst."
    if schouw not in ("", "zonder"):
        fouten["schouw"] = "Kies of u alleen adopties zonder schouw wilt zien."
    rijen = [] if fouten else adopties_per_gebied(session, user, wijk or None, status or None,
                                                  zonder_schouw=schouw == "zonder")
    return pagina(request, templates, "adopties.html", gemeente, 400 if fouten else 200,
                  wijken=[(w.code, f"{w.naam} ({w.soort})") for w in wijken],
                  statussen=[(s, STATUS_LABEL[s]) for s in STATUSSEN], wijk=wijk,
                  status=status, schouw=schouw, fouten=fouten, rijen=rijen)


@router.get("/beheer/groenvakken", response_class=HTMLResponse)
def groenvakken(request: Request, session: SessionDep, templates: TemplatesDep,
                gemeente: GemeenteDep, user: StaffHere,
                geschikt: str = Query("nee", max_length=10)) -> HTMLResponse:
    """Current groenvakken that are (geschikt=ja) or are not suitable for zelfbeheer."""
    fouten = {} if geschikt in ("ja", "nee") else {
        "geschikt": "Kies of u de geschikte of de niet geschikte groenvakken wilt zien."}
    rijen = [] if fouten else zelfbeheer.groenvakken_lijst(session, user, geschikt == "ja")
    return pagina(request, templates, "groenvakken.html", gemeente, 400 if fouten else 200,
                  geschikt=geschikt, fouten=fouten, rijen=rijen)


@router.get("/beheer/adopties/{adoptie_id}", response_class=HTMLResponse)
def adoptie(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
            settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
            melding: str = "") -> HTMLResponse:
    """One adoptie: the plot on a map, the group, the plan, its history and what can be done."""
    return adoptie_pagina(request, session, templates, settings, gemeente, user, adoptie_id,
                          melding=MELDINGEN.get(melding))


@router.get("/beheer/groenvakken/{groenvak_id}", response_class=HTMLResponse)
def groenvak(groenvak_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
             settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
             melding: str = "") -> HTMLResponse:
    """One groenvak: facts, adopties over time and whether residents may adopt it."""
    return groenvak_pagina(request, session, templates, settings, gemeente, user, groenvak_id,
                           melding=MELDINGEN.get(melding))
