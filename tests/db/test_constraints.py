"""The database itself rejects what the domain forbids, whatever Python does."""

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests.conftest import scalar

SQUARE = "ST_Multi(ST_MakeEnvelope(232000, 476000, 232010, 476010, 28992))"


def insert_groenvak(conn: Connection, geom_sql: str, extern_id: str = "T1") -> int:
    return int(scalar(conn, f"""INSERT INTO groenvak (gemeente_code, extern_id, soort, geometrie)
                                VALUES ('GM9901', :e, 'gras', {geom_sql}) RETURNING id""",
                      e=extern_id))


def free_groenvak(conn: Connection) -> int:
    return int(scalar(conn, """SELECT g.id FROM groenvak g JOIN groenvak_status s
                                 ON s.groenvak_id = g.id
                                WHERE s.status = 'beschikbaar' ORDER BY g.id LIMIT 1"""))


def add_adoptie(conn: Connection, groenvak_id: int, status: str) -> None:
    conn.execute(text("""INSERT INTO adoptie (gemeente_code, groenvak_id, status, groepsnaam)
                         VALUES ('GM9901', :g, :s, 'Groep')"""), {"g": groenvak_id, "s": status})


@pytest.mark.parametrize("second", ["concept", "aangevraagd", "actief"])
def test_second_open_adoptie_on_one_groenvak_is_rejected(connection: Connection,
                                                         second: str) -> None:
    plot = free_groenvak(connection)
    add_adoptie(connection, plot, "aangevraagd")
    with pytest.raises(IntegrityError, match="adoptie_een_open_per_groenvak"):
        with connection.begin_nested():
            add_adoptie(connection, plot, second)


def test_closed_adopties_do_not_block_a_new_one(connection: Connection) -> None:
    plot = free_groenvak(connection)
    add_adoptie(connection, plot, "ingetrokken")
    add_adoptie(connection, plot, "concept")
    assert scalar(connection, "SELECT count(*) FROM adoptie WHERE groenvak_id = :g", g=plot) == 2
    assert scalar(connection, "SELECT status FROM groenvak_status WHERE groenvak_id = :g",
                  g=plot) == "aangevraagd"


def test_invalid_polygon_is_rejected(connection: Connection) -> None:
    bowtie = ("ST_Multi(ST_GeomFromText('POLYGON((232000 476000, 232010 476010, "
              "232010 476000, 232000 476010, 232000 476000))', 28992))")
    with pytest.raises(IntegrityError, match="groenvak_geometrie_geldig"):
        insert_groenvak(connection, bowtie)


def test_wrong_srid_is_rejected(connection: Connection) -> None:
    wgs84 = "ST_Multi(ST_MakeEnvelope(6.1, 52.2, 6.2, 52.3, 4326))"
    with pytest.raises(DBAPIError, match="SRID"):
        insert_groenvak(connection, wgs84)


def test_wrong_geometry_type_is_rejected(connection: Connection) -> None:
    with pytest.raises(DBAPIError, match="Geometry type"):
        insert_groenvak(connection, "ST_SetSRID(ST_Point(232000, 476000), 28992)")


def test_codes_are_unique_per_gemeente_only(connection: Connection) -> None:
    insert_groenvak(connection, SQUARE, "DUBBEL")
    with pytest.raises(IntegrityError, match="groenvak_extern_id_uniek"):
        with connection.begin_nested():
            insert_groenvak(connection, SQUARE, "DUBBEL")
    connection.execute(text("INSERT INTO gemeente (code, naam) VALUES ('GM0002', 'Ander')"))
    connection.execute(text(f"""INSERT INTO groenvak (gemeente_code, extern_id, soort, geometrie)
                                VALUES ('GM0002', 'DUBBEL', 'gras', {SQUARE})"""))


def test_rejection_and_ending_need_a_reason_in_the_database(connection: Connection) -> None:
    plot = free_groenvak(connection)
    with pytest.raises(IntegrityError, match="adoptie_afwijzing_met_reden"):
        add_adoptie(connection, plot, "afgewezen")


def test_area_is_computed_by_the_database(connection: Connection) -> None:
    plot = insert_groenvak(connection, SQUARE)
    assert scalar(connection, "SELECT oppervlakte_m2 FROM groenvak WHERE id = :i", i=plot) == 100
    with pytest.raises(DBAPIError, match="generated column"):
        with connection.begin_nested():
            connection.execute(text("UPDATE groenvak SET oppervlakte_m2 = 1 WHERE id = :i"),
                               {"i": plot})
