"""The first pages and /health, through the real app on the test database."""

import html
import json
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.services.gebieden import gemeente as gebieden

HTML = {"accept": "text/html"}


def test_index_shows_every_wijk_and_dorp(client: TestClient, session: Session) -> None:
    response = client.get("/", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    regels = gebieden.overview(session, "GM9901")
    assert len(regels) == 15
    for regel in regels:
        pad = "dorpen" if regel.soort == "dorp" else "wijken"
        assert f'href="/{pad}/{regel.code}">{regel.naam}</a></th>' in page
    assert '<html lang="nl">' in page
    kaart = re.search(r'data-kaart="([^"]*)"', page)  # drawn by static/js/kaartbasis.js
    assert kaart and "js/kaartbasis.js" in page
    gebieden_laag = json.loads(html.unescape(kaart.group(1)))["layers"][0]
    assert len(gebieden_laag["data"]["features"]) == 15
    assert gebieden_laag["tooltip"] == [["naam", "Naam"], ["soort", "Soort"]]


def test_index_loads_nothing_from_a_cdn(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    external = [s for s in sources if s.startswith(("http", "//"))
                and not s.startswith("http://testserver/")]
    assert external == []
    for src in sources:
        if src.startswith("http://testserver/static/"):
            assert client.get(src).status_code == 200, src


def test_basemap_is_a_setting(settings: Settings, db_url: str) -> None:
    custom = settings.model_copy(update={"basemap_url": "https://tiles.example/{z}/{x}/{y}.png"})
    with TestClient(create_app(custom, url=db_url)) as client:
        page = client.get("/", headers=HTML).text
    assert "https://tiles.example/{z}/{x}/{y}.png" in page
    assert "Kadaster" in page


def test_health_reports_versions(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert re.match(r"^\d+\.\d+", body["postgresql"])
    assert re.match(r"^3\.\d+", body["postgis"])


def test_health_is_503_when_the_database_is_down(settings: Settings) -> None:
    down = "postgresql+psycopg://kaart:x@127.0.0.1:1/kaart"
    with TestClient(create_app(settings, url=down)) as client:
        response = client.get("/health")
        page = client.get("/", headers=HTML)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "niet bereikbaar" in response.json()["detail"]
    assert page.status_code == 503
    assert "tijdelijk niet bereikbaar" in page.text


def test_unknown_page_is_a_dutch_404(client: TestClient) -> None:
    page = client.get("/bestaat-niet", headers=HTML)
    assert page.status_code == 404
    assert "Pagina niet gevonden" in page.text
    api = client.get("/bestaat-niet")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"


def test_public_page_shows_no_personal_data(client: TestClient, session: Session) -> None:
    page = client.get("/", headers=HTML).text
    emails = session.connection().exec_driver_sql("SELECT email, naam FROM gebruiker").all()
    for email, naam in emails:
        assert email not in page
        assert naam not in page
