"""The distinct street names of the addresses (migration 0014) follow every change to adres,
and the address search matches those names before it looks up numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import Session

from app.services.geografie import zoeken

G = "GM9901"


def _names(conn: Connection) -> set[str]:
    return set(conn.exec_driver_sql(
        "SELECT straatnaam FROM adres_straatnaam WHERE gemeente_code = %s", (G,)).scalars())


def _copy(conn: Connection, straatnaam: str) -> int:
    """A new address beside the demo's first, on the street given."""
    return int(conn.exec_driver_sql("""
        INSERT INTO adres (gemeente_code, identificatie, postcode, huisnummer, toevoeging,
                           straatnaam, woonplaats, gebruiksdoel, geometrie)
        SELECT gemeente_code, '9901209999999999', postcode, huisnummer, 'ZZ9', %s, woonplaats,
               gebruiksdoel, ST_Translate(geometrie, 5, 5)
          FROM adres ORDER BY id LIMIT 1
        RETURNING id""", (straatnaam,)).scalar_one())


def test_names_follow_inserts_updates_and_deletes(session: Session) -> None:
    conn = session.connection()
    assert _names(conn) == set(conn.exec_driver_sql(
        "SELECT DISTINCT straatnaam FROM adres WHERE gemeente_code = %s", (G,)).scalars())
    nieuw = _copy(conn, "Proefhofje")
    assert "Proefhofje" in _names(conn)
    conn.exec_driver_sql("UPDATE adres SET straatnaam = 'Proefpad' WHERE id = %s", (nieuw,))
    assert "Proefpad" in _names(conn) and "Proefhofje" not in _names(conn)
    bestaand = str(conn.exec_driver_sql(
        "SELECT straatnaam FROM adres WHERE id <> %s ORDER BY id LIMIT 1", (nieuw,)).scalar_one())
    conn.exec_driver_sql("UPDATE adres SET straatnaam = %s WHERE id = %s", (bestaand, nieuw))
    assert "Proefpad" not in _names(conn) and bestaand in _names(conn)
    conn.exec_driver_sql("DELETE FROM adres WHERE id = %s", (nieuw,))
    assert bestaand in _names(conn)  # other addresses still carry it
    conn.exec_driver_sql("DELETE FROM adres WHERE straatnaam = %s", (bestaand,))
    assert bestaand not in _names(conn)
    conn.exec_driver_sql("UPDATE adres SET geometrie = geometrie")  # no name changes
    conn.exec_driver_sql("TRUNCATE adres CASCADE")
    assert _names(conn) == set()


def test_new_street_is_found_with_its_number(session: Session) -> None:
    nieuw = _copy(session.connection(), "Proefhofje")
    hits = zoeken.zoek(session, G, "Proefhofe")  # typo, no number: the street branches only
    assert not [h for h in hits if h.soort == "adres"]
    number = session.connection().exec_driver_sql(
        "SELECT huisnummer FROM adres WHERE id = %s", (nieuw,)).scalar_one()
    hits = zoeken.zoek(session, G, f"Proefhofe {number}-zz9")
    assert (hits[0].soort, hits[0].id) == ("adres", nieuw)


def test_address_search_matches_names_not_every_address(session: Session) -> None:
    """Trigrams over every address's street name, then the number: 15-40 ms for "Appelhof 1"
    in a town of 500,000 addresses. Over the distinct names, then (street, number) by btree."""
    conn = session.connection()
    straat, nummer = conn.exec_driver_sql(
        "SELECT straatnaam, huisnummer FROM adres ORDER BY identificatie LIMIT 1").one()
    sent: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    event.listen(conn, "before_cursor_execute", record)
    try:
        assert zoeken.zoek(session, G, f"{straat} {nummer}")
    finally:
        event.remove(conn, "before_cursor_execute", record)
    (statement, params), = sent
    plan = "\n".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + statement, params))
    assert "on adres_straatnaam n" in plan and "adres_straat_nummer_idx" in plan, plan
    assert "adres_straatnaam_zoek_idx" not in plan, plan  # not the addresses' own names
