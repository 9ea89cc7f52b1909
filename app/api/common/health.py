"""GET /health: database and PostGIS versions; 503 when the database is down."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app import __version__
from app.db import server_versions

router = APIRouter(tags=["beheer"])


@router.get("/health", summary="Gezondheid van de dienst")
def health(request: Request) -> JSONResponse:
    """Report versions so operators see at once what runs; DatabaseUnavailable maps to 503."""
    versions = server_versions(request.app.state.engine)
    return JSONResponse({"status": "ok", "versie": __version__, **versions},
                        headers={"Cache-Control": "no-store"})
