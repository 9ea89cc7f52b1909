"""The fixed parts of the OpenAPI document: OGC schemas, headers, parameters and responses.

Kept apart from app/api/ogc/openapi.py, which adds what the collection registry knows.
"""

from __future__ import annotations

import copy

from app.geo import crs
from app.geo.collections import Prop
from app.geo.tiles import MAX_ZOOM

PROBLEM = "application/problem+json"
CRS_URIS = list(crs.SUPPORTED)


def ref(kind: str, name: str) -> dict[str, str]:
    """A $ref into components, so each shared part is written once."""
    return {"$ref": f"#/components/{kind}/{name}"}


def prop_schema(p: Prop) -> dict[str, object]:
    """JSON Schema of one registry property, as the queryables give it."""
    schema: dict[str, object] = {"type": p.type, "title": p.title}
    if p.format:
        schema["format"] = p.format
    if p.enum:
        schema["enum"] = list(p.enum)
    else:
        schema["nullable"] = True
    return schema


def _crs_param(name: str, description: str) -> dict[str, object]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", "format": "uri", "enum": CRS_URIS,
                       "default": crs.CRS84},
            "style": "form", "explode": False}


def _query(name: str, description: str, schema: dict[str, object]) -> dict[str, object]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "style": "form", "explode": False}


def _path(name: str, description: str, schema: dict[str, object]) -> dict[str, object]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}


PARAMETERS: dict[str, object] = {
    "f": _query("f", "Het formaat van het antwoord: json of html. Zonder f beslist de "
                "Accept-header; standaard json.", {"type": "string", "enum": ["json", "html"]}),
    "fJson": _query("f", "Het formaat van het antwoord; deze resource is er alleen als json.",
                    {"type": "string", "enum": ["json"]}),
    "limit": _query("limit", "Het aantal objecten per pagina. Een grotere waarde dan 10000 wordt "
                    "tot 10000 begrensd (dat mag volgens OGC API – Features).",
                    {"type": "integer", "minimum": 1, "default": 10}),
    "bbox": _query("bbox", "Alleen objecten die dit gebied raken: 4 (of 6) getallen in de "
                   "asvolgorde van bbox-crs (standaard CRS84: lengte, breedte). Ligt in CRS84 "
                   "de westgrens boven de oostgrens, dan gaat het gebied over de datumgrens; "
                   "elke andere ondergrens boven de bovengrens is een leeg gebied (geen "
                   "objecten).",
                   {"type": "array", "items": {"type": "number"},
                    "anyOf": [{"minItems": 4, "maxItems": 4},
                              {"minItems": 6, "maxItems": 6}]}),
    "bbox-crs": _crs_param("bbox-crs", "Het CRS van bbox (OGC API – Features deel 2). De naam "
                           "ligt vast in de OGC-standaard en is daarom niet in camelCase."),
    "crs": _crs_param("crs", "Het CRS van de geometrieën in het antwoord (OGC API – Features "
                      "deel 2); de header Content-Crs noemt het."),
    "datetime": _query("datetime", "Alleen objecten waarvan de tijd (bij ons: gewijzigd_op) op "
                       "dit moment of in dit interval valt (RFC 3339, bijv. "
                       "2024-01-01T00:00:00Z/.. of 2024-01-01/2024-12-31); het begin ligt niet "
                       "na het einde.", {"type": "string", "format": "rfc3339-interval"}),
    "cursor": _query("cursor", "Positie in de resultaten; volg de links next en prev in plaats "
                     "van hem zelf te maken.", {"type": "string", "pattern": "^[ab][0-9]{1,12}$"}),
    "filter": _query("filter", "Een CQL2-filter (OGC API – Features deel 3) over de "
                     "eigenschappen die /queryables noemt, in de taal van filter-lang. Leeg "
                     "betekent: geen filter.", {"type": "string", "format": "cql2"}),
    "filter-lang": _query("filter-lang", "De taal van filter. De naam ligt vast in de "
                          "OGC-standaard en is daarom niet in camelCase.",
                          {"type": "string", "enum": ["cql2-text", "cql2-json"],
                           "default": "cql2-text"}),
    "filter-crs": _crs_param("filter-crs", "Het CRS van de geometrieën in filter. De naam ligt "
                             "vast in de OGC-standaard en is daarom niet in camelCase."),
    "featureId": _path("featureId", "Het id van het object (een geheel getal).",
                       {"type": "string"}),
    "tileMatrixSetId": _path("tileMatrixSetId", "Het tegelschema; alleen WebMercatorQuad.",
                             {"type": "string", "enum": ["WebMercatorQuad"]}),
    "tileMatrix": _path("tileMatrix", f"Het zoomniveau in het tegelschema: 0 tot en met "
                        f"{MAX_ZOOM}.",
                        {"type": "string", "pattern": "^[0-9]{1,2}$"}),
    "tileRow": _path("tileRow", "De rij van de tegel (van boven, vanaf 0).",
                     {"type": "integer", "minimum": 0}),
    "tileCol": _path("tileCol", "De kolom van de tegel (van links, vanaf 0).",
                     {"type": "integer", "minimum": 0}),
    "tileGemeente": _query("gemeente", "Alleen objecten van deze gemeente (CBS-code).",
                           {"type": "string", "pattern": "^GM[0-9]{4}$"}),
    "contentCrs": {"name": "Content-Crs", "in": "header", "required": False,
                   "description": "Het CRS van de meegestuurde geometrie, als <uri>; standaard "
                                  "CRS84 (lengte, breedte).",
                   "schema": {"type": "string", "enum": [f"<{uri}>" for uri in CRS_URIS],
                              "example": f"<{crs.CRS84}>"}},
}


