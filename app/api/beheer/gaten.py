"""Beheer › Gatenzoeker: where would a new voorziening of a category help most in a wijk or
dorp? The ranking runs as a background job; the page polls it and offers a CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.account import CsrfProtect
from app.api.beheer.pagina import StaffHere, _labels
from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep, render
from app.errors import Conflict, NotFound
from app.models import Gemeente
from app.services import bereikbaarheid, gebieden, voorzieningen

router = APIRouter(include_in_schema=False)

PAGE, PARTIAL = "pages/beheer/gaten.html", "partials/gaten_taak.html"
Veld = Annotated[str, Form(max_length=40)]


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _keuzes(session: SessionDep, gemeente: Gemeente) -> dict[str, list[tuple[str, str]]]:
    return {
        "wijken": [(w.code, f"{w.naam} ({w.soort})")
                   for w in gebieden.overview(session, gemeente.code)],
        "categorieen": [(c.code, c.naam)
                        for c in voorzieningen.categorie_lijst(session, gemeente.code)],
        "minuten": [(str(m), f"{m} minuten lopen") for m in bereikbaarheid.MINUTEN]}


def _form(request: Request, session: SessionDep, templates: TemplatesDep, gemeente: Gemeente,
          waarden: dict[str, str], fouten: dict[str, str], status_code: int = 200) -> Response:
    context: dict[str, Any] = {"gemeente": gemeente, "kaart": None, **_labels(),
                               **_keuzes(session, gemeente), "waarden": waarden,
                               "fouten": fouten, "taak": None,
                               "netwerk": bereikbaarheid.heeft_netwerk(session, gemeente.code)}
    return _private(templates.TemplateResponse(request, PAGE, context, status_code=status_code))


@router.get("/beheer/gaten", response_class=HTMLResponse)
def formulier(request: Request, session: SessionDep, templates: TemplatesDep,
              gemeente: GemeenteDep, user: StaffHere,
              wijk: str = Query("", max_length=40)) -> Response:
    """The form: which wijk or dorp, category and walking time."""
    return _form(request, session, templates, gemeente,
                 {"wijk": wijk, "categorie": "", "minuten": "10"}, {})


@router.post("/beheer/gaten", response_class=HTMLResponse, dependencies=[CsrfProtect])
def starten(request: Request, session: SessionDep, templates: TemplatesDep,
            settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere, wijk: Veld = "",
            categorie: Veld = "", minuten: Veld = "") -> Response:
    """Check every field at once; start the job and go to its page."""
    waarden = {"wijk": wijk.strip(), "categorie": categorie.strip(), "minuten": minuten}
    keuzes = _keuzes(session, gemeente)
    fouten: dict[str, str] = {}
    if waarden["wijk"] not in {c for c, _ in keuzes["wijken"]}:
        fouten["wijk"] = "Kies een wijk of dorp uit de lijst."
    if waarden["categorie"] not in {c for c, _ in keuzes["categorieen"]}:
        fouten["categorie"] = "Kies een categorie uit de lijst."
    if minuten not in {c for c, _ in keuzes["minuten"]}:
        fouten["minuten"] = "Kies 5, 10 of 15 minuten."
    if not fouten and not bereikbaarheid.heeft_netwerk(session, gemeente.code):
        fouten["wijk"] = ("De gemeente heeft geen straten geladen; de gatenzoeker rekent over "
                          "de weg. Importeer eerst het NWB of OpenStreetMap.")
    if fouten:
        return _form(request, session, templates, gemeente, waarden, fouten, 400)
    assert user.id is not None
    try:
        job_id = bereikbaarheid.gaten_starten(
            request.app.state.jobs, request.app.state.engine, settings.taak_stil_s,
            gemeente.code, user.id, waarden["wijk"], waarden["categorie"], int(minuten),
            settings.loopsnelheid_kmh)
    except Conflict as exc:
        return _form(request, session, templates, gemeente, waarden, {"wijk": str(exc)}, 409)
    return RedirectResponse(f"/beheer/gaten/taken/{job_id}", status_code=303)


def _taak(request: Request, settings: SettingsDep, job_id: str, gemeente: Gemeente,
          user: StaffHere) -> bereikbaarheid.GatenTaak:
    assert user.id is not None
    taak = bereikbaarheid.gaten_ophalen(request.app.state.engine, settings.taak_stil_s, job_id,
                                        gemeente.code, user.id)
    if taak is None:
        raise NotFound("Deze berekening is niet bekend.")
    return taak


@router.get("/beheer/gaten/taken/{job_id}", response_class=HTMLResponse)
def voortgang(job_id: str, request: Request, session: SessionDep, templates: TemplatesDep,
              settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere) -> Response:
    """Waiting (htmx asks again every second), then the ranking."""
    taak = _taak(request, settings, job_id, gemeente, user)
    keuzes = _keuzes(session, gemeente)
    context = {"gemeente": gemeente, "kaart": None, **_labels(), "taak": taak,
               "wijk_naam": dict(keuzes["wijken"]).get(taak.wijk, taak.wijk),
               "categorie_naam": dict(keuzes["categorieen"]).get(taak.categorie,
                                                                 taak.categorie)}
    return _private(render(request, templates, PAGE, PARTIAL, context))


@router.get("/beheer/gaten/taken/{job_id}/plekken.csv")
def plekken_csv(job_id: str, request: Request, settings: SettingsDep, gemeente: GemeenteDep,
                user: StaffHere) -> Response:
    """The ranking as CSV (';', decimal comma, RD New coordinates)."""
    taak = _taak(request, settings, job_id, gemeente, user)
    if taak.rapport is None:
        raise NotFound("Deze berekening is (nog) niet klaar.")
    naam = f"beste-plekken-{taak.categorie}-{taak.wijk}-{taak.minuten}min.csv"
    body = "\ufeff" + bereikbaarheid.gaten_csv(taak.rapport)
    return _private(Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{naam}"'}))
