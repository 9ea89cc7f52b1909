"""Beheer › Import in two steps: staff upload a file of gebieden, groenvakken or voorzieningen
and first see a proef (the real import, rolled back: exact counts, plots that would expire and
the open adopties they touch); "Importeren bevestigen" then runs the real import of the same
file. Both run in the background (app.services.importeren.taken); the page follows them by
htmx. File-level problems (type, size, zip contents) are refused before anything starts."""

from __future__ import annotations

import errno
import logging
import re
import shutil
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.api.account import CsrfProtect
from app.api.beheer.pagina import StaffHere, _labels
from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep, render
from app.errors import Conflict, NotFound
from app.models import Gemeente
from app.services import gebieden, importeren, jobs
from app.services.importeren import ImportFout, ImportTaak, mb, werkmap

router = APIRouter(include_in_schema=False)

LAGEN = {"groenvakken": "Groenvakken", "voorzieningen": "Voorzieningen",
         "gebieden": "Gebieden (CBS Wijk- en buurtkaart)",
         "bgt": "Groenvakken uit de BGT (begroeidterreindeel, GML of GeoPackage)",
         "bag": "Adressen en panden (BAG-GeoPackage van PDOK)",
         "nwb": "Straten en paden (NWB Wegen, Wegvakken als zip)",
         "osm": "OpenStreetMap-extract (.osm.pbf)"}
Veld = Annotated[str, Form(max_length=200)]
PAGE, PARTIAL = "pages/beheer/import.html", "partials/import_taak.html"
OPSLAG_VOL = ("Het bestand kan nu niet worden opgeslagen: de opslag van de server is vol. "
              "Probeer het later opnieuw of neem contact op met de beheerder van de site.")
OPSLAG_STORING = ("Het bestand kan nu niet worden opgeslagen door een storing bij de opslag van "
                  "de server. Probeer het later opnieuw of neem contact op met de beheerder.")
log = logging.getLogger(__name__)
FORM_PARTIAL = "partials/import_formulier.html"


def _context(gemeente: Gemeente, **extra: object) -> dict[str, object]:
    return {"gemeente": gemeente, "lagen": LAGEN, "kaart": None, **_labels(), **extra}


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _bereiken(session: SessionDep, gemeente: Gemeente) -> list[tuple[str, str]]:
    """The choices for vervallen: nothing (the default), the gemeente, or one wijk or dorp."""
    return [("", "Niets laten vervallen"),
            ("gemeente", f"Alle groenvakken van {gemeente.naam} die niet in het bestand staan"),
            *((f"wijk {w.code}", f"Alleen in {w.soort} {w.naam} ({w.code})")
              for w in gebieden.overview(session, gemeente.code))]


def _form(request: Request, templates: TemplatesDep, settings: SettingsDep,
          session: SessionDep, gemeente: Gemeente, waarden: dict[str, str],
          fouten: dict[str, str], status_code: int = 200) -> Response:
    return _private(render(request, templates, PAGE, FORM_PARTIAL, _context(
        gemeente, waarden=waarden, fouten=fouten, max_mb=settings.import_max_mb,
        bereiken=_bereiken(session, gemeente)), status_code))


@router.get("/beheer/import", response_class=HTMLResponse)
def formulier(request: Request, templates: TemplatesDep, settings: SettingsDep,
              session: SessionDep, gemeente: GemeenteDep, user: StaffHere) -> Response:
    """The upload form."""
    return _form(request, templates, settings, session, gemeente, {"laag": "groenvakken"}, {})


