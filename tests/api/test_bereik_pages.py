"""Nabijheid over de weg in the app: isochrones, witte vlekken by walking time, the comparison
of wijken and its CSV — on the demo, which has a street network."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlmodel import Session

from tests.conftest import scalar

GEO = {"Accept": "application/geo+json"}
PROBLEM = "application/problem+json"


def _voorziening(session: Session, categorie: str = "zorg") -> int:
    return int(scalar(session, """SELECT v.id FROM voorziening v JOIN categorie c
        ON c.id = v.categorie_id WHERE c.code = :c AND v.status = 'gepubliceerd'
        ORDER BY v.id LIMIT 1""", c=categorie))  # type: ignore[arg-type]


@pytest.mark.parametrize("profiel", ["lopen", "fietsen"])
def test_isochrone_from_a_voorziening(client: TestClient, session: Session,
                                      profiel: str) -> None:
    r = client.get("/bereik.geojson", params={"voorziening": _voorziening(session),
                                              "profiel": profiel}, headers=GEO)
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    features = r.json()["features"]
    assert [f["properties"]["minuten"] for f in features] == [15, 10, 5]
    vlakken = [shape(f["geometry"]) for f in features]
    assert all(v.is_valid and v.area > 0 for v in vlakken)
    # nearer bands lie inside farther ones (up to the simplification of their edges)
    assert vlakken[0].buffer(1e-4).contains(vlakken[1])
    assert vlakken[1].buffer(1e-4).contains(vlakken[2])


def test_cycling_reaches_farther_than_walking(client: TestClient, session: Session) -> None:
    vz = _voorziening(session, "winkels")
    lopen, fietsen = (shape(client.get("/bereik.geojson", params={
        "voorziening": vz, "profiel": p}).json()["features"][0]["geometry"])
        for p in ("lopen", "fietsen"))
    # mostly the same streets, farther; not all: bikes may not use voetpaden
    assert fietsen.area > 2 * lopen.area
    assert fietsen.intersection(lopen).area > 0.8 * lopen.area


def test_isochrone_from_a_point(client: TestClient) -> None:
    r = client.get("/bereik.geojson", params={"lon": 6.5242, "lat": 52.2726})
    assert r.status_code == 200 and len(r.json()["features"]) == 3


@pytest.mark.parametrize(("params", "status", "needle"), [
    ({"profiel": "vliegen", "lon": 6.52, "lat": 52.27}, 400, "lopen"),
    ({"lon": 6.52}, 400, "Kies een voorziening of een punt"),
    ({"lon": 4.0, "lat": 52.0}, 400, "geen straat"),
    ({"voorziening": 999999}, 404, "bestaat niet"),
    ({"lon": 500, "lat": 52}, 400, ""),
])
def test_bad_isochrone_requests_are_problems(client: TestClient, params: dict[str, object],
                                             status: int, needle: str) -> None:
    r = client.get("/bereik.geojson", params=params)  # type: ignore[arg-type]
    assert r.status_code == status and r.headers["content-type"] == PROBLEM
    assert needle in r.json()["detail"]


def test_witte_vlekken_by_walking_time(client: TestClient, session: Session) -> None:
    wijk = "WK990107"
    r = client.get(f"/wijken/{wijk}/witte-vlekken", params={"categorie": "zorg", "minuten": "5"},
                   headers=GEO)
    assert r.status_code == 200
    adressen = next(f for f in r.json()["features"] if f["properties"]["soort"] == "adressen")
    verwacht = scalar(session, """SELECT count(*) FROM adres a JOIN gebied w ON w.id = a.wijk_id
        JOIN adres_afstand af ON af.adres_id = a.id AND af.doel = 'zorg'
        WHERE w.code = :w AND a.woonfunctie AND (af.afstand_m IS NULL OR af.afstand_m > 375)""",
                      w=wijk)
    assert adressen["properties"]["aantal"] == verwacht > 0
    assert len(adressen["geometry"]["coordinates"]) == verwacht
    bad = client.get(f"/wijken/{wijk}/witte-vlekken", params={"categorie": "zorg",
                                                               "minuten": "7"})
    assert bad.status_code == 400 and "5, 10 of 15" in bad.json()["detail"]


def test_comparison_and_csv_over_the_network(client: TestClient, session: Session) -> None:
    page = client.get("/wijken", params={"maat": "binnen_10"}).text
    assert "loopafstanden over straten en paden" in page
    groen = client.get("/wijken", params={"maat": "groen_300"})
    assert groen.status_code == 200 and "binnen 300 m lopen van een park" in groen.text
    csv = client.get("/wijken.csv").content.decode("utf-8").lstrip("\ufeff").splitlines()
    kop = csv[0].split(";")
    assert kop[5:8] == ["Afstand gemeten", "Woonadressen", "Groen binnen 300 m lopen (%)"]
    rij = csv[1].split(";")
    assert rij[5] == "over de weg" and int(rij[6]) > 0
    assert json.dumps(rij)  # every row has the same width as the header
    assert all(len(r.split(";")) == len(kop) for r in csv[1:])
