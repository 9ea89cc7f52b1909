"""Addresses of the demo gemeente, BAG-like: one per home or other unit, numbered along the
street (odd on the left, even on the right) with a postcode per stretch of one street side.
"""

from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
import numpy as np
import shapely

from app.geo.synth_panden import Panden

LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # the letters PostNL uses in postcodes
PC_LETTERS = [a + b for a in LETTERS for b in LETTERS if a + b not in ("SA", "SD", "SS")]
MIN_CHUNK, MAX_CHUNK = 24, 60  # addresses per postcode: at least, and at most if it can be
STRAAT_SOORTEN = ("straat", "laan", "hoofdweg", "landweg")
# Building years per town wijk (synth_names.WIJKEN order); dorpen and farms separately.
WIJK_JAREN = [(1600, 1935), (1920, 1965), (1950, 1975), (1960, 1985), (1965, 1990),
              (1970, 1995), (1985, 2005), (1990, 2012), (1995, 2020), (2000, 2024)]
DORP_JAREN, BOERDERIJ_JAREN = (1880, 2022), (1850, 1965)


def pc4(gebied: np.ndarray, n_town: int) -> np.ndarray:
    """9901–9903 for the town (four wijken each), 9904–9908 for the dorpen."""
    return np.where(gebied < n_town, 9901 + gebied // 4, 9901 + 3 + gebied - n_town)


def bouwjaren(panden: Panden, gebied: np.ndarray, n_town: int,
              rng: np.random.Generator) -> np.ndarray:
    """One year per block (built at once), a few later infills."""
    lo = np.array([WIJK_JAREN[g][0] if g < n_town else DORP_JAREN[0] for g in gebied])
    hi = np.array([WIJK_JAREN[g][1] if g < n_town else DORP_JAREN[1] for g in gebied])
    farm = panden.block < 0
    lo[farm], hi[farm] = BOERDERIJ_JAREN
    blocks = np.unique(panden.block[~farm])
    block_t = dict(zip(blocks.tolist(), rng.random(len(blocks)).tolist(), strict=True))
    t = np.array([block_t.get(int(b), 0.0) for b in panden.block])
    infill = farm | (rng.random(len(t)) < 0.08)
    t[infill] = rng.random(int(infill.sum()))
    result: np.ndarray = (lo + t * (hi - lo)).astype(int)
    return result


def _axis(coords: np.ndarray) -> np.ndarray:
    """Main direction of a street's coordinates, pointing east (or north)."""
    centred = coords - coords.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    a = vt[0]
    result: np.ndarray = -a if (a[0] < -1e-9 or (abs(a[0]) <= 1e-9 and a[1] < 0)) else a
    return result


def gebied_of(xy: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Index of the wijk/dorp each point lies in (the nearest one on a border)."""
    pts = shapely.points(xy)
    hit_p, hit_g = shapely.STRtree(top).query(pts, predicate="intersects")
    out = np.full(len(xy), -1)
    out[hit_p[::-1]] = hit_g[::-1]
    missing = out < 0
    if missing.any():
        out[missing] = shapely.STRtree(top).nearest(pts[missing])
    return out


def adressen(panden: Panden, straat: tuple[np.ndarray, np.ndarray, np.ndarray],
             top: np.ndarray, woonplaatsen: list[str], n_town: int,
             centrum: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Every unit of every building as an address on the street its front faces."""
    geoms, naam, soort = straat
    road = np.flatnonzero(np.isin(soort, STRAAT_SOORTEN))
    tree = shapely.STRtree(geoms[road])
    nearest = road[tree.nearest(shapely.points(panden.front))]
    k = panden.units
    p_idx = np.repeat(np.arange(len(k)), k)
    unit = np.arange(len(p_idx)) - np.repeat(np.cumsum(k) - k, k)
    shift = (unit - (k[p_idx] - 1) / 2) * 0.5
    xy = np.round(panden.front[p_idx] + panden.along[p_idx] * shift[:, None], 2)
    line = nearest[p_idx]
    g = gebied_of(xy, top)
    plaats = np.array(woonplaatsen, dtype=object)[g]
    straatnaam = naam[line]
    # the side of the street: left of the street's direction (odd numbers) or right (even)
    proj = shapely.line_locate_point(geoms[line], shapely.points(panden.front[p_idx]))
    here = shapely.get_coordinates(shapely.line_interpolate_point(geoms[line], proj))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(geoms[line], proj + 0.5))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(geoms[line], proj - 0.5))
    tangent = ahead - behind
    offset = panden.front[p_idx] - here
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, key in enumerate(zip(plaats, straatnaam, strict=True)):
        groups[key].append(i)
    huisnummer = np.zeros(len(xy), dtype=int)
    side = np.zeros(len(xy), dtype=int)
    chain = np.zeros(len(xy))
    for key in sorted(groups):
        idx = np.array(groups[key])
        lines = np.unique(line[idx])
        a = _axis(shapely.get_coordinates(geoms[lines]))
        t = tangent[idx] * np.where(tangent[idx] @ a < 0, -1.0, 1.0)[:, None]
        left = t[:, 0] * offset[idx, 1] - t[:, 1] * offset[idx, 0] > 0
        chain[idx] = panden.front[p_idx[idx]] @ a
        for s, first in ((1, 1), (0, 2)):
            sel = idx[left == bool(s)]
            pand_order = np.unique(p_idx[sel][np.argsort(chain[sel], kind="stable")],
                                   return_index=True)
            ranked = pand_order[0][np.argsort(pand_order[1])]
            number = {int(p): first + 2 * r for r, p in enumerate(ranked)}
            huisnummer[sel] = [number[int(p)] for p in p_idx[sel]]
            side[sel] = s
    centre = (g == centrum) & (k[p_idx] == 2)
    huisletter = np.full(len(xy), None, dtype=object)
    huisletter[(k[p_idx] == 2) & (unit == 1)] = "A"
    toevoeging = np.full(len(xy), None, dtype=object)
    flat = k[p_idx] > 2
    toevoeging[flat] = (unit[flat] + 1).astype(str)
    doel = np.where(centre & (unit == 0) & (rng.random(len(xy)) < 0.6), "winkelfunctie",
                    "woonfunctie")
    frame = gpd.GeoDataFrame({
        "pand": p_idx, "straatnaam": straatnaam, "huisnummer": huisnummer,
        "huisletter": huisletter, "toevoeging": toevoeging, "woonplaats": plaats,
        "gebruiksdoel": doel, "gebied": g, "zijde": side, "chain": chain,
        "pc4": pc4(g, n_town)}, geometry=shapely.points(xy), crs="EPSG:28992")
    return _postcodes(frame)


