"""Plaatsnamen and the nearest address where people see groenvakken and voorzieningen: the
/v1 property, the OpenAPI document, the panels and the table."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import scalar

HTMX = {"HX-Request": "true", "accept": "text/html"}
NEAREST = """
    SELECT a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '')
           || coalesce('-' || a.toevoeging, '') || ', ' || a.postcode || ' ' || a.woonplaats
      FROM adres a, {tabel} x WHERE x.id = :id AND a.gemeente_code = x.gemeente_code
     ORDER BY ST_Distance(a.geometrie, x.geometrie), a.id LIMIT 1"""


def test_v1_items_carry_naam_from_the_source_and_plaatsnaam(client: TestClient,
                                                             session: Session) -> None:
    items = client.get("/v1/collections/groenvakken/items", params={"limit": 50}).json()
    for f in items["features"]:
        naam, plaatsnaam = session.connection().exec_driver_sql(
            f"SELECT naam, plaatsnaam FROM groenvak WHERE id = {int(f['id'])}").one()
        assert f["properties"]["naam"] == naam
        assert f["properties"]["plaatsnaam"] == plaatsnaam and plaatsnaam


def test_openapi_documents_plaatsnaam_read_only(client: TestClient) -> None:
    doc = client.get("/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    found = [name for name, s in schemas.items()
             if "plaatsnaam" in str(s.get("properties", {}))]
    assert found, "plaatsnaam not in any schema"
    new = schemas["GroenvakkenNewFeature"]["properties"]["properties"]["properties"]
    assert new["plaatsnaam"].get("readOnly") is True


def test_panel_of_an_unnamed_plot_shows_its_plaatsnaam_and_nearest_address(
        client: TestClient, session: Session) -> None:
    gid, plaatsnaam = session.connection().exec_driver_sql(
        "SELECT id, plaatsnaam FROM groenvak WHERE naam IS NULL AND vervallen_op IS NULL "
        "ORDER BY id LIMIT 1").one()
    panel = client.get(f"/zelfbeheer/groenvak/{gid}", headers=HTMX)
    assert panel.status_code == 200
    text = html.unescape(panel.text)
    assert f">{plaatsnaam}</h2>" in text
    nearest = scalar(session, NEAREST.format(tabel="groenvak"), id=gid)
    assert f"<dt>Dichtstbijzijnde adres</dt><dd data-testid=\"dichtstbijzijnde-adres\">" \
           f"{nearest}</dd>" in text


def test_voorziening_without_address_shows_the_nearest_one(client: TestClient,
                                                          session: Session) -> None:
    vid = scalar(session, "SELECT id FROM voorziening WHERE status = 'gepubliceerd' "
                          "ORDER BY id LIMIT 1")
    page = client.get(f"/voorzieningen/{vid}", headers={"accept": "text/html"}).text
    assert "Dichtstbijzijnde adres" not in page  # it has an address of its own
    session.connection().exec_driver_sql(
        f"UPDATE voorziening SET adres = NULL, postcode = NULL WHERE id = {int(vid)}")
    panel = html.unescape(client.get(f"/voorzieningen/{vid}/paneel", headers=HTMX).text)
    nearest = scalar(session, NEAREST.format(tabel="voorziening"), id=vid)
    assert f'data-testid="dichtstbijzijnde-adres">{nearest}</dd>' in panel


def test_table_and_titles_use_the_plaatsnaam(client: TestClient, session: Session) -> None:
    wijk, plaatsnaam = session.connection().exec_driver_sql(
        """SELECT w.code, g.plaatsnaam FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
            WHERE g.naam IS NULL AND g.vervallen_op IS NULL ORDER BY w.code, g.id LIMIT 1""").one()
    page = html.unescape(client.get("/zelfbeheer/lijst", params={"wijk": wijk},
                                    headers={"accept": "text/html"}).text)
    assert plaatsnaam in page
