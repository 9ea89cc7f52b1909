"""Voorzieningen for everyone: the map with a toggle per category, the list with the same
filters, and a voorziening's panel (htmx partial) and page (no JS, deep links)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.common import (
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    is_htmx,
    kaart_settings,
    render,
)
from app.api.site.iconen import icoon, sprite, symbool
from app.geo.maps import gebieden_map
from app.services import gebieden
from app.services import voorzieningen as svc
from app.services.voorzieningen import voorziening_paneel

router = APIRouter(include_in_schema=False)

Categorieen = Annotated[list[str] | None, Query(alias="categorie")]


@dataclass
class Filters:
    """The validated query of /kaart and /kaart/lijst, with a Dutch message per bad field."""

    filter: svc.Filter
    categorieen: list[svc.CategorieTelling]
    wijken: list[gebieden.GebiedRegel]
    fouten: dict[str, str] = field(default_factory=dict)

    @property
    def gekozen(self) -> set[str]:
        """The categories shown: those asked for, or all when none were."""
        return set(self.filter.categorieen) or {c.code for c in self.categorieen}

    def query(self, **extra: str) -> str:
        """The same filters as a query string (for paging links and the other view)."""
        pairs = [("categorie", c) for c in self.filter.categorieen]
        pairs += [(k, v) for k, v in (("q", self.filter.zoek), ("wijk", self.filter.wijk),
                                      *extra.items()) if v]
        return urlencode(pairs)


def _filters(session: SessionDep, gemeente_code: str, categorie: list[str], q: str,
             wijk: str) -> Filters:
    fouten: dict[str, str] = {}
    q = q.strip()
    if len(q) > svc.ZOEK_MAX:
        fouten["q"] = f"Zoek met hoogstens {svc.ZOEK_MAX} tekens."
        q = q[:svc.ZOEK_MAX]
    wijken = gebieden.overview(session, gemeente_code)
    if wijk and wijk not in {w.code for w in wijken}:
        fouten["wijk"] = "Kies een wijk of dorp uit de lijst."
        wijk = ""
    tellingen = svc.categorie_tellingen(session, gemeente_code, svc.Filter(zoek=q, wijk=wijk))
    bekend = {c.code for c in tellingen}
    onbekend = [c for c in categorie if c not in bekend]
    if onbekend:
        fouten["categorie"] = "Deze categorie bestaat niet: " + ", ".join(onbekend[:3]) + "."
    gekozen = tuple(dict.fromkeys(c for c in categorie if c in bekend))
    return Filters(svc.Filter(gekozen, q, wijk), tellingen, wijken, fouten)


def _json(value: object) -> str:
    """JSON text for a data-* attribute; a plain str, so the template escapes it."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _categorie_json(categorieen: list[svc.CategorieTelling]) -> str:
    return _json([{"code": c.code, "naam": c.naam, "kleur": c.kleur,
                          "symbool": symbool(c.icoon), "letter": c.naam[:1].upper()}
                         for c in categorieen])


@router.get("/kaart", response_class=HTMLResponse)
def kaart(request: Request, session: SessionDep, settings: SettingsDep, templates: TemplatesDep,
          gemeente: GemeenteDep, categorie: Categorieen = None, q: str = Query(""),
          wijk: str = Query("")) -> HTMLResponse:
    """Every published voorziening on a map, a toggle per category, and the same as a list."""
    f = _filters(session, gemeente.code, categorie or [], q, wijk)
    settings = kaart_settings(request, session, settings, gemeente.code)
    kaart_parts = gebieden_map(gebieden.boundaries_geojson(session, gemeente.code),
                               gebieden.extent_latlon(session, gemeente.code),
                               settings.basemap_url, settings.basemap_attributie, fill=0)
    return templates.TemplateResponse(request, "pages/kaart.html", {
        "gemeente": gemeente, "f": f, "kaart": kaart_parts, "sprite": sprite(),
        "icoon": icoon, "basemap": bool(settings.basemap_url),
        "rijen": svc.alle_rijen(session, gemeente.code, f.filter),
        "data_json": _json(svc.kaart_geojson(session, gemeente.code, f.filter)),
        "categorieen_json": _categorie_json(f.categorieen)},
        status_code=400 if f.fouten else 200)


@router.get("/kaart/lijst", response_class=HTMLResponse)
def lijst(request: Request, session: SessionDep, templates: TemplatesDep, gemeente: GemeenteDep,
          categorie: Categorieen = None, q: str = Query(""), wijk: str = Query(""),
          na: str = Query("")) -> HTMLResponse:
    """The same voorzieningen and filters as a table, by name, 50 at a time."""
    f = _filters(session, gemeente.code, categorie or [], q, wijk)
    pagina = svc.kaart_lijst(session, gemeente.code, f.filter, int(na) if na.isdigit() else None)
    return render(request, templates, "pages/kaart_lijst.html", "partials/voorzieningen_lijst.html",
                  {"gemeente": gemeente, "f": f, "pagina": pagina, "icoon": icoon,
                   "oob": is_htmx(request)},
                  status_code=400 if f.fouten else 200)


@router.get("/voorzieningen/{voorziening_id}/paneel", response_class=HTMLResponse)
def paneel(voorziening_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
           gemeente: GemeenteDep) -> Response:
    """The public facts of one published voorziening, for htmx; a browser goes to its page."""
    v = voorziening_paneel(session, gemeente.code, voorziening_id)
    if not is_htmx(request):
        return RedirectResponse(f"/voorzieningen/{v.id}", status_code=303,
                                headers={"Vary": "HX-Request"})
    response = templates.TemplateResponse(request, "partials/voorziening_paneel.html",
                                          {"v": v, "icoon": icoon})
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/voorzieningen/{voorziening_id}", response_class=HTMLResponse)
def voorziening(voorziening_id: int, request: Request, session: SessionDep,
                templates: TemplatesDep, gemeente: GemeenteDep) -> HTMLResponse:
    """One voorziening as a page of its own: for deep links and browsers without JavaScript."""
    v = voorziening_paneel(session, gemeente.code, voorziening_id)
    return templates.TemplateResponse(request, "pages/voorziening.html", {
        "gemeente": gemeente, "v": v, "icoon": icoon, "pagina": True})
