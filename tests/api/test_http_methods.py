"""HTTP method semantics on every route (RFC 9110): HEAD wherever GET, Allow on every 405."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

V1 = "/v1/collections"
ITEM_METHODS = "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"


@pytest.mark.parametrize("path", [
    "/",  # a site page, whose route only names GET
    "/v1", f"{V1}/wijken/items?limit=2",
    f"{V1}/wijken/tiles",  # an API route that only names GET
    f"{V1}/groenvakken/tiles/WebMercatorQuad/15/10771/16912",
    "/static/css/app.css",
])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert get.status_code in (200, 204), path
    assert head.status_code == get.status_code, path
    assert head.content == b""
    assert head.headers.get("content-type") == get.headers.get("content-type")
    if path != "/":  # a page differs per request (its CSRF token); the API and files do not
        for name in ("content-length", "etag"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)


def test_head_of_a_missing_page_is_404_without_a_body(client: TestClient) -> None:
    head = client.head("/bestaat-niet")
    assert head.status_code == 404 and head.content == b""


@pytest.mark.parametrize(("method", "path", "allow"), [
    # a path served by two routers: reads in one, writes in another; Allow names them all
    ("TRACE", f"{V1}/groenvakken/items/1", ITEM_METHODS),
    ("POST", f"{V1}/groenvakken/items/1", ITEM_METHODS),
    ("DELETE", "/v1/collections", "GET, HEAD"),
    ("PUT", "/v1/openapi.json", "GET, HEAD"),
    ("POST", f"{V1}/wijken/tiles", "GET, HEAD"),
    ("DELETE", "/", "GET, HEAD"),
    ("POST", "/static/css/app.css", "GET, HEAD"),
    # read-only collections: the route itself refuses, and names what is left
    ("PUT", f"{V1}/wijken/items/1", "GET, HEAD, OPTIONS"),
    ("POST", f"{V1}/dorpen/items", "GET, HEAD, OPTIONS"),
])
def test_405_names_the_allowed_methods(client: TestClient, method: str, path: str,
                                       allow: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == allow


def test_read_only_collection_is_405_whatever_the_body(client: TestClient) -> None:
    """405 comes before the body is read: no 415 for a missing Content-Type."""
    response = client.put(f"{V1}/buurten/items/1", content=b"", headers={"X-Api-Key": "x"})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
