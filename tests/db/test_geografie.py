"""The demo geography in PostGIS: a routable street network, addresses placed in wijk and
buurt, voorzieningen at addresses, groenvakken clear of buildings and water."""

from __future__ import annotations

import shapely
from sqlalchemy import Connection, text

from app.geo import netwerk
from tests.conftest import scalar

ADRES_TEKST = ("a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '') "
               "|| coalesce('-' || a.toevoeging, '')")


def test_street_network_is_one_component(connection: Connection) -> None:
    wkb = connection.execute(text("SELECT ST_AsBinary(geometrie) FROM straat "
                                  "WHERE gemeente_code = 'GM9901'")).scalars().all()
    lines = shapely.from_wkb([bytes(w) for w in wkb])
    assert len(lines) > 1_000
    assert netwerk.components(lines) == 1


def test_streets_meet_only_at_line_ends(connection: Connection) -> None:
    crossing = scalar(connection, """
        SELECT count(*) FROM straat a JOIN straat b
          ON a.id < b.id AND a.geometrie && b.geometrie AND ST_Crosses(a.geometrie, b.geometrie)""")
    assert crossing == 0
    # two lines that touch share a vertex that ends at least one of them
    mid_touch = scalar(connection, """
        SELECT count(*) FROM straat a JOIN straat b
          ON a.id < b.id AND a.geometrie && b.geometrie AND ST_Intersects(a.geometrie, b.geometrie)
         WHERE NOT ST_CoveredBy(ST_Intersection(a.geometrie, b.geometrie),
                                ST_Collect(ST_Boundary(a.geometrie), ST_Boundary(b.geometrie)))""")
    assert mid_touch == 0


def test_addresses_lie_in_the_gemeente_each_in_a_buurt(connection: Connection) -> None:
    count = scalar(connection, "SELECT count(*) FROM adres WHERE gemeente_code = 'GM9901'")
    assert 33_000 <= count <= 37_000
    outside = scalar(connection, """SELECT count(*) FROM adres a JOIN gemeente g
                                    ON g.code = a.gemeente_code
                                    WHERE NOT ST_Within(a.geometrie, g.geometrie)""")
    assert outside == 0
    wrong = scalar(connection, """
        SELECT count(*) FROM adres a LEFT JOIN gebied w ON w.id = a.wijk_id
          LEFT JOIN gebied b ON b.id = a.buurt_id
         WHERE w.id IS NULL OR b.id IS NULL OR b.parent_id <> w.id
            OR NOT ST_Intersects(b.geometrie, a.geometrie)""")
    assert wrong == 0
    woningen = scalar(connection, "SELECT avg(woonfunctie::int) FROM adres")
    assert 0.95 < float(woningen) < 1.0


def test_bulk_placement_matches_the_trigger(connection: Connection) -> None:
    before = connection.execute(text(
        "SELECT id, wijk_id, buurt_id FROM pand ORDER BY id")).all()
    connection.execute(text("UPDATE pand SET geometrie = geometrie"))  # the trigger's own rule
    after = connection.execute(text("SELECT id, wijk_id, buurt_id FROM pand ORDER BY id")).all()
    assert after == before


def test_a_new_address_is_placed_and_bumps_its_layer(connection: Connection) -> None:
    versie = scalar(connection, "SELECT versie FROM laag_versie WHERE laag = 'adressen'")
    row = connection.execute(text("""
        INSERT INTO adres (gemeente_code, identificatie, postcode, huisnummer, straatnaam,
                           woonplaats, gebruiksdoel, geometrie)
        SELECT 'GM9901', '9901209999999999', '9901 ZZ', 1, 'Proefstraat', 'Lindewaard',
               ARRAY['woonfunctie'], ST_PointOnSurface(geometrie)
          FROM gebied WHERE code = 'BU99010101'
        RETURNING wijk_id, buurt_id""")).one()
    codes = connection.execute(text("SELECT code FROM gebied WHERE id IN (:w, :b) ORDER BY id"),
                               {"w": row.wijk_id, "b": row.buurt_id}).scalars().all()
    assert codes == ["WK990101", "BU99010101"]
    assert scalar(connection, "SELECT versie FROM laag_versie WHERE laag = 'adressen'") > versie


def test_voorzieningen_sit_at_addresses(connection: Connection) -> None:
    missing = scalar(connection, f"""
        SELECT count(*) FROM voorziening v WHERE NOT EXISTS (
            SELECT 1 FROM adres a WHERE a.gemeente_code = v.gemeente_code
               AND {ADRES_TEKST} = v.adres AND a.postcode = v.postcode
               AND ST_Equals(a.geometrie, v.geometrie))""")
    assert missing == 0
    assert scalar(connection, "SELECT count(*) FROM voorziening") == 400


def test_groenvakken_clear_of_buildings_water_and_roads(connection: Connection) -> None:
    for table in ("pand", "water", "straat"):
        hits = scalar(connection, f"""
            SELECT count(*) FROM groenvak g JOIN {table} x
              ON g.geometrie && x.geometrie AND ST_Intersects(g.geometrie, x.geometrie)
             WHERE g.extern_id LIKE 'GV%'""")
        assert hits == 0, table


def test_street_names_are_searchable_by_trigram(connection: Connection) -> None:
    naam = scalar(connection, "SELECT straatnaam FROM adres ORDER BY identificatie LIMIT 1")
    typo = str(naam)[:-1]  # a typing slip: the last letter missing
    found = connection.execute(text(
        "SELECT DISTINCT straatnaam FROM adres "
        "WHERE straatnaam_zoek % kaart_zoektekst(:q)"), {"q": typo}).scalars()
    assert naam in set(found)
    connection.execute(text("SET LOCAL enable_seqscan = off"))  # can the index serve it?
    plan = "\n".join(connection.execute(text(
        "EXPLAIN SELECT * FROM adres "
        "WHERE straatnaam_zoek % kaart_zoektekst('Irislan')")).scalars())
    assert "adres_straatnaam_zoek_idx" in plan
