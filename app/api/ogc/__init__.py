"""The open geo-API under /v1: OGC API Features and Tiles, OpenAPI, writes."""

from app.api.ogc.features import (
    router as features_router,
)
from app.api.ogc.openapi import (
    router as openapi_router,
)
from app.api.ogc.params import (
    parse_cursor,
)
from app.api.ogc.tiles import (
    router as tiles_router,
)
from app.api.ogc.write import (
    router as write_router,
)

__all__ = [
    "features_router",
    "openapi_router",
    "parse_cursor",
    "tiles_router",
    "write_router",
]
