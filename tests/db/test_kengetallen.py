"""Figures per wijk on a hand-made gemeente whose distances and areas are known exactly.

Wijk W1 is the square x 100000..101000, y 400000..401000 (RD New, 1 km2); wijk W2 lies east of
it. The proxy points are the centres of the 100 m grid: (100050 + 100 i, 400050 + 100 j).
- zorg: one published voorziening in the middle (100500, 400500); a proposed one is ignored.
- sport: one published voorziening in W2 at (101100, 400500), 100 m east of W1's border; an
  archived one in the middle of W1 is ignored.
- cultuur: none.

Dekking: ST_Buffer with quad_segs=16 draws a circle as a 64-gon inscribed in it. That polygon
contains the circle of radius r*cos(pi/64) and lies inside the circle of radius r, so the figure
lies between the exact circle areas for those two radii (written below, derived in comments).
"""

from __future__ import annotations

import json
import math

import pytest
from sqlmodel import Session

from app.errors import InvalidInput
from app.services.gebieden.kengetallen import gebied_kengetallen, witte_vlekken_geojson
from tests.proefgemeente import G, maak_proefgemeente, maak_zelfbeheer, run, square


@pytest.fixture()
def gemeente(session: Session) -> Session:
    """The hand-made gemeente, inside the test's transaction."""
    return maak_proefgemeente(session)


# Mean of hypot(dx, dy) over dx, dy in {-450, -350, ..., 450}: the grid around the middle.
ZORG_GEM = 381.1947491746525
ZORG_MAX = math.hypot(450, 450)  # 636.396...: a corner point of the grid
# dx in {1050, 950, ..., 150}, dy in {-450, ..., 450}: the grid to (101100, 400500).
SPORT_GEM = 675.2692412086
SPORT_MAX = math.hypot(1050, 450)  # 1142.366...
# The same for the 25 grid points of the south-west quarter (the bebouwde kom below).
SPORT_GEM_KOM = 897.3851877033603
# A circle of radius 400 in the middle, wholly inside: pi * 400^2 / 1e6 = 0.50265...;
# the inscribed radius 400*cos(pi/64) gives 0.50144...
ZORG_400 = (0.5014446143894347, 0.5026548245743669)
# A circle of radius r whose centre lies d = 100 m outside the edge x = 101000, clipped to the
# square's |y - 400500| <= 500: 2 * integral from d to r of min(sqrt(r^2 - t^2), 500) dt, with
# integral sqrt(r^2 - t^2) dt = (t sqrt(r^2 - t^2) + r^2 asin(t / r)) / 2.
SPORT_400 = (0.1716610308113479, 0.1721687380023767)
SPORT_800 = (0.6432930356226645, 0.6443340809996202)


def test_figures_of_a_square_wijk(gemeente: Session) -> None:
    maak_zelfbeheer(gemeente)
    k = gebied_kengetallen(gemeente, G, "WK999801")
    assert k is not None
    assert (k.code, k.naam, k.soort, k.inwoners) == ("WK999801", "Vierkant", "wijk", 2000)
    assert k.oppervlakte_m2 == 1_000_000
    assert k.punten == 100 and not k.punten_in_kom
    assert "100 punten" in k.methode and "hemelsbreed" in k.methode
    assert "binnen het hele gebied" in k.methode
    zorg, sport, cultuur = k.categorieen
    assert [c.categorie_code for c in k.categorieen] == ["zorg", "sport", "cultuur"]

    assert (zorg.aantal, zorg.per_1000_inwoners) == (1, 0.5)
    assert zorg.nabijheid_gem_m == pytest.approx(ZORG_GEM, abs=1e-6)
    assert zorg.nabijheid_max_m == pytest.approx(ZORG_MAX, abs=1e-6)
    assert zorg.dekking_400 is not None and ZORG_400[0] <= zorg.dekking_400 <= ZORG_400[1]
    assert zorg.dekking_800 == 1.0  # the 800 m circle covers the corners (707 m) too

    # the sportpark lies just across the border: it counts for nabijheid, not in aantal
    assert (sport.aantal, sport.per_1000_inwoners) == (0, 0.0)
    assert sport.nabijheid_gem_m == pytest.approx(SPORT_GEM, abs=1e-6)
    assert sport.nabijheid_max_m == pytest.approx(SPORT_MAX, abs=1e-6)
    assert sport.dekking_400 is not None and SPORT_400[0] <= sport.dekking_400 <= SPORT_400[1]
    assert sport.dekking_800 is not None and SPORT_800[0] <= sport.dekking_800 <= SPORT_800[1]

    assert (cultuur.aantal, cultuur.nabijheid_gem_m, cultuur.nabijheid_max_m) == (0, None, None)
    assert (cultuur.dekking_400, cultuur.dekking_800) == (None, None)

    z = k.zelfbeheer
    assert (z.groenvakken, z.actieve_groepen, z.leden, z.onderhoud_90d) == (2, 1, 2, 2)
    assert z.m2_totaal == pytest.approx(500, abs=1e-6)
    assert z.m2_zelfbeheer == pytest.approx(400, abs=1e-6)
    assert z.pct_zelfbeheer == pytest.approx(80, abs=1e-6)
    assert z.besparing_euro_jaar == pytest.approx(1000, abs=1e-6)  # 400 m2 x EUR 2,50


def test_unknown_inwoners_and_unknown_codes(gemeente: Session) -> None:
    oost = gebied_kengetallen(gemeente, G, "WK999802")
    assert oost is not None and oost.inwoners is None
    assert [c.per_1000_inwoners for c in oost.categorieen] == [None, None, None]
    assert oost.categorieen[1].aantal == 1  # the sportpark lies in Oost
    assert gebied_kengetallen(gemeente, G, "BU99980101") is None  # a buurt is not a wijk
    assert gebied_kengetallen(gemeente, G, "WK000000") is None


