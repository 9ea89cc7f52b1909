"""bbox on /items: large boxes, the antimeridian and boxes outside the Netherlands.

RD New only holds near the Netherlands; a bbox is cut to that area before PostGIS transforms
it, so a world-wide box finds everything instead of nothing.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.geo.crs import AREA_OF_USE, _clamped
from tests.conftest import scalar

ITEMS = "/v1/collections/groenvakken/items?limit=1"
LIVE = "SELECT count(*) FROM groenvak WHERE vervallen_op IS NULL"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
WORLD_3857 = "-20037508.34,-20037508.34,20037508.34,20037508.34"


def matched(client: TestClient, bbox: str, bbox_crs: str | None = None) -> int:
    url = f"{ITEMS}&bbox={bbox}" + (f"&bbox-crs={bbox_crs}" if bbox_crs else "")
    response = client.get(url)
    assert response.status_code == 200, response.text
    count: int = response.json()["numberMatched"]
    return count


@pytest.mark.parametrize(("bbox", "bbox_crs"), [
    ("-180,-90,180,90", None),
    ("-180,0,180,80", None),
    ("-50,20,50,80", None),
    ("-180,-90,0,180,90,0", None),  # with heights
    ("-90,-180,90,180", f"{EPSG}4258"),  # lat/lon
    (WORLD_3857, f"{EPSG}3857"),
    ("-10000000,-10000000,10000000,10000000", f"{EPSG}28992"),
])
def test_large_bbox_finds_every_feature(client: TestClient, session: Session, bbox: str,
                                        bbox_crs: str | None) -> None:
    assert matched(client, bbox, bbox_crs) == scalar(session, LIVE) > 0


@pytest.mark.parametrize(("bbox", "bbox_crs"), [
    ("100,10,110,20", None),
    ("170,-90,-170,90", None),  # over the antimeridian, far from here
    ("-120,-60,-100,-40", None),
    ("10,100,20,110", f"{EPSG}4258"),
    ("-20037508,-20037508,-10000000,-10000000", f"{EPSG}3857"),
])
def test_bbox_outside_the_netherlands_finds_nothing(client: TestClient, bbox: str,
                                                    bbox_crs: str | None) -> None:
    assert matched(client, bbox, bbox_crs) == 0


def test_antimeridian_bbox_is_two_boxes(client: TestClient, session: Session) -> None:
    # the features' own lon/lat, transformed feature by feature: an independent answer
    west, east = session.connection().exec_driver_sql(
        """SELECT percentile_disc(0.3) WITHIN GROUP (ORDER BY x), percentile_disc(0.6) WITHIN
        GROUP (ORDER BY x) FROM (SELECT ST_X(ST_Transform(ST_Centroid(geometrie), 4326)) x
        FROM groenvak WHERE vervallen_op IS NULL) p""").one()
    # from `east` eastwards round the world to `west`: everything but the strip between
    expected = scalar(session, f"""{LIVE} AND (
        ST_Intersects(ST_Transform(geometrie, 4326), ST_MakeEnvelope({east}, -90, 180, 90, 4326))
        OR ST_Intersects(ST_Transform(geometrie, 4326),
                         ST_MakeEnvelope(-180, -90, {west}, 90, 4326)))""")
    total = scalar(session, LIVE)
    assert isinstance(expected, int) and isinstance(total, int)
    assert 0 < expected < total
    assert matched(client, f"{east},-90,{west},90") == expected


@pytest.mark.parametrize("query", ["bbox=5,53,6,52", "bbox=0,0,-1,1&bbox-crs=EPSG:3857",
                                   "bbox=181,0,182,1", "bbox=53,5,52,6&bbox-crs=EPSG:4258",
                                   "bbox=160000,480000,150000,470000&bbox-crs=EPSG:28992"])
def test_an_empty_or_unreachable_box_finds_nothing(client: TestClient, query: str) -> None:
    """Schema-valid boxes are answered, never refused: a lower bound above its upper bound
    (other than west above east in lon/lat, which crosses the antimeridian) is an empty box,
    and a box beyond the valid range of lon/lat holds no Dutch object."""
    response = client.get(f"{ITEMS}&{query}")
    assert response.status_code == 200, query
    assert response.json()["numberMatched"] == 0, query


def test_clamp_keeps_small_boxes_and_cuts_large_ones() -> None:
    inside = (5.0, 52.0, 5.1, 52.1)
    assert _clamped(*inside, 4326) == [inside]
    assert _clamped(-180, -90, 180, 90, 4326) == [AREA_OF_USE[4326]]
    assert _clamped(7.0, 51.0, 3.0, 52.0, 4326) == [(7.0, 51.0, 8.5, 52.0),
                                                    (2.0, 51.0, 3.0, 52.0)]
    assert _clamped(100, 10, 110, 20, 4326) == []
    assert _clamped(-3e7, -3e7, 3e7, 3e7, 3857) == [AREA_OF_USE[3857]]
