"""A hand-made gemeente whose walking distances are known exactly (RD New, metres).

Wijk WK999701 covers everything. Streets (all 'straat' unless said otherwise):
- a square grid, x 200000..200400 and y 500000..500400, every 100 m, one segment per block side;
- a canal with one bridge: a street on each bank (x 210000 and x 210100, y 500000..501000, split
  at y 500400) and the bridge between them at y 500400; water between the banks;
- a hoofdweg from grid corner (200400, 500200) to the west bank (210000, 500400): walking may
  not use it, cycling may;
- an island: one street (205000, 500000)-(205100, 500000), connected to nothing.
Woonadressen: A1 (200350, 500410) and A5 (200150, 500210) by the grid, 10 m from a street;
A2 (210000, 500700) on the west bank; A3 (205050, 500005) on the island.
Shops (no woonfunctie, candidates of the gap finder): S1 (200300, 500310) on a grid street,
S2 (200000, 500010) by the grid's corner, S3 (205040, 500005) on the island.
Voorzieningen: zorg at (200000, 499990), 10 m below the grid's corner; winkels at the grid
corners (200000, 500000) and (200400, 500000); cultuur at (200320, 500405), on A1's street;
sport at (210100, 500700) on the east bank, 100 m straight across the canal from A2.
Green: a park of 80 x 80 m (0.64 ha) in block (200100..200200, 500100..500200), 10 m from each
side, and a small park (0.16 ha, too small to count) 10 m north of A1.
"""

from __future__ import annotations

import math

from sqlmodel import Session

from tests.proefgemeente import run, square

G = "GM9997"
WIJK = "WK999701"

ZORG_A1 = 10 + 750 + 10  # up 400 and across 350 on the grid, plus both attachments
ZORG_A5 = 10 + 50 + 300 + 10
WINKELS_A1 = 10 + 50 + 400  # east 50 to the corner column, down 400 to (200400, 500000)
CULTUUR_A1 = 10 + 30 + 5  # along their own street: no detour via a junction
SPORT_A2 = 300 + 100 + 300  # down to the bridge, across, up again (straight: 100)
GROEN_A5 = 10 + 50 + 10 * math.sqrt(2)  # to a block corner, 14.1 m from the park's edge
GROEN_A1 = 10 + 50 + 100 + 200 + 10 * math.sqrt(2)  # the small park next to A1 does not count

STRATEN = [
    *[((200000 + 100 * i, 500000 + 100 * j), (200100 + 100 * i, 500000 + 100 * j), "straat")
      for i in range(4) for j in range(5)],
    *[((200000 + 100 * i, 500000 + 100 * j), (200000 + 100 * i, 500100 + 100 * j), "straat")
      for i in range(5) for j in range(4)],
    ((210000, 500000), (210000, 500400), "straat"), ((210000, 500400), (210000, 501000), "straat"),
    ((210100, 500000), (210100, 500400), "straat"), ((210100, 500400), (210100, 501000), "straat"),
    ((210000, 500400), (210100, 500400), "straat"),
    ((200400, 500200), (210000, 500400), "hoofdweg"),
    ((205000, 500000), (205100, 500000), "straat"),
]
ADRESSEN = {"A1": (200350, 500410), "A5": (200150, 500210), "A2": (210000, 500700),
            "A3": (205050, 500005)}
WINKELS = {"S1": (200300, 500310), "S2": (200000, 500010), "S3": (205040, 500005)}
VOORZIENINGEN = [("zorg", 200000, 499990), ("winkels", 200000, 500000),
                 ("winkels", 200400, 500000), ("cultuur", 200320, 500405),
                 ("sport", 210100, 500700)]


def punt(x: float, y: float) -> str:
    return f"SRID=28992;POINT({x} {y})"


def maak_netwerkdorp(session: Session) -> None:
    """The gemeente above, inside the caller's transaction."""
    run(session, """INSERT INTO gemeente (code, naam, geometrie)
                      VALUES (:g, 'Netwerkdorp', :geom)""", g=G, geom=square(199000, 499000, 13000))
    run(session, """INSERT INTO gebied (gemeente_code, code, naam, soort, geometrie)
                      VALUES (:g, :w, 'Alles', 'wijk', :geom)""",
        g=G, w=WIJK, geom=square(199000, 499000, 13000))
    for n, ((x0, y0), (x1, y1), soort) in enumerate(STRATEN):
        run(session, """INSERT INTO straat (gemeente_code, extern_id, naam, soort, geometrie)
                          VALUES (:g, :e, :naam, :soort, :geom)""",
            g=G, e=f"S{n}", naam=f"Straat {n}", soort=soort,
            geom=f"SRID=28992;LINESTRING({x0} {y0},{x1} {y1})")
    plekken = [*((n, (x, y), "woonfunctie") for n, (x, y) in ADRESSEN.items()),
               *((n, (x, y), "winkelfunctie") for n, (x, y) in WINKELS.items())]
    for n, (naam, (x, y), doel) in enumerate(plekken, start=1):
        run(session, """INSERT INTO adres (gemeente_code, identificatie, postcode, huisnummer,
                                             straatnaam, woonplaats, gebruiksdoel, geometrie)
                          VALUES (:g, :id, '9999 ZZ', :nr, :naam, 'Netwerkdorp',
                                  ARRAY[CAST(:doel AS text)], :geom)""",
            g=G, id=f"{9997000000000000 + n}", nr=n, naam=naam, doel=doel, geom=punt(x, y))
    for n, cat in enumerate(("zorg", "winkels", "cultuur", "sport", "ov")):
        run(session, """INSERT INTO categorie (gemeente_code, code, naam, kleur, volgorde)
                          VALUES (:g, :c, :naam, '#333333', :n)""",
            g=G, c=cat, naam=cat.capitalize(), n=n)
    for cat, x, y in VOORZIENINGEN:
        run(session, """INSERT INTO voorziening (gemeente_code, naam, categorie_id, status,
                                                   geometrie)
                          SELECT gemeente_code, :naam, id, 'gepubliceerd', :geom
                            FROM categorie WHERE gemeente_code = :g AND code = :cat""",
            g=G, cat=cat, naam=cat.capitalize(), geom=punt(x, y))
    for ext, (x, y, size) in {"park": (200110, 500110, 80),
                              "parkje": (200330, 500420, 40)}.items():
        run(session, """INSERT INTO terrein (gemeente_code, extern_id, soort, geometrie)
                          VALUES (:g, :e, 'park', :geom)""", g=G, e=ext, geom=square(x, y, size))
    run(session, """INSERT INTO water (gemeente_code, extern_id, soort, geometrie)
                      VALUES (:g, 'gracht', 'gracht',
                              'SRID=28992;MULTIPOLYGON(((210010 500000,210090 500000,
                               210090 501000,210010 501000,210010 500000)))')""", g=G)
