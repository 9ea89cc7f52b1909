"""GET /exports/{laag}.{formaat}?wijk=&status= : a layer as a file, for gemeente staff.

The file is written to a temporary folder in the worker thread (batch by batch, memory stays
flat) and then streamed; the folder goes once the response is sent. Without a login an API
client gets 401 (a browser goes to the login page), a resident or another gemeente's staff 403;
a bad parameter is a 400 and an unknown wijk a 404, as problem+json with a Dutch message.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from app.api.account import STAFF_ONLY, STAFF_ROLES, CurrentUser, LoginRequired
from app.api.beheer.pagina import ANDERE_GEMEENTE
from app.api.common import GemeenteDep, SessionDep
from app.errors import Forbidden, InvalidInput, Unauthorized
from app.models import Gebruiker
from app.services import export
from app.services.export import FORMATEN, ExportRequest

router = APIRouter(include_in_schema=False)

LOG_IN = "Log in als medewerker van de gemeente om te exporteren."


def export_staff(request: Request, user: CurrentUser, gemeente: GemeenteDep) -> Gebruiker:
    """Staff of this gemeente; a browser without a session is sent to the login page."""
    if user is None:
        if "text/html" in request.headers.get("accept", ""):
            raise LoginRequired()
        raise Unauthorized(LOG_IN)
    if user.rol not in STAFF_ROLES:
        raise Forbidden(STAFF_ONLY)
    if user.gemeente_code != gemeente.code:
        raise Forbidden(ANDERE_GEMEENTE)
    return user


ExportStaff = Annotated[Gebruiker, Depends(export_staff)]


def download_url(request: ExportRequest) -> str:
    """The GET /exports URL for a request (the page sends small exports there)."""
    query = [("wijk", request.selection.wijk)] if request.selection.wijk else []
    query += [("status", s) for s in request.selection.statussen]
    path = f"/exports/{','.join(request.lagen)}.{request.formaat}"
    return path + (f"?{urlencode(query)}" if query else "")


def file_response(path: Path, request: ExportRequest, cleanup: Path | None) -> FileResponse:
    """The file as an attachment; `cleanup` (a folder) is removed after sending."""
    task = BackgroundTask(shutil.rmtree, cleanup, ignore_errors=True) if cleanup else None
    return FileResponse(path, media_type=FORMATEN[request.formaat].media_type,
                        filename=path.name, background=task,
                        headers={"Cache-Control": "private, no-store"})


@router.get("/exports/{bestand}")
def download(bestand: str, session: SessionDep, gemeente: GemeenteDep, user: ExportStaff,
             wijk: Annotated[str, Query(max_length=40)] = "",
             status: Annotated[list[str] | None, Query(max_length=40)] = None) -> FileResponse:
    """One or more layers (comma-separated; several only as gpkg) as shp, gpkg, geojson, csv."""
    lagen, punt, formaat = bestand.rpartition(".")
    if not punt or not lagen:
        raise InvalidInput("Vraag een laag en een formaat, bijvoorbeeld "
                           "/exports/groenvakken.shp.")
    statussen = [s for value in status or [] for s in value.split(",")]
    parsed, fouten = export.parse(lagen.split(","), formaat, wijk, statussen, gemeente.code)
    if parsed is None:
        raise InvalidInput(" ".join(fouten.values()))
    conn = session.connection()
    export.check_wijk(conn, parsed.selection)
    folder = Path(tempfile.mkdtemp(prefix="kaart-export-"))
    try:
        target = folder / export.file_name(parsed)
        export.write(conn, parsed, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return file_response(target, parsed, folder)
