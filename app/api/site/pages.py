"""The site's pages (HTML, Dutch)."""

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep, kaart_settings
from app.config import PROJECT_DIR
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


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """The icon browsers ask for on every site (without it: a 404 in every log)."""
    return FileResponse(PROJECT_DIR / "static" / "favicon.ico", media_type="image/x-icon",
                        headers={"Cache-Control": "public, max-age=86400"})
