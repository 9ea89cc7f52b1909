"""The page of one wijk or dorp: map, figures per category, zelfbeheer, witte vlekken."""

from __future__ import annotations

import json
import threading
from time import perf_counter

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.common import (
    GROENVAK_STATUS_KLEUR,
    GROENVAK_STATUS_LABEL,
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    kaart_settings,
)
from app.errors import InvalidInput, NotFound
from app.geo.gebied_map import Laag, Punt, gebied_map
from app.geo.maps import MapParts
from app.services import bereikbaarheid
from app.services.gebieden import (
    DREMPELS_M,
    GebiedPagina,
    categorie_bestaat,
    gebied_kengetallen,
    gebied_pagina,
    witte_vlekken_geojson,
)

router = APIRouter(include_in_schema=False)

PAD = {"wijk": "wijken", "dorp": "dorpen"}
SOORT_LABEL = {"wijk": "Wijk", "dorp": "Dorp"}
NIET_GEVONDEN = {"wijken": "Deze wijk bestaat niet.", "dorpen": "Dit dorp bestaat niet."}

# Rendered maps per (gemeente, code, berekend_op, basemap): the map shows only what the cached
# figures were computed from (boundary, published voorzieningen, categories), so a new
# berekend_op is a new map. Building the map description takes a few ms; a hit costs nothing.
# Oldest goes first when full.
KAARTEN_MAX = 64
_KAARTEN_LOCK = threading.Lock()
Kaarten = dict[tuple[str, ...], tuple[MapParts, dict[str, str]]]


def _kaarten(request: Request) -> Kaarten:
    """This app's map cache (one per app, so tests with their own app share nothing)."""
    kaarten: Kaarten | None = getattr(request.app.state, "gebied_kaarten", None)
    if kaarten is None:
        kaarten = request.app.state.gebied_kaarten = {}
    return kaarten


def _gebied(session: SessionDep, gemeente_code: str, pad: str, code: str) -> GebiedPagina:
    pagina = gebied_pagina(session, gemeente_code, code)
    if pagina is None or pagina.soort not in PAD:
        raise NotFound(NIET_GEVONDEN[pad])
    return pagina


def _page(pad: str, code: str, request: Request, session: SessionDep, settings: SettingsDep,
          templates: TemplatesDep, gemeente: GemeenteDep) -> Response:
    start = perf_counter()
    pagina = _gebied(session, gemeente.code, pad, code)
    if PAD[pagina.soort] != pad:  # /wijken/<dorp> and /dorpen/<wijk> go to the right place
        return RedirectResponse(f"/{PAD[pagina.soort]}/{pagina.code}", status_code=308)
    kengetallen = gebied_kengetallen(session, gemeente.code, pagina.code,
                                     loopsnelheid_kmh=settings.loopsnelheid_kmh)
    settings = kaart_settings(request, session, settings, gemeente.code)
    assert kengetallen is not None  # the gebied exists and is a wijk or dorp
    lagen = [Laag(c.categorie_code, c.categorie_naam, c.kleur,
                  [Punt(v.id, v.naam, v.lat, v.lon) for v in pagina.voorzieningen
                   if v.categorie_code == c.categorie_code])
             for c in kengetallen.categorieen]
    key = (gemeente.code, pagina.code, kengetallen.berekend_op.isoformat(),
           settings.basemap_url, settings.basemap_attributie)
    kaarten = _kaarten(request)
    if (kaart_en_namen := kaarten.get(key)) is None:
        kaart_en_namen = gebied_map(pagina.grens_geojson, pagina.soort, pagina.bounds, lagen,
                                    settings.basemap_url, settings.basemap_attributie)
        with _KAARTEN_LOCK:  # sync routes run in a thread pool
            while len(kaarten) >= KAARTEN_MAX:
                kaarten.pop(next(iter(kaarten)))
            kaarten[key] = kaart_en_namen
    kaart, laagnamen = kaart_en_namen
    response = templates.TemplateResponse(request, "pages/gebied.html", {
        "gemeente": gemeente, "gebied": pagina, "k": kengetallen, "pad": pad,
        "soort_label": SOORT_LABEL[pagina.soort], "kaart": kaart, "lagen": lagen,
        "laagnamen_json": json.dumps(laagnamen), "basemap": bool(settings.basemap_url),
        "drempels": DREMPELS_M, "minuten": bereikbaarheid.MINUTEN,
        "groen_m": bereikbaarheid.GROEN_M,
        "loopsnelheid": f"{settings.loopsnelheid_kmh:g}".replace(".", ","),
        "fietssnelheid": f"{settings.fietssnelheid_kmh:g}".replace(".", ","),
        "status_labels": GROENVAK_STATUS_LABEL,
        "status_kleuren": GROENVAK_STATUS_KLEUR,
        "status_labels_json": json.dumps(GROENVAK_STATUS_LABEL),
        "status_kleuren_json": json.dumps(GROENVAK_STATUS_KLEUR)})
    response.headers["Server-Timing"] = f"app;dur={(perf_counter() - start) * 1000:.1f}"
    return response


