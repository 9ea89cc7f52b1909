"""Buildings of the demo gemeente: rows of houses along the blocks' street sides, flats,
farms along the rural roads. Each building knows its front (where its address lies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

GAP = 0.15  # m between neighbouring buildings, so footprints never touch


@dataclass(frozen=True)
class Bouw:
    """How one block is built up: facade width, gap, depth and addresses per building."""

    width: float
    gap: float
    depth: float
    units: int


# Building types with (weight in the town, weight in the dorpen, type).
TYPES: list[tuple[float, float, Bouw]] = [
    (0.48, 0.15, Bouw(6.6, GAP, 9.5, 1)),     # rijtjeshuizen
    (0.26, 0.35, Bouw(9.0, 4.5, 9.0, 1)),     # twee-onder-een-kap
    (0.14, 0.45, Bouw(12.0, 10.0, 11.0, 1)),  # vrijstaand
    (0.08, 0.05, Bouw(20.0, 8.0, 12.0, 4)),   # portiekflats
    (0.04, 0.00, Bouw(42.0, 14.0, 13.0, 16)),  # galerijflats
]
CENTRUM = Bouw(9.0, GAP, 14.0, 2)  # shops with homes above, in the old centre


@dataclass
class Panden:
    """Footprints with the front point (for the address), the facade direction and units."""

    geoms: np.ndarray
    front: np.ndarray  # (n, 2): just inside the facade, at its middle
    along: np.ndarray  # (n, 2): unit vector along the facade
    units: np.ndarray
    block: np.ndarray  # index of the block (or -1 outside blocks)


def _edges(parts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, end and owning part of every exterior edge, rings counter-clockwise."""
    rings = shapely.get_exterior_ring(shapely.orient_polygons(parts))
    xy, idx = shapely.get_coordinates(rings, return_index=True)
    same = idx[1:] == idx[:-1]
    return xy[:-1][same], xy[1:][same], idx[:-1][same]


def rows(parts: np.ndarray, part_block: np.ndarray, bouw: list[Bouw],
         rng: np.random.Generator) -> Panden:
    """Buildings side by side along every edge of the buildable parts, facing the street.

    A building must fit wholly inside its part; where two overlap (sharp corners) the later one
    is dropped."""
    p0, p1, owner = _edges(parts)
    vec = p1 - p0
    length = np.hypot(vec[:, 0], vec[:, 1])
    ok = length > 1e-6
    p0, vec, length, owner = p0[ok], vec[ok], length[ok], owner[ok]
    u = vec / length[:, None]
    n = np.column_stack([-u[:, 1], u[:, 0]])  # inward: left of a counter-clockwise ring
    width = np.array([bouw[o].width for o in owner])
    gap = np.array([bouw[o].gap for o in owner])
    depth = np.array([bouw[o].depth for o in owner])
    units = np.array([bouw[o].units for o in owner])
    corner = depth + 0.5
    usable = length - 2 * corner
    k = np.maximum(np.floor((usable + gap) / (width + gap)), 0).astype(int)
    e = np.repeat(np.arange(len(k)), k)
    j = np.arange(len(e)) - np.repeat(np.cumsum(k) - k, k)
    start = corner[e] + (usable[e] - (k[e] * (width[e] + gap[e]) - gap[e])) / 2
    s = start + j * (width[e] + gap[e])
    a = p0[e] + u[e] * s[:, None] + n[e] * 0.05  # off the edge: rounding stays inside
    b = a + u[e] * width[e][:, None]
    d = depth[e][:, None] * n[e]
    quads = np.round(np.stack([a, b, b + d, a + d, a], axis=1), 2)
    geoms = shapely.polygons(quads)
    inside = shapely.within(geoms, parts[owner[e]])
    front = (a + b) / 2 + n[e] * 1.0
    unit_n = np.where(units[e] > 1, rng.integers(-1, 2, len(e)) + units[e], 1)
    keep = np.flatnonzero(inside)
    geoms = geoms[keep]
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    clash = np.zeros(len(geoms), dtype=bool)
    clash[right[left < right]] = True
    keep = keep[~clash]
    return Panden(geoms[~clash], np.round(front[keep], 2), u[e][keep],
                  np.maximum(unit_n[keep], 1), part_block[owner[e][keep]])


def farms(roads: np.ndarray, avoid: BaseGeometry, outline: BaseGeometry,
          rng: np.random.Generator, spacing: float = 420.0) -> Panden:
    """Farmhouses along rural roads, alternating sides, set back 35 m."""
    geoms, fronts, alongs = [], [], []
    shapely.prepare(avoid)
    inner = outline.buffer(-40)
    shapely.prepare(inner)
    for road in roads:
        count = int(road.length // spacing)
        for i in range(count):
            t = (i + 0.5 + rng.uniform(-0.2, 0.2)) * road.length / max(count, 1)
            p = np.array(road.interpolate(t).coords[0])
            q = np.array(road.interpolate(min(t + 1.0, road.length)).coords[0])
            u = (q - p) / max(np.linalg.norm(q - p), 1e-9)
            side = 1.0 if (i % 2 == 0) else -1.0
            n = side * np.array([-u[1], u[0]])
            a = p + n * 30.0 - u * 11.0
            quad = np.round([a, a + 22 * u, a + 22 * u + 14 * n, a + 14 * n, a], 2)
            geom = shapely.Polygon(quad)
            if avoid.intersects(geom) or not inner.contains(geom):
                continue
            geoms.append(geom)
            fronts.append(np.round(p + n * 31.0, 2))
            alongs.append(u)
    m = len(geoms)
    return Panden(np.array(geoms, dtype=object), np.array(fronts).reshape(m, 2),
                  np.array(alongs).reshape(m, 2), np.ones(m, dtype=int),
                  np.full(m, -1))


def concat(parts: list[Panden]) -> Panden:
    """All buildings in one set, in the given order."""
    return Panden(np.concatenate([p.geoms for p in parts]),
                  np.concatenate([p.front for p in parts]),
                  np.concatenate([p.along for p in parts]),
                  np.concatenate([p.units for p in parts]),
                  np.concatenate([p.block for p in parts]))
