"""Walking distances over the street network, on a hand-made town where every answer is known
(tests/netwerkdorp.py), and on the demo against an independent computation with networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from shapely import STRtree, wkb
from shapely.geometry import Point
from sqlalchemy import Connection, text
from sqlmodel import Session

from app.services import bereikbaarheid
from app.services.gebieden import gebied_kengetallen
from tests import netwerkdorp as nd
from tests.proefgemeente import run


@pytest.fixture()
def dorp(session: Session) -> Session:
    nd.maak_netwerkdorp(session)
    return session


def afstanden(session: Session, doel: str) -> dict[str, float | None]:
    rows = session.execute(text("""
        SELECT a.straatnaam, af.afstand_m FROM adres_afstand af JOIN adres a ON a.id = af.adres_id
         WHERE af.gemeente_code = :g AND af.doel = :d"""), {"g": nd.G, "d": doel}).all()
    return {r.straatnaam: r.afstand_m for r in rows}


def test_known_walking_distances(dorp: Session) -> None:
    verslag = bereikbaarheid.bijwerken(dorp, nd.G)
    assert verslag.netwerk
    assert set(verslag.doelen) == {"zorg", "winkels", "cultuur", "sport", "ov",
                                   bereikbaarheid.GROEN_DOEL}
    zorg = afstanden(dorp, "zorg")
    assert zorg["A1"] == pytest.approx(nd.ZORG_A1, abs=0.01)
    assert zorg["A5"] == pytest.approx(nd.ZORG_A5, abs=0.01)
    # the hoofdweg joins grid and canal, but walking may not use it; the island joins nothing
    assert zorg["A2"] is None and zorg["A3"] is None
    # two sources: the nearer one counts
    assert afstanden(dorp, "winkels")["A1"] == pytest.approx(nd.WINKELS_A1, abs=0.01)
    # a source on the address's own street is reached along it, not via a junction
    assert afstanden(dorp, "cultuur")["A1"] == pytest.approx(nd.CULTUUR_A1, abs=0.01)
    assert afstanden(dorp, "ov") == {}  # no voorziening of the category: nothing stored
    groen = afstanden(dorp, bereikbaarheid.GROEN_DOEL)
    assert groen["A5"] == pytest.approx(nd.GROEN_A5, abs=0.01)
    assert groen["A1"] == pytest.approx(nd.GROEN_A1, abs=0.01)


def test_canal_with_one_bridge(dorp: Session) -> None:
    straight = run(dorp, """SELECT ST_Distance(a.geometrie, v.geometrie) FROM adres a, voorziening v
                             WHERE a.straatnaam = 'A2' AND v.naam = 'Sport'""")
    assert straight == pytest.approx(100)
    bereikbaarheid.bijwerken(dorp, nd.G)
    assert afstanden(dorp, "sport")["A2"] == pytest.approx(nd.SPORT_A2, abs=0.01)  # 700 m


def test_wijk_figures_over_the_network(dorp: Session) -> None:
    k = gebied_kengetallen(dorp, nd.G, nd.WIJK, commit=False)
    assert k is not None and k.over_de_weg and k.woonadressen == 4
    assert "loopafstand over straten en paden" in k.methode and "4 woonadressen" in k.methode
    zorg = next(c for c in k.categorieen if c.categorie_code == "zorg")
    assert zorg.over_de_weg and zorg.niet_bereikbaar == 2  # the canal bank and the island
    assert zorg.nabijheid_gem_m == pytest.approx((nd.ZORG_A1 + nd.ZORG_A5) / 2, abs=0.01)
    assert zorg.nabijheid_max_m == pytest.approx(nd.ZORG_A1, abs=0.01)
    # 5, 10 and 15 minutes at 4.5 km/h are 375, 750 and 1125 m; A5 is at 370, A1 at 770
    assert zorg.binnen_minuten == (0.25, 0.25, 0.5)
    ov = next(c for c in k.categorieen if c.categorie_code == "ov")
    assert (ov.nabijheid_gem_m, ov.binnen_minuten) == (None, (None, None, None))
    assert k.groen_300 == 0.25  # only A5 is within 300 m of the park's edge


def test_adding_a_voorziening_recomputes_only_its_category(dorp: Session) -> None:
    bereikbaarheid.bijwerken(dorp, nd.G)
    run(dorp, """INSERT INTO voorziening (gemeente_code, naam, categorie_id, status, geometrie)
                 SELECT gemeente_code, 'Tweede huisarts', id, 'gepubliceerd',
                        'SRID=28992;POINT(200400 500410)'
                   FROM categorie WHERE gemeente_code = :g AND code = 'zorg'""", g=nd.G)
    verslag = bereikbaarheid.bijwerken(dorp, nd.G)
    assert not verslag.netwerk and set(verslag.doelen) == {"zorg"}
    assert afstanden(dorp, "zorg")["A1"] == pytest.approx(10 + 50 + 10, abs=0.01)
    assert bereikbaarheid.bijwerken(dorp, nd.G).doelen == {}  # nothing changed since


def test_a_new_street_rebuilds_the_graph(dorp: Session) -> None:
    bereikbaarheid.bijwerken(dorp, nd.G)
    # a footbridge straight across the canal at A2's height: the banks are split there (streets
    # meet only at their ends) and the detour over the bridge is gone
    for x in (210000, 210100):
        run(dorp, """UPDATE straat SET geometrie = ST_MakeLine(ST_StartPoint(geometrie), :p)
                      WHERE gemeente_code = :g AND ST_X(ST_StartPoint(geometrie)) = :x
                        AND ST_Y(ST_EndPoint(geometrie)) = 501000""",
            g=nd.G, x=x, p=nd.punt(x, 500700))
        run(dorp, """INSERT INTO straat (gemeente_code, extern_id, naam, soort, geometrie)
                     VALUES (:g, :e, 'Kade', 'straat', ST_MakeLine(:a, :b))""",
            g=nd.G, e=f"kade-{x}", a=nd.punt(x, 500700), b=nd.punt(x, 501000))
    run(dorp, """INSERT INTO straat (gemeente_code, extern_id, naam, soort, geometrie)
                 VALUES (:g, 'voetbrug', 'Voetbrug', 'voetpad',
                         'SRID=28992;LINESTRING(210000 500700,210100 500700)')""", g=nd.G)
    verslag = bereikbaarheid.bijwerken(dorp, nd.G)
    assert verslag.netwerk
    assert afstanden(dorp, "sport")["A2"] == pytest.approx(100, abs=0.01)


def _networkx_afstanden(conn: Connection, categorie: str,
                        adressen: list[tuple[int, Point]]) -> dict[int, float | None]:
    """Walking distances computed without our graph tables: networkx over the raw straat
    lines (junctions from their end points), points joined to the nearest walkable line."""
    lijnen = [(r.id, wkb.loads(bytes(r.geom))) for r in conn.execute(text(
        "SELECT id, ST_AsBinary(geometrie) AS geom FROM straat "
        "WHERE gemeente_code = 'GM9901' AND soort <> 'hoofdweg' ORDER BY id"))]
    tree = STRtree([lijn for _, lijn in lijnen])
    bronnen = [wkb.loads(bytes(g)) for (g,) in conn.execute(text(
        "SELECT ST_AsBinary(v.geometrie) FROM voorziening v JOIN categorie c"
        " ON c.id = v.categorie_id WHERE c.code = :c AND v.status = 'gepubliceerd'"),
        {"c": categorie})]
    op_lijn: dict[int, list[tuple[float, object]]] = {}  # line index -> (fraction, node)
    aansluiting: dict[object, float] = {}
    for node, p in [*((("bron", i), p) for i, p in enumerate(bronnen)),
                    *((("adres", a), p) for a, p in adressen)]:
        i = int(tree.nearest(p))
        lijn = lijnen[i][1]
        op_lijn.setdefault(i, []).append((lijn.project(p, normalized=True), node))
        aansluiting[node] = lijn.distance(p)

    def knoop(x: float, y: float) -> tuple[int, int]:
        return round(x * 100), round(y * 100)

    graaf = nx.Graph()
    for i, (_, lijn) in enumerate(lijnen):
        begin, eind = knoop(*lijn.coords[0]), knoop(*lijn.coords[-1])
        keten = [(0.0, begin), *sorted(op_lijn.get(i, []), key=lambda t: t[0]), (1.0, eind)]
        for (f0, a), (f1, b) in zip(keten, keten[1:], strict=False):
            w = (f1 - f0) * lijn.length
            if not graaf.has_edge(a, b) or graaf[a][b]["weight"] > w:
                graaf.add_edge(a, b, weight=w)
    for n in range(len(bronnen)):
        graaf.add_edge("S", ("bron", n), weight=aansluiting[("bron", n)])
    afstand = nx.single_source_dijkstra_path_length(graaf, "S", weight="weight")
    return {a: (afstand[("adres", a)] + aansluiting[("adres", a)]
                if ("adres", a) in afstand else None) for a, _ in adressen}


@pytest.mark.parametrize("categorie", ["winkels", "zorg"])
def test_demo_distances_match_an_independent_computation(connection: Connection,
                                                         categorie: str) -> None:
    rows = connection.execute(text(
        "SELECT a.id, ST_AsBinary(a.geometrie) AS geom, af.afstand_m FROM adres a"
        " JOIN adres_afstand af ON af.adres_id = a.id AND af.doel = :c"
        " WHERE a.gemeente_code = 'GM9901' AND a.id % 250 = 0 ORDER BY a.id"),
        {"c": categorie}).all()
    assert len(rows) > 100
    verwacht = _networkx_afstanden(connection, categorie,
                                   [(r.id, wkb.loads(bytes(r.geom))) for r in rows])
    for r in rows:
        assert r.afstand_m == pytest.approx(verwacht[r.id], abs=0.05), r.id


def test_gap_finder_ranks_by_addresses_gained(dorp: Session) -> None:
    # no ov at all: every woonadres is open. S1 brings A1 (150 m) and A5 (270 m) within five
    # minutes (375 m), S2 only A5 — nothing new after S1 —, S3 the island's A3; nothing
    # reaches A2 across the canal.
    rapport = bereikbaarheid.beste_plekken(dorp, nd.G, nd.WIJK, "ov", 5, max_kandidaten=3)
    assert (rapport.woonadressen, rapport.al_binnen, rapport.kandidaten) == (4, 0, 3)
    assert [(p.label, p.erbij, p.totaal) for p in rapport.plekken] == [
        ("S1 5", 2, 2), ("S3 7", 1, 3)]
    assert (rapport.plekken[0].x, rapport.plekken[0].y) == nd.WINKELS["S1"]
    csv_regels = bereikbaarheid.gaten_csv(rapport).splitlines()
    assert csv_regels[1] == "1;S1 5;2;2;0,500;200300,0;500310,0"


def test_gap_finder_also_tries_junctions(dorp: Session) -> None:
    # with room for junctions, one junction between A1 and A5 serves both; the zorg at the
    # grid's corner already covers A5 within 10 minutes, so only A1 (770 m) and the others
    # are open
    rapport = bereikbaarheid.beste_plekken(dorp, nd.G, nd.WIJK, "zorg", 10)
    assert rapport.al_binnen == 1 and rapport.kandidaten > 3
    assert [p.erbij for p in rapport.plekken] == [1, 1, 1]
    assert rapport.plekken[-1].totaal == 4
