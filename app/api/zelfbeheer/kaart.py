"""Zelfbeheer for residents: the map of groenvakken, search, and the same as a table."""

from __future__ import annotations

import json
from dataclasses import asdict

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.api.common import (
    ACTIVITEIT_LABEL,
    GROENVAK_STATUS_KLEUR,
    GROENVAK_STATUS_LABEL,
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    is_htmx,
    kaart_settings,
    render,
)
from app.api.ogc import parse_cursor
from app.errors import InvalidInput, NotFound
from app.geo.collections import GROENVAK_STATUS, GROENVAKKEN
from app.geo.features import FeatureQuery, page
from app.geo.maps import gebieden_map
from app.services import gebieden, geografie
from app.services.zelfbeheer import groenvak_paneel

router = APIRouter(include_in_schema=False)
STRAAL_M = 100  # metres around an address for "groenvakken in de buurt"

def _map_context(request: Request, session: SessionDep, settings: SettingsDep,
                 gemeente: GemeenteDep, zoek: str = "") -> dict[str, object]:
    """What the map page needs; the groenvak page is the same page with its panel filled.
    `tellingen`: groenvakken per wijk and dorp (counts before plots are drawn, the first view)."""
    settings = kaart_settings(request, session, settings, gemeente.code)
    tellingen = [asdict(t) for t in gebieden.groen_per_gebied(session, gemeente.code)]
    return {"tellingen_json": json.dumps(tellingen, ensure_ascii=False),
            "gemeente": gemeente, "zoek": zoek,
            "resultaten": gebieden.search(session, gemeente.code, zoek) if zoek.strip() else [],
            "kaart": gebieden_map(gebieden.boundaries_geojson(session, gemeente.code),
                                  gebieden.extent_latlon(session, gemeente.code),
                                  settings.basemap_url, settings.basemap_attributie, fill=0),
            "labels": GROENVAK_STATUS_LABEL, "kleuren": GROENVAK_STATUS_KLEUR,
            "activiteiten": ACTIVITEIT_LABEL, "labels_json": json.dumps(GROENVAK_STATUS_LABEL),
            "kleuren_json": json.dumps(GROENVAK_STATUS_KLEUR)}


@router.get("/zelfbeheer", response_class=HTMLResponse)
def kaart(request: Request, session: SessionDep, settings: SettingsDep, templates: TemplatesDep,
          gemeente: GemeenteDep, zoek: str = Query("", max_length=100),
          adres: int | None = Query(None), bbox: str = Query("", max_length=100)) -> HTMLResponse:
    """Groenvakken on a map by status; search by wijk, dorp or name. From the town search
    without JavaScript: ?adres= (the map there, its groenvakken listed) or ?bbox= (a street)."""
    context = _map_context(request, session, settings, gemeente, zoek)
    if adres is not None:
        context |= _dichtbij(session, gemeente.code, adres)
        punt = geografie.adres_punt(session, gemeente.code, adres) or (0.0, 0.0)
        context["focus"] = (punt[0] - 0.001, punt[1] - 0.0015, punt[0] + 0.001, punt[1] + 0.0015)
    elif bbox:
        try:
            w, s, e, n = (float(v) for v in bbox.split(","))
        except ValueError:
            raise InvalidInput("bbox: vier getallen, gescheiden door komma's.") from None
        context["focus"] = (s, w, n, e)
    return templates.TemplateResponse(request, "pages/zelfbeheer.html", context)


def _dichtbij(session: SessionDep, gemeente_code: str, adres_id: int) -> dict[str, object]:
    groenvakken = geografie.groenvakken_dichtbij(session, gemeente_code, adres_id, STRAAL_M)
    punt = geografie.adres_punt(session, gemeente_code, adres_id)
    if groenvakken is None or punt is None:
        raise NotFound("Dit adres kennen we niet.")
    return {"dichtbij": groenvakken, "straal": STRAAL_M, "labels": GROENVAK_STATUS_LABEL}


@router.get("/zelfbeheer/in-de-buurt", response_class=HTMLResponse)
def in_de_buurt(request: Request, session: SessionDep, templates: TemplatesDep,
                gemeente: GemeenteDep, adres: int = Query(...)) -> HTMLResponse:
    """The groenvakken nearest to an address, nearest first (a partial for the map page)."""
    return templates.TemplateResponse(request, "partials/groenvakken_dichtbij.html",
                                      _dichtbij(session, gemeente.code, adres))


@router.get("/zelfbeheer/groenvak/{groenvak_id}", response_class=HTMLResponse)
def groenvak(groenvak_id: int, request: Request, session: SessionDep, settings: SettingsDep,
             templates: TemplatesDep, gemeente: GemeenteDep) -> HTMLResponse:
    """One groenvak's panel (htmx), or the map page focused on it with the panel filled."""
    paneel = groenvak_paneel(session, gemeente.code, groenvak_id)
    context: dict[str, object] = {"p": paneel, "labels": GROENVAK_STATUS_LABEL,
                                  "gemeente": gemeente, "activiteiten": ACTIVITEIT_LABEL}
    if not is_htmx(request):
        context |= _map_context(request, session, settings, gemeente)
        context["focus"] = gebieden.groenvak_bounds(session, gemeente.code, groenvak_id)
    return render(request, templates, "pages/groenvak.html", "partials/groenvak_paneel.html",
                  context)


@router.get("/zelfbeheer/lijst", response_class=HTMLResponse)
def lijst(request: Request, session: SessionDep, templates: TemplatesDep,
          gemeente: GemeenteDep, wijk: str = Query(""), status: str = Query(""),
          cursor: str | None = Query(None)) -> HTMLResponse:
    """The same groenvakken as an accessible table, per wijk or dorp, 50 at a time."""
    wijken = gebieden.overview(session, gemeente.code)
    fouten: dict[str, str] = {}
    if wijk and wijk not in {w.code for w in wijken}:
        fouten["wijk"] = "Kies een wijk of dorp uit de lijst."
    if status and status not in GROENVAK_STATUS:
        fouten["status"] = "Kies een status uit de lijst."
    try:
        after, _ = parse_cursor(cursor)
    except InvalidInput:
        after = None
    rijen, volgende = [], None
    if wijk and not fouten:
        equals = {"gemeente": gemeente.code, "wijk": wijk, **({"status": status} if status else {})}
        result = page(session, FeatureQuery(collection=GROENVAKKEN, limit=50, after=after,
                                            equals=equals))
        rijen = [f["properties"] | {"id": f["id"]} for f in json.loads(f"[{result.features}]")]
        volgende = f"a{result.last_id}" if result.more else None
    return templates.TemplateResponse(request, "pages/zelfbeheer_lijst.html", {
        "gemeente": gemeente, "wijken": wijken, "wijk": wijk, "status": status, "rijen": rijen,
        "volgende": volgende, "labels": GROENVAK_STATUS_LABEL, "fouten": fouten},
        status_code=400 if fouten else 200)
