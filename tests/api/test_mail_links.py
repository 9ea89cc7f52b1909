"""Links in mail come from settings, never from the Host header; other hosts get a 400."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from tests.api.account_helpers import (
    HTML,
    csrf_of,
    login,
    mails_to,
    make_client,
    post_form,
    resident,
)
from tests.api.test_zelfbeheer_acties import free_plot

PUBLIC = "https://kaart.lindewaard.example"
RESET = "/wachtwoord-herstellen/"


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def client_with(settings: Settings, db_url: str, session: Session, **values: str) -> TestClient:
    return make_client(settings.model_copy(update=values), db_url, session)


def ask_reset(client: TestClient, email: str, **headers: str) -> tuple[int, str, str]:
    """Post the forgot-password form (token from our own page) with extra headers."""
    token = csrf_of(client.get("/wachtwoord-vergeten", headers=HTML).text)
    response = client.post("/wachtwoord-vergeten", data={"email": email, "csrf_token": token},
                           headers={**HTML, **headers}, follow_redirects=False)
    return response.status_code, response.headers.get("content-type", ""), response.text


def test_a_foreign_host_gets_400_and_no_mail(web: TestClient, session: Session) -> None:
    user = resident(session, "vergeten@voorbeeld.nl")
    status, kind, text = ask_reset(web, user.email, host="evil.example")
    assert status == 400 and kind.startswith("text/plain")
    assert "niet bereikbaar via dit adres" in text and "evil.example" not in text
    assert mails_to(session, user.email) == []
    api = web.get("/v1/collections", headers={"host": "evil.example:8000"})
    assert api.status_code == 400
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["status"] == 400 and "niet bereikbaar" in api.json()["detail"]
    assert api.headers["x-content-type-options"] == "nosniff"
    probe = web.get("/health", headers={"host": "10.0.0.9:8000"})  # probes call it by IP
    assert probe.status_code == 200


def test_the_mailed_link_uses_the_public_url(settings: Settings, db_url: str,
                                             session: Session) -> None:
    user = resident(session, "vergeten@voorbeeld.nl")
    with client_with(settings, db_url, session, public_url=PUBLIC,
                     allowed_hosts="testserver, tweede.example") as client:
        assert ask_reset(client, user.email)[0] == 200
        assert ask_reset(client, user.email, host="tweede.example")[0] == 200
    texts = [mail.tekst for mail in mails_to(session, user.email)]
    assert len(texts) == 2 and all(f"{PUBLIC}{RESET}" in text for text in texts)
    assert not any("testserver" in text or "tweede.example" in text for text in texts)


def test_without_public_url_links_use_the_first_allowed_host(settings: Settings, db_url: str,
                                                             session: Session) -> None:
    user = resident(session, "vergeten@voorbeeld.nl")
    with client_with(settings, db_url, session, public_url="",
                     allowed_hosts="kaart.lindewaard.example:8080, testserver") as client:
        assert ask_reset(client, user.email)[0] == 200
    [mail] = mails_to(session, user.email)
    assert f"http://kaart.lindewaard.example:8080{RESET}" in mail.tekst
    assert "testserver" not in mail.tekst


def test_invitations_link_to_the_public_url(settings: Settings, db_url: str,
                                            session: Session) -> None:
    resident(session, "trekker@voorbeeld.nl")
    plot = free_plot(session)
    form = f"/zelfbeheer/groenvak/{plot}/aanvragen"
    with client_with(settings, db_url, session, public_url=PUBLIC) as client:
        assert login(client, "trekker@voorbeeld.nl").status_code == 303
        done = post_form(client, form, form, {
            "groepsnaam": "Lindelaan", "plan": "wieden", "voorwaarden": "ja",
            "mede_aanvragers": "buur@voorbeeld.nl"})
    assert done.status_code == 303
    [mail] = mails_to(session, "buur@voorbeeld.nl")
    assert f"{PUBLIC}/uitnodiging/" in mail.tekst and "testserver" not in mail.tekst
