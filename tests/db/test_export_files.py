"""Round trips: export groenvakken from PostGIS, read the file back with pyogrio and with GDAL's
ogrinfo, and compare with the tables: count, ids, attributes, areas within 0.1 %, RD New."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas
import pyogrio
import pytest
import shapely
from sqlmodel import Session

from tests.db.export_fixtures import (
    NAAM,
    WIJK,
    Plot,
    expected_groenvakken,
    make_plot,
    ogrinfo,
    run_export,
)

SHP_PARTS = {"groenvakken.shp", "groenvakken.shx", "groenvakken.dbf", "groenvakken.prj",
             "groenvakken.cpg", "README.txt"}


@pytest.fixture()
def plot(session: Session) -> Plot:
    return make_plot(session)


def plain(value: Any) -> Any:
    """Null as None, whatever pandas made of it (NaN, <NA>, an empty dBase field)."""
    return None if value is None or value == "" or pandas.isna(value) else value


def assert_matches(frame: Any, expected: dict[int, dict[str, Any]], names: dict[str, str],
                   plot: Plot) -> None:
    """Same ids, attributes and areas (within 0.1 %) as the tables; the plot in two parts."""
    assert len(frame) == len(expected)
    assert sorted(int(i) for i in frame[names["id"]]) == sorted(expected)
    for row in frame.itertuples(index=False):
        record = row._asdict()
        want = expected[int(record[names["id"]])]
        for field in ("extern_id", "naam", "soort", "status", "wijk"):
            assert plain(record[names[field]]) == want[field], (field, record)
        assert bool(record[names["zelfbeheer_mogelijk"]]) == want["zelfbeheer_mogelijk"]
        assert plain(record[names["groepsnaam"]]) == want["openbare_groepsnaam"]
        geometry = record["geometry"]
        assert abs(geometry.area / want["area"] - 1) < 0.001, record
        assert len(getattr(geometry, "geoms", [geometry])) == want["parts"]
    mine = frame[frame[names["id"]].astype(int) == plot.groenvak_id].iloc[0]
    assert mine[names["naam"]] == NAAM
    assert mine.geometry.geom_type == "MultiPolygon" and len(mine.geometry.geoms) == 2
    assert abs(mine.geometry.area - 136.0) < 0.01 and abs(plot.area - 136.0) < 0.01


def test_shapefile_zip_round_trip(session: Session, plot: Plot, tmp_path: Path) -> None:
    target = tmp_path / "groenvakken.zip"
    counts = run_export(session, ["groenvakken"], "shp", target)
    expected = expected_groenvakken(session)
    assert counts == {"groenvakken": len(expected)} and len(expected) > 300
    with zipfile.ZipFile(target) as z:
        assert set(z.namelist()) == SHP_PARTS
        assert z.read("groenvakken.cpg").decode() == "UTF-8"
        prj = z.read("groenvakken.prj").decode()
        readme = z.read("README.txt").decode("utf-8")
    assert "Amersfoort" in prj and "Stereographic" in prj
    assert "EPSG:28992" in readme and "UTF-8" in readme
    for short, full in [("oppervl_m2", "oppervlakte_m2"), ("zelf_mogel", "zelfbeheer_mogelijk"),
                        ("gewijzi_op", "gewijzigd_op"), ("extern_id", "extern_id")]:
        assert re.search(rf"^{short} +{full} – ", readme, re.M), short
    assert "in_zelfbeheer: bewoners onderhouden" in readme

    frame = pyogrio.read_dataframe(f"/vsizip/{target}/groenvakken.shp")
    assert frame.crs.to_epsg() == 28992
    assert all(len(c) <= 10 for c in frame.columns)
    names = {"id": "id", "extern_id": "extern_id", "naam": "naam", "soort": "soort",
             "status": "status", "wijk": "wijk", "zelfbeheer_mogelijk": "zelf_mogel",
             "groepsnaam": "groepsnaam"}
    assert_matches(frame, expected, names, plot)

    summary = ogrinfo("-so", "-al", f"/vsizip/{target}/groenvakken.shp")
    assert f"Feature Count: {len(expected)}" in summary
    assert 'ID["EPSG",28992]' in summary
    assert "oppervl_m2: Real" in summary and "zelf_mogel: " in summary
    one = ogrinfo("-al", "-where", f"id = {plot.groenvak_id}",
                  f"/vsizip/{target}/groenvakken.shp")
    assert "Feature Count: 1" in one or one.count("OGRFeature(") == 1
    assert f"naam (String) = {NAAM}" in one
    multipolygon = re.search(r"MULTIPOLYGON \((.*)\)", one)
    assert multipolygon and multipolygon.group(1).count(")),((") == 1


def test_geopackage_round_trip(session: Session, plot: Plot, tmp_path: Path) -> None:
    target = tmp_path / "groenvakken.gpkg"
    run_export(session, ["groenvakken"], "gpkg", target)
    expected = expected_groenvakken(session)
    info = pyogrio.read_info(target, layer="groenvakken")
    assert info["crs"] == "EPSG:28992" and info["features"] == len(expected)
    assert info["geometry_type"] == "MultiPolygon"
    frame = pyogrio.read_dataframe(target, layer="groenvakken")
    names = {n: n for n in ("id", "extern_id", "naam", "soort", "status", "wijk",
                            "zelfbeheer_mogelijk", "groepsnaam")}
    assert_matches(frame, expected, names, plot)
    summary = ogrinfo("-so", target, "groenvakken")
    assert f"Feature Count: {len(expected)}" in summary and 'ID["EPSG",28992]' in summary
    assert "zelfbeheer_mogelijk: Integer(Boolean)" in summary
    assert "oppervlakte_m2: Real" in summary and "gewijzigd_op: String" in summary
    one = ogrinfo("-al", "-where", f"id = {plot.groenvak_id}", target)
    assert f"naam (String) = {NAAM}" in one and one.count("OGRFeature(") == 1


def test_csv_round_trip(session: Session, plot: Plot, tmp_path: Path) -> None:
    target = tmp_path / "groenvakken.csv"
    run_export(session, ["groenvakken"], "csv", target)
    expected = expected_groenvakken(session)
    with target.open(encoding="utf-8", newline="") as f:
        assert f.readline().count(";") > 5  # semicolons, for Excel set to Dutch
        f.seek(0)
        rows = list(csv.DictReader(f, delimiter=";"))
    assert list(rows[0])[-5:] == ["wijk_naam", "buurt_naam", "wkt", "x", "y"]
    assert list(rows[0])[0] == "id"
    wijknamen = dict(session.connection().exec_driver_sql("SELECT code, naam FROM gebied").all())
    assert all(r["wijk_naam"] == wijknamen[r["wijk"]] for r in rows if r["wijk"])
    assert any(r["wijk_naam"] for r in rows)
    assert sorted(int(r["id"]) for r in rows) == sorted(expected)
    for row in rows:
        want = expected[int(row["id"])]
        geometry = shapely.from_wkt(row["wkt"])
        assert abs(geometry.area / want["area"] - 1) < 0.001
        assert geometry.contains(shapely.Point(float(row["x"]), float(row["y"])))
        assert row["status"] == want["status"] and (row["naam"] or None) == want["naam"]
        assert row["zelfbeheer_mogelijk"] == ("true" if want["zelfbeheer_mogelijk"] else "false")
    mine = next(r for r in rows if int(r["id"]) == plot.groenvak_id)
    assert mine["naam"] == NAAM and len(shapely.from_wkt(mine["wkt"]).geoms) == 2

    frame = pyogrio.read_dataframe(target)  # GDAL finds the geometry in the column `wkt`
    assert len(frame) == len(expected)
    areas = {int(i): g.area for i, g in zip(frame["id"], frame.geometry, strict=True)}
    assert all(abs(areas[i] / expected[i]["area"] - 1) < 0.001 for i in expected)
    summary = ogrinfo("-so", "-al", target)
    assert f"Feature Count: {len(expected)}" in summary


def test_geojson_is_rfc7946_in_crs84(session: Session, plot: Plot, tmp_path: Path) -> None:
    target = tmp_path / "groenvakken.geojson"
    run_export(session, ["groenvakken"], "geojson", target)
    expected = expected_groenvakken(session)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection" and "crs" not in document
    x, y = document["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 3 < x < 8 and 50 < y < 54  # longitude, latitude
    frame = pyogrio.read_dataframe(target)
    assert frame.crs.to_epsg() == 4326
    frame["id"] = [f["id"] for f in document["features"]]
    frame = frame.to_crs(28992)
    names = {n: n for n in ("id", "extern_id", "naam", "soort", "status", "wijk",
                            "zelfbeheer_mogelijk", "groepsnaam")}
    assert_matches(frame, expected, names, plot)
    summary = ogrinfo("-so", "-al", target)
    assert f"Feature Count: {len(expected)}" in summary


def test_geopackage_holds_every_layer(session: Session, plot: Plot, tmp_path: Path) -> None:
    target = tmp_path / "alles.gpkg"
    counts = run_export(session, ["alles"], "gpkg", target, wijk=None)
    layers = {name: kind for name, kind in pyogrio.list_layers(target)}
    assert layers == {"gebieden": "MultiPolygon", "voorzieningen": "Point",
                      "groenvakken": "MultiPolygon", "adopties": "MultiPolygon"}
    truth = dict(session.connection().exec_driver_sql("""
        SELECT 'gebieden', count(*) FROM gebied WHERE gemeente_code = 'GM9901'
        UNION ALL SELECT 'voorzieningen', count(*) FROM voorziening
         WHERE gemeente_code = 'GM9901' AND status = 'gepubliceerd'
        UNION ALL SELECT 'groenvakken', count(*) FROM groenvak
         WHERE gemeente_code = 'GM9901' AND vervallen_op IS NULL
        UNION ALL SELECT 'adopties', count(*) FROM adoptie WHERE gemeente_code = 'GM9901'
    """).all())
    assert counts == truth
    summary = ogrinfo("-so", "-al", target)
    assert summary.count('ID["EPSG",28992]') == 4
    for name, number in truth.items():
        assert pyogrio.read_info(target, layer=name)["features"] == number
        assert f"Layer name: {name}\n" in summary


def test_wijk_and_status_filters(session: Session, plot: Plot, tmp_path: Path) -> None:
    expected = expected_groenvakken(session)
    in_zelfbeheer = {i for i, r in expected.items() if r["status"] == "in_zelfbeheer"}
    assert plot.groenvak_id in in_zelfbeheer
    target = tmp_path / "g.gpkg"
    run_export(session, ["groenvakken"], "gpkg", target, statussen=("in_zelfbeheer",))
    frame = pyogrio.read_dataframe(target)
    assert set(frame["id"]) == in_zelfbeheer and set(frame["wijk"]) == {WIJK}


def test_nothing_matched_still_gives_a_layer(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "leeg.zip"
    counts = run_export(session, ["adopties"], "shp", target, statussen=("afgewezen",),
                        wijk="WK990110")
    assert counts == {"adopties": 0}
    info = pyogrio.read_info(f"/vsizip/{target}/adopties.shp")
    assert info["features"] == 0 and info["crs"] == "EPSG:28992"
    assert "aant_deeln" in list(info["fields"])


def test_links_of_a_wijk_page(session: Session, tmp_path: Path) -> None:
    """The files the wijk page offers staff: the wijk with its buurten, its voorzieningen."""
    counts = run_export(session, ["gebieden"], "geojson", tmp_path / "g.geojson")
    buurten = session.connection().exec_driver_sql(
        "SELECT count(*) FROM gebied b JOIN gebied w ON w.id = b.parent_id "
        "WHERE w.code = %(w)s", {"w": WIJK}).scalar_one()
    assert counts == {"gebieden": 1 + buurten} and buurten > 0
    document = json.loads((tmp_path / "g.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["soort"] for f in document["features"]} == {"wijk", "buurt"}
    counts = run_export(session, ["voorzieningen"], "csv", tmp_path / "v.csv")
    assert counts["voorzieningen"] == session.connection().exec_driver_sql(
        "SELECT count(*) FROM voorziening v JOIN gebied w ON w.id = v.wijk_id "
        "WHERE w.code = %(w)s AND v.status = 'gepubliceerd'", {"w": WIJK}).scalar_one()