def _postcodes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One postcode per stretch of a street side, letters handed out per pc4.

    A building never spans two postcodes: its units share the stretch of its first unit.
    Where a pc4 area needs more codes than letter pairs (only in very large benchmark
    worlds), its later stretches get the next free pc4 numbers (9909, 9910, ...)."""
    frame = frame.sort_values(["pc4", "woonplaats", "straatnaam", "zijde", "chain",
                               "huisnummer", "huisletter", "toevoeging"],
                              na_position="first", kind="stable").reset_index(drop=True)
    key = (frame.pc4.astype(str) + "|" + frame.woonplaats + "|" + frame.straatnaam + "|"
           + frame.zijde.astype(str)).to_numpy()
    new_side = np.r_[True, key[1:] != key[:-1]]
    side_id = np.cumsum(new_side) - 1
    side_start = np.flatnonzero(new_side)
    pand = frame.pand.to_numpy()
    first_of_pand = np.r_[True, (pand[1:] != pand[:-1]) | new_side[1:]]
    # position along the street side of the building's first unit
    pos = np.maximum.accumulate(np.where(first_of_pand, np.arange(len(frame)), 0))
    pos = pos - side_start[side_id]
    pc = frame.pc4.to_numpy()
    codes = np.empty(len(frame), dtype=object)
    extra = int(pc.max()) + 1  # the next free pc4 number, for overflowing (huge) worlds
    for p4 in np.unique(pc):
        m = pc == p4
        sizes = np.bincount(side_id[m] - side_id[m].min())
        sizes = sizes[sizes > 0]
        chunk = MIN_CHUNK
        while chunk < MAX_CHUNK and int(np.ceil(sizes / chunk).sum()) > len(PC_LETTERS):
            chunk += 4
        local = pos[m] // chunk
        stretch = np.r_[True, (side_id[m][1:] != side_id[m][:-1])
                        | (local[1:] != local[:-1])]
        nr = np.cumsum(stretch) - 1
        # more stretches than letter pairs: the rest continue under the next free numbers
        numbers = np.r_[p4, extra + np.arange(int(nr.max()) // len(PC_LETTERS))]
        extra += len(numbers) - 1
        codes[m] = [f"{numbers[k // len(PC_LETTERS)]} {PC_LETTERS[k % len(PC_LETTERS)]}"
                    for k in nr]
    frame["postcode"] = codes
    return frame
