"""`kaart import groenvakken` against PostGIS: a re-import updates plots in place and keeps
adopties and logs, plots gone from the source become vervallen (inside the chosen bereik) with
their open adopties in the report, invalid geometry is repaired or skipped, and the CRS is taken
from the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon
from sqlalchemy import Connection, text

from app.services.importeren import (
    Bereik,
    Geraakt,
    GroenvakOpties,
    ImportFout,
    importeer_groenvakken,
)
from app.services.importeren import groenvakken as groenvak_import
from tests.conftest import scalar
from tests.db.import_files import RD, demo_groenvakken, square, write

OPTIES = GroenvakOpties(id_veld="vak_id", soort_veld="type", naam_veld="naam")
# the whole gemeente is in the file: what is missing expires, also with an open adoptie
ALLES = GroenvakOpties(id_veld="vak_id", soort_veld="type", naam_veld="naam",
                       vervallen_binnen=Bereik("gemeente"), ook_met_adoptie=True)
LOGS = ["adoptie", "deelname", "onderhoud", "schouw", "foto", "audit_log"]


def fingerprint(conn: Connection, tables: list[str]) -> dict[str, str]:
    """An md5 over every row of each table: any change shows."""
    return {t: conn.execute(text(
        f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
        f" FROM {t} t")).scalar_one() for t in tables}


def plot_with(conn: Connection, status: str) -> tuple[str, int]:
    row = conn.execute(text("""SELECT g.extern_id, a.id FROM groenvak g
                                JOIN adoptie a ON a.groenvak_id = g.id AND a.status = :s
                               ORDER BY g.extern_id LIMIT 1"""), {"s": status}).one()
    return str(row[0]), int(row[1])


def test_reimport_keeps_adopties_and_logs(connection: Connection, tmp_path: Path) -> None:
    frame = demo_groenvakken(connection)
    logs_before = fingerprint(connection, LOGS)
    ids_before = dict(connection.execute(text(
        "SELECT extern_id, id FROM groenvak WHERE gemeente_code = 'GM9901'")).all())
    versie = scalar(connection, "SELECT versie FROM laag_versie WHERE laag = 'groenvakken'")
    vervallen_before = scalar(connection, "SELECT count(*) FROM groenvak WHERE gemeente_code = "
                                          "'GM9901' AND vervallen_op IS NOT NULL")
    actief, _ = plot_with(connection, "actief")
    weg, weg_adoptie = plot_with(connection, "aangevraagd")
    # the beheersysteem moved the active plot half a metre and calls three plots by BGT words
    moved = frame.vak_id == actief
    frame.loc[moved, "geometry"] = frame.loc[moved].geometry.translate(0.5, 0)
    bgt = frame.index[(frame.type != "gras") & (frame.vak_id != actief)][:3]
    frame.loc[bgt, "type"] = "gras- en kruidachtigen"
    frame = frame[frame.vak_id != weg]
    nieuw = gpd.GeoDataFrame({"vak_id": ["NIEUW-1", "NIEUW-2"], "type": ["Heesters", "cactussen"],
                              "naam": ["Nieuw vak", None]},
                             geometry=[square(232000, 476000), square(232100, 476000)], crs=RD)
    frame = gpd.GeoDataFrame(pd_concat(frame, nieuw), crs=RD)
    path = write(frame, tmp_path / "groenvakken.gpkg")

    rapport = importeer_groenvakken(connection, path, ALLES)

    assert (rapport.gelezen, rapport.nieuw, rapport.bijgewerkt, rapport.vervallen) == (
        5001, 2, 4, 1)
    assert rapport.ongewijzigd == 4995 and rapport.overgeslagen == 0
    assert fingerprint(connection, LOGS) == logs_before
    kept = dict(connection.execute(text(
        "SELECT extern_id, id FROM groenvak WHERE gemeente_code = 'GM9901'")).all())
    assert all(kept[k] == v for k, v in ids_before.items())
    assert scalar(connection, "SELECT vervallen_op FROM groenvak WHERE extern_id = :e",
                  e=weg) == date.today()
    assert scalar(connection, "SELECT count(*) FROM groenvak WHERE vervallen_op IS NOT NULL "
                              "AND gemeente_code = 'GM9901'") == vervallen_before + 1
    vervallen = [r for r in rapport.regels if r.actie == "vervallen"]
    assert [(r.id, r.reden) for r in vervallen] == [
        (weg, f"niet meer in de bron; open adoptie {weg_adoptie} (aangevraagd) loopt nog")]
    assert rapport.adopties == [Geraakt(weg_adoptie, "aangevraagd", weg, vervalt=True)]
    soort = [r for r in rapport.regels if r.actie == "soort"]
    assert [(r.rij, r.reden) for r in soort] == [
        (5001, "soort 'cactussen' is onbekend en wordt 'overig' (1 object)")]
    rows = dict(connection.execute(text("""SELECT extern_id, soort FROM groenvak
                                            WHERE extern_id IN ('NIEUW-1', 'NIEUW-2')""")).all())
    assert rows == {"NIEUW-1": "heesters", "NIEUW-2": "overig"}
    assert scalar(connection, """SELECT count(*) FROM groenvak WHERE extern_id LIKE 'NIEUW-%'
                                 AND wijk_id IS NOT NULL AND buurt_id IS NOT NULL""") == 2
    assert scalar(connection, "SELECT round((ST_XMin(geometrie) - :x)::numeric, 2) FROM groenvak "
                              "WHERE extern_id = :e", e=actief,
                  x=float(frame[frame.vak_id == actief].total_bounds[0])) == 0
    assert scalar(connection, "SELECT versie FROM laag_versie WHERE laag = 'groenvakken'") > versie

    again = importeer_groenvakken(connection, path, ALLES)
    assert (again.nieuw, again.bijgewerkt, again.vervallen, again.ongewijzigd) == (0, 0, 0, 5001)
    back = write(gpd.GeoDataFrame(pd_concat(frame, demo_only(connection, weg)), crs=RD),
                 tmp_path / "terug.gpkg")
    terug = importeer_groenvakken(connection, back, ALLES)
    assert (terug.nieuw, terug.bijgewerkt, terug.vervallen) == (0, 1, 0)
    assert scalar(connection, "SELECT vervallen_op FROM groenvak WHERE extern_id = :e",
                  e=weg) is None


def pd_concat(*frames: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    import pandas as pd

    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=RD)


def demo_only(conn: Connection, extern_id: str) -> gpd.GeoDataFrame:
    frame = demo_groenvakken(conn)
    return frame[frame.vak_id == extern_id]


def test_invalid_geometry_repaired_or_skipped(connection: Connection, tmp_path: Path) -> None:
    spike = Polygon([(232000, 476000), (232100, 476000), (232100, 476100), (232050, 476100),
                     (232050, 476110), (232050, 476100), (232000, 476100)])
    bowtie = Polygon([(232200, 476000), (232300, 476100), (232300, 476000), (232200, 476100)])
    lobe = Polygon([(232400, 476000), (232500, 476000), (232500, 476100), (232400, 476100),
                    (232400, 476050), (232399, 476051), (232399, 476049), (232400, 476050)])
    frame = gpd.GeoDataFrame(
        {"vak_id": ["OK", "SPIKE", "BOWTIE", None, "OK", "LOBE"],
         "type": ["gras"] * 6},
        geometry=[square(232600, 476000), spike, bowtie, square(232700, 476000),
                  square(232800, 476000), lobe], crs=RD)
    assert not any(shapely.is_valid(g) for g in (spike, bowtie, lobe))
    path = write(frame, tmp_path / "vakken.gpkg")
    rapport = importeer_groenvakken(connection, path, GroenvakOpties("vak_id", "type"))
    assert (rapport.nieuw, rapport.hersteld, rapport.overgeslagen) == (3, 2, 3)
    got = [(r.rij, r.id, r.actie, r.reden.split(" (")[0]) for r in rapport.regels
           if r.actie in ("hersteld", "overgeslagen")]
    assert got == [(4, "", "overgeslagen", "geen id"),
                   (5, "OK", "overgeslagen", "id komt eerder voor"),
                   (2, "SPIKE", "hersteld", "ongeldige geometrie"),
                   (3, "BOWTIE", "overgeslagen", "ongeldige geometrie"),
                   (6, "LOBE", "hersteld", "ongeldige geometrie")]
    assert "herstel verandert de oppervlakte meer dan 1%" in rapport.regels[3].reden
    areas = dict(connection.execute(text("""SELECT extern_id, round(oppervlakte_m2)
        FROM groenvak WHERE extern_id IN ('OK', 'SPIKE', 'LOBE')""")).all())
    assert areas == {"OK": 100, "SPIKE": 10000, "LOBE": 10001}
    csv_text = rapport.csv_text().splitlines()
    assert csv_text[0] == "rij,id,actie,reden" and csv_text[1] == "4,,overgeslagen,geen id"


def test_crs_from_file_and_refusals(connection: Connection, tmp_path: Path) -> None:
    rd = gpd.GeoDataFrame({"vak_id": ["W1", "W2"]},
                          geometry=[square(232000, 476000, 20), square(232100, 476000, 30)],
                          crs=RD)
    path = write(rd.to_crs(4326), tmp_path / "wgs84.geojson")
    rapport = importeer_groenvakken(connection, path, GroenvakOpties("vak_id"))
    assert rapport.nieuw == 2
    areas = connection.execute(text("""SELECT round(oppervlakte_m2) FROM groenvak
                                        WHERE extern_id IN ('W1', 'W2') ORDER BY 1""")).scalars()
    assert list(areas) == [400, 900]
    assert scalar(connection, "SELECT soort FROM groenvak WHERE extern_id = 'W1'") == "overig"

    folder = tmp_path / "csv"
    folder.mkdir()
    csv = folder / "vakken.csv"
    csv.write_text('vak_id,wkt\nC1,"POLYGON((232000 477000,232010 477000,232010 477010,'
                   '232000 477000))"\n', encoding="utf-8")
    with pytest.raises(ImportFout) as refused:
        importeer_groenvakken(connection, csv, GroenvakOpties("vak_id"))
    assert str(refused.value) == (
        "Het bestand vakken.csv vermeldt geen coördinatenstelsel (geen .prj of CRS). Geef het "
        "op, bijvoorbeeld EPSG:28992 (RD New) of EPSG:4326 (lengte/breedte).")
    done = importeer_groenvakken(connection, csv, GroenvakOpties("vak_id", crs="EPSG:28992"))
    assert done.nieuw == 1


def test_a_failure_halfway_keeps_nothing(connection: Connection, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    frame = demo_groenvakken(connection).head(10)
    frame["geometry"] = frame.geometry.translate(1, 1)
    path = write(frame, tmp_path / "tien.gpkg")
    before = fingerprint(connection, ["groenvak", "laag_versie", *LOGS])

    def boom(*args: object) -> None:
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(groenvak_import, "_vervallen", boom)
    with pytest.raises(RuntimeError), connection.begin_nested():
        importeer_groenvakken(connection, path, OPTIES)
    assert fingerprint(connection, ["groenvak", "laag_versie", *LOGS]) == before
