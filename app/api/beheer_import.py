"""Beheer › Import: staff upload a file of gebieden, groenvakken or voorzieningen; the import
runs in the background and the page follows its progress by htmx, then shows the result and
the report CSV. File-level problems (type, size, zip contents) are refused before it starts."""

from __future__ import annotations

import errno
import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.api.auth_deps import CsrfProtect
from app.api.beheer_pagina import StaffHere, _labels
from app.api.deps import GemeenteDep, SettingsDep, TemplatesDep, render
from app.errors import NotFound
from app.services.importeren import (
    GebiedOpties,
    GroenvakOpties,
    ImportFout,
    VoorzieningOpties,
    importeer_gebieden,
    importeer_groenvakken,
    importeer_voorzieningen,
)
from app.services.importeren import taken as import_taken
from app.services.importeren.bestand import mb, open_bron
from app.services.importeren.taken import Taak, Taken

router = APIRouter(include_in_schema=False)

LAGEN = {"groenvakken": "Groenvakken", "voorzieningen": "Voorzieningen",
         "gebieden": "Gebieden (CBS Wijk- en buurtkaart)"}
Veld = Annotated[str, Form()]
PAGE, PARTIAL = "pages/beheer/import.html", "partials/import_taak.html"
OPSLAG_VOL = ("Het bestand kan nu niet worden opgeslagen: de opslag van de server is vol. "
              "Probeer het later opnieuw of neem contact op met de beheerder van de site.")
OPSLAG_STORING = ("Het bestand kan nu niet worden opgeslagen door een storing bij de opslag van "
                  "de server. Probeer het later opnieuw of neem contact op met de beheerder.")
log = logging.getLogger(__name__)
FORM_PARTIAL = "partials/import_formulier.html"


def _taken(request: Request) -> Taken:
    taken: Taken | None = getattr(request.app.state, "import_taken", None)
    if taken is None:
        taken = request.app.state.import_taken = import_taken.nieuwe_taken()
    return taken


def _context(gemeente: Any, **extra: Any) -> dict[str, Any]:
    return {"gemeente": gemeente, "lagen": LAGEN, "kaart": None, **_labels(), **extra}


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/beheer/import", response_class=HTMLResponse)
def formulier(request: Request, templates: TemplatesDep, settings: SettingsDep,
              gemeente: GemeenteDep, user: StaffHere) -> Response:
    """The upload form."""
    return _private(render(request, templates, PAGE, FORM_PARTIAL, _context(
        gemeente, waarden={"laag": "groenvakken"}, fouten={}, max_mb=settings.import_max_mb)))


@router.post("/beheer/import", response_class=HTMLResponse, dependencies=[CsrfProtect])
def starten(request: Request, templates: TemplatesDep, settings: SettingsDep,
            gemeente: GemeenteDep, user: StaffHere,
            bestand: Annotated[UploadFile | None, File()] = None, laag: Veld = "",
            id_veld: Veld = "", soort_veld: Veld = "", naam_veld: Veld = "",
            categorie_veld: Veld = "", crs: Veld = "", dorpen: Veld = "") -> Response:
    """Check the fields and the file, then start the import in the background."""
    waarden = {"laag": laag, "id_veld": id_veld.strip(), "soort_veld": soort_veld.strip(),
               "naam_veld": naam_veld.strip(), "categorie_veld": categorie_veld.strip(),
               "crs": crs.strip(), "dorpen": dorpen.strip()}
    fouten: dict[str, str] = {}
    status = 400
    max_bytes = settings.import_max_mb * 1_000_000
    if laag not in LAGEN:
        fouten["laag"] = "Kies wat u importeert."
    if laag == "groenvakken" and not waarden["id_veld"]:
        fouten["id_veld"] = "Vul het veld met het id uit het beheersysteem in."
    naam = Path(bestand.filename or "").name if bestand is not None else ""
    folder: Path | None = None
    if not naam:
        fouten["bestand"] = "Kies een bestand."
    elif int(request.headers.get("content-length") or 0) > max_bytes + 1_000_000:
        fouten["bestand"] = (f"Het bestand {naam} is groter dan de grens van "
                             f"{mb(max_bytes)} MB.")
    elif bestand is not None:
        try:
            folder = Path(tempfile.mkdtemp(prefix="kaart-upload-"))
            pad = folder / re.sub(r"[^\w.\- ]", "_", naam)
            with pad.open("wb") as out:
                shutil.copyfileobj(bestand.file, out, 1 << 20)
            open_bron(pad, max_bytes, naam).close()
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
        return _private(render(request, templates, PAGE, FORM_PARTIAL, _context(
            gemeente, waarden=waarden, fouten=fouten, max_mb=settings.import_max_mb), status))
    assert folder is not None
    werk = _werk(laag, pad, naam, waarden, gemeente.code, max_bytes)
    taak = import_taken.start(_taken(request), request.app.state.engine, gemeente.code, laag,
                              naam, werk, opruimen=folder)
    return _private(render(request, templates, PAGE, PARTIAL, _context(gemeente, taak=taak)))


def _werk(laag: str, pad: Path, naam: str, w: dict[str, str], gemeente: str,
          max_bytes: int) -> Any:
    """The import to run, with the options from the form."""
    crs = w["crs"] or None
    if laag == "groenvakken":
        g = GroenvakOpties(id_veld=w["id_veld"], soort_veld=w["soort_veld"] or None,
                           naam_veld=w["naam_veld"] or None, crs=crs, gemeente=gemeente)
        return lambda conn, p: importeer_groenvakken(conn, pad, g, max_bytes, p, naam)
    if laag == "voorzieningen":
        v = VoorzieningOpties(id_veld=w["id_veld"] or "id", naam_veld=w["naam_veld"] or "naam",
                              categorie_veld=w["categorie_veld"] or "categorie", crs=crs,
                              gemeente=gemeente)
        return lambda conn, p: importeer_voorzieningen(conn, pad, v, max_bytes, p, naam)
    o = GebiedOpties(gemeente=gemeente, crs=crs,
                     dorpen=tuple(c.strip() for c in w["dorpen"].split(",") if c.strip()))
    return lambda conn, p: importeer_gebieden(conn, pad, o, max_bytes, p, naam)


def _taak(request: Request, taak_id: str, gemeente: GemeenteDep) -> Taak:
    taak = _taken(request).get(taak_id, gemeente.code)
    if taak is None:
        raise NotFound("Deze import is niet (meer) bekend.")
    return taak


@router.get("/beheer/import/{taak_id}", response_class=HTMLResponse)
def voortgang(taak_id: str, request: Request, templates: TemplatesDep, gemeente: GemeenteDep,
              user: StaffHere) -> Response:
    """Progress while it runs (htmx polls every second), then the result."""
    taak = _taak(request, taak_id, gemeente)
    return _private(render(request, templates, PAGE, PARTIAL, _context(gemeente, taak=taak)))


@router.get("/beheer/import/{taak_id}/rapport.csv")
def rapport(taak_id: str, request: Request, gemeente: GemeenteDep, user: StaffHere) -> Response:
    """The import report of a finished import."""
    taak = _taak(request, taak_id, gemeente)
    if taak.result is None:
        raise NotFound("Deze import heeft (nog) geen rapport.")
    name = f"importrapport-{taak.laag}.csv"
    return _private(Response(taak.result.csv_text(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'}))
