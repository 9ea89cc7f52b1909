"""Water, building blocks and land use of the demo gemeente.

Blocks are the faces the street network encloses inside a bebouwde kom. Most get houses; some
become parks (with a pond and paths corner to corner), one a cemetery, the smallest stay green.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from app.geo import synth_straatnamen as sn
from app.geo.synth_straten import GRID, SOORTEN, Lines

PLANTSOEN_M2 = 2_500  # blocks smaller than this stay green
PARK_M2 = 6_000  # blocks at least this large may become a park


def ring(centre: np.ndarray, rx: float, ry: float, rng: np.random.Generator,
         n: int = 64) -> LineString:
    """A closed, gently wobbling ring (the singel around the old centre)."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = 1 + 0.05 * np.sin(3 * t + rng.uniform(0, 6)) + 0.03 * np.sin(5 * t + rng.uniform(0, 6))
    xy = np.column_stack([centre[0] + rx * r * np.cos(t), centre[1] + ry * r * np.sin(t)])
    return LineString(np.round(np.vstack([xy, xy[:1]]), 2))


@dataclass(frozen=True)
class Water:
    """Water bodies (naam, soort, polygon) and the towpath beside the canal."""

    naam: list[str]
    soort: list[str]
    geoms: list[BaseGeometry]
    jaagpad: BaseGeometry


def water(town: np.ndarray, towards: np.ndarray, outline: BaseGeometry,
          rng: np.random.Generator) -> Water:
    """A singel around the old centre and a vaart from it out of the gemeente."""
    singel_line = ring(town, 330, 300, rng)
    singel = shapely.buffer(singel_line, 7.0)
    direction = (towards - town) / np.linalg.norm(towards - town)
    start = np.array(shapely.intersection(
        singel_line, LineString([town, town + 2_000 * direction])).coords[0])
    far = start + 30_000 * direction
    bend = start + 1_500 * direction + rng.uniform(-150, 150) * np.array([-direction[1],
                                                                          direction[0]])
    axis = shapely.intersection(LineString([start, bend, far]), outline)
    vaart = shapely.buffer(axis, 6.0, cap_style="flat")
    side = shapely.offset_curve(axis, 13.0)
    jaagpad = shapely.intersection(side, outline.buffer(-80)).difference(singel.buffer(5))
    return Water(["Singel", "Lindevaart"], ["singel", "vaart"],
                 [shapely.set_precision(singel, GRID), shapely.set_precision(vaart, GRID)],
                 jaagpad)


def faces(segments: np.ndarray, helpers: list[BaseGeometry],
          kom: BaseGeometry) -> np.ndarray:
    """Polygons enclosed by the streets (and the kom edges) inside the kom."""
    noded = shapely.union_all([*segments, *helpers], grid_size=GRID)
    out = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    shapely.prepare(kom)
    result: np.ndarray = out[shapely.contains(kom, shapely.point_on_surface(out))]
    return result


def _diagonal(face: Polygon, angle: float) -> LineString:
    """Corner to corner across a block, between its outermost vertices in one direction."""
    xy = shapely.get_coordinates(face.exterior)[:-1]
    proj = xy @ np.array([math.cos(angle), math.sin(angle)])
    return LineString([xy[np.argmin(proj)], xy[np.argmax(proj)]])


@dataclass(frozen=True)
class Terrein:
    """Land use polygons with their soort and name."""

    naam: list[str | None]
    soort: list[str]
    geoms: list[BaseGeometry]


def parks(blocks: np.ndarray, block_zone: np.ndarray, n_zones: int, begraaf: set[int],
          rng: np.random.Generator) -> tuple[np.ndarray, Lines, Terrein, list[BaseGeometry]]:
    """Choose park blocks (one per zone with room, a few more), their paths and ponds.

    Returns the park block mask, path lines, park and cemetery terreinen, and ponds."""
    area = shapely.area(blocks)
    is_park = np.zeros(len(blocks), dtype=bool)
    for z in range(n_zones):
        big = np.flatnonzero((block_zone == z) & (area >= PARK_M2))
        if len(big):
            is_park[big[rng.integers(len(big))]] = True
    is_park |= (area >= PARK_M2) & (rng.random(len(blocks)) < 0.07)
    for c in begraaf:
        is_park[c] = False
    paths, terrein = Lines(), Terrein([], [], [])
    ponds: list[BaseGeometry] = []
    for k, b in enumerate(np.flatnonzero(is_park).tolist()):
        face = blocks[b]
        angle = rng.uniform(0, math.pi)
        diagonals = [_diagonal(face, angle), _diagonal(face, angle + math.pi / 2)]
        for j, diag in enumerate(diagonals):
            paths.add(diag, sn.PARKPADEN[(k + j) % len(sn.PARKPADEN)],
                      "fietspad" if j == 0 else "voetpad")
        inner = face.buffer(-SOORTEN["straat"][0] - 1.0)
        room = inner.difference(shapely.union_all(diagonals).buffer(4.0))
        if not room.is_empty:
            biggest = max(shapely.get_parts(room), key=lambda p: p.area)
            circle = shapely.maximum_inscribed_circle(biggest)
            radius = min(circle.length * 0.7, 30.0)
            if radius >= 6:
                centre = np.array(circle.coords[0])
                t = np.linspace(0, 2 * math.pi, 24, endpoint=False)
                r = radius * (1 + 0.12 * np.sin(2 * t + rng.uniform(0, 6)))
                ponds.append(shapely.set_precision(Polygon(np.round(np.column_stack(
                    [centre[0] + r * np.cos(t), centre[1] + r * np.sin(t)]), 2)), GRID))
        terrein.naam.append(None)
        terrein.soort.append("park")
        terrein.geoms.append(inner)
    for b in sorted(begraaf):
        terrein.naam.append("Algemene begraafplaats")
        terrein.soort.append("begraafplaats")
        terrein.geoms.append(blocks[b].buffer(-SOORTEN["straat"][0] - 1.0))
    return is_park, paths, terrein, ponds
