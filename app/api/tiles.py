"""OGC API – Tiles: Mapbox Vector Tiles per collection (filled in by the tiles work)."""

from fastapi import APIRouter

router = APIRouter(tags=["tegels"])
