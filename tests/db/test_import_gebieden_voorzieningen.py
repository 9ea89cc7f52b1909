"""The CBS Wijk- en buurtkaart (GeoPackage and Shapefile) and voorzieningen from CSV."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from sqlalchemy import Connection, text

from app.services.importeren import (
    GebiedOpties,
    GroenvakOpties,
    ImportFout,
    VoorzieningOpties,
    importeer_gebieden,
    importeer_groenvakken,
    importeer_voorzieningen,
)
from tests.conftest import scalar
from tests.db.import_files import GM, RD, X0, Y0, cbs_gebieden, square, voorzieningen_csv, write


def gebieden(conn: Connection) -> list[tuple[str, str, str, str | None, int | None]]:
    return [tuple(r) for r in conn.execute(text("""
        SELECT g.code, g.naam, g.soort, p.code, g.inwoners FROM gebied g
          LEFT JOIN gebied p ON p.id = g.parent_id
         WHERE g.gemeente_code = :g ORDER BY g.code"""), {"g": GM})]  # type: ignore[misc]


def test_cbs_geopackage_creates_and_updates(connection: Connection, tmp_path: Path) -> None:
    path = cbs_gebieden(tmp_path)
    rapport = importeer_gebieden(connection, path, GebiedOpties(gemeente=GM,
                                                                dorpen=("WK990203",)))
    assert (rapport.gelezen, rapport.nieuw, rapport.bijgewerkt, rapport.overgeslagen) == (
        11, 9, 0, 0)
    assert scalar(connection, "SELECT naam FROM gemeente WHERE code = :g", g=GM) == "Testgemeente"
    assert scalar(connection, "SELECT round(ST_Area(geometrie)) FROM gemeente WHERE code = :g",
                  g=GM) == 3_000_000
    rows = gebieden(connection)
    assert rows[:3] == [("BU99020101", "Buurt 1.1", "buurt", "WK990201", 500),
                        ("BU99020102", "Buurt 1.2", "buurt", "WK990201", 500),
                        ("BU99020201", "Buurt 2.1", "buurt", "WK990202", 1000)]
    assert rows[5] == ("BU99020302", "Buurt 3.2", "buurt", "WK990203", None)
    assert rows[6:] == [("WK990201", "Centrum", "wijk", None, 1000),
                        ("WK990202", "Wijk 2", "wijk", None, 2000),
                        ("WK990203", "Wijk 3", "dorp", None, 3000)]
    # a groenvak in the new gemeente is placed in its wijk and buurt by the triggers
    plot = write(gpd.GeoDataFrame({"id": ["T1"]}, geometry=[square(X0 + 100, Y0 + 600)],
                                  crs=RD), tmp_path / "vak.gpkg")
    importeer_groenvakken(connection, plot, GroenvakOpties("id", gemeente=GM))
    assert connection.execute(text("""SELECT w.code, b.code FROM groenvak g
        JOIN gebied w ON w.id = g.wijk_id JOIN gebied b ON b.id = g.buurt_id
        WHERE g.extern_id = 'T1'""")).one() == ("WK990201", "BU99020102")

    renamed = cbs_gebieden(tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path,
                           wijknaam_1="Binnenstad")
    again = importeer_gebieden(connection, renamed, GebiedOpties(gemeente=GM,
                                                                 dorpen=("WK990203",)))
    assert (again.nieuw, again.bijgewerkt, again.ongewijzigd) == (0, 1, 8)
    assert gebieden(connection)[6][1] == "Binnenstad"


def test_cbs_shapefile_with_dorpen_file(connection: Connection, tmp_path: Path) -> None:
    cbs_gebieden(tmp_path, fmt="shp")
    import zipfile

    zipped = tmp_path / "wijkenbuurten.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for f in tmp_path.glob("*.*"):
            if f.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                z.write(f, f"shape/{f.name}")
    dorpen = write(gpd.GeoDataFrame({"naam": ["Kerkdorp", "Nergens"]},
                                    geometry=[square(X0 + 1100, Y0 + 100, 800),
                                              square(X0 + 20000, Y0, 100)], crs=RD),
                   tmp_path / "dorpen.geojson")
    rapport = importeer_gebieden(connection, zipped,
                                 GebiedOpties(gemeente=GM, dorpen_bestand=dorpen))
    assert rapport.nieuw == 9
    assert [(r.id, r.actie, r.reden) for r in rapport.regels] == [
        ("WK990202", "dorp", "wijk ligt in dorp Kerkdorp en wordt dorp 'Kerkdorp'"),
        ("Nergens", "overgeslagen", "geen wijk ligt in dit dorp")]
    assert gebieden(connection)[7] == ("WK990202", "Kerkdorp", "dorp", None, 2000)


def test_cbs_file_needs_a_gemeente(connection: Connection, tmp_path: Path) -> None:
    with pytest.raises(ImportFout) as refused:
        importeer_gebieden(connection, cbs_gebieden(tmp_path), GebiedOpties())
    assert str(refused.value) == ("wijkenbuurten_2024_v1.gpkg bevat 2 gemeenten; kies er één "
                                  "(--gemeente, bijvoorbeeld GM9902).")


def test_voorzieningen_from_csv_with_category_map(connection: Connection,
                                                  tmp_path: Path) -> None:
    path = voorzieningen_csv(tmp_path / "vz.csv", [
        {"id": "A1", "naam": "Huisartsenpraktijk", "soort": "Huisarts", "lat": 52.2707,
         "lon": 6.0103, "postcode": "1234 ab", "website": "www.example"},
        {"id": "A2", "naam": "Kapper", "soort": "kapper", "lat": 52.2710, "lon": 6.0110,
         "postcode": "", "website": "https://kapper.example"},
        {"id": "A3", "naam": "Basisschool", "soort": "school", "lat": 52.2712, "lon": 6.0112,
         "postcode": "9999ZZ", "website": ""}])
    kaart = tmp_path / "map.csv"
    kaart.write_text("bron,categorie\nhuisarts,zorg\nschool,onderwijs\n", encoding="utf-8")
    codes = set(connection.execute(text("SELECT code FROM categorie")).scalars())
    assert {"zorg", "onderwijs"} <= codes
    rapport = importeer_voorzieningen(connection, path, VoorzieningOpties(
        categorie_veld="soort", categorie_map=kaart))
    assert (rapport.nieuw, rapport.overgeslagen, rapport.hersteld) == (2, 1, 1)
    assert [(r.rij, r.id, r.reden) for r in rapport.regels] == [
        (2, "A2", "categorie 'kapper' staat niet in de categorie-indeling"),
        (1, "A1", "website 'www.example' is ongeldig en is leeg gelaten")]
    rows = connection.execute(text("""SELECT v.extern_id, c.code, v.postcode, v.bron,
            v.wijk_id IS NOT NULL, round(ST_X(v.geometrie)) FROM voorziening v
            JOIN categorie c ON c.id = v.categorie_id WHERE v.extern_id IN ('A1', 'A3')
            ORDER BY 1""")).all()
    assert [tuple(r)[:4] for r in rows] == [("A1", "zorg", "1234 AB", "import vz.csv"),
                                           ("A3", "onderwijs", "9999ZZ", "import vz.csv")]
    assert rows[0][5] == 197530  # lat/lon read as EPSG:4326 and stored in RD New
