"""GET /v1/zoeken: the town search as JSON, and its part of the OpenAPI document."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.common import GemeenteDep, SessionDep, cached
from app.api.ogc.openapi_schemas import headers, ref
from app.api.ogc.params import check_params
from app.errors import InvalidInput
from app.services import geografie

router = APIRouter(tags=["zoeken"])
JSON = "application/json"
DEFAULT_LIMIT = 10


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= geografie.MAX_LIMIT:
        raise InvalidInput(f"limit: verwacht een geheel getal van 1 tot en met "
                           f"{geografie.MAX_LIMIT}.")
    return int(raw)


def query_text(raw: str | None) -> str:
    """The search text, checked: present and not too long (blank finds nothing)."""
    if not raw:
        raise InvalidInput("q: vul een zoekterm in, bijvoorbeeld een adres of een straat.")
    if len(raw) > geografie.MAX_QUERY:
        raise InvalidInput(f"q: de zoekterm is langer dan {geografie.MAX_QUERY} tekens.")
    return raw.strip()


def result_json(r: geografie.Zoekresultaat) -> dict[str, object]:
    """One hit in the API's camelCase: soort, id, label, point, bbox (lon/lat), url."""
    body = asdict(r)
    return {"soort": body["soort"], "id": body["id"], "label": body["label"],
            "point": {"lat": round(r.lat, 7), "lon": round(r.lon, 7)},
            "bbox": None if r.bbox is None else [round(v, 7) for v in r.bbox],
            "url": body["url"]}


@router.api_route("/v1/zoeken", methods=["GET", "HEAD"], include_in_schema=False)
def zoeken(request: Request, session: SessionDep, gemeente: GemeenteDep) -> Response:
    """Addresses, streets, places, groenvakken and voorzieningen for a search text."""
    check_params(request, {"q", "limit"})
    q = query_text(request.query_params.get("q"))
    limit = _limit(request.query_params.get("limit"))
    hits = geografie.zoek(session, gemeente.code, q, limit)
    body = {"query": q, "numberReturned": len(hits), "results": [result_json(h) for h in hits]}
    return cached(request, json.dumps(body, ensure_ascii=False).encode(), JSON)


SOORTEN = ["adres", "straat", "gebied", "groenvak", "voorziening"]
SCHEMAS: dict[str, Any] = {
    "ZoekResultaat": {"type": "object", "required": ["soort", "id", "label", "point", "bbox",
                                                     "url"], "properties": {
        "soort": {"type": "string", "enum": SOORTEN},
        "id": {"type": "integer"},
        "label": {"type": "string", "example": "Akkerweg 12a, 9901 AB Lindewaard"},
        "point": {"type": "object", "required": ["lat", "lon"], "properties": {
            "lat": {"type": "number"}, "lon": {"type": "number"}}},
        "bbox": {"type": "array", "nullable": True, "minItems": 4, "maxItems": 4,
                 "items": {"type": "number"},
                 "description": "West, zuid, oost, noord (WGS 84) bij een straat of gebied."},
        "url": {"type": "string", "format": "uri-reference"}}},
    "ZoekResultaten": {"type": "object", "required": ["query", "numberReturned", "results"],
                       "properties": {
        "query": {"type": "string"},
        "numberReturned": {"type": "integer", "minimum": 0},
        "results": {"type": "array", "items": ref("schemas", "ZoekResultaat")}}},
}
TAG = {"name": "Zoeken", "description": "Eén zoekvak voor adressen, straten, wijken, dorpen, "
                                         "buurten, groenvakken en voorzieningen."}


def paths() -> dict[str, Any]:
    """The /zoeken operation for the OpenAPI document."""
    params = [
        {"name": "q", "in": "query", "required": True, "style": "form", "explode": False,
         "description": "Wat u zoekt: een adres (Akkerweg 12a, 9901 AB 12), een postcode, een "
                        "straat, wijk, dorp, buurt, groenvak of voorziening. Een typefout mag.",
         "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
        {"name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
         "description": "Hoeveel resultaten ten hoogste.",
         "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": DEFAULT_LIMIT}},
    ]
    success = {"description": "De beste resultaten, het beste eerst: eerst het adres met "
                              "precies dat huisnummer, dan straten, plaatsen, dan groenvakken "
                              "en voorzieningen.",
               "headers": headers("ETag", "Cache-Control"),
               "content": {JSON: {"schema": ref("schemas", "ZoekResultaten")}}}
    return {"/zoeken": {"get": {
        "operationId": "getZoeken", "summary": "Zoeken in de gemeente", "tags": [TAG["name"]],
        "parameters": params,
        "responses": {"200": success, "304": ref("responses", "NotModified"),
                      "400": ref("responses", "BadRequest"),
                      "503": ref("responses", "ServiceUnavailable")}}}}
