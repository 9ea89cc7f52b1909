"""uvicorn factory for the benchmark: our app, unchanged, optionally with the tile cache off.

`uvicorn --factory ourapp:create --app-dir bench --workers N` needs an import string, which
`kaart serve` (one process) does not offer. BENCH_TILE_CACHE=off gives the app a TileCache of
0 bytes before the first request: TileCache.put() then stores nothing (a tile bigger than
max_bytes // 8 is never kept), so every tile request renders in PostGIS, the honest "cold"
figure. Layer extents are still cached, as they are in production.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from app.geo.tiles import TileCache
from app.main import create_app


def create() -> FastAPI:
    application = create_app()
    if os.environ.get("BENCH_TILE_CACHE", "on") == "off":
        application.state.tile_cache = TileCache(max_bytes=0)
    return application
