"""OGC API – Features Parts 1–2 against the demo data: paging, bbox, CRS, filters, errors."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from tests.conftest import scalar

V1 = "/v1/collections"


def all_pages(client: TestClient, url: str) -> tuple[list[dict], int]:
    """Follow next links to the end; returns features and numberMatched."""
    seen: list[dict] = []
    matched = -1
    while url:
        body = client.get(url).json()
        matched = body["numberMatched"]
        seen += body["features"]
        url = next((lk["href"] for lk in body["links"] if lk["rel"] == "next"), "")
    return seen, matched


def test_landing_page_and_conformance(client: TestClient) -> None:
    for path in ("/v1", "/v1/"):
        body = client.get(path).json()
        rels = {lk["rel"]: lk for lk in body["links"]}
        assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
        assert {"self", "alternate", "conformance", "data"} <= set(rels)
    conforms = client.get("/v1/conformance").json()["conformsTo"]
    for cls in ("ogcapi-features-1/1.0/conf/core", "ogcapi-features-1/1.0/conf/geojson",
                "ogcapi-features-2/1.0/conf/crs", "ogcapi-features-3/1.0/conf/filter"):
        assert any(c.endswith(cls) for c in conforms), cls


def test_no_trailing_slash_redirects(client: TestClient) -> None:
    response = client.get(f"{V1}/", follow_redirects=False)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_collections_describe_every_layer(client: TestClient) -> None:
    body = client.get(V1).json()
    ids = [c["id"] for c in body["collections"]]
    assert ids == ["wijken", "dorpen", "buurten", "voorzieningen", "groenvakken", "adressen",
                   "straten", "panden", "water", "terrein", "nabijheid"]
    for c in body["collections"]:
        assert c["itemType"] == "feature"
        minx, miny, maxx, maxy = c["extent"]["spatial"]["bbox"][0]
        assert 3.2 < minx < maxx < 7.3 and 50.7 < miny < maxy < 53.6
        assert "http://www.opengis.net/def/crs/EPSG/0/28992" in c["crs"]


@pytest.mark.parametrize("collection", ["groenvakken", "buurten", "voorzieningen"])
def test_paging_through_a_whole_layer(client: TestClient, session: Session,
                                      collection: str) -> None:
    features, matched = all_pages(client, f"{V1}/{collection}/items?limit=700")
    table, where = {"groenvakken": ("groenvak", "vervallen_op IS NULL"),
                    "buurten": ("gebied", "soort = 'buurt'"),
                    "voorzieningen": ("voorziening", "status = 'gepubliceerd'")}[collection]
    ids = session.connection().exec_driver_sql(
        f"SELECT id FROM {table} WHERE {where} ORDER BY id").scalars().all()
    assert [f["id"] for f in features] == ids
    assert matched == len(ids)


def test_prev_link_returns_the_previous_page(client: TestClient) -> None:
    first = client.get(f"{V1}/groenvakken/items?limit=5").json()
    assert not any(lk["rel"] == "prev" for lk in first["links"])
    second_url = next(lk["href"] for lk in first["links"] if lk["rel"] == "next")
    second = client.get(second_url).json()
    back_url = next(lk["href"] for lk in second["links"] if lk["rel"] == "prev")
    back = client.get(back_url).json()
    assert [f["id"] for f in back["features"]] == [f["id"] for f in first["features"]]
    assert second["numberReturned"] == 5 and back["numberMatched"] == 5000


def test_limit_default_and_clamp(client: TestClient) -> None:
    assert client.get(f"{V1}/groenvakken/items").json()["numberReturned"] == 10
    clamped = client.get(f"{V1}/groenvakken/items?limit=50000")
    assert clamped.status_code == 200
    assert clamped.json()["numberReturned"] == 5000  # all of them, within the 10,000 cap


@pytest.mark.parametrize("bbox_crs", [None, "http://www.opengis.net/def/crs/EPSG/0/28992",
                                      "http://www.opengis.net/def/crs/EPSG/0/4258"])
def test_bbox_matches_postgis(client: TestClient, session: Session, bbox_crs: str | None) -> None:
    # the same area, as RD New and as lon/lat corners
    rd = (231000, 475000, 232500, 476500)
    lonlat = session.connection().exec_driver_sql(
        f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform("
        f"ST_MakeEnvelope({', '.join(map(str, rd))}, 28992), 4326) e) x").one()
    if bbox_crs is None:
        values, srid = list(lonlat), 4326
    elif bbox_crs.endswith("28992"):
        values, srid = list(rd), 28992
    else:
        values, srid = [lonlat[1], lonlat[0], lonlat[3], lonlat[2]], 4258
    expected_env = (f"ST_Transform(ST_MakeEnvelope({lonlat[0]}, {lonlat[1]}, {lonlat[2]}, "
                    f"{lonlat[3]}, 4326), 28992)" if srid != 28992
                    else f"ST_MakeEnvelope({', '.join(map(str, rd))}, 28992)")
    expected = scalar(session, f"""SELECT count(*) FROM groenvak WHERE vervallen_op IS NULL
                                   AND ST_Intersects(geometrie, {expected_env})""")
    url = f"{V1}/groenvakken/items?limit=1&bbox={','.join(map(str, values))}"
    if bbox_crs:
        url += f"&bbox-crs={bbox_crs}"
    assert client.get(url).json()["numberMatched"] == expected > 0


def test_rd_new_output_matches_stored_coordinates(client: TestClient, session: Session) -> None:
    response = client.get(f"{V1}/groenvakken/items/7?crs=EPSG:28992")
    assert response.headers["content-crs"] == "<http://www.opengis.net/def/crs/EPSG/0/28992>"
    stored = scalar(session, "SELECT ST_AsGeoJSON(geometrie, 3) FROM groenvak WHERE id = 7")
    import json

    assert response.json()["geometry"]["coordinates"] == json.loads(stored)["coordinates"]


def test_etrs89_is_lat_lon(client: TestClient) -> None:
    response = client.get(f"{V1}/voorzieningen/items/1?crs=http://www.opengis.net/def/crs/EPSG/0/4258")
    lat, lon = response.json()["geometry"]["coordinates"]
    assert 50 < lat < 54 and 3 < lon < 8
    lon84, lat84 = client.get(f"{V1}/voorzieningen/items/1").json()["geometry"]["coordinates"]
    assert abs(lon - lon84) < 1e-4 and abs(lat - lat84) < 1e-4


@pytest.mark.parametrize(("query", "sql"), [
    ("soort=gras", "SELECT count(*) FROM groenvak WHERE soort = 'gras'"),
    ("status=in_zelfbeheer", "SELECT count(*) FROM groenvak_status WHERE status = 'in_zelfbeheer'"),
    ("soort=haag&status=beschikbaar", """SELECT count(*) FROM groenvak g JOIN groenvak_status s
        ON s.groenvak_id = g.id WHERE g.soort = 'haag' AND s.status = 'beschikbaar'"""),
])
def test_simple_filters(client: TestClient, session: Session, query: str, sql: str) -> None:
    body = client.get(f"{V1}/groenvakken/items?limit=1&{query}").json()
    assert body["numberMatched"] == scalar(session, sql) > 0


def test_datetime_filter(client: TestClient, session: Session) -> None:
    session.connection().exec_driver_sql(
        "UPDATE voorziening SET gewijzigd_op = now() WHERE id IN (1, 2, 3)")
    # the trigger sets gewijzigd_op = now() of the transaction; all others are older
    cutoff = scalar(session, "SELECT to_char(now() - interval '1 second', "
                             "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ")
    body = client.get(f"{V1}/voorzieningen/items?datetime={cutoff}/..").json()
    assert {f["id"] for f in body["features"]} >= {1, 2, 3}


@pytest.mark.parametrize("query", [
    "foo=1", "limit=0", "limit=abc", "bbox=1,2,3", "bbox=a,b,c,d", "bbox=1,2,3,4,5",
    "crs=EPSG:4326", "crs=", "bbox-crs=EPSG:9999", "datetime=gisteren", "cursor=xyz",
    "soort=cactus", "f=xml", "limit=1&limit=2", "filter-lang=cql3", "filter-crs=EPSG:4326",
])
def test_bad_parameters_are_400_problems(client: TestClient, query: str) -> None:
    response = client.get(f"{V1}/groenvakken/items?{query}")
    assert response.status_code == 400, query
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 400 and response.json()["detail"]


def test_unknown_feature_and_collection(client: TestClient) -> None:
    for url in (f"{V1}/groenvakken/items/99999999", f"{V1}/groenvakken/items/abc",
                f"{V1}/bomen/items"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_no_personal_data_in_any_layer(client: TestClient, session: Session) -> None:
    people = session.connection().exec_driver_sql(
        "SELECT email, naam FROM gebruiker").all()
    hidden = scalar(session, """SELECT count(*) FROM adoptie WHERE NOT groepsnaam_openbaar
                                AND status IN ('concept', 'aangevraagd', 'actief')""")
    assert hidden > 0
    texts = [client.get(f"{V1}/{c}/items?limit=10000").text
             for c in ("groenvakken", "voorzieningen", "wijken", "dorpen", "buurten")]
    for email, naam in people:
        assert all(email not in t and naam not in t for t in texts), email
    secret = session.connection().exec_driver_sql(
        """SELECT groepsnaam FROM adoptie WHERE NOT groepsnaam_openbaar
           AND status IN ('concept', 'aangevraagd', 'actief')""").scalars().all()
    assert not any(name in texts[0] for name in secret)


def test_etag_revalidates_and_changes_with_an_adoptie(client: TestClient,
                                                      session: Session) -> None:
    plot = scalar(session, """SELECT groenvak_id FROM groenvak_status
                              WHERE status = 'beschikbaar' ORDER BY groenvak_id LIMIT 1""")
    url = f"{V1}/groenvakken/items/{plot}"
    first = client.get(url)
    assert first.json()["properties"]["status"] == "beschikbaar"
    etag = first.headers["etag"]
    assert "must-revalidate" in first.headers["cache-control"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    session.connection().exec_driver_sql(
        f"INSERT INTO adoptie (gemeente_code, groenvak_id, status, groepsnaam, "
        f"groepsnaam_openbaar) VALUES ('GM9901', {plot}, 'aangevraagd', 'De Groene Vingers', true)")
    second = client.get(url, headers={"If-None-Match": etag})
    assert second.status_code == 200
    assert second.json()["properties"]["status"] == "aangevraagd"
    assert second.json()["properties"]["groepsnaam"] == "De Groene Vingers"


def test_html_representations(client: TestClient) -> None:
    for url in ("/v1", f"{V1}", f"{V1}/wijken", f"{V1}/wijken/items", f"{V1}/wijken/items/1"):
        response = client.get(url, headers={"accept": "text/html"})
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="nl">' in response.text
    table = client.get(f"{V1}/wijken/items?f=html").text
    assert len(re.findall(r"<tr class=\"utrecht-table__row\">", table)) == 11


def test_standard_headers_cors_and_gzip(client: TestClient) -> None:
    for url in ("/v1", f"{V1}/groenvakken/items?limit=500", f"{V1}/bestaat-niet", "/health"):
        response = client.get(url, headers={"Origin": "https://dashboard.example",
                                             "Accept-Encoding": "gzip"})
        assert response.headers["api-version"] == "1.0.0", url
    big = client.get(f"{V1}/groenvakken/items?limit=500",
                     headers={"Origin": "https://dashboard.example", "Accept-Encoding": "gzip"})
    assert big.headers["access-control-allow-origin"] == "*"
    assert big.headers["content-encoding"] == "gzip"


def test_rd_new_keeps_the_millimetre(client: TestClient, session: Session) -> None:
    # the demo data lies on a centimetre grid; this plot does not
    ring = ("232000.123 476000.456, 232010.789 476000.001, 232010.005 476010.999, "
            "232000.123 476000.456")
    fid = scalar(session, f"""INSERT INTO groenvak (gemeente_code, extern_id, soort, geometrie)
        VALUES ('GM9901', 'MM-1', 'gras', ST_Multi(ST_GeomFromText('POLYGON(({ring}))', 28992)))
        RETURNING id""")
    body = client.get(f"{V1}/groenvakken/items/{fid}?crs=EPSG:28992").json()
    assert body["geometry"]["coordinates"][0][0][:3] == [
        [232000.123, 476000.456], [232010.789, 476000.001], [232010.005, 476010.999]]


def test_html_pages_set_no_cookies_and_revalidate(client: TestClient) -> None:
    """The open API sets no cookies, so its HTML pages are the same for everyone (ETag/304)."""
    first = client.get("/v1/conformance?f=html")
    assert first.status_code == 200 and "set-cookie" not in first.headers
    again = client.get("/v1/conformance?f=html", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_reads_use_the_read_engine(settings: Settings, db_url: str) -> None:
    """Without a test session, GETs under /v1 read on the autocommit pool (and give the
    connection back)."""
    app = create_app(settings, url=db_url)
    with TestClient(app) as plain:
        assert plain.get("/v1/collections/wijken").status_code == 200
        read_pool = app.state.read_engine.pool
        assert (read_pool.checkedout(), read_pool.checkedin()) == (0, 1)
        with app.state.read_engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar() == "0"
            assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
            assert conn.connection.dbapi_connection.autocommit is True  # type: ignore[union-attr]


RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
MERCATOR_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"


def matched(client: TestClient, query: str) -> int:
    response = client.get(f"{V1}/groenvakken/items?limit=1&{query}")
    assert response.status_code == 200, (query, response.text)
    return int(response.json()["numberMatched"])


@pytest.mark.parametrize("query", [
    "filter=", "filter=%20", "filter-lang=cql2-json", f"filter-crs={RD_URI}",
    f"bbox-crs={RD_URI}", "datetime=",
    "bbox=-1e300,-1e300,1e300,1e300", f"bbox=-1e300,-1e300,1e300,1e300&bbox-crs={MERCATOR_URI}",
    f"bbox=-1e300,-1e300,1e300,1e300&bbox-crs={RD_URI}",
])
def test_schema_valid_parameters_are_accepted(client: TestClient, query: str) -> None:
    """What the OpenAPI document allows is answered, not refused: an empty filter is no filter,
    filter-lang or bbox-crs alone change nothing, a bbox around the world holds everything."""
    assert matched(client, query) == matched(client, "")


def test_bbox_edges_and_a_huge_limit(client: TestClient) -> None:
    town = matched(client, "bbox=6,50,8,54")
    assert town > 0
    assert matched(client, "bbox=6,54,8,50") == 0  # south above north: an empty box
    assert matched(client, f"bbox=240000,470000,220000,480000&bbox-crs={RD_URI}") == 0
    assert matched(client, "bbox=6,50,-170,54") == town  # west above east: over the antimeridian
    assert matched(client, "bbox=170,50,-170,54") == 0
    huge = client.get(f"{V1}/groenvakken/items?limit=99999999999&bbox=6,50,8,54")
    assert huge.status_code == 200 and huge.json()["numberReturned"] == min(town, 10000)
