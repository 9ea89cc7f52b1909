"""The served OpenAPI document: valid 3.0.3, complete, and true to what the server does.

The API Design Rules are checked in tests/adr."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import jsonschema_rs
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from app.api.ogc.params import ITEMS_PARAMS
from app.config import Settings
from app.geo.collections import COLLECTIONS

CONTACT_EMAIL = "beheer@gemeente.example"  # test data; installations set KAART_CONTACT_EMAIL
# OGC fixes /tileMatrixSets (camelCase); the document leaves it out and says so.
EXCLUDED = ("/v1/tileMatrixSets",)
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def served(client: TestClient, settings: Settings) -> dict[str, Any]:
    """The document as a client gets it, from an installation with a contact e-mail."""
    client.app.state.settings = settings.model_copy(update={"contact_email": CONTACT_EMAIL})
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200, \
        f"{response.status_code}: is app.api.ogc.openapi.router included in app/main.py?"
    doc: dict[str, Any] = response.json()
    return doc


def doc_regex(path: str) -> re.Pattern[str]:
    """A documented path (relative to the /v1 server) as a regex over request paths."""
    full = "/v1" + ("" if path == "/" else path)
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(full)) + "/?$")


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """Routes of included routers too (FastAPI ≥ 0.16x keeps them nested, not flattened)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(inner.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route.methods


def app_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every /v1 route, HEAD and OPTIONS aside."""
    routes = [(method, path) for path, methods in _walk(client.app.routes)
              if path.startswith("/v1") for method in sorted(methods & METHODS)]
    assert ("GET", "/v1/collections/{collection_id}/items") in routes, "route walk found nothing"
    return routes


def test_document_is_valid_openapi_303(client: TestClient, settings: Settings) -> None:
    response = client.get("/v1/openapi.json")
    assert response.headers["content-type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert response.headers["API-Version"] == "1.0.0"
    assert "email" not in response.json()["info"]["contact"]  # unset: left out, still valid
    validate(response.json())
    doc = served(client, settings)
    validate(doc)
    assert doc["openapi"] == "3.0.3"
    assert doc["info"]["version"] == "1.0.0"
    assert doc["servers"] == [{"url": "http://testserver/v1", "description": "Deze installatie"}]
    contact = doc["info"]["contact"]
    assert contact["name"].startswith("Gemeente ") and contact["name"].endswith(
        " – Voorzieningenkaart")
    assert contact == {**contact, "url": "http://testserver/v1", "email": CONTACT_EMAIL}


def test_plain_json_when_asked_and_unknown_format_is_400(client: TestClient) -> None:
    response = client.get("/v1/openapi.json", headers={"accept": "application/json"})
    assert response.headers["content-type"] == "application/json"
    wrong = client.get("/v1/openapi.json?f=html")
    assert wrong.status_code == 400
    assert wrong.headers["content-type"] == "application/problem+json"


def test_every_route_is_documented(client: TestClient, settings: Settings) -> None:
    doc = served(client, settings)
    documented = [(doc_regex(path), set(item)) for path, item in doc["paths"].items()]
    for method, route in app_routes(client):
        if route.startswith(EXCLUDED):
            continue
        for c in COLLECTIONS.values():
            if method != "GET" and not c.writable:
                continue  # read-only collections answer 405; nothing to document
            if "/tiles" in route and not c.tiles:
                continue  # a collection without tiles answers 404 there; nothing to document
            concrete = re.sub(r"\{[^}]+\}", "0", route.replace("{collection_id}", c.id))
            assert any(rx.match(concrete) and method.lower() in ops
                       for rx, ops in documented), f"{method} {concrete} is not documented"


def test_every_documented_operation_exists(client: TestClient, settings: Settings) -> None:
    doc = served(client, settings)
    routes = [(m, re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"))
              for m, path in app_routes(client)]
    for path, item in doc["paths"].items():
        concrete = "/v1" + ("" if path == "/" else path)
        concrete = re.sub(r"\{[^}]+\}", "0", concrete)
        for method in item:
            assert any(m == method.upper() and rx.match(concrete) for m, rx in routes), \
                f"{method.upper()} {path} is documented but not served"


def test_items_parameters_match_what_the_server_accepts(client: TestClient,
                                                        settings: Settings) -> None:
    doc = served(client, settings)
    shared = doc["components"]["parameters"]
    for c in COLLECTIONS.values():
        params = doc["paths"][f"/collections/{c.id}/items"]["get"]["parameters"]
        names = {shared[p["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in p else p["name"]
                 for p in params}
        expected = (ITEMS_PARAMS - ({"datetime"} if not c.temporal else set())) | set(c.filters)
        assert names == expected, c.id
        assert bool(c.writable) == ("post" in doc["paths"][f"/collections/{c.id}/items"])


def test_ogc_parameter_names_are_shared_components(client: TestClient,
                                                   settings: Settings) -> None:
    doc = served(client, settings)
    for item in doc["paths"].values():
        for op in item.values():
            for param in op.get("parameters", []):
                assert param.get("name") not in ("bbox-crs", "filter-lang", "filter-crs"), \
                    "OGC names must be $ref'd, or the ruleset's exception does not apply"


def sample_url(client: TestClient, path: str) -> str:
    """A request path for a documented path, with a real feature id where one is needed."""
    url = "/v1" + ("" if path == "/" else path)
    if "{featureId}" in url:
        items = client.get(url.split("/{featureId}")[0] + "?limit=1").json()
        url = url.replace("{featureId}", str(items["features"][0]["id"]))
    if path == "/zoeken":  # a real street name: streets (with bbox) and addresses come back
        street = client.get("/v1/collections/straten/items?limit=1").json()
        url += "?q=" + quote(street["features"][0]["properties"]["naam"][:6])
    return url.replace("{tileMatrixSetId}", "WebMercatorQuad")


def as_draft4(schema: Any) -> Any:
    """OAS 3.0's nullable as JSON Schema's null type, for a plain draft 4 validator."""
    if isinstance(schema, list):
        return [as_draft4(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: as_draft4(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def check(schema: dict[str, Any], doc: dict[str, Any], instance: Any) -> None:
    """Validate against a schema of the document, its $refs resolved in place; formats such as
    uri too (the OAS validator skips those without optional packages; schemathesis does not)."""
    whole = {**schema, "components": doc["components"]}
    OAS30Validator(whole, format_checker=OAS30Validator.FORMAT_CHECKER).validate(instance)
    jsonschema_rs.Draft4Validator(as_draft4(whole), validate_formats=True).validate(instance)


def test_responses_match_their_documented_schemas(client: TestClient,
                                                  settings: Settings) -> None:
    doc = served(client, settings)
    checked = 0
    for path, item in doc["paths"].items():
        if "{tileMatrix}" in path:
            continue  # binary Mapbox Vector Tiles
        response = client.get(sample_url(client, path))
        assert response.status_code == 200, (path, response.text)
        media = response.headers["content-type"].split(";")[0]
        content = item["get"]["responses"]["200"]["content"]
        check(next(v["schema"] for m, v in content.items() if m.startswith(media)), doc,
              response.json())
        checked += 1
    # general (+ /zoeken), basemap, collections (tiles and a tileset only where there are tiles)
    assert checked == 5 + 2 + 4 * len(COLLECTIONS) + 2 * sum(c.tiles for c in COLLECTIONS.values())
    problem = client.get("/v1/collections/wijken/items?limit=0")
    assert problem.status_code == 400
    check({"$ref": "#/components/schemas/Problem"}, doc, problem.json())


def test_write_refusals_are_documented(client: TestClient, settings: Settings) -> None:
    """What the server refuses is either outside the schema (400) or documented as 422."""
    doc = served(client, settings)
    writes = [(path, method, op) for path, item in doc["paths"].items()
              for method, op in item.items() if method in ("post", "put", "patch")]
    assert writes
    for path, method, op in writes:
        assert {"400", "401", "415", "422"} <= set(op["responses"]), (method, path)
    content_crs = doc["components"]["parameters"]["contentCrs"]["schema"]["enum"]
    assert "<http://www.opengis.net/def/crs/EPSG/0/28992>" in content_crs
    new_feature = doc["components"]["schemas"]["GroenvakkenNewFeature"]["properties"]
    assert new_feature["properties"]["properties"]["extern_id"]["minLength"] == 1