def _witte_vlekken(pad: str, code: str, session: SessionDep, settings: SettingsDep,
                   gemeente: GemeenteDep, categorie: str, drempel: str, minuten: str) -> Response:
    """Straight-line parts of the gebied beyond `drempel` metres, or, with `minuten`, the
    woonadressen and streets beyond that walking time over the network."""
    pagina = _gebied(session, gemeente.code, pad, code)
    if PAD[pagina.soort] != pad:
        raise NotFound(NIET_GEVONDEN[pad])
    if not categorie_bestaat(session, gemeente.code, categorie):
        raise InvalidInput("categorie: deze categorie bestaat niet.")
    if minuten:
        if minuten not in {str(m) for m in bereikbaarheid.MINUTEN}:
            raise InvalidInput("minuten: kies 5, 10 of 15.")
        if not bereikbaarheid.heeft_netwerk(session, gemeente.code):
            raise InvalidInput("minuten: deze gemeente heeft geen straten geladen; kies een "
                               "afstand in meters (drempel).")
        bereikbaarheid.bijwerken(session, gemeente.code)
        body = bereikbaarheid.buiten_geojson(
            session, gemeente.code, pagina.code, categorie,
            int(minuten) * bereikbaarheid.meter_per_minuut(settings.loopsnelheid_kmh))
        return Response(body, media_type="application/geo+json",
                        headers={"Cache-Control": "no-cache"})
    if drempel not in {str(d) for d in DREMPELS_M}:
        raise InvalidInput("drempel: kies 400 of 800 (meter).")
    body = witte_vlekken_geojson(session, gemeente.code, pagina.code, categorie, int(drempel))
    return Response(body, media_type="application/geo+json",
                    headers={"Cache-Control": "no-cache"})


@router.get("/wijken/{code}", response_class=HTMLResponse)
def wijk(code: str, request: Request, session: SessionDep, settings: SettingsDep,
         templates: TemplatesDep, gemeente: GemeenteDep) -> Response:
    """A wijk: its voorzieningen and groenvakken on a map, its figures in tables."""
    return _page("wijken", code, request, session, settings, templates, gemeente)


@router.get("/dorpen/{code}", response_class=HTMLResponse)
def dorp(code: str, request: Request, session: SessionDep, settings: SettingsDep,
         templates: TemplatesDep, gemeente: GemeenteDep) -> Response:
    """A dorp: the same page as a wijk."""
    return _page("dorpen", code, request, session, settings, templates, gemeente)


@router.get("/wijken/{code}/witte-vlekken")
def wijk_witte_vlekken(code: str, session: SessionDep, settings: SettingsDep,
                       gemeente: GemeenteDep, categorie: str = Query("", max_length=40),
                       drempel: str = Query("400", max_length=4),
                       minuten: str = Query("", max_length=2)) -> Response:
    """Parts of the wijk farther than the drempel from the category (GeoJSON, CRS84)."""
    return _witte_vlekken("wijken", code, session, settings, gemeente, categorie, drempel,
                          minuten)


@router.get("/dorpen/{code}/witte-vlekken")
def dorp_witte_vlekken(code: str, session: SessionDep, settings: SettingsDep,
                       gemeente: GemeenteDep, categorie: str = Query("", max_length=40),
                       drempel: str = Query("400", max_length=4),
                       minuten: str = Query("", max_length=2)) -> Response:
    """Parts of the dorp farther than the drempel from the category (GeoJSON, CRS84)."""
    return _witte_vlekken("dorpen", code, session, settings, gemeente, categorie, drempel,
                          minuten)