def test_proxy_points_in_the_bebouwde_kom(gemeente: Session) -> None:
    run(gemeente, "INSERT INTO bebouwde_kom (gemeente_code, naam, geometrie) "
          "VALUES (:g, 'Kom', :geom)", g=G, geom=square(100000, 400000, 500))
    k = gebied_kengetallen(gemeente, G, "WK999801")
    assert k is not None and k.punten == 25 and k.punten_in_kom
    assert "25 punten" in k.methode and "bebouwde kom" in k.methode
    zorg, sport, _ = k.categorieen
    assert zorg.nabijheid_gem_m == pytest.approx(ZORG_GEM, abs=1e-6)  # symmetric: the same
    assert sport.nabijheid_gem_m == pytest.approx(SPORT_GEM_KOM, abs=1e-6)
    assert sport.nabijheid_max_m == pytest.approx(SPORT_MAX, abs=1e-6)
    # dekking stays a share of the whole gebied
    assert sport.dekking_400 is not None and SPORT_400[0] <= sport.dekking_400 <= SPORT_400[1]


def test_cache_is_used_and_refreshed_when_data_changes(gemeente: Session) -> None:
    assert gebied_kengetallen(gemeente, G, "WK999801") is not None
    # poison the cached payload: an unchanged source must be served from the cache
    run(gemeente, """UPDATE kengetal_cache SET
                         ruimte = jsonb_set(ruimte, '{categorieen,0,aantal}', '7'),
                         zelfbeheer = jsonb_set(zelfbeheer, '{groenvakken}', '9')
                       WHERE gebied_id = (SELECT id FROM gebied WHERE code = 'WK999801')""")
    cached = gebied_kengetallen(gemeente, G, "WK999801")
    assert cached is not None
    assert (cached.categorieen[0].aantal, cached.zelfbeheer.groenvakken) == (7, 9)

    # a voorziening changes: the spatial part is recomputed, the zelfbeheer part is not
    run(gemeente, "UPDATE voorziening SET geometrie = ST_SetSRID(ST_MakePoint(100950, 400500), "
          "28992) WHERE gemeente_code = :g AND naam = 'Sportpark'", g=G)
    moved = gebied_kengetallen(gemeente, G, "WK999801")
    assert moved is not None
    assert (moved.categorieen[0].aantal, moved.zelfbeheer.groenvakken) == (1, 9)
    assert moved.categorieen[1].aantal == 1
    assert moved.categorieen[1].nabijheid_max_m == pytest.approx(math.hypot(900, 450), abs=1e-6)

    # zelfbeheer data changes: that part is recomputed
    maak_zelfbeheer(gemeente)
    w1 = run(gemeente, "SELECT id FROM gebied WHERE code = 'WK999801'")
    assert run(gemeente, "SELECT count(*) FROM kengetal_vuil WHERE gebied_id = :w", w=w1)
    fresh = gebied_kengetallen(gemeente, G, "WK999801")
    assert fresh is not None and fresh.zelfbeheer.groenvakken == 2
    # the reader consumed the marks of its gebied
    assert run(gemeente, "SELECT count(*) FROM kengetal_vuil WHERE gebied_id = :w", w=w1) == 0
    run(gemeente, "UPDATE deelname SET status = 'vertrokken' WHERE gemeente_code = :g", g=G)
    after = gebied_kengetallen(gemeente, G, "WK999801")
    assert after is not None and after.zelfbeheer.leden == 0

    # the gemeente's EUR/m2 setting changes: the saving follows
    run(gemeente, "UPDATE gemeente SET onderhoudskosten_m2_jaar = 4 WHERE code = :g", g=G)
    duurder = gebied_kengetallen(gemeente, G, "WK999801")
    assert duurder is not None
    assert duurder.zelfbeheer.besparing_euro_jaar == pytest.approx(1600, abs=1e-6)

    # unpublishing the only zorg voorziening empties its figures
    run(gemeente, "UPDATE voorziening SET status = 'gearchiveerd' "
          "WHERE gemeente_code = :g AND naam = 'Huisarts'", g=G)
    gone = gebied_kengetallen(gemeente, G, "WK999801")
    assert gone is not None
    assert (gone.categorieen[0].aantal, gone.categorieen[0].nabijheid_gem_m) == (0, None)


def test_witte_vlekken(gemeente: Session) -> None:
    data = json.loads(witte_vlekken_geojson(gemeente, G, "WK999801", "zorg", 400))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    props = data["features"][0]["properties"]
    # everything but the 400 m circle in the middle
    assert 1e6 * (1 - ZORG_400[1]) - 0.1 <= props["oppervlakte_m2"] <= 1e6 * (1 - ZORG_400[0])
    assert (props["categorie"], props["drempel_m"]) == ("zorg", 400)
    assert json.loads(witte_vlekken_geojson(gemeente, G, "WK999801", "zorg", 800)) == {
        "type": "FeatureCollection", "features": []}
    cultuur = json.loads(witte_vlekken_geojson(gemeente, G, "WK999801", "cultuur", 800))
    assert cultuur["features"][0]["properties"]["aandeel"] == 1
    assert cultuur["features"][0]["properties"]["oppervlakte_m2"] == 1_000_000
    with pytest.raises(InvalidInput):
        witte_vlekken_geojson(gemeente, G, "WK999801", "zorg", 500)
