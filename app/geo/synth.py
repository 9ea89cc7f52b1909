"""Deterministic generator for the fictional demo gemeente Lindewaard (GM9901) in RD New.

Pure numpy + vectorised shapely 2 (no database, no web framework) so demo data and benchmark
sets can be regenerated identically from a seed. Coordinates are snapped to a 1 cm grid.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from app.geo import synth_geografie, synth_lagen
from app.geo import synth_names as nm
from app.geo.synth_groen import plots

CRS = "EPSG:28992"
GRID = 0.01
CENTRE = np.array([232_000.0, 476_000.0])
TOWN = CENTRE + np.array([-500.0, 250.0])
DEMO_GROENVAKKEN = 5_000
_SOORTEN = np.array(list(nm.GROENVAK_SOORTEN))
_SOORT_P = np.array([v[0] for v in nm.GROENVAK_SOORTEN.values()])


@dataclass(frozen=True)
class DemoGemeente:
    """All layers of the demo gemeente, ready to be written as GeoPackages (EPSG:28992)."""

    seed: int
    gemeente: gpd.GeoDataFrame  # one row: code, naam, geometry
    gebieden: gpd.GeoDataFrame  # wijken, dorpen and buurten
    bebouwde_kom: gpd.GeoDataFrame
    voorzieningen: gpd.GeoDataFrame
    groenvakken: gpd.GeoDataFrame
    adressen: gpd.GeoDataFrame
    straten: gpd.GeoDataFrame
    panden: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    terrein: gpd.GeoDataFrame

    @property
    def gemeente_geom(self) -> BaseGeometry:
        """Gemeente outline, handy as the bounding area for generated groenvakken."""
        return self.gemeente.geometry.iloc[0]

    @property
    def bebouwd_geom(self) -> BaseGeometry:
        """Union of all built-up areas, where groenvakken are placed first."""
        return shapely.union_all(self.bebouwde_kom.geometry.values, grid_size=GRID)


def _multi(geom: BaseGeometry) -> MultiPolygon:
    """Wrap polygons as MultiPolygon so every layer has one geometry type."""
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def _blob(centre: np.ndarray, rx: float, ry: float, rng: np.random.Generator,
          wobble: float = 0.12, n: int = 48) -> Polygon:
    """Star-shaped wobbly outline: organic looking yet always a simple, valid polygon."""
    t = np.linspace(0.0, 2 * math.pi, n, endpoint=False)
    r = np.ones(n)
    for k in (2, 3, 5, 7):
        r += wobble / k * 2 * rng.uniform(0.5, 1.0) * np.sin(k * t + rng.uniform(0, 2 * math.pi))
    r += rng.normal(0.0, wobble / 8, n)
    xy = np.column_stack([centre[0] + rx * r * np.cos(t), centre[1] + ry * r * np.sin(t)])
    return shapely.set_precision(Polygon(xy), GRID)


def _random_points(geom: BaseGeometry, k: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform points inside a geometry by vectorised rejection sampling from its bbox."""
    x0, y0, x1, y1 = geom.bounds
    shapely.prepare(geom)
    out: list[np.ndarray] = []
    while sum(len(o) for o in out) < k:
        p = rng.uniform((x0, y0), (x1, y1), size=(4 * k + 64, 2))
        out.append(p[shapely.contains_xy(geom, p[:, 0], p[:, 1])])
    return np.round(np.concatenate(out)[:k], 2)


