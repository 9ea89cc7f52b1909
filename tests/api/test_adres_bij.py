"""Reverse geocoding for the map picker (/adres-bij) and the proposal form's place fields,
which sit behind "Coördinaten invoeren" and still work without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services.demo.adopties import BEWONER
from tests.api.account_helpers import HTML, csrf_of, login, make_client, resident
from tests.conftest import scalar


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def test_adres_bij_gives_the_nearest_address(client: TestClient, session: Session) -> None:
    for aid in session.connection().exec_driver_sql(
            "SELECT id FROM adres WHERE gemeente_code = 'GM9901' ORDER BY id DESC LIMIT 5"
    ).scalars().all():
        lat, lon, verwacht, postcode, plaats = session.connection().exec_driver_sql(f"""
            WITH p AS (SELECT ST_Translate(geometrie, -6, 9) AS g FROM adres WHERE id = {aid})
            SELECT ST_Y(ST_Transform(p.g, 4326)), ST_X(ST_Transform(p.g, 4326)), n.*
              FROM p, LATERAL (
                SELECT a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '')
                       || coalesce('-' || a.toevoeging, ''), a.postcode, a.woonplaats
                  FROM adres a WHERE a.gemeente_code = 'GM9901'
                 ORDER BY ST_Distance(a.geometrie, p.g), a.id LIMIT 1) n""").one()
        r = client.get("/adres-bij", params={"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["adres"], body["postcode"], body["plaats"]) == (verwacht, postcode, plaats)
        assert body["afstand_m"] <= 50


def test_adres_bij_far_away_and_bad_input(client: TestClient) -> None:
    far = client.get("/adres-bij", params={"lat": "52.0", "lon": "4.0"})  # Den Haag-ish
    assert far.status_code == 404
    assert far.headers["content-type"].startswith("application/problem+json")
    assert "Geen adres binnen 50 meter" in far.json()["detail"]
    for params in ({"lat": "abc", "lon": "5"}, {"lat": "95", "lon": "5"}, {"lon": "5"}):
        bad = client.get("/adres-bij", params=params)
        assert bad.status_code == 400, params
        assert bad.json()["status"] == 400


def test_coordinates_sit_behind_a_disclosure_and_still_work(web: TestClient,
                                                            session: Session) -> None:
    web.cookies.clear()
    resident(session, BEWONER, naam="Bewoner A")
    assert login(web, BEWONER).status_code == 303
    page = web.get("/voorstellen/nieuw", headers=HTML).text
    details = re.search(r'<details class="app-coordinaten-invoer"[^>]*>(.*?)</details>', page,
                        re.S)
    assert details and "<summary>Coördinaten invoeren</summary>" in details.group(1)
    assert 'name="lat"' in details.group(1) and 'name="x"' in details.group(1)
    assert " open" not in details.group(0).split(">", 1)[0]  # closed for residents
    # without JavaScript: typed RD coordinates are accepted
    categorie = scalar(session, "SELECT id FROM categorie WHERE gemeente_code = 'GM9901' "
                                "ORDER BY id LIMIT 1")
    before = scalar(session, "SELECT count(*) FROM voorstel")
    token = csrf_of(page)
    ok = web.post("/voorstellen/nieuw", headers=HTML, follow_redirects=False, data={
        "csrf_token": token, "naam": "Bankje bij de vijver", "categorie": str(categorie),
        "omschrijving": "Een bank.", "x": "232050", "y": "476150"})
    assert ok.status_code == 303, ok.text
    assert scalar(session, "SELECT count(*) FROM voorstel") == before + 1
    # a wrong coordinate opens the disclosure, with the message beside the field
    wrong = web.post("/voorstellen/nieuw", headers=HTML, follow_redirects=False, data={
        "csrf_token": token, "naam": "Bankje", "categorie": str(categorie),
        "omschrijving": "Een bank.", "lat": "abc", "lon": "5,5"})
    assert wrong.status_code == 400
    opened = re.search(r'<details class="app-coordinaten-invoer"[^>]*>', wrong.text)
    assert opened and " open" in opened.group(0)
    assert 'value="abc"' in wrong.text
