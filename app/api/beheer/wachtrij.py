"""Beheer › Aanvragen: the queue as a list and a map, filtered by wijk and status, and one
decision (approve or reject with one shared reason) for the requests ticked in the list.

The decision for many checks its fields like the single form on the adoptie page, then runs the
single decision per request (app.services.zelfbeheer.bulk_beoordelen); a request that is refused
is named with the reason and keeps its status, the others are decided and committed.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.api.account import CsrfProtect
from app.api.beheer.pagina import STATUS_LABEL, StaffHere, pagina
from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep
from app.config import Settings
from app.geo.maps import MAP_NAME, MapParts, layer, map_parts
from app.models import Gebruiker, Gemeente
from app.services import gebieden, zelfbeheer
from app.services.zelfbeheer import WACHTEND

router = APIRouter(include_in_schema=False)

MAX_TEKST = 2000
PUNT_KLEUR = "#b35900"
# ?melding=<key> after a decision for many: fixed texts, the query string is never echoed.
MELDINGEN = {"goedgekeurd": "De gekozen aanvragen zijn goedgekeurd. De groepen krijgen bericht "
                            "per e-mail.",
             "afgewezen": "De gekozen aanvragen zijn afgewezen. De groepen krijgen de reden per "
                          "e-mail."}
WACHTEND_LABEL = {"aangevraagd": "Wacht op besluit van de gemeente",
                  "concept": "Wacht nog op huishoudens"}


def _kaart(session: Session, settings: Settings, user: Gebruiker,
           rijen: list[dict[str, object]]) -> MapParts | None:
    """The waiting plots as points on a map (static/js/kaartbasis.js draws it)."""
    if not rijen:
        return None
    found = zelfbeheer.wachtrij_kaart(session, user, [int(str(r["adoptie_id"])) for r in rijen])
    punten = layer(f"{MAP_NAME}Wachtrij", json.loads(found.geojson),
                   {"color": PUNT_KLEUR, "weight": 3, "fillOpacity": 0.6},
                   points={"radius": 9}, hover={"weight": 5, "fillOpacity": 0.9},
                   tooltip=[("groep", "Groep"), ("groenvak", "Groenvak"), ("wijk", "Wijk")])
    return map_parts([punten], settings.basemap_url, settings.basemap_attributie,
                     bounds=found.bounds, fit={"padding": [30, 30], "maxZoom": 17})


def _pagina(request: Request, session: Session, templates: TemplatesDep, settings: Settings,
            gemeente: Gemeente, user: Gebruiker, wijk: str, status: str,
            fouten: dict[str, str] | None = None, waarden: dict[str, object] | None = None,
            mislukt: list[tuple[int, str, str]] | None = None, melding: str | None = None,
            status_code: int = 200) -> HTMLResponse:
    """The queue with its filters; errors of the filters or of the decision on top."""
    wijken = [w for w in gebieden.overview(session, gemeente.code) if w.soort in ("wijk", "dorp")]
    filterfouten: dict[str, str] = {}
    if wijk and wijk not in {w.code for w in wijken}:
        filterfouten["wijk"] = "Kies een wijk of dorp uit de lijst."
    if status not in WACHTEND:
        filterfouten["status"] = "Kies een status uit de lijst."
    rijen = ([] if filterfouten else
             zelfbeheer.wachtrij(session, user, wijk or None, status))
    return pagina(request, templates, "aanvragen.html", gemeente,
                  400 if filterfouten else status_code,
                  wijken=[(w.code, f"{w.naam} ({w.soort})") for w in wijken],
                  statussen=list(WACHTEND_LABEL.items()), wijk=wijk, status=status,
                  filterfouten=filterfouten, rijen=rijen,
                  kaart=_kaart(session, settings, user, rijen),
                  fouten=fouten or {}, waarden=waarden or {"adopties": []},
                  mislukt=mislukt or [], melding=melding, status_label=STATUS_LABEL)


@router.get("/beheer/aanvragen", response_class=HTMLResponse)
def aanvragen(request: Request, session: SessionDep, templates: TemplatesDep,
              settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
              wijk: str = Query("", max_length=40),
              status: str = Query("aangevraagd", max_length=40),
              melding: str = "") -> HTMLResponse:
    """Requests waiting for a decision (or for households), oldest first, on a map and a list."""
    return _pagina(request, session, templates, settings, gemeente, user, wijk, status,
                   melding=MELDINGEN.get(melding))


@router.post("/beheer/aanvragen/besluit", dependencies=[CsrfProtect])
def besluit(request: Request, session: SessionDep, templates: TemplatesDep,
            settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
            adopties: Annotated[list[str] | None, Form()] = None,
            besluit: Annotated[str, Form()] = "", toelichting: Annotated[str, Form()] = "",
            wijk: Annotated[str, Form()] = "", status: Annotated[str, Form()] = "aangevraagd"
            ) -> Response:
    """Approve or reject every ticked request with one reason; every field checked at once."""
    gekozen = [a for a in adopties or [] if a.isdigit() and len(a) < 12]
    waarden: dict[str, object] = {"adopties": gekozen, "besluit": besluit,
                                  "toelichting": toelichting}
    fouten: dict[str, str] = {}
    if not gekozen:
        fouten["adopties"] = "Kies minstens één aanvraag in de lijst."
    if besluit not in ("goedkeuren", "afwijzen"):
        fouten["besluit"] = "Kies of u de aanvragen goedkeurt of afwijst."
    elif besluit == "afwijzen" and not toelichting.strip():
        fouten["toelichting"] = ("Geef de reden van de afwijzing; de groepen krijgen die per "
                                 "e-mail.")
    if len(toelichting) > MAX_TEKST:
        fouten["toelichting"] = f"Gebruik hoogstens {MAX_TEKST} tekens (nu {len(toelichting)})."
    if status not in WACHTEND:
        status = "aangevraagd"
    if fouten:
        return _pagina(request, session, templates, settings, gemeente, user, wijk, status,
                       fouten, waarden, status_code=400)
    goedkeuren = besluit == "goedkeuren"
    uitkomst = zelfbeheer.bulk_beoordelen(session, user, [int(a) for a in gekozen], goedkeuren,
                                          toelichting)
    session.commit()
    if not uitkomst.mislukt:
        return RedirectResponse(
            f"/beheer/aanvragen?melding={'goedgekeurd' if goedkeuren else 'afgewezen'}",
            status_code=303)
    gedaan = len(uitkomst.gelukt)
    melding = (f"{gedaan} aanvra{'ag is' if gedaan == 1 else 'gen zijn'} "
               f"{'goedgekeurd' if goedkeuren else 'afgewezen'}." if gedaan else None)
    waarden["adopties"] = [str(i) for i, _, _ in uitkomst.mislukt]
    return _pagina(request, session, templates, settings, gemeente, user, wijk, status,
                   None, waarden, mislukt=uitkomst.mislukt, melding=melding,
                   status_code=200 if gedaan else 409)
