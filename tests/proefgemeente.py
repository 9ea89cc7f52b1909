"""A hand-made gemeente with known distances and areas, for the figures per wijk.

Wijk W1 (WK999801) is the square x 100000..101000, y 400000..401000 (RD New, 1 km2) with 2.000
inwoners; wijk W2 (WK999802) lies east of it, inwoners unknown.
- zorg: one published voorziening in the middle (100500, 400500); a proposed one is ignored.
- sport: one published voorziening in W2 at (101100, 400500), 100 m east of W1's border; an
  archived one in the middle of W1 is ignored.
- cultuur: none.
Zelfbeheer in W1: 400 m2 in zelfbeheer, 100 m2 available, 50 m2 gone; 2 active members.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

G = "GM9998"


def square(x0: float, y0: float, size: float) -> str:
    x1, y1 = x0 + size, y0 + size
    return (f"SRID=28992;MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},"
            f"{x0} {y0})))")


def run(session: Session, sql: str, **params: object) -> object:
    result = session.execute(text(sql), params)
    return result.scalar() if result.returns_rows else None


def maak_proefgemeente(session: Session) -> Session:
    """The hand-made gemeente, inside the caller's transaction."""
    run(session, """INSERT INTO gemeente (code, naam, geometrie, onderhoudskosten_m2_jaar)
                      VALUES (:g, 'Proefgemeente', :geom, 2.5)""",
          g=G, geom=square(99000, 399000, 4000))
    run(session, """INSERT INTO gebied (gemeente_code, code, naam, soort, inwoners, geometrie)
                      VALUES (:g, 'WK999801', 'Vierkant', 'wijk', 2000, :w1),
                             (:g, 'WK999802', 'Oost', 'wijk', NULL, :w2)""",
          g=G, w1=square(100000, 400000, 1000), w2=square(101000, 400000, 1000))
    run(session, """INSERT INTO gebied (gemeente_code, code, naam, soort, parent_id, geometrie)
                      SELECT gemeente_code, 'BU99980101', 'Buurt', 'buurt', id, geometrie
                        FROM gebied WHERE gemeente_code = :g AND code = 'WK999801'""", g=G)
    run(session, """INSERT INTO categorie (gemeente_code, code, naam, kleur, volgorde)
                      VALUES (:g, 'zorg', 'Zorg', '#c62828', 1),
                             (:g, 'sport', 'Sport', '#d84315', 2),
                             (:g, 'cultuur', 'Cultuur', '#283593', 3)""", g=G)
    for naam, cat, x, y, status in [
            ("Huisarts", "zorg", 100500, 400500, "gepubliceerd"),
            ("Voorgestelde praktijk", "zorg", 100050, 400050, "voorgesteld"),
            ("Sportpark", "sport", 101100, 400500, "gepubliceerd"),
            ("Oude sporthal", "sport", 100500, 400500, "gearchiveerd")]:
        run(session, """INSERT INTO voorziening (gemeente_code, naam, categorie_id, status,
                                                   geometrie)
                          SELECT gemeente_code, :naam, id, :status,
                                 ST_SetSRID(ST_MakePoint(:x, :y), 28992)
                            FROM categorie WHERE gemeente_code = :g AND code = :cat""",
              g=G, naam=naam, cat=cat, x=x, y=y, status=status)
    return session


def maak_zelfbeheer(session: Session) -> None:
    """400 m2 in zelfbeheer, 100 m2 available, 50 m2 gone; 2 active members; onderhoud."""
    for ext, x, size, vervallen in [("G1", 100100, 20, None), ("G2", 100200, 10, None),
                                    ("G3", 100300, math.sqrt(50), date(2024, 1, 1))]:
        run(session, """INSERT INTO groenvak (gemeente_code, extern_id, soort, vervallen_op,
                                                geometrie)
                          VALUES (:g, :e, 'gras', :v, :geom)""",
              g=G, e=ext, v=vervallen, geom=square(x, 400100, size))
    adoptie = run(session, """INSERT INTO adoptie (gemeente_code, groenvak_id, status,
                                                     groepsnaam)
                                SELECT gemeente_code, id, 'actief', 'Groep' FROM groenvak
                                 WHERE gemeente_code = :g AND extern_id = 'G1' RETURNING id""",
                    g=G)
    for email in ("a@bewoners.example", "b@bewoners.example", "c@bewoners.example"):
        run(session, "INSERT INTO gebruiker (gemeente_code, email) VALUES (:g, :e)",
              g=G, e=email)
    run(session, """INSERT INTO deelname (gemeente_code, adoptie_id, gebruiker_id, rol, status)
                      SELECT gemeente_code, :a, id, CASE WHEN email LIKE 'a@%' THEN 'trekker'
                                               ELSE 'deelnemer' END,
                             CASE WHEN email LIKE 'c@%' THEN 'vertrokken' ELSE 'actief' END
                        FROM gebruiker WHERE gemeente_code = :g""", g=G, a=adoptie)
    today = run(session, "SELECT current_date")  # the database's day decides the window
    assert isinstance(today, date)
    for days in (0, 89, 90, -1):  # today and 89 days ago count; 90 days ago and tomorrow not
        run(session, """INSERT INTO onderhoud (gemeente_code, adoptie_id, datum, activiteit)
                          VALUES (:g, :a, :d, 'maaien')""",
              g=G, a=adoptie, d=today - timedelta(days=days))
