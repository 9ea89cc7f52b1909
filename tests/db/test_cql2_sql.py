"""The SQL from CQL2 filters, run on the demo gemeente, selects what plain SQL says it should."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from app.errors import InvalidInput
from app.geo.collections import COLLECTIONS
from app.geo.cql2 import parse, to_sql


def count(conn: Connection, collection: str, flt: str | dict, srid: int = 4326) -> int:
    """Features of a collection matching a CQL2 filter (text when str, else JSON)."""
    c = COLLECTIONS[collection]
    sql, params = to_sql(parse(flt, "cql2-text" if isinstance(flt, str) else "cql2-json"),
                         c.props, srid)
    return conn.execute(text(f"SELECT count(*) FROM {c.from_sql} WHERE {c.where_sql} "
                             f"AND ({sql})"), params).scalar_one()


def expected(conn: Connection, collection: str, where: str, **params: object) -> int:
    """The same count written by hand."""
    c = COLLECTIONS[collection]
    return conn.execute(text(f"SELECT count(*) FROM {c.from_sql} WHERE {c.where_sql} "
                             f"AND ({where})"), params).scalar_one()


def test_demo_has_what_the_filters_need(connection: Connection) -> None:
    assert expected(connection, "groenvakken", "true") == 5000
    assert expected(connection, "wijken", "true") == 10
    assert 0 < expected(connection, "groenvakken", "t.soort = 'gras'") < 5000


@pytest.mark.parametrize(("flt", "where"), [
    ("soort = 'gras'", "t.soort = 'gras'"),
    ("soort <> 'gras'", "t.soort <> 'gras'"),
    ("status = 'in_zelfbeheer' AND oppervlakte_m2 > 50",
     "kaart_groenvak_status(t.zelfbeheer_mogelijk, t.vervallen_op, a.status) = 'in_zelfbeheer' "
     "AND round(t.oppervlakte_m2::numeric, 1) > 50"),
    ("soort = 'haag' OR soort = 'gras' AND oppervlakte_m2 >= 100.5",
     "t.soort = 'haag' OR (t.soort = 'gras' AND round(t.oppervlakte_m2::numeric, 1) >= 100.5)"),
    ("(soort = 'haag' OR soort = 'gras') AND NOT oppervlakte_m2 < 100",
     "t.soort IN ('haag', 'gras') AND round(t.oppervlakte_m2::numeric, 1) >= 100"),
    ("soort IN ('haag', 'moestuin') AND zelfbeheer_mogelijk = FALSE",
     "t.soort IN ('haag', 'moestuin') AND NOT t.zelfbeheer_mogelijk"),
    ("soort NOT IN ('gras')", "t.soort <> 'gras'"),
    ("oppervlakte_m2 BETWEEN 20 AND 40.5",
     "round(t.oppervlakte_m2::numeric, 1) >= 20 AND round(t.oppervlakte_m2::numeric, 1) <= 40.5"),
    ("oppervlakte_m2 NOT BETWEEN 20 AND 40",
     "round(t.oppervlakte_m2::numeric, 1) < 20 OR round(t.oppervlakte_m2::numeric, 1) > 40"),
    ("extern_id LIKE '%1_'", "t.extern_id ~ '1.$'"),
    ("extern_id NOT LIKE '%1_'", "t.extern_id !~ '1.$'"),
    ("naam IS NULL", "t.naam IS NULL"),
    ("groepsnaam IS NOT NULL", "a.groepsnaam_openbaar AND a.groepsnaam IS NOT NULL"),
    ("gewijzigd_op > TIMESTAMP('2000-01-01T00:00:00Z')", "true"),
    ("gewijzigd_op < DATE('2000-01-01')", "false"),
    ("TRUE", "true"),
    ("FALSE", "false"),
    ("NOT FALSE AND NOT NOT soort = 'gras'", "t.soort = 'gras'"),
])
def test_groenvakken_counts_match_plain_sql(connection: Connection, flt: str, where: str) -> None:
    assert count(connection, "groenvakken", flt) == expected(connection, "groenvakken", where)


def test_json_counts_the_same_as_text(connection: Connection) -> None:
    doc = {"op": "and", "args": [
        {"op": "=", "args": [{"property": "status"}, "in_zelfbeheer"]},
        {"op": ">", "args": [{"property": "oppervlakte_m2"}, 50]}]}
    assert count(connection, "groenvakken", doc) == \
        count(connection, "groenvakken", "status = 'in_zelfbeheer' AND oppervlakte_m2 > 50")


def test_inwoners_is_null(connection: Connection) -> None:
    assert count(connection, "wijken", "inwoners IS NULL") == 0
    connection.execute(text("UPDATE gebied SET inwoners = NULL WHERE id = (SELECT min(id) FROM "
                            "gebied WHERE soort = 'wijk')"))
    assert count(connection, "wijken", "inwoners IS NULL") == 1
    assert count(connection, "wijken", "inwoners IS NOT NULL") == 9
    # NULL never compares: neither side of a comparison holds it
    assert count(connection, "wijken", "inwoners > 0 OR inwoners <= 0") == 9


def test_values_with_quotes_are_data(connection: Connection) -> None:
    assert count(connection, "groenvakken", "naam = 'x''; DROP TABLE groenvak; --'") == 0
    assert count(connection, "groenvakken", "soort IS NOT NULL") == 5000


def centre(conn: Connection, srid: int) -> tuple[float, float]:
    """The centre of the groenvakken's extent, in `srid` with PostGIS's x/y order."""
    row = conn.execute(text("""
        SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_Centroid(
            ST_Extent(geometrie)::geometry), 28992), :srid) AS p FROM groenvak) c"""),
        {"srid": srid}).one()
    return float(row[0]), float(row[1])


def test_crs84_bbox_matches_a_transformed_envelope(connection: Connection) -> None:
    lon, lat = centre(connection, 4326)
    box = (lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002)  # edges short: no densifying
    found = count(connection, "groenvakken", "S_INTERSECTS(geometry, BBOX({}, {}, {}, {}))"
                  .format(*box))
    assert found == expected(connection, "groenvakken", "ST_Intersects(t.geometrie, ST_Transform("
                             "ST_MakeEnvelope(:a, :b, :c, :d, 4326), 28992))",
                             a=box[0], b=box[1], c=box[2], d=box[3])
    assert found > 0
    # the same numbers in the wrong order (lat/lon) lie far outside the Netherlands
    assert count(connection, "groenvakken", "S_INTERSECTS(geometry, BBOX({1}, {0}, {3}, {2}))"
                 .format(*box)) == 0
    doc = {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": list(box)}]}
    assert count(connection, "groenvakken", doc) == found


def test_etrs89_bbox_is_read_lat_lon(connection: Connection) -> None:
    lon, lat = centre(connection, 4258)
    lat0, lon0, lat1, lon1 = lat - 0.002, lon - 0.003, lat + 0.002, lon + 0.003
    found = count(connection, "groenvakken",
                  f"S_INTERSECTS(geometry, BBOX({lat0}, {lon0}, {lat1}, {lon1}))", srid=4258)
    assert found > 0
    assert found == expected(connection, "groenvakken", "ST_Intersects(t.geometrie, ST_Transform("
                             "ST_MakeEnvelope(:a, :b, :c, :d, 4258), 28992))",
                             a=lon0, b=lat0, c=lon1, d=lat1)
    assert count(connection, "groenvakken", f"S_INTERSECTS(geometry, BBOX({lon0}, {lat0}, "
                 f"{lon1}, {lat1}))", srid=4258) == 0


def test_large_crs84_polygon_keeps_its_straight_lon_lat_edges(connection: Connection) -> None:
    """Densified literals agree with testing the features in CRS84 itself."""
    lon, lat = centre(connection, 4326)
    box = (lon - 0.02, lat - 0.01, lon + 0.02, lat + 0.01)
    found = count(connection, "groenvakken", "S_WITHIN(geometry, BBOX({}, {}, {}, {}))"
                  .format(*box))
    assert 0 < found < 5000
    assert found == expected(connection, "groenvakken", "ST_Within(ST_Transform(t.geometrie, "
                             "4326), ST_MakeEnvelope(:a, :b, :c, :d, 4326))",
                             a=box[0], b=box[1], c=box[2], d=box[3])


def test_the_same_place_in_every_crs_finds_the_same_wijk(connection: Connection) -> None:
    rows = connection.execute(text("""
        SELECT code, ST_X(p) AS x, ST_Y(p) AS y,
               ST_X(ST_Transform(p, 4258)) AS lon, ST_Y(ST_Transform(p, 4258)) AS lat,
               ST_X(ST_Transform(p, 4326)) AS lon84, ST_Y(ST_Transform(p, 4326)) AS lat84,
               ST_X(ST_Transform(p, 3857)) AS mx, ST_Y(ST_Transform(p, 3857)) AS my
          FROM (SELECT code, ST_PointOnSurface(geometrie) AS p FROM gebied
                 WHERE soort = 'wijk') w""")).all()
    assert len(rows) == 10
    c = COLLECTIONS["wijken"]
    for r in rows:
        for srid, x, y in ((28992, r.x, r.y), (4258, r.lat, r.lon), (4326, r.lon84, r.lat84),
                           (3857, r.mx, r.my)):
            sql, params = to_sql(parse(f"S_INTERSECTS(geometry, POINT({x!r} {y!r}))",
                                       "cql2-text"), c.props, srid)
            codes = connection.execute(text(f"SELECT t.code FROM {c.from_sql} WHERE "
                                            f"{c.where_sql} AND {sql}"), params).scalars().all()
            assert codes == [r.code], (srid, r.code)


def test_bbox_around_the_gemeente_in_rd_and_etrs89(connection: Connection) -> None:
    rd = connection.execute(text("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                                 "(SELECT ST_Expand(ST_Extent(geometrie), 100) e FROM groenvak) "
                                 "x")).one()
    ll = connection.execute(text("SELECT ST_YMin(e), ST_XMin(e), ST_YMax(e), ST_XMax(e) FROM "
                                 "(SELECT ST_Transform(ST_MakeEnvelope(:a, :b, :c, :d, 28992), "
                                 "4258) e) x"), dict(zip("abcd", rd, strict=True))).one()
    inside = "S_INTERSECTS(geometry, BBOX({}, {}, {}, {}))"
    assert count(connection, "groenvakken", inside.format(*rd), srid=28992) == 5000
    assert count(connection, "groenvakken", inside.format(*ll), srid=4258) == 5000
    far = "S_INTERSECTS(geometry, BBOX({}, {}, {}, {}))"
    assert count(connection, "groenvakken", far.format(rd[0] + 1e5, rd[1], rd[2] + 1e5, rd[3]),
                 srid=28992) == 0
    assert count(connection, "groenvakken", far.format(ll[0], ll[1] + 2, ll[2], ll[3] + 2),
                 srid=4258) == 0


def test_world_wide_literals_still_mean_everywhere(connection: Connection) -> None:
    assert count(connection, "groenvakken", "S_INTERSECTS(geometry, BBOX(-180,-90,180,90))") \
        == 5000
    assert count(connection, "groenvakken",
                 "S_WITHIN(geometry, POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90)))") == 5000
    assert count(connection, "groenvakken", "S_DISJOINT(geometry, BBOX(-180,-90,180,90))") == 0
    assert count(connection, "groenvakken", "S_INTERSECTS(geometry, POINT(-170 -80))") == 0
    assert count(connection, "groenvakken", "S_INTERSECTS(geometry, BBOX(-20037508, -20037508, "
                 "20037508, 20037508))", srid=3857) == 5000


def test_every_spatial_function_agrees_with_postgis(connection: Connection) -> None:
    """Each function gets a literal (RD New) for which it holds for at least one groenvak."""
    lit = connection.execute(text("""
        SELECT ST_AsText(geometrie) AS same,
               ST_AsText(ST_Buffer(ST_Centroid(geometrie), 60)) AS around,
               ST_AsText(ST_Translate(geometrie, 1, 0)) AS shifted,
               ST_AsText(ST_Boundary(geometrie)) AS boundary,
               ST_AsText(ST_MakeLine(ST_Translate(ST_PointOnSurface(geometrie), -100, 0),
                                     ST_Translate(ST_PointOnSurface(geometrie), 100, 0))) AS line,
               ST_AsText(ST_PointOnSurface(geometrie)) AS inner
          FROM groenvak ORDER BY id LIMIT 1""")).one()
    for name, wkt in (("INTERSECTS", lit.around), ("DISJOINT", lit.around),
                      ("WITHIN", lit.around), ("EQUALS", lit.same), ("OVERLAPS", lit.shifted),
                      ("TOUCHES", lit.boundary), ("CROSSES", lit.line),
                      ("CONTAINS", lit.inner)):
        found = count(connection, "groenvakken", f"S_{name}(geometry, {wkt})", srid=28992)
        assert found == expected(connection, "groenvakken", f"ST_{name.title()}(t.geometrie, "
                                 "ST_GeomFromText(:wkt, 28992))", wkt=wkt), name
        assert found >= 1, name
    assert count(connection, "groenvakken", f"S_WITHIN({lit.inner}, geometry)", srid=28992) == 1


def test_every_geometry_type_runs(connection: Connection) -> None:
    lon, lat = centre(connection, 4326)
    a, b, c, d = lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01
    ring = f"({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b})"
    for literal in (f"POINT({lon} {lat})", f"MULTIPOINT({a} {b}, {c} {d})",
                    f"LINESTRING({a} {b}, {c} {d})", f"MULTILINESTRING(({a} {b}, {c} {d}), "
                    f"({a} {d}, {c} {b}))", f"POLYGON({ring})", f"MULTIPOLYGON(({ring}))",
                    f"GEOMETRYCOLLECTION(POINT({lon} {lat}), POLYGON({ring}), "
                    f"POLYGON(({a} {b}, {lon} {b}, {lon} {lat}, {a} {b})))"):
        count(connection, "groenvakken", f"S_INTERSECTS(geometry, {literal})")
    assert count(connection, "groenvakken", f"S_INTERSECTS(geometry, POLYGON({ring}))") == \
        count(connection, "groenvakken", f"S_INTERSECTS(geometry, BBOX({a}, {b}, {c}, {d}))")


def test_refusals_happen_before_the_database(connection: Connection) -> None:
    with pytest.raises(InvalidInput, match="verwacht een getal"):
        count(connection, "wijken", "inwoners > 'abc'")
