"""OGC API – Features Part 4: writes with an API key, checked geometry, audit rows."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services.accounts.apikeys import create_key
from tests.conftest import scalar

V1 = "/v1/collections"
GEOJSON = {"Content-Type": "application/geo+json"}


@pytest.fixture()
def key(session: Session) -> dict[str, str]:
    _, plain = create_key(session, "GM9901", "Beheersysteem groen", "medewerker", actor="test")
    return {"X-Api-Key": plain, **GEOJSON}


def town_point(session: Session, dx: float = 0) -> list[float]:
    """A lon/lat point in the middle of the demo town."""
    return list(session.connection().exec_driver_sql(
        f"SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID("
        f"ST_Point({232000 + dx}, 476000), 28992), 4326) p) x").one())


def square(x: float, y: float, size: float = 10) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_create_voorziening_in_crs84(client: TestClient, session: Session, key: dict) -> None:
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": town_point(session)},
               "properties": {"naam": "Repair Café De Linde", "categorie": "initiatief",
                              "website": "https://repaircafe.example"}}
    response = client.post(f"{V1}/voorzieningen/items", json=feature, headers=key)
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    created = client.get(location).json()
    assert created["properties"]["naam"] == "Repair Café De Linde"
    assert created["properties"]["wijk"] is not None  # placed by the spatial join
    fid = location.rsplit("/", 1)[1]
    assert scalar(session, "SELECT count(*) FROM audit_log WHERE object_type = 'voorziening' "
                           "AND object_id = :i AND actie = 'aangemaakt'", i=fid) == 1


def test_create_groenvak_in_rd_new(client: TestClient, session: Session, key: dict) -> None:
    feature = {"type": "Feature", "geometry": square(232000.0, 476000.0),
               "properties": {"extern_id": "BGT-0001", "soort": "bloemenperk"}}
    headers = {**key, "Content-Crs": "<http://www.opengis.net/def/crs/EPSG/0/28992>"}
    response = client.post(f"{V1}/groenvakken/items", json=feature, headers=headers)
    assert response.status_code == 201, response.text
    fid = int(response.headers["location"].rsplit("/", 1)[1])
    assert scalar(session, "SELECT oppervlakte_m2 FROM groenvak WHERE id = :i", i=fid) == 100
    again = client.post(f"{V1}/groenvakken/items", json=feature, headers=headers)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_put_patch_delete_groenvak(client: TestClient, session: Session, key: dict) -> None:
    fid = scalar(session, "SELECT id FROM groenvak ORDER BY id DESC LIMIT 1")
    url = f"{V1}/groenvakken/items/{fid}"
    current = client.get(url, params={"crs": "EPSG:28992"}).json()
    current["properties"]["naam"] = "Plantsoen Vaartzoom"
    rd = {**key, "Content-Crs": "<http://www.opengis.net/def/crs/EPSG/0/28992>"}
    assert client.put(url, json=current, headers=rd).status_code == 204
    assert client.get(url).json()["properties"]["naam"] == "Plantsoen Vaartzoom"
    patch = client.patch(url, json={"properties": {"soort": "moestuin"}},
                         headers={**key, "Content-Type": "application/merge-patch+json"})
    assert patch.status_code == 204
    after = client.get(url).json()["properties"]
    assert after["soort"] == "moestuin" and after["naam"] == "Plantsoen Vaartzoom"
    assert client.delete(url, headers=key).status_code == 204
    assert client.get(url).status_code == 404
    assert scalar(session, "SELECT vervallen_op IS NOT NULL FROM groenvak WHERE id = :i", i=fid)
    actions = session.connection().exec_driver_sql(
        f"SELECT actie FROM audit_log WHERE object_type = 'groenvak' AND object_id = '{fid}' "
        "ORDER BY id").scalars().all()
    assert actions == ["vervangen", "gewijzigd", "verwijderd"]


@pytest.mark.parametrize(("geometry", "status", "message"), [
    # against the published schema: 400
    ({"type": "Point", "coordinates": [6.5, 52.27]}, 400, "past niet"),
    ({"type": "Polygon", "coordinates": "nee"}, 400, "Ongeldige GeoJSON"),
    ({"type": "MultiPolygon", "coordinates": []}, 400, "Ongeldige GeoJSON"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0]]]}, 400, "Ongeldige GeoJSON"),
    # fits the schema, but the data cannot take it: 422
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, 422,
     "Ongeldige geometrie"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1]]]}, 422,
     "closed linestring"),
    (square(4.9, 52.37, 0.001), 422, "buiten de gemeente"),
])
def test_bad_geometry_is_refused(client: TestClient, key: dict, geometry: dict, status: int,
                                 message: str) -> None:
    feature = {"type": "Feature", "geometry": geometry,
               "properties": {"extern_id": "X-1", "soort": "gras"}}
    response = client.post(f"{V1}/groenvakken/items", json=feature, headers=key)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"]


def test_unknown_categorie_is_422(client: TestClient, session: Session, key: dict) -> None:
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": town_point(session)},
               "properties": {"naam": "Buurthuis", "categorie": "bestaat-niet"}}
    response = client.post(f"{V1}/voorzieningen/items", json=feature, headers=key)
    assert response.status_code == 422 and "Onbekende categorie" in response.json()["detail"]


@pytest.mark.parametrize(("props", "message"), [
    ({"soort": "gras"}, "extern_id"), ({"extern_id": "A", "soort": "cactus"}, "kies uit"),
    ({"extern_id": "A", "soort": "gras", "eigenaar": "x"}, "Onbekende eigenschap"),
    ({"extern_id": "A", "soort": "gras", "zelfbeheer_mogelijk": "ja"}, "true of false"),
])
def test_bad_properties_are_refused(client: TestClient, session: Session, key: dict,
                                    props: dict, message: str) -> None:
    x, y = town_point(session)
    geometry = square(x, y, 0.0001)
    response = client.post(f"{V1}/groenvakken/items", headers=key,
                           json={"type": "Feature", "geometry": geometry, "properties": props})
    assert response.status_code == 400 and message in response.json()["detail"]


def test_authorisation_and_methods(client: TestClient, key: dict) -> None:
    url = f"{V1}/groenvakken/items/1"
    patch = {"properties": {"naam": "x"}}
    assert client.patch(url, json=patch, headers=GEOJSON).status_code == 401
    wrong = {**GEOJSON, "X-Api-Key": "vk_00000000_geheim"}
    assert client.patch(url, json=patch, headers=wrong).status_code == 401
    assert client.post(f"{V1}/wijken/items", json={}, headers=key).status_code == 405
    options = client.options(f"{V1}/groenvakken/items/1")
    assert options.headers["allow"] == "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"
    assert client.options(f"{V1}/wijken/items").headers["allow"] == "GET, HEAD, OPTIONS"
    text_body = client.post(f"{V1}/groenvakken/items", content=b"x",
                            headers={**key, "Content-Type": "text/plain"})
    assert text_body.status_code == 415
    broken = client.post(f"{V1}/groenvakken/items", content=b"{nee", headers=key)
    assert broken.status_code == 400
    assert client.delete(f"{V1}/groenvakken/items/99999999", headers=key).status_code == 404


def test_revoked_key_is_refused(client: TestClient, session: Session, key: dict) -> None:
    session.connection().exec_driver_sql("UPDATE api_sleutel SET ingetrokken_op = now()")
    response = client.delete(f"{V1}/groenvakken/items/1", headers=key)
    assert response.status_code == 401
