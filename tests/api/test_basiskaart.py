"""Our own basemap tiles against the real PostGIS demo town: layers per zoom, names, numbers."""

from __future__ import annotations

from typing import Any

import mapbox_vector_tile
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.geo import basiskaart
from tests.api.test_tiles import AMSTERDAM, tile_for

BASIS = "/v1/tiles/basiskaart/WebMercatorQuad"


def town_centre(session: Session) -> tuple[float, float]:
    """lon/lat of the demo town's first address: streets and houses are all around it."""
    row = session.execute(text(
        "SELECT ST_X(p), ST_Y(p) FROM adres a, LATERAL ST_Transform(a.geometrie, 4326) p "
        "ORDER BY a.id LIMIT 1")).one()
    return float(row[0]), float(row[1])


def layers_at(client: TestClient, session: Session, z: int) -> dict[str, Any]:
    x, y = tile_for(*town_centre(session), z)
    response = client.get(f"{BASIS}/{z}/{y}/{x}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert response.headers["etag"]
    layers: dict[str, Any] = mapbox_vector_tile.decode(response.content)
    return layers


def test_z16_tile_has_named_streets_buildings_and_no_house_numbers(
        client: TestClient, session: Session) -> None:
    layers = layers_at(client, session, 16)
    straten = layers["straat"]["features"]
    assert straten and all(f["properties"]["naam"].strip() for f in straten)
    assert all(f["geometry"]["type"] in ("LineString", "MultiLineString") for f in straten)
    names = {str(r[0]) for r in session.execute(text("SELECT naam FROM straat"))}
    assert {f["properties"]["naam"] for f in straten} <= names
    assert layers["pand"]["features"]
    assert "labels" not in layers


def test_z18_tile_has_house_numbers_of_the_addresses_there(client: TestClient,
                                                           session: Session) -> None:
    layers = layers_at(client, session, 18)
    numbers = [f["properties"]["huisnummer"] for f in layers["labels"]["features"]]
    assert numbers and all(n[0].isdigit() for n in numbers)
    first = session.execute(text(
        "SELECT huisnummer || COALESCE(huisletter, '') || COALESCE('-' || toevoeging, '') "
        "FROM adres ORDER BY id LIMIT 1")).scalar_one()
    assert first in numbers
    assert all(f["geometry"]["type"] == "Point" for f in layers["labels"]["features"])


def test_z12_tile_has_main_roads_but_no_addresses_or_buildings(client: TestClient,
                                                               session: Session) -> None:
    layers = layers_at(client, session, 12)
    assert "labels" not in layers and "pand" not in layers
    assert {f["properties"]["soort"] for f in layers.get("straat", {}).get("features", [])} <= {
        "hoofdweg", "laan"}
    assert layers.keys() & {"water", "terrein", "straat"}


def test_z14_tile_has_streets_without_names_and_no_buildings(client: TestClient,
                                                             session: Session) -> None:
    """Generalised per zoom: a row house is a pixel at z14, a name cannot be read before z16."""
    layers = layers_at(client, session, 14)
    assert "pand" not in layers and "labels" not in layers
    straten = layers["straat"]["features"]
    assert straten and not any("naam" in f["properties"] for f in straten)
    assert {f["properties"]["soort"] for f in straten} <= set(basiskaart.STRAAT_SOORTEN[14])


def test_z15_tile_has_buildings_but_no_street_names(client: TestClient,
                                                    session: Session) -> None:
    layers = layers_at(client, session, 15)
    assert layers["pand"]["features"]
    assert not any("naam" in f["properties"] for f in layers["straat"]["features"])


def test_each_feature_is_clipped_and_encoded_once(session: Session) -> None:
    """A `geom IS NOT NULL` test on a layer's subquery is pushed down into its scan, and then
    ST_AsMVTGeom runs twice per feature: the tile took twice as long."""
    x, y = tile_for(*town_centre(session), 16)
    plan = [str(r[0]).strip() for r in session.execute(
        text("EXPLAIN (VERBOSE) " + basiskaart.tile_sql()), basiskaart._params(16, x, y))]
    assert sum("st_asmvtgeom" in line for line in plan if line.startswith("Output:")) >= 4
    assert not [line for line in plan if line.startswith("Filter:") and "st_asmvtgeom" in line]


def test_tile_outside_the_town_and_below_z12_is_empty(client: TestClient) -> None:
    x, y = tile_for(*AMSTERDAM, 16)
    empty = client.get(f"{BASIS}/16/{y}/{x}")
    assert empty.status_code == 204 and not empty.content and empty.headers["etag"]
    assert client.get(f"{BASIS}/5/10/16").status_code == 204
    assert client.get(f"{BASIS}/19/1/1").status_code == 404
    assert client.get(f"{BASIS}/16/1/1?gemeente=GM0001").status_code == 400
    assert client.get("/v1/tiles/basiskaart/WorldCRS84Quad/16/1/1").status_code == 404


def test_tile_is_gzipped_cached_and_revalidated_by_version(client: TestClient,
                                                           session: Session) -> None:
    x, y = tile_for(*town_centre(session), 16)
    path = f"{BASIS}/16/{y}/{x}"
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    raw = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert first.headers["content-encoding"] == "gzip"
    assert first.content == raw.content  # httpx undoes the gzip
    etag = first.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    before = basiskaart.version(session)
    naam = mapbox_vector_tile.decode(raw.content)["straat"]["features"][0]["properties"]["naam"]
    session.execute(text("UPDATE straat SET naam = 'Nieuwe Naamstraat' WHERE naam = :naam"),
                    {"naam": naam})
    assert basiskaart.version(session) != before
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    names = {f["properties"]["naam"] for f in mapbox_vector_tile.decode(changed.content)[
        "straat"]["features"]}
    assert "Nieuwe Naamstraat" in names and naam not in names  # not the cached tile


def test_tileset_metadata_and_list(client: TestClient) -> None:
    listing = client.get("/v1/tiles").json()
    (summary,) = listing["tilesets"]
    (item,) = [link for link in summary["links"] if link["rel"] == "item"]
    assert item["href"].endswith("/v1/tiles/basiskaart/WebMercatorQuad/{tileMatrix}/"
                                 "{tileRow}/{tileCol}")
    meta = client.get(BASIS).json()
    assert [layer["id"] for layer in meta["layers"]] == list(basiskaart.LAYERS)
    labels = meta["layers"][-1]
    assert labels["minTileMatrix"] == "18" and "huisnummer" in labels["propertiesSchema"][
        "properties"]
