"""BAG, NWB and OSM imports into the demo gemeente, inside the test's rolled-back transaction:
the counts, the status and subtype tables, the noded network, and bad files that change
nothing and say why in Dutch."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import osmium
import pytest
from sqlalchemy import Connection, text

from app.services.importeren import (
    ImportFout,
    NwbOpties,
    importeer_bag,
    importeer_bgt,
    importeer_nwb,
    importeer_osm,
)
from tests.db.bronnen_files import bag_gpkg, bgt_citygml, bgt_gml, bgt_gpkg, nwb_shp, osm_pbf
from tests.db.test_import_groenvakken import fingerprint

GEO = ["adres", "straat", "pand", "water", "terrein"]


def rows(conn: Connection, sql: str, **params: object) -> list[tuple[object, ...]]:
    return [tuple(r) for r in conn.execute(text(sql), params).all()]


def test_bag_imports_addresses_in_use_and_their_buildings(connection: Connection,
                                                          tmp_path: Path) -> None:
    rapport = importeer_bag(connection, bag_gpkg(tmp_path))
    assert rapport.tabellen == {"adressen": 3, "panden": 2}
    assert rapport.gelezen == 8 and rapport.overgeslagen == 3
    redenen = sorted(r.reden for r in rapport.regels if r.actie == "overgeslagen")
    assert redenen == ["status 'Pand gesloopt' (niet in gebruik)",
                       "status 'Verblijfsobject gevormd' (niet in gebruik)",
                       "status 'Verblijfsobject ingetrokken' (niet in gebruik)"]
    assert rows(connection, """SELECT postcode, huisnummer, huisletter, gebruiksdoel::text,
                                      woonfunctie, pand_identificatie, wijk_id IS NOT NULL
                                 FROM adres WHERE gemeente_code = 'GM9901'
                                ORDER BY huisnummer""") == [
        ("9901 AB", 1, None, "{woonfunctie}", True, "9901100000000001", True),
        ("9901 AB", 2, "a", "{woonfunctie,winkelfunctie}", True, "9901100000000002", True),
        ("9901 AB", 3, None, "{woonfunctie}", True, "9901100000000003", True)]
    assert rows(connection, "SELECT identificatie, bouwjaar FROM pand WHERE gemeente_code = "
                            "'GM9901' ORDER BY 1") == [("9901100000000001", 1931),
                                                       ("9901100000000002", 1932)]
    again = importeer_bag(connection, bag_gpkg(tmp_path))
    assert again.nieuw == 0 and again.ongewijzigd == 5 and "niets veranderd" in again.summary()


@pytest.mark.parametrize(("maak", "melding"), [
    (lambda p: bag_gpkg(p, zonder="postcode"), "ontbreken de velden postcode"),
    (lambda p: bag_gpkg(p, crs="EPSG:4326"), "staat in EPSG:4326; verwacht is EPSG:28992"),
    (lambda p: bag_gpkg(p, pand_als_punt=True), "als panden geometrie van het type Point"),
    (lambda p: _kapot(p / "bag.gpkg"), "geen leesbaar bestand"),
])
def test_bad_bag_files_change_nothing(connection: Connection, tmp_path: Path, maak: object,
                                      melding: str) -> None:
    voor = fingerprint(connection, GEO)
    with pytest.raises(ImportFout, match=melding):
        importeer_bag(connection, maak(tmp_path))  # type: ignore[operator]
    assert fingerprint(connection, GEO) == voor


def _kapot(path: Path) -> Path:
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 2000)
    return path


def test_nwb_snaps_junctions_into_a_noded_network(connection: Connection,
                                                  tmp_path: Path) -> None:
    rapport = importeer_nwb(connection, nwb_shp(tmp_path), NwbOpties(gemeente_id=9901))
    assert rapport.tabellen == {"straten": 4} and rapport.gelezen == 5
    assert [r.reden for r in rapport.regels] == [
        "1 wegvakken met een ander GME_ID dan 9901 niet gelezen"]
    assert rows(connection, "SELECT extern_id, naam, soort, woonplaats FROM straat "
                            "WHERE gemeente_code = 'GM9901' ORDER BY extern_id") == [
        ("1", "Dorpsstraat", "straat", "Testdorp"), ("2", "Kerkweg", "hoofdweg", "Testdorp"),
        ("3", "Fietspad zonder naam", "fietspad", "Testdorp"),
        ("4", "Brink", "voetpad", "Testdorp")]
    # junction 20: the ends of segments 1, 2 and 3 are one exact point; 10 and 30 likewise
    assert rows(connection, """
        WITH ends AS (SELECT ST_StartPoint(geometrie) p FROM straat WHERE gemeente_code='GM9901'
                      UNION ALL
                      SELECT ST_EndPoint(geometrie) FROM straat WHERE gemeente_code='GM9901')
        SELECT count(*) FROM ends GROUP BY ST_AsBinary(p) ORDER BY 1""") == [(1,), (2,), (2,),
                                                                           (3,)]
    # one connected network: all segments cluster into one component by touching ends
    assert rows(connection, """SELECT count(DISTINCT c) FROM (SELECT ST_ClusterDBSCAN(
                                   geometrie, 0, 1) OVER () c FROM straat
                                WHERE gemeente_code = 'GM9901') x""") == [(1,)]


def test_nwb_without_filter_takes_every_segment(connection: Connection,
                                               tmp_path: Path) -> None:
    assert importeer_nwb(connection, nwb_shp(tmp_path)).tabellen == {"straten": 5}


@pytest.mark.parametrize(("maak", "melding"), [
    (lambda p: nwb_shp(p, crs="EPSG:4326"), "staat in EPSG:4326"),
    (lambda p: nwb_shp(p, zonder="JTE_ID_END"), "ontbreken de velden JTE_ID_END"),
    (lambda p: bag_gpkg(p), "meerdere lagen"),
    (lambda p: _punten_shp(p), "als wegvakken geometrie van het type Point; nodig is LineString"),
    (lambda p: _kapot_shp(p), "geen leesbaar bestand"),
])
def test_bad_nwb_files_change_nothing(connection: Connection, tmp_path: Path, maak: object,
                                      melding: str) -> None:
    voor = fingerprint(connection, GEO)
    with pytest.raises(ImportFout, match=melding):
        importeer_nwb(connection, maak(tmp_path))  # type: ignore[operator]
    assert fingerprint(connection, GEO) == voor


def _punten_shp(folder: Path) -> Path:
    path = nwb_shp(folder)
    frame = gpd.read_file(path)
    frame.set_geometry(frame.centroid).to_file(path, engine="pyogrio")
    return path


def _kapot_shp(folder: Path) -> Path:
    path = nwb_shp(folder)
    path.write_bytes(path.read_bytes()[:60])
    return path


def test_osm_extract_fills_every_layer(connection: Connection, tmp_path: Path) -> None:
    rapport = importeer_osm(connection, osm_pbf(tmp_path))
    assert rapport.tabellen == {"straten": 5, "panden": 1, "adressen": 2, "water": 1,
                                "terrein": 1}
    assert rows(connection, "SELECT extern_id, naam, soort FROM straat WHERE gemeente_code = "
                            "'GM9901' ORDER BY extern_id") == [
        ("osm:way/1000/1", "Dorpsstraat", "straat"), ("osm:way/1000/2", "Dorpsstraat", "straat"),
        ("osm:way/1001/1", "Hoofdweg", "hoofdweg"), ("osm:way/1001/2", "Hoofdweg", "hoofdweg"),
        ("osm:way/1002/1", "Voetpad zonder naam", "voetpad")]
    # the crossing of Dorpsstraat and Hoofdweg is one shared end point of four segments
    assert rows(connection, """
        WITH ends AS (SELECT ST_StartPoint(geometrie) p FROM straat WHERE gemeente_code='GM9901'
                      UNION ALL
                      SELECT ST_EndPoint(geometrie) FROM straat WHERE gemeente_code='GM9901')
        SELECT max(n) FROM (SELECT count(*) n FROM ends GROUP BY ST_AsBinary(p)) x""") == [(4,)]
    assert rows(connection, """SELECT postcode, huisnummer, huisletter, gebruiksdoel::text,
                                      pand_identificatie FROM adres
                                WHERE gemeente_code = 'GM9901' ORDER BY huisnummer""") == [
        ("9901 AC", 3, None, "{woonfunctie}", "9901100000000042"),
        ("9901 AC", 7, "b", '{"overige gebruiksfunctie"}', None)]
    assert rows(connection, "SELECT identificatie FROM pand WHERE gemeente_code = 'GM9901'"
                ) == [("9901100000000042",)]
    assert rows(connection, "SELECT extern_id, naam, soort FROM water WHERE gemeente_code = "
                            "'GM9901'") == [("osm:way/1004", "Dorpsvijver", "vijver")]
    assert rows(connection, "SELECT extern_id, naam, soort FROM terrein WHERE gemeente_code = "
                            "'GM9901'") == [("osm:way/1005", "Dorpspark", "park")]


@pytest.mark.parametrize(("inhoud", "naam", "melding"), [
    (b"\x00\x00\x00\x0dOSMHeader" + b"\x01" * 100, "kapot.osm.pbf", "beschadigd"),
    (b"<osm/>", "dorp.osm", "wordt niet ondersteund"),
])
def test_bad_osm_files_change_nothing(connection: Connection, tmp_path: Path, inhoud: bytes,
                                      naam: str, melding: str) -> None:
    voor = fingerprint(connection, GEO)
    (tmp_path / naam).write_bytes(inhoud)
    with pytest.raises(ImportFout, match=melding):
        importeer_osm(connection, tmp_path / naam)
    assert fingerprint(connection, GEO) == voor


def test_bgt_becomes_groenvakken_through_the_groenvakken_import(connection: Connection,
                                                                tmp_path: Path) -> None:
    rapport = importeer_bgt(connection, bgt_gpkg(tmp_path))
    assert (rapport.laag, rapport.bestand) == ("groenvakken", "bgt_begroeidterreindeel.gpkg")
    assert (rapport.gelezen, rapport.nieuw, rapport.vervallen) == (5, 5, 0)
    assert rows(connection, "SELECT extern_id, soort FROM groenvak WHERE extern_id LIKE "
                            "'G0000.bgt%' ORDER BY extern_id") == [
        ("G0000.bgt0", "gras"), ("G0000.bgt1", "heesters"), ("G0000.bgt2", "heesters"),
        ("G0000.bgt3", "heesters"), ("G0000.bgt4", "bosplantsoen")]
    assert importeer_bgt(connection, bgt_gpkg(tmp_path)).ongewijzigd == 5


def test_bgt_without_lokaal_id_changes_nothing(connection: Connection, tmp_path: Path) -> None:
    voor = fingerprint(connection, ["groenvak"])
    with pytest.raises(ImportFout, match="ontbreekt het veld lokaalID"):
        importeer_bgt(connection, bgt_gpkg(tmp_path, zonder="lokaalID"))
    assert fingerprint(connection, ["groenvak"]) == voor


def test_bgt_as_pdok_delivers_it_citygml_with_imgeo_class(connection: Connection,
                                                          tmp_path: Path) -> None:
    rapport = importeer_bgt(connection, bgt_citygml(tmp_path))
    assert (rapport.gelezen, rapport.nieuw) == (2, 2)  # the ended one is left out
    assert rows(connection, """SELECT extern_id, soort, round(oppervlakte_m2) FROM groenvak
                                WHERE extern_id LIKE 'G0000.city%' ORDER BY extern_id""") == [
        ("G0000.city0", "gras", 100), ("G0000.city1", "heesters", 100)]


def test_bgt_gml_with_nested_ids_and_arcs(connection: Connection, tmp_path: Path) -> None:
    rapport = importeer_bgt(connection, bgt_gml(tmp_path))
    assert (rapport.gelezen, rapport.nieuw, rapport.bestand) == (
        2, 2, "bgt_begroeidterreindeel.gml")
    assert rows(connection, """SELECT extern_id, soort, ST_NPoints(geometrie) > 5
                                 FROM groenvak WHERE extern_id LIKE 'G0000.gml%'
                                ORDER BY extern_id""") == [
        ("G0000.gml0", "gras", True), ("G0000.gml1", "bosplantsoen", True)]


def test_osm_without_anything_we_use_changes_nothing(connection: Connection,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "leeg.osm.pbf"
    with osmium.SimpleWriter(str(path)) as w:
        w.add_node(osmium.osm.mutable.Node(id=1, location=(6.9, 53.27), tags={"amenity": "bench"}))
    voor = fingerprint(connection, GEO)
    with pytest.raises(ImportFout, match="bevat geen wegen, adressen, gebouwen, water of parken"):
        importeer_osm(connection, path)
    assert fingerprint(connection, GEO) == voor


def test_new_streets_rename_the_groenvakken(connection: Connection, tmp_path: Path) -> None:
    """Place names follow the streets: after an NWB import no plot is named after a street
    that is gone."""
    oud = rows(connection, """SELECT s.naam FROM straat s WHERE s.gemeente_code = 'GM9901'
                              AND EXISTS (SELECT 1 FROM groenvak g
                                          WHERE g.plaatsnaam LIKE '%' || s.naam || '%')
                              ORDER BY s.naam LIMIT 1""")
    assert oud, "the demo names plots after its streets"
    importeer_nwb(connection, nwb_shp(tmp_path), NwbOpties(gemeente_id=9901))
    assert rows(connection, "SELECT count(*) FROM groenvak WHERE plaatsnaam LIKE :n",
                n=f"%{oud[0][0]}%") == [(0,)]
