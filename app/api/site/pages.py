"""The site's pages (HTML, Dutch)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep, kaart_settings
from app.geo.maps import gebieden_map
from app.services import gebieden

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: SessionDep, settings: SettingsDep,
          templates: TemplatesDep, gemeente: GemeenteDep) -> HTMLResponse:
    """The gemeente on a map with its wijken and dorpen, and the same as a table."""
    settings = kaart_settings(request, session, settings, gemeente.code)
    kaart = gebieden_map(gebieden.boundaries_geojson(session, gemeente.code),
                         gebieden.extent_latlon(session, gemeente.code),
                         settings.basemap_url, settings.basemap_attributie)
    regels = gebieden.overview(session, gemeente.code)
    return templates.TemplateResponse(request, "pages/index.html", {
        "gemeente": gemeente, "kaart": kaart, "regels": regels,
        "basemap": bool(settings.basemap_url)})
