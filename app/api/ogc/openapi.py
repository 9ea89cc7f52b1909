"""The OpenAPI 3.0.3 document of /v1, built from the collection registry so it cannot drift."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.api.common import SessionDep, cached
from app.api.ogc.features import OPENAPI_TYPE, READ, base
from app.api.ogc.openapi_schemas import components, headers, prop_schema, ref
from app.api.ogc.params import check_params
from app.api.ogc.zoeken import SCHEMAS as ZOEK_SCHEMAS
from app.api.ogc.zoeken import TAG as ZOEK_TAG
from app.api.ogc.zoeken import paths as zoek_paths
from app.errors import InvalidInput, NotFound
from app.geo.collections import COLLECTIONS, Collection
from app.geo.tiles import MVT
from app.services.features import WRITABLE
from app.services.gebieden import current_gemeente

router = APIRouter(tags=["algemeen"])

API_VERSION = "1.0.0"
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
MERGE_PATCH = "application/merge-patch+json"
GEOMETRY = {"Point": "GeoJsonPoint", "LineString": "GeoJsonLineString",
            "MultiPolygon": "GeoJsonMultiPolygon"}
PAGE = {HTML: {"schema": {"type": "string"}}}
SECURED: list[dict[str, list[str]]] = [{"apiKey": []}]

DESCRIPTION = """\
Open geo-API van de Voorzieningenkaart ({collections}) volgens OGC API – Features (deel 1 \
tot en met 4) en OGC API – Tiles, binnen de Nederlandse API Design Rules.

* **Eigenschappen van objecten** heten zoals in de registratie van de gemeente (bijv. \
`oppervlakte_m2`, `gewijzigd_op`). Die namen zijn ook de namen in de queryables, in \
CQL2-filters en in de vectortegels; daarom zijn ze niet naar camelCase omgezet. Per collectie \
beschrijft dit document ze; `/collections/{{collectionId}}/queryables` geeft hetzelfde als JSON \
Schema.
* **Tegelschema's**: de OGC-standaard legt het pad `/tileMatrixSets` vast (camelCase, in strijd \
met de regel dat padsegmenten kebab-case zijn). Die twee paden, `/tileMatrixSets` en \
`/tileMatrixSets/WebMercatorQuad`, staan daarom niet in dit document; ze bestaan wel en geven de \
standaard-definitie van WebMercatorQuad (OGC Two Dimensional Tile Matrix Set 2.0). De landing \
page linkt ernaar (rel `http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes`).
* **Schrijven** (deel 4) kan alleen in {writable}, met een API-sleutel in de header \
`X-Api-Key`. Verwijderen archiveert het object; het verdwijnt uit de publieke laag.
* Elk antwoord heeft de header `API-Version`; fouten zijn `application/problem+json` \
(RFC 9457).
"""


def dutch_list(words: list[str]) -> str:
    """'a, b en c', so the description follows the registry instead of repeating it."""
    return " en ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else "geen"


def ok(description: str, content: dict[str, Any] | None, *header_names: str) -> dict[str, Any]:
    """A success response; API-Version always, as the API Design Rules ask."""
    out: dict[str, Any] = {"description": description, "headers": headers(*header_names)}
    if content:
        out["content"] = content
    return out


def errors(*names: str) -> dict[str, Any]:
    """Problem responses by status code, from the shared components."""
    codes = {"BadRequest": "400", "Unauthorized": "401", "Forbidden": "403", "NotFound": "404",
             "Conflict": "409", "PayloadTooLarge": "413", "UnsupportedMediaType": "415",
             "UnprocessableContent": "422", "ServiceUnavailable": "503"}
    return {codes[name]: ref("responses", name) for name in names}


def read(op_id: str, summary: str, tag: str, params: list[dict[str, Any]],
         success: dict[str, Any], database: bool = True) -> dict[str, Any]:
    """A GET with ETag revalidation; 400 for bad or unknown parameters, 404, and 503."""
    return {"operationId": op_id, "summary": summary, "tags": [tag], "parameters": params,
            "responses": {"200": success, "304": ref("responses", "NotModified"),
                          **errors("BadRequest", "NotFound",
                                   *(("ServiceUnavailable",) if database else ()))}}


def p(name: str) -> dict[str, str]:
    """A shared parameter; OGC's bbox-crs, filter-lang and filter-crs must come this way."""
    return ref("parameters", name)


MAX_FILTER_INTEGER = 10**12 - 1


def simple_filter(c: Collection, name: str) -> dict[str, Any]:
    """A property filter query parameter (OGC Part 1 'parameters for filtering')."""
    schema = prop_schema(c.props[name])
    schema.pop("nullable", None)
    if schema["type"] == "integer":  # what params._typed takes: at most 12 digits
        schema.update(minimum=-MAX_FILTER_INTEGER, maximum=MAX_FILTER_INTEGER)
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "style": "form", "explode": False,
            "description": f"Alleen objecten met deze waarde van {name} ({schema['title']})."}


