"""OGC API – Tiles under /v1: the WebMercatorQuad tile matrix set and Mapbox Vector Tiles.

Empty tiles answer 204 No Content (OGC 20-057 /req/core/tc-error B allows 204 or an empty 200;
204 says "nothing here" without a body and is what Martin and MapLibre expect). Tiles outside
the published limits (zoom 0..22) answer 404 (/req/core/tc-error A: 404 or 400).
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import State

from app.api.common import REVALIDATE, SessionDep, cached, etag_for, not_modified
from app.api.ogc.features import base, collection_for, link
from app.api.ogc.params import check_params
from app.errors import InvalidInput, NotFound
from app.geo import crs, tiles
from app.geo.collections import Collection

router = APIRouter(tags=["tegels"])

JSON = "application/json"
TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
REL = "http://www.opengis.net/def/rel/ogc/1.0/"
RENDERING = "2"  # bump when the SQL changes what a tile holds, so old ETags stop matching
GEMEENTE_CODE = re.compile(r"GM\d{4}")
NUMBER = re.compile(r"\d{1,8}")
EMPTY_TILES = "Lege tegels (geen objecten) worden beantwoord met 204 No Content."
_STATE_LOCK = threading.Lock()


def cache_for(state: State) -> tiles.TileCache:
    """One tile cache per app (so tests on fresh apps never share one); made on first use."""
    with _STATE_LOCK:
        cache: tiles.TileCache | None = getattr(state, "tile_cache", None)
        if cache is None:
            cache = tiles.TileCache()
            state.tile_cache = cache
    return cache


def check_json_params(request: Request) -> None:
    """Unknown parameters are a 400; metadata is JSON only, so f may only say json."""
    check_params(request, {"f"})
    f = request.query_params.get("f")
    if f is not None and f != "json":
        raise InvalidInput(f"f: onbekend formaat '{f}'; deze resource is er alleen als json.")


def tiled_collection_for(collection_id: str) -> Collection:
    """404 for an unknown collection and for one without vector tiles."""
    c = collection_for(collection_id)
    if not c.tiles:
        raise NotFound(f"Collectie '{c.id}' heeft geen vectortegels.")
    return c


def tms_for(tms_id: str) -> None:
    """404 for any tile matrix set but the one we publish."""
    if tms_id != TMS_ID:
        raise NotFound(f"Tegelschema '{tms_id}' bestaat niet; beschikbaar: {TMS_ID}.")


def as_json(request: Request, body: dict[str, Any]) -> Response:
    """JSON with an ETag over its bytes."""
    return cached(request, json.dumps(body, ensure_ascii=False).encode(), JSON)


def web_mercator_quad() -> dict[str, Any]:
    """The registered WebMercatorQuad definition (OGC 17-083r4, TMS 2.0 JSON encoding)."""
    matrices = []
    for z in range(25):
        cell = 2 * tiles.ORIGIN / 256 / 2**z
        matrices.append({
            "id": str(z), "scaleDenominator": round(cell / 0.00028, 6),
            "cellSize": round(cell, 12), "cornerOfOrigin": "topLeft",
            "pointOfOrigin": [-tiles.ORIGIN, tiles.ORIGIN], "tileWidth": 256,
            "tileHeight": 256, "matrixWidth": 2**z, "matrixHeight": 2**z})
    return {"id": TMS_ID, "title": "Google Maps Compatible for the World", "uri": TMS_URI,
            "crs": CRS_3857, "orderedAxes": ["X", "Y"],
            "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
            "tileMatrices": matrices}


@router.get("/v1/tileMatrixSets", include_in_schema=False)
def tile_matrix_sets(request: Request) -> Response:
    """The tiling schemes on offer: only WebMercatorQuad, what every web map speaks."""
    check_json_params(request)
    url = f"{base(request)}/tileMatrixSets"
    body = {"tileMatrixSets": [{
        "id": TMS_ID, "title": "Google Maps Compatible for the World", "uri": TMS_URI,
        "crs": CRS_3857,
        "links": [link(f"{url}/{TMS_ID}", f"{REL}tiling-scheme", JSON, TMS_ID)]}],
        "links": [link(url, "self", JSON, "Tegelschema's")]}
    return as_json(request, body)


@router.get("/v1/tileMatrixSets/{tms_id}", include_in_schema=False)
def tile_matrix_set(tms_id: str, request: Request) -> Response:
    """The full definition, so clients need not know the OGC registry by heart."""
    check_json_params(request)
    tms_for(tms_id)
    url = f"{base(request)}/tileMatrixSets/{TMS_ID}"
    body = {**web_mercator_quad(), "links": [link(url, "self", JSON, TMS_ID)]}
    return as_json(request, body)


def _summary(request: Request, c: Collection) -> dict[str, Any]:
    """What a tileset entry in a list needs: dataType, crs, TMS and the links."""
    url = f"{base(request)}/collections/{c.id}/tiles/{TMS_ID}"
    return {
        "title": f"{c.title} (vectortegels)", "dataType": "vector", "crs": CRS_3857,
        "tileMatrixSetURI": TMS_URI,
        "links": [link(url, "self", JSON, "Tegelset"),
                  link(f"{base(request)}/tileMatrixSets/{TMS_ID}", f"{REL}tiling-scheme", JSON,
                       TMS_ID),
                  {**link(f"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}", "item", tiles.MVT,
                          "Mapbox Vector Tile"), "templated": True}]}


@router.get("/v1/collections/{collection_id}/tiles", include_in_schema=False)
def tilesets(collection_id: str, request: Request) -> Response:
    """The tilesets of a collection (/req/geodata-tilesets/operation): one, vector."""
    c = tiled_collection_for(collection_id)
    check_json_params(request)
    url = f"{base(request)}/collections/{c.id}"
    body = {"tilesets": [_summary(request, c)],
            "links": [link(f"{url}/tiles", "self", JSON, "Tegelsets"),
                      link(url, f"{REL}geodata", JSON, c.title)]}
    return as_json(request, body)


def _properties_schema(c: Collection) -> dict[str, Any]:
    """JSON Schema of the tile attributes, so a style can be written without a sample tile."""
    properties: dict[str, Any] = {"id": {"type": "integer", "title": "Id (featureId)"}}
    for name in c.tile_props:
        prop = c.props[name]
        properties[name] = {"type": prop.type, "title": prop.title,
                            **({"enum": list(prop.enum)} if prop.enum else {})}
    return {"type": "object", "properties": properties}


@router.get("/v1/collections/{collection_id}/tiles/{tms_id}", include_in_schema=False)
def tileset(collection_id: str, tms_id: str, request: Request,
            session: SessionDep) -> Response:
    """Tileset metadata (TMS 2.0): the tile URL template, limits, layer and extent."""
    c = tiled_collection_for(collection_id)
    tms_for(tms_id)
    check_json_params(request)
    cache = cache_for(request.app.state)
    extent, _ = tiles.layer_extent(session, cache, c, None, tiles.layer_version(session, c))
    collection_url = f"{base(request)}/collections/{c.id}"
    body: dict[str, Any] = {
        **_summary(request, c), "description": f"{c.description} {EMPTY_TILES}",
        "mediaTypes": [tiles.MVT],
        "tileMatrixSetLimits": [
            {"tileMatrix": str(z), "minTileRow": 0, "maxTileRow": 2**z - 1, "minTileCol": 0,
             "maxTileCol": 2**z - 1} for z in range(tiles.MAX_ZOOM + 1)],
        "layers": [{
            "id": c.id, "title": c.title, "dataType": "vector",
            "geometryDimension": 2 if tiles.is_polygon(c) else 0, "featureType": c.id,
            "minTileMatrix": "0", "maxTileMatrix": str(tiles.MAX_ZOOM),
            "propertiesSchema": _properties_schema(c),
            "links": [link(collection_url, f"{REL}geodata", JSON, c.title)]}],
    }
    body["links"].append(link(collection_url, f"{REL}geodata", JSON, c.title))
    if extent is not None:
        minx, miny, maxx, maxy = (round(v, 6) for v in extent.crs84)
        bbox = {"lowerLeft": [minx, miny], "upperRight": [maxx, maxy], "crs": crs.CRS84}
        body["boundingBox"] = body["layers"][0]["boundingBox"] = bbox
        body["centerPoint"] = {"coordinates": [round((minx + maxx) / 2, 6),
                                               round((miny + maxy) / 2, 6)],
                               "crs": crs.CRS84, "tileMatrix": "15"}
    return as_json(request, body)


def _tile_number(raw: str) -> int:
    """A path that is no tile number names no tile: 404, like any tile out of range."""
    if not NUMBER.fullmatch(raw):
        raise NotFound("Deze tegel bestaat niet: tileMatrix, tileRow en tileCol zijn gehele "
                       "getallen.")
    return int(raw)


@router.get("/v1/collections/{collection_id}/tiles/{tms_id}/{tile_matrix}/{tile_row}/{tile_col}",
            include_in_schema=False)
def tile(collection_id: str, tms_id: str, tile_matrix: str, tile_row: str, tile_col: str,
         request: Request, session: SessionDep) -> Response:
    """One MVT; the ETag comes from the layer version, so a 304 costs one indexed read."""
    c = tiled_collection_for(collection_id)
    tms_for(tms_id)
    z, y, x = _tile_number(tile_matrix), _tile_number(tile_row), _tile_number(tile_col)
    if not tiles.valid_tile(z, x, y):
        raise NotFound(f"Tegel {z}/{y}/{x} ligt buiten {TMS_ID}: tileMatrix 0 t/m "
                       f"{tiles.MAX_ZOOM}, tileRow en tileCol 0 t/m 2^tileMatrix − 1.")
    check_params(request, {"gemeente"})
    gemeente = request.query_params.get("gemeente")
    if gemeente is not None and not GEMEENTE_CODE.fullmatch(gemeente):
        raise InvalidInput("gemeente: verwacht een CBS-code zoals GM0153.")

    def etag(version: str) -> str:
        return etag_for("mvt", RENDERING, c.id, gemeente or "", f"{z}/{x}/{y}", version)

    version = tiles.layer_version(session, c)
    headers = {"ETag": etag(version), "Cache-Control": REVALIDATE}
    if not_modified(request, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    result = tiles.get_tile(session, cache_for(request.app.state), c, z, x, y, gemeente,
                            version)
    headers["ETag"] = etag(result.version)
    if not result.gzipped:
        return Response(status_code=204, headers=headers)
    headers["Vary"] = "Accept-Encoding"
    if accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"  # GZipMiddleware leaves encoded bodies alone
        return Response(result.gzipped, media_type=tiles.MVT, headers=headers)
    return Response(result.data, media_type=tiles.MVT, headers=headers)


def accepts_gzip(request: Request) -> bool:
    """gzip listed in Accept-Encoding and not refused with q=0."""
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False
