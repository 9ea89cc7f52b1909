"""What the voorziening forms share: reading the fields, the map picker, the page context.

Staff (Beheer), residents (voorstellen) and the accept form show the same fields from
templates/macros/voorziening.html; the map picker is the gemeente's wijken and dorpen on a
Leaflet map, and static/js/kaartprikker.js puts a marker where one clicks and fills lat/lon.
Without JavaScript the fields alone do the job.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from app.api.common import dag, moment
from app.config import Settings
from app.geo.maps import MapParts, gebieden_map
from app.models import Gemeente
from app.services import gebieden
from app.services.voorzieningen import STATUS_LABEL, Invoer
from app.services.voorzieningen import voorziening_categorieen as categorieen

VOORSTEL_STATUS_LABEL = {"ingediend": "In behandeling", "geaccepteerd": "Geaccepteerd",
                         "afgewezen": "Afgewezen"}
# The error summary links each message to its input.
VELD_IDS = {"locatie": "veld-lat", "formulier": "formulier-voorziening"}


async def _formulier(request: Request) -> dict[str, str]:
    """The posted form as text (the CSRF check has read and cached it already)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


Formulier = Annotated[dict[str, str], Depends(_formulier)]


def invoer(formulier: dict[str, str], staff: bool = False) -> Invoer:
    """The voorziening fields of a form; staff-only fields are dropped for residents."""
    found = Invoer.uit(formulier)
    if not staff:
        found.bron = found.laatst_gecontroleerd = ""
    return found


def prikker(session: Session, settings: Settings, gemeente: Gemeente) -> MapParts:
    """The gemeente's wijken and dorpen to click a place in."""
    return gebieden_map(gebieden.boundaries_geojson(session, gemeente.code),
                        gebieden.extent_latlon(session, gemeente.code),
                        settings.basemap_url, settings.basemap_attributie, fill=0.04)


def context(session: Session, settings: Settings, gemeente: Gemeente, waarden: dict[str, str],
            fouten: dict[str, str], **extra: object) -> dict[str, object]:
    """What a page with the voorziening form needs."""
    return {"gemeente": gemeente, "waarden": waarden, "fouten": fouten,
            "categorieen": [(str(i), f"{naam} (initiatief)" if init else naam)
                            for i, naam, init in categorieen(session, gemeente.code)],
            "kaart": prikker(session, settings, gemeente), "veld_ids": VELD_IDS,
            "status_label": STATUS_LABEL, "voorstel_label": VOORSTEL_STATUS_LABEL,
            "dag": dag, "moment": moment, **extra}


def toon(request: Request, templates: Jinja2Templates, naam: str, ctx: dict[str, object],
         status_code: int = 200) -> HTMLResponse:
    """A page with personal or pending data: never in a shared cache."""
    response = templates.TemplateResponse(request, naam, ctx, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response
