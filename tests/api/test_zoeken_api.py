"""GET /v1/zoeken: the contract (results, limit, problems) and the HTML parts of the search."""

from __future__ import annotations

from html import escape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

PROBLEM = "application/problem+json"


def _address(session: Session) -> tuple[int, str, int, str]:
    row = session.connection().exec_driver_sql("""
        SELECT a.id, a.straatnaam, a.huisnummer, a.postcode FROM adres a
         WHERE a.huisletter IS NULL AND a.toevoeging IS NULL AND EXISTS (
           SELECT 1 FROM groenvak v WHERE v.vervallen_op IS NULL
              AND ST_DWithin(v.geometrie, a.geometrie, 100)) AND NOT EXISTS (
           SELECT 1 FROM adres b WHERE b.id <> a.id AND b.straatnaam = a.straatnaam
              AND b.huisnummer = a.huisnummer)
         ORDER BY a.identificatie LIMIT 1""").one()
    return row[0], row[1], row[2], row[3]


def test_search_json(client: TestClient, session: Session) -> None:
    adres_id, straat, nummer, postcode = _address(session)
    r = client.get("/v1/zoeken", params={"q": f"{postcode.replace(' ', '').lower()} {nummer}"})
    assert r.status_code == 200 and r.headers["api-version"]
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    first = body["results"][0]
    assert (first["soort"], first["id"]) == ("adres", adres_id)
    assert first["label"].startswith(f"{straat} {nummer}, {postcode} ")
    assert set(first["point"]) == {"lat", "lon"} and first["bbox"] is None
    assert body["numberReturned"] == len(body["results"])
    streets = client.get("/v1/zoeken", params={"q": straat[:4], "limit": "3"}).json()
    assert 1 <= streets["numberReturned"] <= 3
    assert all(len(s["bbox"]) == 4 for s in streets["results"] if s["soort"] == "straat")
    # addresses are public; nobody's name or e-mail is a result
    assert "@" not in r.text


@pytest.mark.parametrize("query", [
    {}, {"q": ""}, {"q": "x" * 101}, {"q": "Akkerweg", "limit": "0"},
    {"q": "Akkerweg", "limit": "51"}, {"q": "Akkerweg", "limit": "tien"},
    {"q": "Akkerweg", "onbekend": "1"}])
def test_search_problems(client: TestClient, query: dict[str, str]) -> None:
    r = client.get("/v1/zoeken", params=query)
    assert r.status_code == 400
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == 400 and body["title"] and body["detail"]


def test_search_in_openapi(client: TestClient) -> None:
    doc = client.get("/v1/openapi.json").json()
    op = doc["paths"]["/zoeken"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"q", "limit"}
    assert {"200", "400"} <= set(op["responses"])
    assert "ZoekResultaat" in doc["components"]["schemas"]


def test_search_partial_and_page(client: TestClient, session: Session) -> None:
    adres_id, straat, nummer, _ = _address(session)
    part = client.get("/zoeken", params={"q": f"{straat} {nummer}"},
                      headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text
    assert 'role="option"' in part.text and f'data-adres="{adres_id}"' in part.text
    assert "resultaten" in part.text
    page = client.get("/zoeken", params={"q": f"{straat} {nummer}"})
    assert page.status_code == 200 and "<html" in page.text
    assert f"{straat} {nummer}" in page.text and 'href="/zelfbeheer?adres=' in page.text
    empty = client.get("/zoeken", params={"q": "qqqxxzz"}, headers={"HX-Request": "true"})
    assert "0 resultaten" in empty.text
    long = client.get("/zoeken", params={"q": "x" * 101})
    assert long.status_code == 400 and "x" * 101 in long.text  # what was typed is kept


def test_groenvakken_in_de_buurt(client: TestClient, session: Session) -> None:
    adres_id, *_ = _address(session)
    expected = session.connection().exec_driver_sql(f"""
        SELECT coalesce(v.naam, v.plaatsnaam), v.extern_id FROM groenvak v, adres a
         WHERE a.id = {adres_id}
           AND v.vervallen_op IS NULL AND ST_DWithin(v.geometrie, a.geometrie, 100)
         ORDER BY v.geometrie <-> a.geometrie LIMIT 1""").one()
    r = client.get("/zelfbeheer/in-de-buurt", params={"adres": adres_id},
                   headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "binnen 100 m" in r.text and escape(expected[0] or expected[1]) in r.text
    assert " m²" in r.text and "/zelfbeheer/groenvak/" in r.text
    assert client.get("/zelfbeheer/in-de-buurt", params={"adres": -5}).status_code == 404
    assert client.get("/zelfbeheer/in-de-buurt", params={"adres": "x"}).status_code in (400, 422)


def test_zelfbeheer_without_javascript(client: TestClient, session: Session) -> None:
    adres_id, *_ = _address(session)
    page = client.get("/zelfbeheer", params={"adres": adres_id}).text
    assert "binnen 100 m" in page and "data-focus=" in page
    assert client.get("/zelfbeheer", params={"adres": -5}).status_code == 404
    assert client.get("/zelfbeheer", params={"bbox": "6.5,52.2,6.6,52.3"}).status_code == 200
    assert client.get("/zelfbeheer", params={"bbox": "noord"}).status_code == 400
    for path in ("/zelfbeheer", "/kaart", "/wijken/WK990100"):
        assert 'role="combobox"' in client.get(path).text