def collection_schemas(c: Collection, cap: str) -> dict[str, Any]:
    """Properties, Feature and FeatureCollection of one collection, from the registry."""
    geometry = ref("schemas", GEOMETRY[c.geometry_type])
    links = {"type": "array", "items": ref("schemas", "Link")}
    schemas: dict[str, Any] = {
        f"{cap}Properties": {
            "type": "object", "title": f"Eigenschappen van {c.title.lower()}",
            "description": "Namen zoals in de registratie en de queryables (niet in camelCase: "
                           "ze zijn de vaste domeinnamen, ook in CQL2-filters en vectortegels).",
            "properties": {name: prop_schema(prop) for name, prop in c.props.items()}},
        f"{cap}Feature": {
            "type": "object", "required": ["type", "id", "geometry", "properties"],
            "properties": {"type": {"type": "string", "enum": ["Feature"]},
                           "id": {"type": "integer"}, "geometry": geometry,
                           "properties": ref("schemas", f"{cap}Properties"), "links": links}},
        f"{cap}FeatureCollection": {
            "type": "object", "required": ["type", "features"],
            "properties": {"type": {"type": "string", "enum": ["FeatureCollection"]},
                           "features": {"type": "array",
                                        "items": ref("schemas", f"{cap}Feature")},
                           "numberMatched": {"type": "integer", "minimum": 0},
                           "numberReturned": {"type": "integer", "minimum": 0},
                           "timeStamp": {"type": "string", "format": "date-time"},
                           "links": links}},
    }
    if c.writable and c.id in WRITABLE:
        writable = WRITABLE[c.id]
        props = {name: {**prop_schema(prop), **({} if name in writable else {"readOnly": True})}
                 for name, prop in c.props.items()}
        required = [name for name, spec in writable.items() if spec.required]
        for name in required:
            props[name].pop("nullable", None)
            if "enum" not in props[name]:  # the server refuses blank text for these
                props[name].update(minLength=1, pattern=r"\S")
        schemas[f"{cap}NewFeature"] = {
            "type": "object", "required": ["type", "geometry", "properties"],
            "description": "Een GeoJSON Feature om te maken of te vervangen. De server bepaalt "
                           f"zelf {', '.join(name for name in c.props if name not in writable)}; "
                           "meegestuurde waarden daarvoor worden genegeerd.",
            "properties": {"type": {"type": "string", "enum": ["Feature"]}, "geometry": geometry,
                           "properties": {"type": "object", "required": required,
                                          "properties": props,
                                          "additionalProperties": False}}}
        schemas[f"{cap}FeaturePatch"] = {
            "type": "object", "description": "JSON merge patch (RFC 7396): alleen wat je noemt "
                                             "verandert; null wist een eigenschap.",
            "properties": {"geometry": geometry,
                           "properties": {"type": "object", "properties": props,
                                          "additionalProperties": False}}}
    return schemas


