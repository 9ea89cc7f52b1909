"""Our own basemap under /v1/tiles/basiskaart (OGC API – Tiles, a dataset vector tileset).

Layers water, terrein, pand, straat and labels in one MVT per tile, built by PostGIS in one
statement (app/geo/basiskaart.py). Tiles below zoom 12 are empty (204); above 18 they do not
exist (404): clients draw zoom 19 and up from the zoom-18 tile.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.common import REVALIDATE, SessionDep, etag_for, not_modified
from app.api.ogc.features import base, link
from app.api.ogc.params import check_params
from app.api.ogc.tiles import (
    CRS_3857,
    EMPTY_TILES,
    JSON,
    REL,
    TMS_ID,
    TMS_URI,
    _tile_number,
    accepts_gzip,
    as_json,
    cache_for,
    check_json_params,
    tms_for,
)
from app.errors import NotFound
from app.geo import basiskaart, tiles

router = APIRouter(tags=["tegels"])

RENDERING = "1"  # bump when the SQL changes what a tile holds, so old ETags stop matching
TITLE = "Basiskaart (vectortegels)"
DESCRIPTION = ("Een eigen ondergrond: water, terrein, panden, straten met naam en huisnummers, "
               f"in één tegel. Zoom {basiskaart.MIN_ZOOM} t/m {basiskaart.MAX_ZOOM}; panden "
               f"vanaf {basiskaart.PAND_ZOOM}, huisnummers vanaf {basiskaart.LABEL_ZOOM}.")
LAYER_PROPS: dict[str, dict[str, str]] = {
    "water": {"naam": "string", "soort": "string"}, "terrein": {"naam": "string",
                                                              "soort": "string"},
    "pand": {}, "straat": {"naam": "string", "soort": "string"}, "labels": {"huisnummer": "string"},
}
MIN_LAYER_ZOOM = {"pand": basiskaart.PAND_ZOOM, "labels": basiskaart.LABEL_ZOOM}


def _summary(request: Request) -> dict[str, Any]:
    url = f"{base(request)}/tiles/{basiskaart.TILESET}/{TMS_ID}"
    return {
        "title": TITLE, "dataType": "vector", "crs": CRS_3857, "tileMatrixSetURI": TMS_URI,
        "links": [link(url, "self", JSON, "Tegelset"),
                  link(f"{base(request)}/tileMatrixSets/{TMS_ID}", f"{REL}tiling-scheme", JSON,
                       TMS_ID),
                  {**link(f"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}", "item", tiles.MVT,
                          "Mapbox Vector Tile"), "templated": True}]}


@router.get("/v1/tiles", include_in_schema=False)
def tilesets(request: Request) -> Response:
    """The dataset tilesets (/req/tilesets-list): only the basemap."""
    check_json_params(request)
    body = {"tilesets": [_summary(request)],
            "links": [link(f"{base(request)}/tiles", "self", JSON, "Tegelsets")]}
    return as_json(request, body)


@router.get("/v1/tiles/basiskaart/{tms_id}", include_in_schema=False)
def tileset(tms_id: str, request: Request) -> Response:
    """Tileset metadata: the limits and each layer with its attributes and first zoom."""
    tms_for(tms_id)
    check_json_params(request)
    layers = [{"id": name, "dataType": "vector",
               "geometryDimension": 0 if name == "labels" else 1 if name == "straat" else 2,
               "minTileMatrix": str(MIN_LAYER_ZOOM.get(name, basiskaart.MIN_ZOOM)),
               "maxTileMatrix": str(basiskaart.MAX_ZOOM),
               "propertiesSchema": {"type": "object", "properties": {
                   prop: {"type": kind} for prop, kind in LAYER_PROPS[name].items()}}}
              for name in basiskaart.LAYERS]
    body = {**_summary(request), "description": f"{DESCRIPTION} {EMPTY_TILES}",
            "mediaTypes": [tiles.MVT], "layers": layers,
            "tileMatrixSetLimits": [
                {"tileMatrix": str(z), "minTileRow": 0, "maxTileRow": 2**z - 1,
                 "minTileCol": 0, "maxTileCol": 2**z - 1}
                for z in range(basiskaart.MAX_ZOOM + 1)]}
    return as_json(request, body)


@router.get("/v1/tiles/basiskaart/{tms_id}/{tile_matrix}/{tile_row}/{tile_col}",
            include_in_schema=False)
def tile(tms_id: str, tile_matrix: str, tile_row: str, tile_col: str, request: Request,
         session: SessionDep) -> Response:
    """One basemap tile; ETag from the five layer versions, so a 304 costs one read."""
    tms_for(tms_id)
    z, y, x = _tile_number(tile_matrix), _tile_number(tile_row), _tile_number(tile_col)
    if not tiles.valid_tile(z, x, y) or z > basiskaart.MAX_ZOOM:
        raise NotFound(f"Tegel {z}/{y}/{x} ligt buiten de basiskaart: tileMatrix 0 t/m "
                       f"{basiskaart.MAX_ZOOM}, tileRow en tileCol 0 t/m 2^tileMatrix − 1.")
    check_params(request, set())

    def etag(version: str) -> str:
        return etag_for("mvt", RENDERING, basiskaart.TILESET, f"{z}/{x}/{y}", version)

    version = basiskaart.version(session)
    headers = {"ETag": etag(version), "Cache-Control": REVALIDATE}
    if not_modified(request, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    result = (tiles.Tile(b"", version) if z < basiskaart.MIN_ZOOM else
              basiskaart.get_tile(session, cache_for(request.app.state), z, x, y, version))
    headers["ETag"] = etag(result.version)
    if not result.gzipped:
        return Response(status_code=204, headers=headers)
    headers["Vary"] = "Accept-Encoding"
    if accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        return Response(result.gzipped, media_type=tiles.MVT, headers=headers)
    return Response(result.data, media_type=tiles.MVT, headers=headers)
