"""The open geo-API under /v1: OGC API Features and Tiles, OpenAPI, writes."""

from app.api.ogc import basiskaart, features, openapi, tiles, write, zoeken
from app.api.ogc.params import parse_cursor

# Matched in this order; the items requests, the most frequent, come first.
routers = (features.router, write.router, openapi.router, tiles.router, basiskaart.router,
           zoeken.router)

__all__ = [
    "parse_cursor",
    "routers",
]