def _header(description: str, example: str | None = None) -> dict[str, object]:
    schema: dict[str, object] = {"type": "string"}
    if example:
        schema["example"] = example
    return {"description": description, "schema": schema}


HEADERS: dict[str, object] = {
    "API-Version": _header("De volledige versie van de API (semver).", "1.0.0"),
    "ETag": _header("Versie van de representatie; stuur hem terug in If-None-Match."),
    "Cache-Control": _header("Altijd opnieuw valideren; met de ETag is dat goedkoop.",
                             "public, max-age=0, must-revalidate"),
    "Content-Crs": _header("Het CRS van de geometrieën in het antwoord, als <uri>.",
                           f"<{crs.CRS84}>"),
    "Location": _header("De URL van het nieuwe object."),
}


def headers(*names: str) -> dict[str, object]:
    """API-Version on every success, as the API Design Rules ask, plus the ones named."""
    return {name: ref("headers", name) for name in ("API-Version", *names)}


def _problem(description: str) -> dict[str, object]:
    return {"description": description,
            "content": {PROBLEM: {"schema": ref("schemas", "Problem")}}}


RESPONSES: dict[str, object] = {
    "NotModified": {"description": "Niet gewijzigd sinds de ETag in If-None-Match.",
                    "headers": headers("ETag", "Cache-Control")},
    "NoContent": {"description": "Gelukt; er is geen inhoud.", "headers": headers()},
    "BadRequest": _problem("Ongeldige parameter of invoer; invalidParams noemt wat."),
    "Unauthorized": _problem("Geen of een onbekende API-sleutel in X-Api-Key."),
    "Forbidden": _problem("Deze API-sleutel mag dit niet."),
    "NotFound": _problem("Bestaat niet."),
    "Conflict": _problem("De wijziging botst met de huidige stand (bijv. een bestaand "
                         "extern_id)."),
    "PayloadTooLarge": _problem("Het verzoek is te groot."),
    "UnsupportedMediaType": _problem("Het Content-Type van het verzoek wordt niet ondersteund."),
    "UnprocessableContent": _problem("Het verzoek klopt met dit document, maar de gegevens "
                                     "kunnen het niet aan: bijv. een geometrie die niet geldig "
                                     "is of (deels) buiten de gemeente ligt, of een onbekende "
                                     "categorie."),
    "ServiceUnavailable": _problem("De database is tijdelijk niet bereikbaar."),
}

_LINK = {"type": "object", "required": ["href", "rel"], "properties": {
    "href": {"type": "string", "format": "uri"}, "rel": {"type": "string"},
    "type": {"type": "string"}, "hreflang": {"type": "string"}, "title": {"type": "string"},
    "length": {"type": "integer"}}}
_LINKS = {"type": "array", "items": ref("schemas", "Link")}
# A link whose href is a URI template (RFC 6570), such as a tile URL with {tileMatrix}
_TEMPLATED_LINK = {"type": "object", "required": ["href", "rel", "templated"], "properties": {
    "href": {"type": "string", "description": "Een URI-sjabloon (RFC 6570), geen URI."},
    "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"},
    "templated": {"type": "boolean", "enum": [True]}}}
