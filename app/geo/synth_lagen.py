"""The demo gemeente's layers as GeoDataFrames: streets, addresses, buildings, water, land use,
voorzieningen at addresses and groenvakken in public green, all from one ``synth_geografie``
world. Keys follow BAG where BAG has them (16-digit identificatie), else a short prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo import synth_adressen as sa
from app.geo import synth_blokken as bk
from app.geo import synth_groen as sgr
from app.geo import synth_names as nm
from app.geo import synth_voorzieningen as svz
from app.geo.synth_geografie import CENTRUM_WIJK, Wereld
from app.geo.synth_straten import GRID, SOORTEN

CRS = "EPSG:28992"


@dataclass(frozen=True)
class Lagen:
    """Every generated layer beside the gebieden."""

    straten: gpd.GeoDataFrame
    adressen: gpd.GeoDataFrame
    panden: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    terrein: gpd.GeoDataFrame
    voorzieningen: gpd.GeoDataFrame
    groenvakken: gpd.GeoDataFrame


def _multi(geoms: list[BaseGeometry] | np.ndarray) -> np.ndarray:
    """Polygons as MultiPolygons on the 1 cm grid, so a layer has one geometry type."""
    out = shapely.set_precision(np.asarray(geoms, dtype=object), GRID)
    parts, owner = shapely.get_parts(out, return_index=True)
    poly = shapely.get_type_id(parts) == 3
    result: np.ndarray = shapely.multipolygons(parts[poly], indices=owner[poly])
    return result


def bouw(w: Wereld, gebieden: gpd.GeoDataFrame, seed: int,
         n_groen: int = 5_000) -> Lagen:
    """All layers, deterministic from the world and ``seed``."""
    rng = [np.random.default_rng([seed, 200 + k]) for k in range(6)]
    top = gebieden[gebieden.soort != "buurt"].geometry.values
    n_town = len(nm.WIJKEN)
    geoms, naam, soort = w.straat
    p = w.panden
    pand_gebied = sa.gebied_of(p.front, top)
    adres = sa.adressen(p, w.straat, top, w.woonplaatsen, n_town, CENTRUM_WIJK, rng[0])
    parks = [g for g, s in zip(w.terrein.geoms, w.terrein.soort, strict=True) if s == "park"]
    park_union = shapely.union_all(parks, grid_size=GRID)
    chosen, _ = svz.plaats(adres, p, w.koms, top, park_union, nm.DORPEN, rng[1])
    vz = svz.voorzieningen(adres, chosen, n_town, rng[2])
    roads = shapely.buffer(geoms, [SOORTEN[s][0] + 1.0 for s in soort])
    solid = shapely.union_all([*w.water[2], *roads[np.isin(soort, ["landweg", "hoofdweg"])]])
    extra = svz.terreinen(adres, p, chosen, shapely.union(solid, w.kom.buffer(10)))
    rural = shapely.union_all([w.kom.buffer(30), solid, *extra.geoms], grid_size=GRID)
    agrarisch = [g for g in shapely.get_parts(shapely.difference(w.outline, rural,
                                                                  grid_size=GRID))
                 if g.area >= 5_000]
    terrein = bk.Terrein([*w.terrein.naam, *extra.naam, *[None] * len(agrarisch)],
                         [*w.terrein.soort, *extra.soort, *["agrarisch"] * len(agrarisch)],
                         [*w.terrein.geoms, *extra.geoms, *agrarisch])

    area = shapely.area(w.blocks)
    built = np.zeros(len(w.blocks), dtype=bool)
    built[p.block[p.block >= 0]] = True
    green = ~built & ~w.is_park & ~np.isin(soort_blocks(terrein, w.blocks), ["begraafplaats"])
    g_soort, g_geom, g_naam = sgr.groenvakken(
        n_groen, w.kom, w.straat, p.geoms, w.water[2], parks, w.blocks[green],
        w.blocks[built & (area > 0)], rng[3])
    g_soort, g_geom, g_naam = g_soort[:n_groen], g_geom[:n_groen], g_naam[:n_groen]
    named = rng[4].random(n_groen) < 0.1
    groen = gpd.GeoDataFrame({
        "extern_id": [f"GV{i:05d}" for i in range(1, n_groen + 1)],
        "naam": [f"Plantsoen {s}" if k else None for s, k in zip(g_naam, named, strict=True)],
        "soort": g_soort.astype(str), "zelfbeheer_mogelijk": rng[4].random(n_groen) < 0.85,
    }, geometry=g_geom, crs=CRS)
    return Lagen(_straten(w, top), _adressen(adres), _panden(w, pand_gebied, n_town, rng[5]),
                 _water(w), _terrein(terrein), vz, groen)


def soort_blocks(terrein: bk.Terrein, blocks: np.ndarray) -> np.ndarray:
    """The soort of the terrein lying in each block ('' for none)."""
    out = np.full(len(blocks), "", dtype=object)
    geoms = np.array(terrein.geoms, dtype=object)
    b, t = shapely.STRtree(geoms).query(shapely.point_on_surface(blocks), "intersects")
    out[b] = np.array(terrein.soort, dtype=object)[t]
    return out


def _straten(w: Wereld, top: np.ndarray) -> gpd.GeoDataFrame:
    geoms, naam, soort = w.straat
    mid = shapely.get_coordinates(shapely.line_interpolate_point(geoms, 0.5, normalized=True))
    plaats = np.array(w.woonplaatsen, dtype=object)[sa.gebied_of(mid, top)]
    order = np.lexsort((mid[:, 0], -mid[:, 1], naam.astype(str), plaats.astype(str)))
    return gpd.GeoDataFrame({
        "extern_id": [f"WEG{i:06d}" for i in range(1, len(order) + 1)],
        "naam": naam[order].astype(str), "soort": soort[order].astype(str),
        "woonplaats": plaats[order].astype(str),
    }, geometry=shapely.set_precision(geoms[order], GRID), crs=CRS)


def _adressen(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.sort_values(["woonplaats", "straatnaam", "huisnummer", "huisletter",
                             "toevoeging"], na_position="first", kind="stable")
    return gpd.GeoDataFrame({
        "identificatie": [f"{nm.GEMEENTE_CODE[2:]}20{i:010d}" for i in range(1, len(out) + 1)],
        "postcode": out.postcode.to_numpy(), "huisnummer": out.huisnummer.to_numpy(),
        "huisletter": out.huisletter.to_numpy(), "toevoeging": out.toevoeging.to_numpy(),
        "straatnaam": out.straatnaam.to_numpy(), "woonplaats": out.woonplaats.to_numpy(),
        "gebruiksdoel": out.gebruiksdoel.to_numpy(),
        "pand": [f"{nm.GEMEENTE_CODE[2:]}10{i + 1:010d}" for i in out.pand],
    }, geometry=out.geometry.values, crs=CRS)


def _panden(w: Wereld, gebied: np.ndarray, n_town: int,
            rng: np.random.Generator) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "identificatie": [f"{nm.GEMEENTE_CODE[2:]}10{i:010d}"
                          for i in range(1, len(w.panden.geoms) + 1)],
        "bouwjaar": sa.bouwjaren(w.panden, gebied, n_town, rng),
    }, geometry=_multi(w.panden.geoms), crs=CRS)


def _water(w: Wereld) -> gpd.GeoDataFrame:
    naam, soort, geoms = w.water
    return gpd.GeoDataFrame({
        "extern_id": [f"WAT{i:04d}" for i in range(1, len(geoms) + 1)], "naam": naam,
        "soort": soort}, geometry=_multi(geoms), crs=CRS)


def _terrein(t: bk.Terrein) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "extern_id": [f"TER{i:04d}" for i in range(1, len(t.geoms) + 1)], "naam": t.naam,
        "soort": t.soort}, geometry=_multi(t.geoms), crs=CRS)
