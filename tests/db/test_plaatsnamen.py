"""Groenvakken named after their place (migration 0009_plaatsnaam), and the address nearest to
a point (reverse geocoding), checked against independent SQL on the demo town."""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from app.services import geografie
from tests.conftest import scalar

WOORD = r"(Grasveld|Plantsoen|Haag|Boomspiegel|Bloemperk|Bosplantsoen|Moestuin|Groen)"
STRAAT = r"[^/()]+?"
PATRONEN = [
    re.compile(rf"^{WOORD} bij (?P<straat>{STRAAT}) (?P<laag>\d+)(–(?P<hoog>\d+))?$"),
    re.compile(rf"^(Hoek|{WOORD} hoek) {STRAAT}/{STRAAT}$"),
    re.compile(rf"^(Berm|{WOORD}) {STRAAT}$"),
    re.compile(rf"^{WOORD} in .+$"),
]


def _zonder_volgnummer(naam: str) -> str:
    return re.sub(r" \(\d+\)$", "", naam)


def test_every_demo_plot_has_a_unique_plaatsnaam(connection: Connection) -> None:
    rows = connection.execute(text(
        "SELECT naam, plaatsnaam FROM groenvak WHERE gemeente_code = 'GM9901'")).all()
    assert len(rows) > 1_000
    assert all(r.plaatsnaam for r in rows if r.naam is None)
    namen = [r.plaatsnaam for r in rows]
    assert len(set(namen)) == len(namen)  # so never twice on one street either
    for naam in namen:
        basis = _zonder_volgnummer(naam)
        assert any(p.match(basis) for p in PATRONEN), naam
    # most plots face houses: the range is what tells them apart
    bij = sum(" bij " in n for n in namen)
    assert bij > len(namen) * 0.7


def test_house_number_range_matches_the_addresses_within_40_m(connection: Connection) -> None:
    rows = connection.execute(text("""
        SELECT id, plaatsnaam_basis FROM groenvak
         WHERE gemeente_code = 'GM9901' AND plaatsnaam_basis LIKE '% bij %'
         ORDER BY id LIMIT 300""")).all()
    assert len(rows) == 300
    for gid, basis in rows:
        m = PATRONEN[0].match(basis)
        assert m, basis
        laag, hoog = connection.execute(text("""
            SELECT min(a.huisnummer), max(a.huisnummer) FROM adres a, groenvak g
             WHERE g.id = :id AND a.gemeente_code = g.gemeente_code
               AND a.straatnaam = :straat AND ST_Distance(a.geometrie, g.geometrie) <= 40"""),
            {"id": gid, "straat": m["straat"]}).one()
        assert (int(m["laag"]), int(m["hoog"] or m["laag"])) == (laag, hoog), basis
        # and that street is the nearest street for cars (independent of the KNN operator)
        nearest = scalar(connection, """
            SELECT s.naam FROM straat s, groenvak g WHERE g.id = :id
               AND s.gemeente_code = g.gemeente_code AND s.soort NOT IN ('fietspad', 'voetpad')
             ORDER BY ST_Distance(s.geometrie, g.geometrie), s.id LIMIT 1""", id=gid)
        assert nearest == m["straat"]


def test_moving_a_plot_names_it_again(connection: Connection) -> None:
    gid, oud = connection.execute(text("""
        SELECT id, plaatsnaam FROM groenvak WHERE gemeente_code = 'GM9901'
           AND plaatsnaam_basis LIKE '% bij %' ORDER BY id LIMIT 1""")).one()
    # move it next to an address on another street, far away
    straat, x, y = connection.execute(text("""
        SELECT a.straatnaam, ST_X(a.geometrie), ST_Y(a.geometrie) FROM adres a, groenvak g
         WHERE g.id = :id AND a.gemeente_code = g.gemeente_code
           AND ST_Distance(a.geometrie, g.geometrie) > 2000
         ORDER BY a.id LIMIT 1"""), {"id": gid}).one()
    connection.execute(text("""
        UPDATE groenvak SET geometrie = ST_Multi(ST_Translate(geometrie,
               :x - ST_X(ST_Centroid(geometrie)), :y - ST_Y(ST_Centroid(geometrie))))
         WHERE id = :id"""), {"id": gid, "x": x, "y": y})
    nieuw, basis = connection.execute(text(
        "SELECT plaatsnaam, plaatsnaam_basis FROM groenvak WHERE id = :id"), {"id": gid}).one()
    assert nieuw != oud
    assert basis == scalar(connection, """SELECT kaart_plaatsnaam_basis(geometrie, gemeente_code,
                                          soort) FROM groenvak WHERE id = :id""", id=gid)
    # the trigger's name is what the set-based naming of the whole gemeente gives too
    geografie.plaats_groenvakken(connection, "GM9901")
    assert scalar(connection, "SELECT plaatsnaam_basis FROM groenvak WHERE id = :id",
                  id=gid) == basis
    assert straat in basis or basis.startswith(("Hoek", "Berm")) or " in " in basis
    dubbel = scalar(connection, """SELECT count(*) - count(DISTINCT plaatsnaam) FROM groenvak
                                   WHERE gemeente_code = 'GM9901'""")
    assert dubbel == 0


def test_naming_the_gemeente_again_changes_nothing(connection: Connection) -> None:
    assert geografie.plaats_groenvakken(connection, "GM9901") == 0


def test_nearest_address_to_a_point(connection: Connection) -> None:
    ids = connection.execute(text("""SELECT id FROM adres WHERE gemeente_code = 'GM9901'
                                      ORDER BY id LIMIT 40""")).scalars().all()
    for aid in ids[::4]:
        lat, lon, verwacht = connection.execute(text("""
            WITH p AS (SELECT ST_Translate(geometrie, 7, -5) AS g FROM adres WHERE id = :id)
            SELECT ST_Y(ST_Transform(p.g, 4326)), ST_X(ST_Transform(p.g, 4326)),
                   (SELECT a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '')
                           || coalesce('-' || a.toevoeging, '')
                      FROM adres a WHERE a.gemeente_code = 'GM9901'
                     ORDER BY ST_Distance(a.geometrie, p.g), a.id LIMIT 1)
              FROM p"""), {"id": aid}).one()
        adres = geografie.adres_bij_punt(connection, "GM9901", lat, lon)
        assert adres is not None
        assert adres.straat_en_nummer == verwacht
        assert adres.afstand_m <= 50


def test_no_address_far_from_houses(connection: Connection) -> None:
    lat, lon = connection.execute(text("""
        SELECT ST_Y(ST_Transform(ST_Centroid(geometrie), 4326)),
               ST_X(ST_Transform(ST_Centroid(geometrie), 4326))
          FROM (SELECT ST_Translate(ST_Envelope(ST_Collect(geometrie)), 0, 20000) AS geometrie
                  FROM adres WHERE gemeente_code = 'GM9901') e""")).one()
    assert geografie.adres_bij_punt(connection, "GM9901", lat, lon) is None