def _nearest(xy: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Index of the nearest seed per point (the Voronoi cell a point belongs to)."""
    result: np.ndarray = ((xy[:, None, :] - seeds[None, :, :]) ** 2).sum(-1).argmin(1)
    return result


def _kmeans(geom: BaseGeometry, k: int, rng: np.random.Generator) -> np.ndarray:
    """Balanced buurt seeds inside a wijk, ordered north to south to match the name lists."""
    pts = _random_points(geom, 600, rng)
    c = pts[:k].copy()
    for _ in range(15):
        lab = _nearest(pts, c)
        c = np.array([pts[lab == j].mean(0) if (lab == j).any() else c[j] for j in range(k)])
    return c[np.argsort(-c[:, 1])]


def _faces(lines: list[BaseGeometry], outline: BaseGeometry) -> np.ndarray:
    """Node all linework on the 1 cm grid and polygonize: neighbours then share exact edges."""
    noded = shapely.union_all(lines, grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    result: np.ndarray = faces[shapely.contains(outline, shapely.point_on_surface(faces))]
    return result


def _cell_lines(seeds: np.ndarray, around: BaseGeometry) -> BaseGeometry:
    """Voronoi edges of seeds, reaching beyond ``around`` so clipping cuts them cleanly."""
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=around.buffer(500))
    return shapely.union_all(shapely.boundary(shapely.get_parts(cells)))


def _seeds(outline: Polygon, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Ten town seeds around the centre and five village seeds further out."""
    a = 2 * math.pi * np.arange(9) / 9 + rng.uniform(-0.2, 0.2, 9)
    r = rng.uniform(1_000, 1_450, 9)
    town = np.vstack([TOWN, TOWN + np.column_stack([r * np.cos(a), r * np.sin(a)])])
    dorpen = []
    for ang in 2 * math.pi * np.arange(5) / 5 + 0.5 + rng.uniform(-0.2, 0.2, 5):
        ray = LineString([TOWN, TOWN + 30_000 * np.array([math.cos(ang), math.sin(ang)])])
        d = Point(TOWN).distance(outline.boundary.intersection(ray))
        dist = min(max(0.66 * d, 3_900.0), d - 1_300.0)
        dorpen.append(TOWN + dist * np.array([math.cos(ang), math.sin(ang)]))
    return town, np.array(dorpen)


def _gebieden(outline: Polygon, town: np.ndarray, dorp: np.ndarray, dorp_kom: list[Polygon],
              rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, MultiPolygon]:
    """Wijken/dorpen as Voronoi cells and buurten inside them, tiling the gemeente exactly."""
    seeds = np.vstack([town, dorp])
    # Cut lines overshoot their polygon by 2 m: proper crossings node robustly, dangles vanish.
    base = [outline.boundary, shapely.intersection(_cell_lines(seeds, outline), outline.buffer(2))]
    faces = _faces(base, outline)
    owner = _nearest(shapely.get_coordinates(shapely.point_on_surface(faces)), seeds)
    rough = [shapely.union_all(faces[owner == g]) for g in range(len(seeds))]
    bseeds = [_kmeans(rough[g], 3, rng) for g in range(len(town))]
    split = [shapely.intersection(_cell_lines(bseeds[g], rough[g]), rough[g].buffer(2))
             for g in range(len(town))]
    split += [shapely.intersection(k.boundary, rough[len(town) + i].buffer(2))
              for i, k in enumerate(dorp_kom)]
    faces = _faces(base + split, outline)
    xy = shapely.get_coordinates(shapely.point_on_surface(faces))
    owner = _nearest(xy, seeds)
    sub = np.zeros(len(faces), dtype=int)
    for g in range(len(seeds)):
        m = owner == g
        if g < len(town):
            sub[m] = _nearest(xy[m], bseeds[g])
        else:
            sub[m] = ~shapely.contains_xy(dorp_kom[g - len(town)], xy[m, 0], xy[m, 1])
    rows, bu_rows = [], []
    for g in range(len(seeds)):
        is_dorp = g >= len(town)
        code = f"WK{nm.GEMEENTE_CODE[2:]}{g:02d}"
        naam = nm.DORPEN[g - len(town)] if is_dorp else nm.WIJKEN[g][0]
        inw = int(rng.integers(600, 3_001) if is_dorp else rng.integers(2_000, 9_001))
        rows.append((code, naam, "dorp" if is_dorp else "wijk", None, inw,
                     _multi(shapely.coverage_union_all(faces[owner == g]))))
        bnames = [naam, f"Buitengebied {naam}"] if is_dorp else nm.WIJKEN[g][1]
        w = np.array([rng.uniform(3, 9), 1.0]) if is_dorp else rng.uniform(0.6, 1.4, 3)
        split_inw = np.diff(np.round(np.cumsum(np.r_[0.0, w / w.sum()]) * inw)).astype(int)
        for b, bn in enumerate(bnames):
            geom = shapely.coverage_union_all(faces[(owner == g) & (sub == b)])
            bu_rows.append((f"BU{code[2:]}{b:02d}", bn, "buurt", code, int(split_inw[b]),
                            _multi(geom)))
    cols = ["code", "naam", "soort", "parent_code", "inwoners", "geometry"]
    gdf = gpd.GeoDataFrame(rows + bu_rows, columns=cols, crs=CRS)
    gdf["inwoners"] = gdf["inwoners"].astype("int64")
    return gdf, _multi(shapely.coverage_union_all(faces))


def _pick_cells(n: int, bebouwd: BaseGeometry, gemeente: BaseGeometry,
                rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Centres of n distinct grid cells lying wholly inside the built-up area (or gemeente)."""
    for region, min_cell in ((shapely.intersection(bebouwd, gemeente), 18.0), (gemeente, 8.0)):
        s = min(40.0, math.sqrt(region.area * 0.9 / max(n, 1)))
        while s >= min_cell:
            inner = region.buffer(-(s * math.sqrt(0.5) + 0.05))
            shapely.prepare(inner)
            x0, y0, x1, y1 = region.bounds
            xx, yy = np.meshgrid(np.arange(x0 + s / 2, x1, s), np.arange(y0 + s / 2, y1, s))
            xy = np.column_stack([xx.ravel(), yy.ravel()])
            xy = xy[shapely.contains_xy(inner, xy[:, 0], xy[:, 1])]
            if len(xy) >= n:
                return xy[np.sort(rng.choice(len(xy), n, replace=False))], s
            s *= 0.95
    raise ValueError(f"{n} groenvakken do not fit in the gemeente")


def groenvak_batches(n: int, bebouwd: BaseGeometry, gemeente: BaseGeometry, seed: int,
                     batch_size: int = 50_000
                     ) -> Iterator[tuple[list[str], np.ndarray, np.ndarray]]:
    """Yield (extern_ids, soorten, MultiPolygons) batches of n non-overlapping benchmark plots."""
    rng = np.random.default_rng(seed)
    centres, cell = _pick_cells(n, bebouwd, gemeente, rng)
    for start in range(0, n, batch_size):
        part = centres[start:start + batch_size]
        soorten = rng.choice(_SOORTEN, len(part), p=_SOORT_P)
        ids = [f"GEN{i:07d}" for i in range(start + 1, start + len(part) + 1)]
        yield ids, soorten, plots(part, cell, soorten, rng)


def build_gemeente(seed: int = 9901, scale: float = 1.0) -> DemoGemeente:
    """Build the whole fictional gemeente Lindewaard deterministically from ``seed``.

    ``scale`` > 1 builds a denser world with about ``scale`` times the streets and addresses
    (benchmarks); the gebieden, kom and the 5,000 groenvakken' rules stay the same."""
    rngs = [np.random.default_rng([seed, k]) for k in range(5)]
    outline = _blob(CENTRE, 8_000, 6_000, rngs[0], wobble=0.16, n=72)
    town, dorp = _seeds(outline, rngs[0])
    town_kom = shapely.intersection(_blob(TOWN, 2_250, 2_150, rngs[1]), outline, grid_size=GRID)
    dorp_kom = [shapely.intersection(_blob(d, r, r * rngs[1].uniform(0.8, 1.0), rngs[1],
                                           wobble=0.15, n=24), outline, grid_size=GRID)
                for d, r in zip(dorp, rngs[1].uniform(420, 560, len(dorp)), strict=True)]
    gebieden, gem_geom = _gebieden(outline, town, dorp, dorp_kom, rngs[2])
    koms = [town_kom, *dorp_kom]
    kom = gpd.GeoDataFrame({"naam": [nm.GEMEENTE_NAAM, *nm.DORPEN]},
                           geometry=[_multi(k) for k in koms], crs=CRS)
    bu = gebieden[gebieden.soort == "buurt"]
    wereld = synth_geografie.build(
        gem_geom, TOWN, town, dorp, nm.DORPEN, nm.GEMEENTE_NAAM,
        list(zip(bu.code, bu.naam, bu.geometry.values, strict=True)), koms, seed, scale)
    lagen = synth_lagen.bouw(wereld, gebieden, seed, DEMO_GROENVAKKEN)
    gemeente = gpd.GeoDataFrame({"code": [nm.GEMEENTE_CODE], "naam": [nm.GEMEENTE_NAAM]},
                                geometry=[gem_geom], crs=CRS)
    return DemoGemeente(seed, gemeente, gebieden, kom, lagen.voorzieningen, lagen.groenvakken,
                        lagen.adressen, lagen.straten, lagen.panden, lagen.water, lagen.terrein)
