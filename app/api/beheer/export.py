"""Beheer › Export: staff choose a layer, format, wijk and status. A small export downloads at
once (via GET /exports/…); a large one runs in the background while the page shows its
progress (htmx polls every second), then offers the file."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.account import CsrfProtect
from app.api.beheer.downloads import download_url, file_response
from app.api.beheer.pagina import StaffHere, _labels
from app.api.common import (
    ADOPTIE_STATUS_LABEL,
    GROENVAK_STATUS_LABEL,
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    render,
)
from app.errors import Conflict, NotFound
from app.models import Gemeente
from app.services import export, gebieden
from app.services.export import ALLES, FORMATEN, GROENVAKKEN, LAYERS, ExportJob
from app.workflow import STATUSSEN

router = APIRouter(include_in_schema=False)

PAGE, PARTIAL = "pages/beheer/export.html", "partials/export_taak.html"
LAGEN = {"groenvakken": "Groenvakken, met de status van zelfbeheer",
         "adopties": "Adopties (zonder persoonsgegevens)",
         "voorzieningen": "Voorzieningen (gepubliceerd)",
         "gebieden": "Wijken, dorpen en buurten",
         ALLES: "Alle lagen (alleen als GeoPackage)"}
FORMAAT_LABEL = {code: f.naam for code, f in FORMATEN.items()}
Veld = Annotated[str, Form(max_length=40)]


def _statussen() -> list[tuple[str, str]]:
    """Each status value once; `aangevraagd` exists for both layers and means the same."""
    rows: dict[str, str] = {s: f"{GROENVAK_STATUS_LABEL[s]} (groenvakken)"
                            for s in GROENVAK_STATUS_LABEL if s in GROENVAKKEN.statuses}
    for s in STATUSSEN:
        label = ADOPTIE_STATUS_LABEL[s].split(" (")[0]
        rows[s] = "Aangevraagd (groenvakken en adopties)" if s in rows else f"{label} (adopties)"
    return list(rows.items())


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _form(request: Request, session: SessionDep, templates: TemplatesDep, gemeente: Gemeente,
          waarden: dict[str, str], fouten: dict[str, str], status_code: int = 200) -> Response:
    wijken = [(w.code, f"{w.naam} ({w.soort})") for w in gebieden.overview(session,
                                                                            gemeente.code)]
    context: dict[str, Any] = {
        "gemeente": gemeente, "kaart": None, **_labels(), "lagen": list(LAGEN.items()),
        "formaten": list(FORMAAT_LABEL.items()), "wijken": wijken, "statussen": _statussen(),
        "waarden": waarden, "fouten": fouten, "grens": export.DIRECT_MAX}
    return _private(templates.TemplateResponse(request, PAGE, context, status_code=status_code))


@router.get("/beheer/export", response_class=HTMLResponse)
def formulier(request: Request, session: SessionDep, templates: TemplatesDep,
              gemeente: GemeenteDep, user: StaffHere) -> Response:
    """The form: which layer, format, wijk and status."""
    return _form(request, session, templates, gemeente,
                 {"laag": "groenvakken", "formaat": "shp", "wijk": "", "status": ""}, {})


@router.post("/beheer/export", response_class=HTMLResponse, dependencies=[CsrfProtect])
def starten(request: Request, session: SessionDep, templates: TemplatesDep,
            settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere, laag: Veld = "",
            formaat: Veld = "",
            wijk: Veld = "", status: Veld = "") -> Response:
    """Small: 303 to the download. Large: start a job and 303 to its progress page."""
    waarden = {"laag": laag, "formaat": formaat, "wijk": wijk.strip(), "status": status}
    parsed, fouten = export.parse([laag], formaat, wijk, [status] if status else [],
                                  gemeente.code)
    conn = session.connection()
    if parsed is not None and parsed.selection.wijk:
        try:
            export.check_wijk(conn, parsed.selection)
        except NotFound:
            fouten["wijk"] = "Kies een wijk of dorp uit de lijst."
    if parsed is None or fouten:
        return _form(request, session, templates, gemeente, waarden, fouten, 400)
    stats = export.plan(conn, parsed)
    if sum(s.count for s in stats.values()) <= export.DIRECT_MAX:
        return RedirectResponse(download_url(parsed), status_code=303)
    assert user.id is not None
    try:
        job_id = export.start(request.app.state.jobs, request.app.state.engine, settings,
                              parsed, user.id, stats)
    except Conflict as exc:
        return _form(request, session, templates, gemeente, waarden, {"laag": str(exc)}, 409)
    return RedirectResponse(f"/beheer/export/taken/{job_id}", status_code=303)


def _job(request: Request, settings: SettingsDep, job_id: str, gemeente: Gemeente,
         user: StaffHere) -> ExportJob:
    assert user.id is not None
    job = export.get(request.app.state.engine, settings, job_id, gemeente.code, user.id)
    if job is None:
        raise NotFound("Deze export is niet bekend.")
    return job


@router.get("/beheer/export/taken/{job_id}", response_class=HTMLResponse)
def voortgang(job_id: str, request: Request, templates: TemplatesDep, settings: SettingsDep,
              gemeente: GemeenteDep, user: StaffHere) -> Response:
    """Progress while it runs (htmx asks again every second), then the download link."""
    job = _job(request, settings, job_id, gemeente, user)
    context = {"gemeente": gemeente, "kaart": None, **_labels(), "taak": job,
               "lagen": LAGEN, "laag_titel": {n: layer.title for n, layer in LAYERS.items()},
               "formaat_label": FORMAAT_LABEL}
    return _private(render(request, templates, PAGE, PARTIAL, context))


@router.get("/beheer/export/taken/{job_id}/bestand")
def bestand(job_id: str, request: Request, settings: SettingsDep, gemeente: GemeenteDep,
            user: StaffHere) -> Response:
    """The finished file; it stays available for an hour."""
    job = _job(request, settings, job_id, gemeente, user)
    if job.status != "klaar":
        raise NotFound("Deze export is (nog) niet klaar.")
    if not job.path.exists():
        raise NotFound("Dit exportbestand is na een uur opgeruimd. Maak de export opnieuw.")
    return file_response(job.path, job.request, None)