_TILE_LINKS = {"type": "array", "items": {"anyOf": [ref("schemas", "Link"),
                                                    ref("schemas", "TemplatedLink")]}}
_POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}
_RING = {"type": "array", "minItems": 4, "items": _POSITION}

SCHEMAS: dict[str, object] = {
    "Link": _LINK,
    "TemplatedLink": _TEMPLATED_LINK,
    "LandingPage": {"type": "object", "required": ["links"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"}, "links": _LINKS}},
    "ConfClasses": {"type": "object", "required": ["conformsTo"], "properties": {
        "conformsTo": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "links": _LINKS}},
    "Extent": {"type": "object", "properties": {
        "spatial": {"type": "object", "properties": {
            "bbox": {"type": "array", "items": {"type": "array", "minItems": 4, "maxItems": 6,
                                                "items": {"type": "number"}}},
            "crs": {"type": "string", "format": "uri"}}},
        "temporal": {"type": "object", "properties": {
            "interval": {"type": "array", "items": {
                "type": "array", "minItems": 2, "maxItems": 2,
                "items": {"type": "string", "format": "date-time", "nullable": True}}},
            "trs": {"type": "string", "format": "uri"}}}}},
    "Collection": {"type": "object", "required": ["id", "links"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"},
        "description": {"type": "string"}, "itemType": {"type": "string"},
        "extent": ref("schemas", "Extent"),
        "crs": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "storageCrs": {"type": "string", "format": "uri"}, "links": _LINKS}},
    "Collections": {"type": "object", "required": ["collections", "links"], "properties": {
        "collections": {"type": "array", "items": ref("schemas", "Collection")},
        "crs": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "links": _LINKS}},
    "Queryables": {"type": "object", "description": "Een JSON Schema (draft 2020-12) van de "
                   "eigenschappen waarop filter werkt.", "additionalProperties": True},
    "GeoJsonPoint": {"type": "object", "required": ["type", "coordinates"], "properties": {
        "type": {"type": "string", "enum": ["Point"]}, "coordinates": _POSITION}},
    "GeoJsonLineString": {"type": "object", "required": ["type", "coordinates"], "properties": {
        "type": {"type": "string", "enum": ["LineString"]},
        "coordinates": {"type": "array", "minItems": 2, "items": _POSITION}}},
    "GeoJsonMultiPolygon": {"type": "object", "required": ["type", "coordinates"], "properties": {
        "type": {"type": "string", "enum": ["MultiPolygon"]},
        "coordinates": {"type": "array", "minItems": 1, "items": {
            "type": "array", "minItems": 1, "items": _RING}}}},
    "TileSets": {"type": "object", "required": ["tilesets"], "properties": {
        "tilesets": {"type": "array", "items": ref("schemas", "TileSet")}, "links": _LINKS}},
    "TileSet": {"type": "object", "required": ["dataType", "crs", "links"], "properties": {
        "title": {"type": "string"}, "dataType": {"type": "string", "enum": ["vector"]},
        "crs": {"type": "string", "format": "uri"},
        "tileMatrixSetURI": {"type": "string", "format": "uri"}, "links": _TILE_LINKS},
        "additionalProperties": True},
    "InvalidParam": {"type": "object", "required": ["name", "reason"], "properties": {
        "name": {"type": "string", "description": "De parameter of het veld."},
        "reason": {"type": "string", "description": "Wat er mis is."}}},
    "Problem": {"type": "object", "description": "Foutmelding volgens RFC 9457.",
                "required": ["type", "title", "status", "detail"], "properties": {
        "type": {"type": "string", "format": "uri-reference", "example": "about:blank"},
        "title": {"type": "string", "example": "Bad Request"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599, "example": 400},
        "detail": {"type": "string", "example": "limit: verwacht een geheel getal van 1 of meer."},
        "instance": {"type": "string", "format": "uri-reference"},
        "invalidParams": {"type": "array", "items": ref("schemas", "InvalidParam")}}},
}

SECURITY_SCHEMES: dict[str, object] = {
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key",
               "description": "Een API-sleutel (rol medewerker of beheerder), uitgegeven met "
                              "`kaart apikey`. Alleen nodig om te schrijven."},
}


def components() -> dict[str, dict[str, object]]:
    """Fresh copies, so a caller adding per-collection schemas never changes the module's."""
    return copy.deepcopy({"schemas": SCHEMAS, "parameters": PARAMETERS, "headers": HEADERS,
                          "responses": RESPONSES, "securitySchemes": SECURITY_SCHEMES})
