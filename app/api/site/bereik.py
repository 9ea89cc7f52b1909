"""How far is it over the street network: isochrones (5, 10 and 15 minutes on foot or by bike)
from a point or a published voorziening, as GeoJSON for the maps."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.common import GemeenteDep, SessionDep, SettingsDep
from app.errors import InvalidInput, NotFound
from app.services import bereikbaarheid

router = APIRouter(include_in_schema=False)


@router.get("/bereik.geojson")
def bereik(session: SessionDep, settings: SettingsDep, gemeente: GemeenteDep,
           profiel: str = Query("lopen", max_length=10),
           voorziening: int | None = Query(None, ge=1, le=2_147_483_647),
           lon: float | None = Query(None, ge=-180, le=180),
           lat: float | None = Query(None, ge=-90, le=90)) -> Response:
    """What lies within 5, 10 and 15 minutes of a voorziening or a point (largest first)."""
    p = bereikbaarheid.profiel(profiel)
    if voorziening is not None:
        plek = bereikbaarheid.voorziening_plek(session, gemeente.code, voorziening)
        if plek is None:
            raise NotFound("Deze voorziening bestaat niet of is niet gepubliceerd.")
        lon, lat = plek
    if lon is None or lat is None:
        raise InvalidInput("Kies een voorziening of een punt op de kaart (lon en lat).")
    if not bereikbaarheid.heeft_netwerk(session, gemeente.code):
        raise InvalidInput("Deze gemeente heeft nog geen straten geladen; loopafstanden zijn "
                           "er daarom nog niet.")
    bereikbaarheid.bijwerken(session, gemeente.code)  # the graph, when streets changed
    kmh = settings.loopsnelheid_kmh if p.naam == "lopen" else settings.fietssnelheid_kmh
    body = bereikbaarheid.isochroon_geojson(session, lon, lat, p, kmh)
    return Response(body, media_type="application/geo+json",
                    headers={"Cache-Control": "no-cache"})
