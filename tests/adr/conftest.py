"""The served OpenAPI document, fetched once for the API Design Rules checks."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.adr.document import Doc

# test data; an installation sets KAART_CONTACT_EMAIL (ADR wants info.contact.email)
CONTACT_EMAIL = "beheer@gemeente.example"


@pytest.fixture(scope="session")
def adr_document(settings: Settings, db_url: str) -> Doc:
    """/v1/openapi.json as a client gets it, from an installation with a contact e-mail."""
    configured = settings.model_copy(update={"contact_email": CONTACT_EMAIL})
    with TestClient(create_app(configured, url=db_url)) as client:
        response = client.get("/v1/openapi.json")
    assert response.status_code == 200, response.text
    doc: Doc = response.json()
    return doc
