"""CORS: other sites may read the open API (/v1, /health), not the pages or account data."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.api.common.cors import is_open

ORIGIN = {"Origin": "https://elders.example"}
PREFLIGHT = {**ORIGIN, "Access-Control-Request-Method": "GET"}


@pytest.mark.parametrize("path", ["/v1", "/v1/collections", "/v1/openapi.json", "/health"])
def test_open_api_allows_every_origin(client: TestClient, path: str) -> None:
    response = client.get(path, headers=ORIGIN)
    assert response.headers["access-control-allow-origin"] == "*"
    assert "API-Version" in response.headers["access-control-expose-headers"]
    preflight = client.options(path, headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/", "/account/gegevens.json", "/account/inloggen",
                                  "/static/css/app.css", "/v1x"])
def test_pages_and_account_data_carry_no_cors_headers(client: TestClient, path: str) -> None:
    for response in (client.get(path, headers=ORIGIN), client.options(path, headers=PREFLIGHT)):
        assert not any(h.startswith("access-control-") for h in response.headers), path


def test_open_paths_are_whole_segments() -> None:
    assert is_open("/v1") and is_open("/v1/collections") and is_open("/health")
    assert not is_open("/v10") and not is_open("/healthz") and not is_open("/account/v1")