@router.post("/beheer/import", response_class=HTMLResponse, dependencies=[CsrfProtect])
def starten(request: Request, templates: TemplatesDep, settings: SettingsDep,
            session: SessionDep, gemeente: GemeenteDep, user: StaffHere,
            bestand: Annotated[UploadFile | None, File()] = None, laag: Veld = "",
            id_veld: Veld = "", soort_veld: Veld = "", naam_veld: Veld = "",
            categorie_veld: Veld = "", crs: Veld = "", dorpen: Veld = "",
            vervallen: Veld = "", ook_met_adoptie: Veld = "") -> Response:
    """Check the fields and the file, then start the proef in the background."""
    waarden = {"laag": laag, "id_veld": id_veld.strip(), "soort_veld": soort_veld.strip(),
               "naam_veld": naam_veld.strip(), "categorie_veld": categorie_veld.strip(),
               "crs": crs.strip(), "dorpen": dorpen.strip(), "vervallen": vervallen.strip(),
               "ook_met_adoptie": "ja" if ook_met_adoptie == "ja" else ""}
    fouten: dict[str, str] = {}
    status = 400
    max_bytes = settings.import_max_mb * 1_000_000
    if laag not in LAGEN:
        fouten["laag"] = "Kies wat u importeert."
    if laag == "groenvakken" and not waarden["id_veld"]:
        fouten["id_veld"] = "Vul het veld met het id uit het beheersysteem in."
    if laag in ("groenvakken", "bgt") and (
            waarden["vervallen"] not in dict(_bereiken(session, gemeente))):
        fouten["vervallen"] = "Kies waar groenvakken die niet in het bestand staan vervallen."
    naam = Path(bestand.filename or "").name if bestand is not None else ""
    job_id, folder = jobs.new_id(), None
    safe = re.sub(r"[^\w.\- ]", "_", naam)
    if not naam:
        fouten["bestand"] = "Kies een bestand."
    elif int(request.headers.get("content-length") or 0) > max_bytes + 1_000_000:
        fouten["bestand"] = (f"Het bestand {naam} is groter dan de grens van "
                             f"{mb(max_bytes)} MB.")
    elif bestand is not None:
        try:
            folder = jobs.folders.folder(settings, job_id)
            with (folder / safe).open("wb") as out:
                shutil.copyfileobj(bestand.file, out, 1 << 20)
            with werkmap(folder):
                importeren.controleer_bestand(laag, folder / safe, max_bytes, naam)
        except ImportFout as exc:
            fouten["bestand"] = str(exc)
        except OSError as exc:  # a full or read-only temp disk: say so, never a bare 500
            log.error("Importbestand %s opslaan mislukt: %s", naam, exc)
            vol = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            fouten["bestand"] = OPSLAG_VOL if vol else OPSLAG_STORING
            status = 507 if vol else 503
    if fouten:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        return _form(request, templates, settings, session, gemeente, waarden, fouten, status)
    importeren.start(request.app.state.jobs, request.app.state.engine, settings,
                     job_id=job_id, gemeente=gemeente.code, owner=user.id, laag=laag,
                     bestand=naam, bestandsnaam=safe, waarden=waarden, proef=True)
    return _page(request, templates, settings, gemeente, job_id)


def _taak(request: Request, settings: SettingsDep, taak_id: str,
          gemeente: Gemeente) -> ImportTaak:
    taak = None
    if jobs.folders.JOB_ID.match(taak_id):
        taak = importeren.lees(request.app.state.engine, settings, taak_id, gemeente.code)
    if taak is None:
        raise NotFound("Deze import is niet bekend.")
    return taak


def _page(request: Request, templates: TemplatesDep, settings: SettingsDep,
          gemeente: Gemeente, taak_id: str, fout: str = "", status_code: int = 200) -> Response:
    taak = _taak(request, settings, taak_id, gemeente)
    return _private(render(request, templates, PAGE, PARTIAL,
                           _context(gemeente, taak=taak, fout=fout), status_code))


@router.get("/beheer/import/{taak_id}", response_class=HTMLResponse)
def voortgang(taak_id: str, request: Request, templates: TemplatesDep, settings: SettingsDep,
              gemeente: GemeenteDep, user: StaffHere) -> Response:
    """Progress while it runs (htmx polls every second), then the proef or the result."""
    return _page(request, templates, settings, gemeente, taak_id)


@router.post("/beheer/import/{taak_id}/bevestigen", response_class=HTMLResponse,
             dependencies=[CsrfProtect])
def bevestigen(taak_id: str, request: Request, templates: TemplatesDep, settings: SettingsDep,
               gemeente: GemeenteDep, user: StaffHere) -> Response:
    """Step 2: the real import of the proef's file, with the same choices. A proef that cannot
    be confirmed (not finished, its file gone) shows again with the reason; nothing starts."""
    _taak(request, settings, taak_id, gemeente)
    try:
        nieuw = importeren.bevestig(request.app.state.jobs, request.app.state.engine, settings,
                                    taak_id, gemeente.code, user.id)
    except (Conflict, NotFound) as exc:
        return _page(request, templates, settings, gemeente, taak_id, str(exc), 409)
    return _page(request, templates, settings, gemeente, nieuw)


@router.get("/beheer/import/{taak_id}/rapport.csv")
def rapport(taak_id: str, request: Request, settings: SettingsDep, gemeente: GemeenteDep,
            user: StaffHere) -> Response:
    """The report of a finished import or proef."""
    taak = _taak(request, settings, taak_id, gemeente)
    if taak.result is None:
        raise NotFound("Deze import heeft (nog) geen rapport.")
    name = f"{'proef' if taak.proef else 'import'}rapport-{taak.laag}.csv"
    return _private(Response(taak.result.csv_text(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'}))
