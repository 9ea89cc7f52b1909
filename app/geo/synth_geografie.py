"""The geography of daily life in the demo gemeente: streets, water, blocks, buildings.

Called by ``synth.build_gemeente`` after the gebieden exist; addresses, voorzieningen and
groenvakken are then placed on what this builds. ``scale`` > 1 makes a denser world with
proportionally more streets and addresses (benchmarks); scale 1 is the committed demo.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from app.geo import netwerk
from app.geo import synth_blokken as bk
from app.geo import synth_panden as pd_
from app.geo import synth_straatnamen as sn
from app.geo import synth_straten as st

CENTRUM_WIJK = 0
KERK_WIJK = 5  # Kerkakker: the town cemetery lies here
BEGRAAF_DORPEN = (0, 2)
DEMO_ADRESSEN = 36_000  # about what scale 1 gives (36,026)
# A scaled town names its streets per stretch of this length (a block or two), so 500,000
# addresses lie on more than 5,000 street names, as in a Dutch city of that size.
STREKKING_M = 90.0


@dataclass
class Wereld:
    """Everything built here, as arrays and lists (turned into GeoDataFrames by the caller)."""

    straat: tuple[np.ndarray, np.ndarray, np.ndarray]  # geoms, naam, soort
    zones: list[st.Zone]
    blocks: np.ndarray
    block_zone: np.ndarray
    is_park: np.ndarray
    water: tuple[list[str], list[str], list[BaseGeometry]]
    terrein: bk.Terrein
    panden: pd_.Panden
    woonplaatsen: list[str]
    kom: BaseGeometry
    koms: list[BaseGeometry]
    outline: BaseGeometry


def _wegen(town: np.ndarray, dorpen: np.ndarray, rng: np.random.Generator) -> list[LineString]:
    """The roads from the town centre to each dorp, gently bent halfway."""
    return [LineString([town, (town + d) / 2 + rng.uniform(-400, 400, 2), d]) for d in dorpen]


def build(outline: BaseGeometry, town: np.ndarray, town_seeds: np.ndarray, dorpen: np.ndarray,
          dorp_namen: list[str], town_naam: str, buurten: list[tuple[str, str, BaseGeometry]],
          koms: list[BaseGeometry], seed: int, scale: float = 1.0) -> Wereld:
    """Streets, water, blocks, parks and buildings, deterministic from ``seed``."""
    rng = [np.random.default_rng([seed, 100 + k]) for k in range(8)]
    density = min(max(scale, 0.3), 2.5)  # street length grows with the scale, within reason
    n_town = len(town_seeds)
    woonplaatsen = [town_naam] * n_town + list(dorp_namen)
    zones = st.zones(buurten, koms, woonplaatsen, n_town)
    kom = shapely.union_all(koms, grid_size=st.GRID)
    wat = bk.water(town, town_seeds[3], outline, rng[0])

    scaled = scale != 1.0
    namer = sn.Namer(rng[1], meer=scaled)
    for plaats in sorted(set(woonplaatsen)):
        for d, naam in enumerate(dorp_namen):
            for n in (*sn.radiaal(naam), sn.POLDERWEGEN[d % len(sn.POLDERWEGEN)]):
                namer.reserve(plaats, n)
        for n in (sn.RONDWEG, sn.DORPSSTRAAT, sn.KERKWEG, sn.MOLENWEG, sn.JAAGPAD,
                  *sn.PARKPADEN):
            namer.reserve(plaats, n)
    lines = st.main_roads(town, dorpen, dorp_namen, koms, outline, _wegen(town, dorpen, rng[2]),
                          rng[2])
    lines.extend(st.borders([z for z in zones if not z.dorp], namer))
    for z in zones:
        thema = sn.DORP_THEMA if z.dorp else sn.THEMAS[z.gebied % len(sn.THEMAS)]
        lines.extend(st.lattice(z, namer, thema, density * (1.15 if z.dorp else 1.0), rng[3],
                                STREKKING_M if scaled else None))
    lines.add(wat.jaagpad, sn.JAAGPAD, "fietspad")

    base, _, _ = st.clean(*st.node(lines))
    helpers = [k.exterior for k in koms[1:]]
    blocks = bk.faces(base, helpers, kom)
    zone_geoms = np.array([z.geom for z in zones], dtype=object)
    pts = shapely.point_on_surface(blocks)
    hit_b, hit_z = shapely.STRtree(zone_geoms).query(pts, predicate="within")
    block_zone = np.full(len(blocks), -1)
    block_zone[hit_b] = hit_z
    begraaf = _begraafplaatsen(blocks, block_zone, zones, n_town)
    is_park, paths, terrein, ponds = bk.parks(blocks, block_zone, len(zones), begraaf, rng[4])
    lines.extend(paths)
    straat = st.merge(*st.clean(*st.node(lines)))

    water_geoms = [*wat.geoms, *ponds]
    water = ([*wat.naam, *[f"Vijver {i + 1}" for i in range(len(ponds))]],
             [*wat.soort, *["vijver"] * len(ponds)], water_geoms)
    wide = _setbacks(straat)
    panden = _houses(blocks, block_zone, is_park, begraaf, zones, wide, water_geoms, rng[5])
    rural = straat[0][np.isin(straat[2], ["landweg", "hoofdweg"])]
    avoid = shapely.union_all([kom.buffer(60), *[w.buffer(15) for w in water_geoms],
                               shapely.union_all(rural).buffer(12)])
    farms = pd_.farms(rural, avoid, outline, rng[6])
    alle = _to_scale(pd_.concat([panden, farms]), scale, rng[7])
    return Wereld(straat, zones, blocks, block_zone, is_park, water, terrein, alle,
                  woonplaatsen, kom, koms, outline)


def _to_scale(panden: pd_.Panden, scale: float, rng: np.random.Generator) -> pd_.Panden:
    """A scaled world gets about ``scale`` times the demo's addresses: more homes per building
    (flats) where the denser streets hold too few, fewer buildings where they hold too many."""
    if scale == 1.0:
        return panden
    target = scale * DEMO_ADRESSEN
    total = int(panden.units.sum())
    if total < target:
        units = panden.units * (target / total)
        panden.units = np.maximum(np.floor(units + rng.random(len(units))), 1).astype(int)
        return panden
    order = rng.permutation(len(panden.units))
    keep = np.sort(order[np.cumsum(panden.units[order]) <= target])
    return pd_.Panden(panden.geoms[keep], panden.front[keep], panden.along[keep],
                      panden.units[keep], panden.block[keep])


def _begraafplaatsen(blocks: np.ndarray, block_zone: np.ndarray, zones: list[st.Zone],
                     n_town: int) -> set[int]:
    """The block nearest 2 ha in Kerkakker and nearest 0.8 ha in two dorpen."""
    out = set()
    area = shapely.area(blocks)
    gebied = np.array([zones[z].gebied if z >= 0 else -1 for z in block_zone])
    for g, target in [(KERK_WIJK, 20_000.0), *((n_town + d, 8_000.0) for d in BEGRAAF_DORPEN)]:
        cand = np.flatnonzero((gebied == g) & (area >= bk.PLANTSOEN_M2 * 2))
        if len(cand):
            out.add(int(cand[np.argmin(np.abs(area[cand] - target))]))
    return out


def _setbacks(straat: tuple[np.ndarray, np.ndarray, np.ndarray]) -> BaseGeometry:
    """Where no house may stand beside the wider roads and the paths, and beside dead-end
    streets (a block's inner offset only keeps clear of the streets around it)."""
    geoms, _, soort = straat
    nodes, n = netwerk.node_ids(geoms)
    dead_end = (netwerk.degrees(nodes, n)[nodes] == 1).any(axis=1) & (soort == "straat")
    bands = [shapely.buffer(geoms[dead_end if s == "straat" else soort == s], st.SOORTEN[s][1])
             for s in st.SOORTEN]
    return shapely.union_all(np.concatenate(bands), grid_size=st.GRID)


def _houses(blocks: np.ndarray, block_zone: np.ndarray, is_park: np.ndarray, begraaf: set[int],
            zones: list[st.Zone], wide: BaseGeometry, water: list[BaseGeometry],
            rng: np.random.Generator) -> pd_.Panden:
    """Buildable parts of the residential blocks and the rows of houses on them."""
    area = shapely.area(blocks)
    res = (block_zone >= 0) & ~is_park & (area >= bk.PLANTSOEN_M2)
    res[list(begraaf)] = False
    idx = np.flatnonzero(res)
    inner = shapely.buffer(blocks[idx], -st.SOORTEN["straat"][1], join_style="mitre")
    blocked = shapely.union_all([wide, *[shapely.buffer(w, 6.0) for w in water]])
    inner = shapely.difference(inner, blocked, grid_size=st.GRID)
    parts, owner = shapely.get_parts(inner, return_index=True)
    poly = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) >= 150)
    parts, owner = parts[poly], idx[owner[poly]]
    town_p = np.array([w for w, _, _ in pd_.TYPES])
    dorp_p = np.array([w for _, w, _ in pd_.TYPES])
    kind_of_block = {}
    for b in np.unique(owner):
        z = zones[block_zone[b]]
        if z.gebied == CENTRUM_WIJK and not z.dorp:
            kind_of_block[b] = pd_.CENTRUM if rng.random() < 0.7 else pd_.TYPES[3][2]
        else:
            p = dorp_p if z.dorp else town_p
            kind_of_block[b] = pd_.TYPES[int(rng.choice(len(p), p=p / p.sum()))][2]
    bouw = [kind_of_block[b] for b in owner]
    return pd_.rows(np.asarray(parts), owner, bouw, rng)
