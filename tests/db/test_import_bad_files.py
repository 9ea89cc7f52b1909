"""Every bad file gets its own Dutch message and changes nothing in the database."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point
from sqlalchemy import Connection

from app.services.importeren import (
    GebiedOpties,
    GroenvakOpties,
    ImportFout,
    VoorzieningOpties,
    importeer_gebieden,
    importeer_groenvakken,
    importeer_voorzieningen,
)
from tests.db.import_files import RD, square, write
from tests.db.test_import_groenvakken import fingerprint

TABLES = ["gemeente", "gebied", "groenvak", "voorziening", "adoptie", "onderhoud",
          "laag_versie"]
MAX = 2_000_000


def vakken(n: int = 2) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"vak_id": [f"V{i}" for i in range(n)], "type": ["gras"] * n},
                            geometry=[square(232000 + 20 * i, 476000) for i in range(n)], crs=RD)


def not_a_zip(d: Path) -> Path:
    (d / "kapot.zip").write_text("dit is geen zip")
    return d / "kapot.zip"


def zip_with(d: Path, name: str, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(d / name, "w") as z:
        for member, data in members.items():
            z.writestr(member, data)
    return d / name


def zip_without_shp(d: Path) -> Path:
    return zip_with(d, "leeg.zip", {"lees mij.txt": b"geen kaart"})


def zip_without_dbf(d: Path) -> Path:
    write(vakken(), d / "vakken.shp")
    return zip_with(d, "geen-dbf.zip", {f"map/vakken{s}": (d / f"vakken{s}").read_bytes()
                                        for s in (".shp", ".shx", ".prj")})


def shp_without_dbf(d: Path) -> Path:
    write(vakken(), d / "los.shp")
    (d / "los.dbf").unlink()
    return d / "los.shp"


def latin1_csv(d: Path) -> Path:
    (d / "latin1.csv").write_bytes(
        "vak_id,naam,wkt\nV1,Caf\xe9plein,\"POLYGON((232000 476000,232010 476000,"
        "232010 476010,232000 476000))\"\n".encode("latin-1"))
    return d / "latin1.csv"


def latin1_shapefile(d: Path) -> Path:
    frame = vakken(1).assign(naam=["Caf\xe9plein"])
    write(frame, d / "cp.shp")  # UTF-8 with a .cpg saying so; then the text as Latin-1
    dbf = (d / "cp.dbf").read_bytes()
    assert "Caf\xe9plein".encode() in dbf
    (d / "cp.dbf").write_bytes(dbf.replace("Caf\xe9plein".encode(), b"Caf\xe9plein "))
    return zip_with(d, "codering.zip", {f"cp{s}": (d / f"cp{s}").read_bytes()
                                        for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")})


def empty(d: Path) -> Path:
    (d / "leeg.gpkg").write_bytes(b"")
    return d / "leeg.gpkg"


def too_big(d: Path) -> Path:
    (d / "groot.geojson").write_bytes(b" " * 3_000_000)
    return d / "groot.geojson"


def lines(d: Path) -> Path:
    frame = gpd.GeoDataFrame({"vak_id": ["L1"]}, geometry=[LineString([(232000, 476000),
                                                                        (232050, 476050)])],
                             crs=RD)
    return write(frame, d / "lijnen.gpkg")


def mixed(d: Path) -> Path:
    frame = gpd.GeoDataFrame({"vak_id": ["M1", "M2"], "type": ["gras", "gras"]},
                             geometry=[square(232000, 476000), Point(232050, 476050)], crs=RD)
    return write(frame.to_crs(4326), d / "gemengd.geojson")


def no_features(d: Path) -> Path:
    path = write(vakken(), d / "niets.gpkg", layer="vakken")
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM vakken")
    return path


def garbage_gpkg(d: Path) -> Path:
    (d / "rommel.gpkg").write_bytes(b"SQLite? nee" * 100)
    return d / "rommel.gpkg"


def outside_nl(d: Path) -> Path:
    frame = gpd.GeoDataFrame({"vak_id": ["X"], "type": ["gras"]},
                             geometry=[square(5.1, 52.1, 0.001)], crs=RD)
    return write(frame, d / "graden.gpkg")


def unknown_type(d: Path) -> Path:
    (d / "vakken.xlsx").write_bytes(b"PK")
    return d / "vakken.xlsx"


ENCODING = ("bevat tekst die niet als UTF-8 te lezen is. Sla het op als UTF-8 (bij een "
            "Shapefile: lever een .cpg-bestand met de juiste codering mee).")
CASES: list[tuple[Callable[[Path], Path], str]] = [
    (not_a_zip, "Het bestand kapot.zip is geen geldig zip-bestand."),
    (zip_without_shp, "Het zip-bestand leeg.zip bevat geen .shp-bestand."),
    (zip_without_dbf, "Het zip-bestand geen-dbf.zip bevat geen .dbf-bestand bij vakken.shp."),
    (shp_without_dbf, "Bij los.shp ontbreekt het .dbf-bestand met de gegevens; lever de "
                      "Shapefile als zip met .shp, .shx, .dbf en .prj."),
    (latin1_csv, f"Het bestand latin1.csv {ENCODING}"),
    (latin1_shapefile, f"Het bestand codering.zip {ENCODING}"),
    (empty, "Het bestand leeg.gpkg is leeg."),
    (too_big, "Het bestand groot.geojson is 3,0 MB; de grens is 2,0 MB."),
    (lines, "Het bestand lijnen.gpkg bevat lijnen; voor groenvakken zijn vlakken (Polygon of "
            "MultiPolygon) nodig."),
    (mixed, "Het bestand gemengd.geojson bevat punten; voor groenvakken zijn vlakken (Polygon "
            "of MultiPolygon) nodig. (eerste: object 2)"),
    (no_features, "Het bestand niets.gpkg bevat geen objecten."),
    (garbage_gpkg, "Het bestand rommel.gpkg is geen leesbaar bestand van dit type (gpkg)."),
    (outside_nl, "Coördinaten in graden.gpkg liggen buiten Nederland (eerste: object 1). Klopt "
                 "het coördinatenstelsel? Het bestand is gelezen als EPSG:28992."),
    (unknown_type, "Het bestandstype van vakken.xlsx wordt niet ondersteund. Gebruik een "
                   "Shapefile (.zip of .shp), GeoPackage (.gpkg), GeoJSON (.geojson) of CSV "
                   "(.csv)."),
]


@pytest.mark.parametrize(("make", "message"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_groenvakken_file(make: Callable[[Path], Path], message: str,
                              connection: Connection, tmp_path: Path) -> None:
    before = fingerprint(connection, TABLES)
    path = make(tmp_path)
    with pytest.raises(ImportFout) as refused, connection.begin_nested():
        importeer_groenvakken(connection, path, GroenvakOpties("vak_id", "type"), MAX)
    assert str(refused.value) == message
    assert fingerprint(connection, TABLES) == before


def test_missing_field_lists_the_fields(connection: Connection, tmp_path: Path) -> None:
    path = write(vakken(), tmp_path / "vakken.gpkg")
    with pytest.raises(ImportFout) as refused, connection.begin_nested():
        importeer_groenvakken(connection, path, GroenvakOpties("objectid"))
    assert str(refused.value) == ("id-veld: het veld 'objectid' staat niet in vakken.gpkg. "
                                  "Velden in het bestand: vak_id, type.")


@pytest.mark.parametrize(("make", "message"), CASES[:3] + CASES[6:8],
                         ids=[c[0].__name__ for c in CASES[:3] + CASES[6:8]])
def test_bad_files_for_the_other_layers(make: Callable[[Path], Path], message: str,
                                        connection: Connection, tmp_path: Path) -> None:
    before = fingerprint(connection, TABLES)
    path = make(tmp_path)
    with pytest.raises(ImportFout) as refused, connection.begin_nested():
        importeer_gebieden(connection, path, GebiedOpties(gemeente="GM9902"), MAX)
    assert str(refused.value) == message
    with pytest.raises(ImportFout) as refused, connection.begin_nested():
        importeer_voorzieningen(connection, path, VoorzieningOpties(), MAX)
    assert str(refused.value) == message
    assert fingerprint(connection, TABLES) == before
