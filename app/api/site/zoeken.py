"""The town search as HTML: options for the combobox (htmx), or a plain results page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.common import GemeenteDep, SessionDep, TemplatesDep, is_htmx, render
from app.services import geografie

router = APIRouter(include_in_schema=False)

SOORT_LABEL = {"adres": "adres", "straat": "straat", "gebied": "gebied",
               "groenvak": "groenvak", "voorziening": "voorziening"}


def page_link(r: geografie.Zoekresultaat) -> str:
    """Where a result leads a person without JavaScript: always a page, never raw JSON."""
    if r.soort == "adres":
        return f"/zelfbeheer?adres={r.id}"
    if r.soort == "straat" and r.bbox is not None:
        return "/zelfbeheer?bbox=" + ",".join(f"{v:.6f}" for v in r.bbox)
    return r.url


@router.get("/zoeken", response_class=HTMLResponse)
def zoeken(request: Request, session: SessionDep, templates: TemplatesDep,
           gemeente: GemeenteDep, q: str = "") -> HTMLResponse:
    """Options for the search box (htmx) or a results page with links (a plain GET form)."""
    fout = None
    resultaten: list[geografie.Zoekresultaat] = []
    if len(q) > geografie.MAX_QUERY:
        fout = f"Typ ten hoogste {geografie.MAX_QUERY} tekens."
    elif q.strip():
        resultaten = geografie.zoek(session, gemeente.code, q)
    regels = [{"r": r, "href": page_link(r), "soort": SOORT_LABEL[r.soort]} for r in resultaten]
    context = {"gemeente": gemeente, "q": q, "regels": regels, "fout": fout,
               "gezocht": bool(q.strip()) and not fout}
    return render(request, templates, "pages/zoeken.html", "partials/zoekresultaten.html",
                  context, status_code=400 if fout and not is_htmx(request) else 200)
