"""OGC API – Tiles against the real PostGIS: metadata, MVT content, errors, ETags and the cache."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.geo import tiles
from app.geo.collections import COLLECTIONS, GROENVAKKEN

TMS = "/v1/tileMatrixSets"
GROEN = "/v1/collections/groenvakken/tiles/WebMercatorQuad"
PROBLEM = "application/problem+json"
TOWN = (6.50, 52.27)  # the demo gemeente Lindewaard, around RD 232000 476000
AMSTERDAM = (4.90, 52.37)  # in the Netherlands, far from any demo data


def tile_for(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(x, y) of the WebMercatorQuad tile holding a point, as mercantile computes it."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def url(z: int, x: int, y: int, base: str = GROEN) -> str:
    """OGC order: tileMatrix/tileRow/tileCol, i.e. z/y/x."""
    return f"{base}/{z}/{y}/{x}"


def decode(body: bytes, layer: str = "groenvakken") -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = mapbox_vector_tile.decode(body).get(layer, {}).get(
        "features", [])
    return features


def ids_in_tile(session: Session, z: int, x: int, y: int, margin: bool) -> set[int]:
    """Current groenvakken intersecting the tile envelope (optionally with the MVT buffer)."""
    envelope = f"ST_TileEnvelope(:z, :x, :y{', margin => 64.0 / 4096' if margin else ''})"
    rows = session.execute(text(
        "SELECT t.id FROM groenvak t WHERE t.vervallen_op IS NULL "
        f"AND ST_Intersects(ST_Transform(t.geometrie, 3857), {envelope})"),
        {"z": z, "x": x, "y": y})
    return {row[0] for row in rows}


def beschikbaar_groenvak(session: Session) -> tuple[int, str, float, float]:
    """A groenvak anyone may adopt: id, gemeente and a lon/lat inside it."""
    row = session.execute(text(
        "SELECT t.id, t.gemeente_code, ST_X(p), ST_Y(p) FROM groenvak t "
        "JOIN groenvak_status s ON s.groenvak_id = t.id, "
        "LATERAL ST_Transform(ST_PointOnSurface(t.geometrie), 4326) p "
        "WHERE s.status = 'beschikbaar' ORDER BY t.id LIMIT 1")).one()
    return int(row[0]), str(row[1]), float(row[2]), float(row[3])


def test_tile_matrix_sets(client: TestClient) -> None:
    listing = client.get(TMS)
    assert listing.status_code == 200
    entry = listing.json()["tileMatrixSets"][0]
    assert entry["id"] == "WebMercatorQuad"
    assert entry["uri"] == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    assert entry["links"][0]["href"].endswith("/v1/tileMatrixSets/WebMercatorQuad")
    definition = client.get(f"{TMS}/WebMercatorQuad").json()
    assert definition["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    z15 = definition["tileMatrices"][15]
    assert z15["id"] == "15" and z15["matrixWidth"] == z15["matrixHeight"] == 32768
    assert z15["cellSize"] == pytest.approx(4.77731426782351)
    assert z15["scaleDenominator"] == pytest.approx(17061.8366707982)
    assert z15["pointOfOrigin"] == [-20037508.3427892, 20037508.3427892]
    assert client.get(f"{TMS}/WorldCRS84Quad").status_code == 404


def test_tileset_list_and_metadata(client: TestClient) -> None:
    listing = client.get("/v1/collections/groenvakken/tiles").json()
    (summary,) = listing["tilesets"]
    assert summary["dataType"] == "vector"
    assert summary["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    rels = {link["rel"] for link in summary["links"]}
    assert {"self", "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "item"} <= rels

    response = client.get(GROEN)
    assert response.status_code == 200 and response.headers["etag"]
    meta = response.json()
    assert meta["dataType"] == "vector" and meta["tileMatrixSetURI"].endswith("WebMercatorQuad")
    (item,) = [link for link in meta["links"] if link["rel"] == "item"]
    assert item["type"] == "application/vnd.mapbox-vector-tile" and item["templated"] is True
    assert item["href"].endswith("/groenvakken/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}"
                                 "/{tileCol}")
    (layer,) = meta["layers"]
    assert layer["id"] == "groenvakken" and layer["geometryDimension"] == 2
    assert set(layer["propertiesSchema"]["properties"]) == {"id", "soort", "status"}
    assert len(meta["tileMatrixSetLimits"]) == tiles.MAX_ZOOM + 1
    assert "204" in meta["description"]
    (minx, miny), (maxx, maxy) = meta["boundingBox"]["lowerLeft"], meta["boundingBox"][
        "upperRight"]
    assert minx < TOWN[0] < maxx and miny < TOWN[1] < maxy
    points = client.get("/v1/collections/voorzieningen/tiles/WebMercatorQuad").json()
    assert points["layers"][0]["geometryDimension"] == 0


def test_z15_tile_holds_the_groenvakken_of_that_tile(client: TestClient,
                                                     session: Session) -> None:
    x, y = tile_for(*TOWN, 15)
    response = client.get(url(15, x, y))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert response.headers["cache-control"] == "public, max-age=0, must-revalidate"
    features = decode(response.content)
    assert features, "the town centre has groenvakken"
    for feature in features:
        assert set(feature["properties"]) == {"id", "soort", "status"}
        assert feature["id"] == feature["properties"]["id"]
    in_tile = {f["properties"]["id"] for f in features}
    assert len(in_tile) == len(features)
    # Every groenvak touching the tile is there; the rest lie in the 64/4096 buffer. Slivers
    # of the buffer that collapse on the 4096 grid drop out, so the buffered count is an
    # upper bound rather than an exact match.
    inner, buffered = (ids_in_tile(session, 15, x, y, margin) for margin in (False, True))
    assert inner <= in_tile <= buffered
    assert len(inner) <= len(features) <= len(buffered)

    plain = client.get(url(15, x, y), headers={"Accept-Encoding": "identity"})
    assert plain.content == response.content and "content-encoding" not in plain.headers


def test_low_zoom_tile_has_every_voorziening(client: TestClient, session: Session) -> None:
    """At z5 the RD prefilter still covers the town (a world tile in RD is degenerate)."""
    x, y = tile_for(*TOWN, 5)
    response = client.get(url(5, x, y, "/v1/collections/voorzieningen/tiles/WebMercatorQuad"))
    published = session.execute(text(
        "SELECT count(*) FROM voorziening WHERE status = 'gepubliceerd'")).scalar_one()
    assert len(decode(response.content, "voorzieningen")) == published > 0


def test_sub_pixel_groenvakken_are_left_out_at_low_zoom(client: TestClient,
                                                        session: Session) -> None:
    """Below z15 a groenvak that fits in one pixel is dropped; at z10 that is all of them."""
    assert client.get(url(10, *tile_for(*TOWN, 10))).status_code == 204
    x, y = tile_for(*TOWN, 13)
    kept = decode(client.get(url(13, x, y)).content)
    assert 0 < len(kept) < len(ids_in_tile(session, 13, x, y, margin=False))


def test_far_away_tile_is_204(client: TestClient) -> None:
    response = client.get(url(15, *tile_for(*AMSTERDAM, 15)))
    assert response.status_code == 204 and response.content == b""
    assert response.headers["etag"] and "content-type" not in response.headers
    empty = client.get(url(15, *tile_for(*TOWN, 15)), params={"gemeente": "GM0001"})
    assert empty.status_code == 204


def test_gemeente_filter_keeps_own_gemeente(client: TestClient, session: Session) -> None:
    x, y = tile_for(*TOWN, 15)
    everything = decode(client.get(url(15, x, y)).content)
    code = session.execute(text("SELECT gemeente_code FROM groenvak LIMIT 1")).scalar_one()
    own = decode(client.get(url(15, x, y), params={"gemeente": code}).content)
    assert len(own) == len(everything)


@pytest.mark.parametrize("path", [
    "23/0/0", "15/32768/0", "15/0/32768", "0/1/0", "-1/0/0", "15/a/0", "99999999999/0/0"])
def test_tiles_outside_the_limits_are_404(client: TestClient, path: str) -> None:
    response = client.get(f"{GROEN}/{path}")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 404


def test_unknown_collection_or_tile_matrix_set_is_404(client: TestClient) -> None:
    for path in ("/v1/collections/bestaatniet/tiles",
                 "/v1/collections/bestaatniet/tiles/WebMercatorQuad",
                 "/v1/collections/bestaatniet/tiles/WebMercatorQuad/15/0/0",
                 "/v1/collections/groenvakken/tiles/WorldCRS84Quad/15/0/0"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("query", ["foo=1", "gemeente=Lindewaard",
                                   "gemeente=GM0001&gemeente=GM0002"])
def test_bad_query_parameters_are_400(client: TestClient, query: str) -> None:
    response = client.get(f"{url(15, *tile_for(*TOWN, 15))}?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    for path in (TMS, GROEN, "/v1/collections/groenvakken/tiles"):
        assert client.get(f"{path}?bbox=1").status_code == 400
        assert client.get(f"{path}?f=html").status_code == 400


def test_etag_round_trip(client: TestClient) -> None:
    tile = url(15, *tile_for(*TOWN, 15))
    first = client.get(tile)
    etag = first.headers["etag"]
    again = client.get(tile, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(url(15, *tile_for(*AMSTERDAM, 15)), headers={"If-None-Match": etag})
    assert other.status_code == 204 and other.headers["etag"] != etag


def test_adoptie_changes_tile_at_once(client: TestClient, session: Session) -> None:
    groenvak, gemeente, lon, lat = beschikbaar_groenvak(session)
    tile = url(15, *tile_for(lon, lat, 15))
    before = client.get(tile)
    status = {f["properties"]["id"]: f["properties"]["status"] for f in decode(before.content)}
    assert status[groenvak] == "beschikbaar"
    assert client.get(tile, headers={"If-None-Match": before.headers["etag"]}).status_code == 304

    session.connection().execute(text(
        "INSERT INTO adoptie (gemeente_code, groenvak_id, status, groepsnaam) "
        "VALUES (:g, :id, 'aangevraagd', 'Buurtgroep Test')"), {"g": gemeente, "id": groenvak})

    after = client.get(tile, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    status = {f["properties"]["id"]: f["properties"]["status"] for f in decode(after.content)}
    assert status[groenvak] == "aangevraagd"


def test_no_personal_data_in_tiles(client: TestClient, session: Session) -> None:
    groenvak, gemeente, lon, lat = beschikbaar_groenvak(session)
    session.connection().execute(text(
        "INSERT INTO adoptie (gemeente_code, groenvak_id, status, groepsnaam, motivatie) "
        "VALUES (:g, :id, 'actief', 'Familie Geheimzin', 'Wij wonen op nummer 12')"),
        {"g": gemeente, "id": groenvak})
    personal = [str(v) for row in session.execute(text(
        "SELECT email, naam FROM gebruiker")) for v in row if v]
    personal += ["Familie Geheimzin", "nummer 12"]
    for c in (c for c in COLLECTIONS.values() if c.tiles):
        base = f"/v1/collections/{c.id}/tiles/WebMercatorQuad"
        response = client.get(url(15, *tile_for(lon, lat, 15), base))
        if response.status_code == 204:
            continue
        for feature in decode(response.content, c.id):
            assert set(feature["properties"]) <= {"id", *c.tile_props}, c.id
            values = " ".join(str(v) for v in feature["properties"].values())
            assert "@" not in values and not any(p in values for p in personal), c.id


def test_tile_query_uses_the_gist_index(session: Session) -> None:
    x, y = tile_for(*TOWN, 15)
    params = {"z": 15, "x": x, "y": y, "margin": tiles.MARGIN, "gemeente": None,
              "laag": "groenvakken", "tolerance": 0.5, "min_size": 0.0}
    plan = "\n".join(row[0] for row in session.execute(
        text("EXPLAIN " + tiles.tile_sql(GROENVAKKEN)), params))
    assert "groenvak_geometrie_3857_idx" in plan  # the stored Web Mercator copy: no transform


def test_cache_is_bounded_and_drops_old_versions() -> None:
    cache = tiles.TileCache(max_bytes=8 * (1000 + tiles.ENTRY_OVERHEAD))
    for i in range(10):
        cache.put(("groenvakken", None, 15, i, 0, "1.1"), b"x" * 1000)
    assert len(cache) == 8 and cache.size <= cache.max_bytes
    assert cache.get(("groenvakken", None, 15, 0, 0, "1.1")) is None  # least recently used
    assert cache.get(("groenvakken", None, 15, 9, 0, "1.1")) is not None
    cache.put(("voorzieningen", None, 15, 0, 0, "7.1"), b"")
    cache.put(("groenvakken", None, 15, 0, 0, "2.1"), b"y")
    assert cache.get(("groenvakken", None, 15, 9, 0, "1.1")) is None
    assert cache.get(("voorzieningen", None, 15, 0, 0, "7.1")) == b""
    assert len(cache) == 2


def test_conformance_classes() -> None:
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core" in tiles.TILE_CONFORMANCE
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in tiles.TILE_CONFORMANCE