def write_ops(c: Collection, cap: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """OGC API – Features Part 4: POST on items; PUT, PATCH and DELETE on one item."""
    body = {"required": True, "content": {
        media: {"schema": ref("schemas", f"{cap}NewFeature")} for media in (GEOJSON, JSON)}}
    patch = {"required": True, "content": {
        MERGE_PATCH: {"schema": ref("schemas", f"{cap}FeaturePatch")}}}
    failed = errors("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict",
                    "PayloadTooLarge", "UnsupportedMediaType", "UnprocessableContent",
                    "ServiceUnavailable")
    common = {"tags": [c.title], "security": SECURED}
    item = [p("featureId"), p("contentCrs")]
    changed = ref("responses", "NoContent")
    post = {"operationId": f"create{cap}Feature", "summary": f"Nieuw object in {c.id}",
            "parameters": [p("contentCrs")], "requestBody": body, **common,
            "responses": {"201": ok("Gemaakt; Location wijst naar het nieuwe object.", None,
                                    "Location"),
                          **{k: v for k, v in failed.items() if k != "404"}}}
    one = {
        "put": {"operationId": f"replace{cap}Feature", "summary": "Object vervangen",
                "parameters": item, "requestBody": body, **common,
                "responses": {"204": changed, **failed}},
        "patch": {"operationId": f"update{cap}Feature", "summary": "Object deels wijzigen",
                  "parameters": item, "requestBody": patch, **common,
                  "responses": {"204": changed, **failed}},
        "delete": {"operationId": f"delete{cap}Feature", "summary": "Object archiveren",
                   "parameters": [p("featureId")], **common,
                   "responses": {"204": changed, **{k: v for k, v in failed.items()
                                                    if k not in ("413", "415", "422")}}},
    }
    return post, one


def collection_paths(c: Collection, cap: str) -> dict[str, Any]:
    """The Features and Tiles paths of one collection; writes only where it is writable."""
    root, tag, fmt = f"/collections/{c.id}", c.title, [p("f")]
    items_params = [p("f"), p("limit"), p("bbox"), p("bbox-crs"), p("crs"),
                    *([p("datetime")] if c.temporal else []), p("cursor"), p("filter"),
                    p("filter-lang"), p("filter-crs"),
                    *(simple_filter(c, name) for name in c.filters)]
    features = ok("Een pagina objecten; next en prev in links bladeren.",
                  {GEOJSON: {"schema": ref("schemas", f"{cap}FeatureCollection")}, **PAGE},
                  "ETag", "Cache-Control", "Content-Crs")
    feature = ok("Het object.", {GEOJSON: {"schema": ref("schemas", f"{cap}Feature")}, **PAGE},
                 "ETag", "Cache-Control", "Content-Crs")
    tile_params = [p("tileMatrixSetId"), p("tileMatrix"), p("tileRow"), p("tileCol"),
                   p("tileGemeente")]
    tile = read(f"get{cap}Tile", f"Eén vectortegel van {c.id}", tag, tile_params, ok(
        f"Mapbox Vector Tile met laag {c.id} (eigenschappen: id, {', '.join(c.tile_props)}). "
        "Buiten het tegelschema: 404.", {MVT: {"schema": {"type": "string", "format": "binary"}}},
        "ETag", "Cache-Control"))
    tile["responses"]["204"] = ok("Lege tegel: hier liggen geen objecten.", None, "ETag",
                                  "Cache-Control")
    paths: dict[str, Any] = {
        root: {"get": read(f"get{cap}Collection", c.title, tag, fmt, ok(
            c.description, {JSON: {"schema": ref("schemas", "Collection")}, **PAGE},
            "ETag", "Cache-Control"))},
        f"{root}/items": {"get": read(f"get{cap}Features", f"Objecten uit {c.id}", tag,
                                      items_params, features)},
        f"{root}/items/{{featureId}}": {"get": read(
            f"get{cap}Feature", f"Eén object uit {c.id}", tag,
            [p("featureId"), p("f"), p("crs")], feature)},
        f"{root}/queryables": {"get": read(
            f"get{cap}Queryables", f"Filterbare eigenschappen van {c.id}", tag, fmt,
            ok("JSON Schema van de eigenschappen voor filter.",
               {"application/schema+json": {"schema": ref("schemas", "Queryables")}, **PAGE},
               "ETag", "Cache-Control"))},
        f"{root}/tiles": {"get": read(
            f"get{cap}TileSets", f"Vectortegelsets van {c.id}", tag, [p("fJson")],
            ok("De tegelsets.", {JSON: {"schema": ref("schemas", "TileSets")}},
               "ETag", "Cache-Control"), database=False)},
        f"{root}/tiles/{{tileMatrixSetId}}": {"get": read(
            f"get{cap}TileSet", f"Vectortegelset van {c.id}", tag,
            [p("tileMatrixSetId"), p("fJson")],
            ok("Metadata van de tegelset.", {JSON: {"schema": ref("schemas", "TileSet")}},
               "ETag", "Cache-Control"))},
        f"{root}/tiles/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": {
            "get": tile},
    }
    if not c.tiles:
        paths = {path: item for path, item in paths.items() if "/tiles" not in path}
    if c.writable and c.id in WRITABLE:
        post, one = write_ops(c, cap)
        paths[f"{root}/items"]["post"] = post
        paths[f"{root}/items/{{featureId}}"].update(one)
    return paths


def general_paths() -> dict[str, Any]:
    """Landing page, conformance, the collections list and this document."""
    tag, fmt, cache = "Algemeen", [p("f")], ("ETag", "Cache-Control")
    doc = {"type": "object", "description": "Dit document."}
    return {
        "/": {"get": read("getLandingPage", "Landing page", tag, fmt, ok(
            "Links naar de onderdelen van de API (ook op /v1 zonder slash).",
            {JSON: {"schema": ref("schemas", "LandingPage")}, **PAGE}, *cache),
            database=False)},
        "/conformance": {"get": read("getConformance", "Conformiteit", tag, fmt, ok(
            "De conformiteitsklassen die de API volgt.",
            {JSON: {"schema": ref("schemas", "ConfClasses")}, **PAGE}, *cache),
            database=False)},
        "/collections": {"get": read("getCollections", "Collecties", tag, fmt, ok(
            "Alle collecties met hun omvang en CRS'en.",
            {JSON: {"schema": ref("schemas", "Collections")}, **PAGE}, *cache))},
        "/openapi.json": {"get": read("getOpenApi", "Dit OpenAPI-document", tag, [p("fJson")], ok(
            "OpenAPI 3.0.3; application/json als de client daarom vraagt.",
            {OPENAPI_TYPE: {"schema": doc}, JSON: {"schema": doc}}, *cache))},
    }


def basiskaart_paths() -> dict[str, Any]:
    """Our own basemap as a dataset tileset (app/api/ogc/basiskaart.py)."""
    tag, root = "Basiskaart", "/tiles/basiskaart/{tileMatrixSetId}"
    tile = read("getBasiskaartTile", "Eén tegel van de basiskaart", tag,
                [p("tileMatrixSetId"), p("tileMatrix"), p("tileRow"), p("tileCol")], ok(
        "Mapbox Vector Tile met de lagen water, terrein, pand, straat (naam, soort) en labels "
        "(huisnummer, vanaf zoom 18). Boven zoom 18 of buiten het tegelschema: 404.",
        {MVT: {"schema": {"type": "string", "format": "binary"}}}, "ETag", "Cache-Control"))
    tile["responses"]["204"] = ok("Lege tegel: hier ligt niets, of zoom lager dan 12.", None,
                                  "ETag", "Cache-Control")
    return {
        "/tiles": {"get": read("getTileSets", "Tegelsets van de hele dataset", tag,
                               [p("fJson")], ok("De tegelsets.", {JSON: {"schema": ref(
                                   "schemas", "TileSets")}}, "ETag", "Cache-Control"),
                               database=False)},
        root: {"get": read("getBasiskaartTileSet", "De tegelset van de basiskaart", tag,
                           [p("tileMatrixSetId"), p("fJson")], ok(
                               "Metadata van de tegelset.", {JSON: {"schema": ref(
                                   "schemas", "TileSet")}}, "ETag", "Cache-Control"),
                           database=False)},
        f"{root}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": {"get": tile},
    }


def build_openapi(server_url: str, contact: dict[str, str]) -> dict[str, Any]:
    """The whole document for a server root such as https://host/v1."""
    parts = components()
    paths = general_paths()
    for c in COLLECTIONS.values():
        cap = c.id.capitalize()
        parts["schemas"].update(collection_schemas(c, cap))
        paths.update(collection_paths(c, cap))
    paths.update(basiskaart_paths())
    parts["schemas"].update(ZOEK_SCHEMAS)
    paths.update(zoek_paths())
    return {
        "openapi": "3.0.3",
        "info": {"title": "Voorzieningenkaart – open geo-API", "version": API_VERSION,
                 "description": DESCRIPTION.format(
                     collections=dutch_list([c.id for c in COLLECTIONS.values()]),
                     writable=dutch_list([c.id for c in COLLECTIONS.values() if c.writable])),
                 "contact": contact},
        "servers": [{"url": server_url, "description": "Deze installatie"}],
        "tags": [{"name": "Algemeen", "description": "Landing page, conformiteit, collecties."},
                 *({"name": c.title, "description": c.description}
                   for c in COLLECTIONS.values()),
                 {"name": "Basiskaart", "description": "Een eigen ondergrond als vectortegels."},
                 ZOEK_TAG],
        "paths": paths,
        "components": parts,
    }


def contact_for(request: Request, session: Session, url: str) -> dict[str, str]:
    """info.contact from the loaded gemeente and the KAART_CONTACT_EMAIL setting."""
    settings = request.app.state.settings
    try:
        name = f"Gemeente {current_gemeente(session, settings.gemeente).naam} – Voorzieningenkaart"
    except NotFound:
        name = "Voorzieningenkaart"
    contact = {"name": name, "url": url}
    email = settings.contact_email
    if email:  # without the setting the document stays valid; the ADR lint then flags it
        contact["email"] = email
    return contact


@router.api_route("/v1/openapi.json", methods=READ, include_in_schema=False)
def openapi_json(request: Request, session: SessionDep) -> Response:
    """The service-desc the landing page links to (OGC API – Features /conf/oas30)."""
    check_params(request, {"f"})
    if request.query_params.get("f", "json") != "json":
        raise InvalidInput("f: dit document is er alleen als json.")
    root = base(request)
    doc = build_openapi(root, contact_for(request, session, root))
    accept = request.headers.get("accept", "")
    media = JSON if JSON in accept and "openapi" not in accept else OPENAPI_TYPE
    return cached(request, json.dumps(doc, ensure_ascii=False).encode(), media,
                  headers={"Vary": "Accept"})
