"""The demo gemeente's geography: a routable street network, addresses on it, buildings,
water and land use, voorzieningen at addresses and groenvakken in public green."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import shapely

from app.geo import netwerk
from app.geo import synth_names as nm
from app.geo.synth import DemoGemeente, build_gemeente
from app.geo.synth_geografie import STREKKING_M


def _pairs(a: np.ndarray, b: np.ndarray, predicate: str) -> int:
    """How many (a, b) pairs meet the predicate."""
    left, _ = shapely.STRtree(b).query(a, predicate=predicate)
    return len(left)


def test_street_network_is_one_component_meeting_at_line_ends(demo: DemoGemeente) -> None:
    s = demo.straten
    # as stored: a file keeps the coordinates, not GEOS's 1 cm precision model, which would
    # make overlay functions snap (and report centimetre overlaps that are not in the data)
    lines = shapely.from_wkb(shapely.to_wkb(s.geometry.values))
    assert (s.geom_type == "LineString").all() and shapely.is_valid(lines).all()
    assert netwerk.components(lines) == 1
    left, right = shapely.STRtree(lines).query(lines, predicate="crosses")
    assert len(left) == 0, "two streets cross without a shared vertex"
    # where two lines touch, they share an end point of at least one of them (a T or a cross)
    left, right = shapely.STRtree(lines).query(lines, predicate="intersects")
    keep = left < right
    meet = shapely.intersection(lines[left[keep]], lines[right[keep]])
    ends = shapely.union(shapely.boundary(lines[left[keep]]),
                         shapely.boundary(lines[right[keep]]))
    assert shapely.covered_by(meet, ends).all()
    assert set(s.soort) == {"hoofdweg", "laan", "straat", "landweg", "fietspad", "voetpad"}
    assert s.extern_id.is_unique and 250_000 < s.length.sum() < 600_000
    assert shapely.within(lines, demo.gemeente_geom).all()


def test_names_sound_dutch_and_are_unique_per_woonplaats(demo: DemoGemeente) -> None:
    s = demo.straten
    assert set(s.woonplaats) == {nm.GEMEENTE_NAAM, *nm.DORPEN}
    names = set(s[s.soort.isin(["straat", "laan"])].naam)
    assert len(names) > 300
    assert all(re.fullmatch(r"[A-Z][a-zA-Z]+( [A-Z][a-z]+)?", n) for n in names)
    assert {"Haverveldseweg", "Haverveldsestraat", "Dorpsstraat", "Rondweg"} <= set(s.naam)


def test_addresses(demo: DemoGemeente) -> None:
    a = demo.adressen
    assert 33_000 <= len(a) <= 37_000
    assert a.identificatie.is_unique and a.identificatie.str.fullmatch(r"990120\d{10}").all()
    assert shapely.within(a.geometry.values, demo.gemeente_geom).all()
    assert not a.duplicated(["postcode", "huisnummer", "huisletter", "toevoeging"]).any()
    assert a.postcode.str.fullmatch(r"990[1-8] [A-Z]{2}").all()
    assert not a.postcode.str[-2:].isin(["SA", "SD", "SS"]).any()
    assert set(a.postcode.str[:4]) == {str(pc) for pc in range(9901, 9909)}
    # a postcode covers one side of one street: all its numbers are odd, or all even
    per_code = a.groupby("postcode").agg(straten=("straatnaam", "nunique"),
                                         zijden=("huisnummer", lambda n: (n % 2).nunique()))
    assert (per_code.straten == 1).all() and (per_code.zijden == 1).all()
    assert (a.woonplaats == nm.GEMEENTE_NAAM).mean() > 0.8
    doel = a.gebruiksdoel.value_counts()
    assert doel["woonfunctie"] / len(a) > 0.95
    assert {"winkelfunctie", "onderwijsfunctie", "gezondheidszorgfunctie",
            "bijeenkomstfunctie", "sportfunctie"} <= set(doel.index)
    # every address lies at a building and on a street of the network; in its own woonplaats
    # except along the long rural roads, whose stretches are named by where their middle lies
    assert set(a.pand) <= set(demo.panden.identificatie)
    assert set(a.straatnaam) <= set(demo.straten.naam)
    streets = set(zip(demo.straten.woonplaats, demo.straten.naam, strict=True))
    elders = [(w, n) not in streets for w, n in zip(a.woonplaats, a.straatnaam, strict=True)]
    assert np.mean(elders) < 0.01
    assert (a.huisnummer >= 1).all() and a.toevoeging.notna().sum() > 1_000


def test_voorzieningen_sit_at_addresses(demo: DemoGemeente) -> None:
    a, vz = demo.adressen, demo.voorzieningen
    full = (a.straatnaam + " " + a.huisnummer.astype(str) + a.huisletter.fillna("")
            + ("-" + a.toevoeging).fillna(""))
    where = dict(zip(zip(full, a.postcode, strict=True), a.geometry.values, strict=True))
    for row in vz.itertuples():
        assert (row.adres, row.postcode) in where, row.extern_id
        assert shapely.equals(where[(row.adres, row.postcode)], row.geometry)
    doel = dict(zip(zip(full, a.postcode, strict=True), a.gebruiksdoel, strict=True))
    huisarts = vz[vz.naam.str.startswith("Huisarts")]
    assert all(doel[(r.adres, r.postcode)] == "gezondheidszorgfunctie"
               for r in huisarts.itertuples())


def test_buildings_water_and_land_use(demo: DemoGemeente) -> None:
    p, w, t = demo.panden, demo.water, demo.terrein
    assert 25_000 < len(p) < 40_000 and shapely.is_valid(p.geometry.values).all()
    assert p.bouwjaar.between(1600, 2024).all()
    assert _pairs(p.geometry.values, p.geometry.values, "overlaps") == 0
    assert _pairs(p.geometry.values, w.geometry.values, "intersects") == 0
    roads = shapely.buffer(demo.straten.geometry.values, 2.0)
    assert _pairs(p.geometry.values, roads, "intersects") == 0
    assert {"singel", "vaart", "vijver"} == set(w.soort)
    assert {"park", "sport", "agrarisch", "begraafplaats", "volkstuin"} == set(t.soort)
    parks = t[t.soort == "park"]
    assert (parks.area >= 5_000).sum() >= 10
    assert shapely.is_valid(t.geometry.values).all() and shapely.is_valid(w.geometry.values).all()


def test_groenvakken_lie_in_public_green(demo: DemoGemeente) -> None:
    g = demo.groenvakken.geometry.values
    assert _pairs(g, demo.panden.geometry.values, "intersects") == 0
    assert _pairs(g, demo.water.geometry.values, "intersects") == 0
    assert _pairs(g, demo.straten.geometry.values, "intersects") == 0
    parks = demo.terrein[demo.terrein.soort == "park"].geometry.values
    in_park = shapely.STRtree(parks).query(g, predicate="within")[0]
    assert 0.1 < len(set(in_park.tolist())) / len(g) < 0.6  # parks, but verges too
    hagen = demo.groenvakken[demo.groenvakken.soort == "haag"].geometry.values
    near_street = shapely.STRtree(demo.straten.geometry.values).query(
        hagen, predicate="dwithin", distance=7.5)[0]
    assert len(set(near_street.tolist())) == len(hagen)  # hedges line the streets


def test_a_scaled_world_grows_or_shrinks_with_the_scale(demo: DemoGemeente) -> None:
    small = build_gemeente(scale=0.3)
    assert abs(len(small.adressen) - 0.3 * 36_000) < 0.05 * 36_000
    lines = shapely.from_wkb(shapely.to_wkb(small.straten.geometry.values))
    assert netwerk.components(lines) == 1
    assert len(shapely.STRtree(lines).query(lines, predicate="crosses")[0]) == 0
    assert small.straten.length.sum() < 0.7 * demo.straten.length.sum()
    assert len(small.voorzieningen) == 400 and len(small.groenvakken) == 5_000
    assert not small.adressen.duplicated(["postcode", "huisnummer", "huisletter",
                                          "toevoeging"]).any()
    # the gebieden stay those of the demo, so a scaled world fits the loaded gemeente
    assert shapely.equals(small.gemeente_geom, demo.gemeente_geom)
    # a scaled town names its streets per stretch of a block or two, as a city does (500,000
    # addresses over 5,000+ names); one name per line across a buurt gave 873 names
    straten = small.straten[small.straten.soort == "straat"]
    per_naam = straten.geometry.length.groupby([straten.naam, straten.woonplaats]).sum()
    assert per_naam.median() <= 1.5 * STREKKING_M
    assert small.adressen.straatnaam.nunique() >= len(small.adressen) / 100


def test_postcodes_overflow_to_free_numbers_without_clashes() -> None:
    from app.geo.synth_adressen import _postcodes

    n = 1_000  # one pc4 area with 1,000 street sides: more than the 397 letter pairs
    frame = gpd.GeoDataFrame({
        "pand": np.arange(n), "straatnaam": [f"Straat{i // 2}" for i in range(n)],
        "huisnummer": np.ones(n, dtype=int) + np.arange(n) % 2, "huisletter": None,
        "toevoeging": None, "woonplaats": "Lindewaard", "gebruiksdoel": "woonfunctie",
        "gebied": 0, "zijde": np.arange(n) % 2, "chain": 0.0, "pc4": 9907},
        geometry=shapely.points(np.zeros((n, 2))))
    codes = _postcodes(frame)
    assert codes.postcode.str.fullmatch(r"99(07|08|09) [A-Z]{2}").all()
    assert not codes.duplicated(["postcode", "huisnummer"]).any()
    assert codes.postcode.nunique() == n  # each street side its own code
