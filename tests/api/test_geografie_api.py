"""OGC API collections of the geography: adressen and straten (and panden, water, terrein)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.test_tiles import TOWN, decode, tile_for
from tests.conftest import scalar

V1 = "/v1/collections"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


@pytest.mark.parametrize(("collection", "table", "kind"), [
    ("adressen", "adres", "Point"), ("straten", "straat", "LineString"),
    ("panden", "pand", "MultiPolygon"), ("water", "water", "MultiPolygon"),
    ("terrein", "terrein", "MultiPolygon")])
def test_items_and_bbox(client: TestClient, session: Session, collection: str, table: str,
                        kind: str) -> None:
    body = client.get(f"{V1}/{collection}/items?limit=3").json()
    assert body["numberReturned"] == 3 or body["numberMatched"] < 3
    assert body["numberMatched"] == scalar(session, f"SELECT count(*) FROM {table}")
    assert {f["geometry"]["type"] for f in body["features"]} == {kind}
    box = (231000, 475000, 231600, 475600)
    expected = scalar(session, f"""SELECT count(*) FROM {table} WHERE ST_Intersects(
        geometrie, ST_MakeEnvelope({', '.join(map(str, box))}, 28992))""")
    inside = client.get(f"{V1}/{collection}/items?limit=10000&bbox-crs={RD}&crs={RD}"
                        f"&bbox={','.join(map(str, box))}").json()
    assert inside["numberMatched"] == len(inside["features"]) == expected
    if collection in ("adressen", "straten"):
        assert expected > 0


def test_address_properties_and_filters(client: TestClient, session: Session) -> None:
    row = session.connection().exec_driver_sql(
        "SELECT postcode, huisnummer, count(*) OVER (PARTITION BY postcode, huisnummer) "
        "FROM adres ORDER BY identificatie LIMIT 1").one()
    body = client.get(f"{V1}/adressen/items", params={
        "postcode": row[0], "huisnummer": str(row[1])}).json()
    assert body["numberMatched"] == row[2] >= 1
    props = body["features"][0]["properties"]
    assert props["postcode"] == row[0] and props["huisnummer"] == row[1]
    assert {"straatnaam", "woonplaats", "gebruiksdoel", "woonfunctie", "wijk",
            "buurt"} <= set(props)
    assert props["wijk"].startswith("WK") and props["buurt"].startswith("BU")
    wrong = client.get(f"{V1}/adressen/items?huisnummer=twaalf")
    assert wrong.status_code == 400
    assert wrong.headers["content-type"] == "application/problem+json"


def test_streets_filter_by_soort_and_cql2(client: TestClient, session: Session) -> None:
    paden = client.get(f"{V1}/straten/items?soort=fietspad&limit=1").json()
    assert paden["numberMatched"] == scalar(
        session, "SELECT count(*) FROM straat WHERE soort = 'fietspad'") > 0
    cql = client.get(f"{V1}/straten/items", params={
        "filter": "naam LIKE 'Haverveld%' AND lengte_m > 100", "limit": "1"}).json()
    assert cql["numberMatched"] == scalar(session, """SELECT count(*) FROM straat
        WHERE naam LIKE 'Haverveld%' AND round(lengte_m::numeric, 1) > 100""") > 0


def test_collections_list_the_geography(client: TestClient) -> None:
    ids = [c["id"] for c in client.get(V1).json()["collections"]]
    geografie = ["adressen", "straten", "panden", "water", "terrein"]
    assert [i for i in ids if i in geografie] == geografie
    assert ids.index("terrein") - ids.index("adressen") == 4  # together, in this order
    x, y = tile_for(*TOWN, 15)
    tile = client.get(f"{V1}/straten/tiles/WebMercatorQuad/15/{y}/{x}")
    assert tile.status_code == 200
    features = decode(tile.content, "straten")
    assert features and all(set(f["properties"]) == {"id", "naam", "soort"} for f in features)
