"""The 400 demo voorzieningen, each at an address of the demo gemeente.

The plan (which kinds, how many, where: synth_names.voorziening_plan) keeps the deliberate gaps;
here every planned voorziening takes an address in its gebied or kom, a farm on the road to a
dorp, or a farm just outside a kom (sportparken, volkstuinen, with their terrein behind).
A building voorziening changes its address's gebruiksdoel; outdoor ones only borrow it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo import synth_names as nm
from app.geo import synth_straatnamen as sn
from app.geo.synth_blokken import Terrein
from app.geo.synth_panden import Panden

# soort -> the BAG gebruiksdoel of its building; outdoor kinds are absent.
DOEL = {
    "huisarts": "gezondheidszorgfunctie", "apotheek": "gezondheidszorgfunctie",
    "fysiotherapie": "gezondheidszorgfunctie", "tandarts": "gezondheidszorgfunctie",
    "consultatiebureau": "gezondheidszorgfunctie", "basisschool": "onderwijsfunctie",
    "kinderopvang": "onderwijsfunctie", "voortgezet onderwijs": "onderwijsfunctie",
    "buurthuis": "bijeenkomstfunctie", "wijkcentrum": "bijeenkomstfunctie",
    "ontmoetingsruimte": "bijeenkomstfunctie", "sportpark": "sportfunctie",
    "sporthal": "sportfunctie", "zwembad": "sportfunctie", "tennispark": "sportfunctie",
    "gymzaal": "sportfunctie", "supermarkt": "winkelfunctie", "bakker": "winkelfunctie",
    "drogist": "winkelfunctie", "treinstation": "overige gebruiksfunctie",
    "volkstuin": "overige gebruiksfunctie", "bibliotheek": "bijeenkomstfunctie",
    "museum": "bijeenkomstfunctie", "theater": "bijeenkomstfunctie",
    "repair café": "bijeenkomstfunctie", "voedselbank": "overige gebruiksfunctie",
    "taalcafé": "bijeenkomstfunctie",
}
# Terrein behind a farm turned sports club or allotment: (soort, depth, width).
TERREIN = {"sportpark": ("sport", 150.0, 110.0), "tennispark": ("sport", 70.0, 60.0),
           "volkstuin": ("volkstuin", 90.0, 70.0)}


def _huisadres(row: pd.Series) -> str:
    """'Irislaan 12', 'Irislaan 12A' or 'Irislaan 12-3', as a voorziening writes it."""
    letter = "" if pd.isna(row.huisletter) else str(row.huisletter)
    extra = "" if pd.isna(row.toevoeging) else f"-{row.toevoeging}"
    return f"{row.straatnaam} {row.huisnummer}{letter}{extra}"


def plaats(adressen: gpd.GeoDataFrame, panden: Panden, koms: list[BaseGeometry],
           top: np.ndarray, park: BaseGeometry, dorp_namen: list[str],
           rng: np.random.Generator) -> tuple[list[tuple[int, int]], np.ndarray]:
    """(type index, address index) per planned voorziening, in plan order.

    Where a (thinned, benchmark) world has no address of the planned kind, the nearest free
    address to the planned gebied or kom is taken instead."""
    xy = shapely.get_coordinates(adressen.geometry.values)
    kom_of = np.full(len(xy), -1)
    for p, kom in enumerate(koms):
        kom_of[shapely.contains_xy(kom, xy[:, 0], xy[:, 1])] = p
    farm = panden.block[adressen.pand.to_numpy()] < 0
    near_park = shapely.dwithin(park, shapely.points(xy), 60.0)
    gebied = adressen.gebied.to_numpy()
    n_dorpen = len(koms) - 1
    items = nm.voorziening_plan(len(nm.WIJKEN) + n_dorpen, n_dorpen, rng)
    used = np.zeros(len(xy), dtype=bool)
    chosen: list[tuple[int, int]] = []
    for ti, (kind, p) in items:
        t = nm.VZ_TYPES[ti]
        if kind == "gebied":
            cand = (gebied == p) & (kom_of >= 0)
            cand = cand if cand.any() else gebied == p
        elif kind == "kom":
            cand = kom_of == p
            if t.soort == "park" and (cand & near_park & ~used).any():
                cand = cand & near_park
        elif kind == "weg":
            cand = farm & (adressen.straatnaam.to_numpy() == sn.radiaal(dorp_namen[p])[1])
        else:  # "rand": one of the farms nearest the kom
            cand = farm & (adressen.toevoeging.isna().to_numpy())
            dist = shapely.distance(koms[p], shapely.points(xy))
            free = np.flatnonzero(cand & ~used)
            cand = np.zeros(len(xy), dtype=bool)
            cand[free[np.argsort(dist[free])[:8]]] = True
        free = np.flatnonzero(cand & ~used)
        if not len(free):
            near = top[p] if kind == "gebied" else koms[1 + p if kind == "weg" else p]
            free = np.flatnonzero(~used)
            free = free[np.argsort(shapely.distance(near, shapely.points(xy[free])))[:1]]
        a = int(free[rng.integers(len(free))])
        used[a] = True
        chosen.append((ti, a))
    return chosen, kom_of


def voorzieningen(adressen: gpd.GeoDataFrame, chosen: list[tuple[int, int]], n_town: int,
                  rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The voorzieningen rows; sets the gebruiksdoel of the addresses they occupy."""
    voorgesteld = set(rng.choice(len(chosen), 12, replace=False).tolist())
    straten = {w: sorted(set(f.straatnaam)) for w, f in adressen.groupby("woonplaats")}
    used: set[str] = set()
    rows = []
    doel = adressen.gebruiksdoel.to_numpy().copy()
    for i, (ti, a) in enumerate(chosen):
        t = nm.VZ_TYPES[ti]
        row = adressen.iloc[a]
        g = int(row.gebied)
        dorp = g - n_town if g >= n_town else None
        wijk = nm.DORPEN[dorp] if dorp is not None else nm.WIJKEN[g][0]
        eigen = str(row.straatnaam)
        andere = [s for s in straten[row.woonplaats] if s != eigen]
        rows.append(nm.voorziening_attrs(
            i, t, wijk, dorp, i in voorgesteld, used,
            (_huisadres(row), row.postcode, [eigen, *andere]), rng))
        if t.soort in DOEL:
            doel[a] = DOEL[t.soort]
    adressen["gebruiksdoel"] = doel
    geoms = adressen.geometry.values[[a for _, a in chosen]]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=adressen.crs)


def terreinen(adressen: gpd.GeoDataFrame, panden: Panden, chosen: list[tuple[int, int]],
              blocked: BaseGeometry) -> Terrein:
    """Sports fields and allotments behind the farms that became their club house."""
    out = Terrein([], [], [])
    shapely.prepare(blocked)
    taken: list[BaseGeometry] = []
    for ti, a in chosen:
        t = nm.VZ_TYPES[ti]
        if t.soort not in TERREIN:
            continue
        soort, depth, width = TERREIN[t.soort]
        p = int(adressen.pand.iloc[a])
        pand = panden.geoms[p]
        u = panden.along[p]
        back = np.array(pand.centroid.coords[0]) - panden.front[p]
        back = back / np.linalg.norm(back)
        base = np.array(pand.centroid.coords[0]) + back * 9.0
        corners = [base - u * width / 2, base + u * width / 2,
                   base + u * width / 2 + back * depth, base - u * width / 2 + back * depth]
        geom = shapely.Polygon(np.round(corners, 2))
        if blocked.intersects(geom) or any(geom.intersects(o) for o in taken):
            continue
        taken.append(geom)
        out.naam.append(None)
        out.soort.append(soort)
        out.geoms.append(geom)
    return out
