"""The demo street network: main roads between town and dorpen, avenues along buurt borders,
a slightly rotated, slightly irregular grid of streets per buurt, and paths through parks.

Lines are noded on the 1 cm grid (every crossing becomes a shared vertex), short dangles are
trimmed, the largest connected component is kept, and pieces of one named street are merged
only through plain bends, so every junction is a line end: ready for pgRouting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.ops
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from app.geo import netwerk
from app.geo import synth_straatnamen as sn

GRID = 0.01
DANGLE = 4.0  # m: pieces this short that end nowhere are clipping leftovers
# soort -> (half width of the paved surface, distance from the centre line to the facades)
SOORTEN: dict[str, tuple[float, float]] = {
    "hoofdweg": (6.0, 24.0), "laan": (5.0, 14.0), "straat": (3.5, 9.0),
    "landweg": (3.0, 20.0), "fietspad": (1.5, 3.0), "voetpad": (1.0, 2.5),
}


@dataclass(frozen=True)
class Zone:
    """A residential area: the part of one buurt inside a bebouwde kom."""

    buurt: str
    gebied: int  # index of the wijk/dorp (0..9 town wijken, 10.. dorpen)
    woonplaats: str
    dorp: bool
    geom: Polygon


@dataclass
class Lines:
    """Source lines with their name, soort and woonplaats, before noding."""

    geoms: list[BaseGeometry] = field(default_factory=list)
    naam: list[str] = field(default_factory=list)
    soort: list[str] = field(default_factory=list)

    def add(self, geom: BaseGeometry, naam: str, soort: str) -> None:
        for part in shapely.get_parts(shapely.line_merge(geom) if not geom.is_empty else geom):
            if part.length > 0.05:
                self.geoms.append(part)
                self.naam.append(naam)
                self.soort.append(soort)

    def extend(self, other: Lines) -> None:
        self.geoms += other.geoms
        self.naam += other.naam
        self.soort += other.soort


def zones(buurten: list[tuple[str, str, BaseGeometry]], koms: list[BaseGeometry],
          woonplaatsen: list[str], n_town: int) -> list[Zone]:
    """Buurt ∩ kom, split into parts of at least 2 ha (smaller slivers stay green)."""
    out = []
    for code, _, geom in buurten:
        g = int(code[6:8])
        dorp = g >= n_town
        kom = koms[1 + g - n_town] if dorp else koms[0]
        for part in shapely.get_parts(shapely.intersection(geom, kom, grid_size=GRID)):
            if isinstance(part, Polygon) and part.area >= 20_000:
                out.append(Zone(code, g, woonplaatsen[g], dorp, part))
    return out


def main_roads(town: np.ndarray, dorpen: np.ndarray, dorp_namen: list[str],
               koms: list[BaseGeometry], outline: BaseGeometry, wegen: list[LineString],
               rng: np.random.Generator) -> Lines:
    """Radials from the town centre to every dorp, rural roads between neighbouring dorpen,
    and the Rondweg around the town; named by where each piece lies."""
    lines = Lines()
    inside = outline.buffer(-60)
    for d, weg in enumerate(wegen):
        binnen, buiten = sn.radiaal(dorp_namen[d])
        weg = shapely.intersection(weg, inside)
        lines.add(shapely.intersection(weg, koms[0]), binnen, "hoofdweg")
        lines.add(shapely.intersection(weg, koms[1 + d]), sn.DORPSSTRAAT, "straat")
        lines.add(shapely.difference(weg, shapely.union(koms[0], koms[1 + d])), buiten,
                  "hoofdweg")
    n = len(dorpen)
    for d in range(n):
        a, b = dorpen[d], dorpen[(d + 1) % n]
        mid = (a + b) / 2
        out = mid - town
        mid = mid + out / np.linalg.norm(out) * rng.uniform(200, 700)
        weg = shapely.intersection(LineString([a, mid, b]), inside)
        rest = weg
        for k, naam in ((d, sn.KERKWEG), ((d + 1) % n, sn.MOLENWEG)):
            lines.add(shapely.intersection(weg, koms[1 + k]), naam, "straat")
            rest = shapely.difference(rest, koms[1 + k])
        lines.add(rest, sn.POLDERWEGEN[d % len(sn.POLDERWEGEN)], "landweg")
    lines.add(koms[0].exterior if isinstance(koms[0], Polygon) else koms[0].boundary,
              sn.RONDWEG, "hoofdweg")
    return lines


def borders(town_zones: list[Zone], namer: sn.Namer) -> Lines:
    """An avenue along every border between two town zones."""
    lines = Lines()
    geoms = np.array([z.geom for z in town_zones], dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="touches")
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        shared = shapely.line_merge(shapely.intersection(geoms[i].boundary, geoms[j].boundary))
        for part in shapely.get_parts(shared):
            if part.geom_type == "LineString" and part.length >= 60:
                lines.add(part, namer.laan(town_zones[i].woonplaats), "laan")
    return lines


def lattice(zone: Zone, namer: sn.Namer, thema: tuple[list[str], list[str]], density: float,
            rng: np.random.Generator, strekking: float | None = None) -> Lines:
    """Two families of nearly parallel streets at a random angle, clipped to the zone.

    ``density`` > 1 brings the streets closer together (benchmark worlds); ``strekking`` (m)
    gives every stretch of about that length its own name, as in a large town, instead of one
    name per line across the zone."""
    lines = Lines()
    centre = np.array(zone.geom.centroid.coords[0])
    reach = math.hypot(*np.subtract(zone.geom.bounds[2:], zone.geom.bounds[:2])) / 2 + 50
    angle = rng.uniform(0, math.pi / 2)
    clip = zone.geom.buffer(2.0, join_style="mitre")
    for family, (lo, hi) in enumerate(((110.0, 160.0), (160.0, 240.0))):
        th = angle + family * math.pi / 2
        along = np.array([math.cos(th), math.sin(th)])
        across = np.array([-along[1], along[0]])
        lo, hi = lo / density, hi / density
        offsets = np.cumsum(rng.uniform(lo, hi, int(2 * reach / lo) + 2))
        offsets = offsets - reach - rng.uniform(0, lo)
        for off in offsets[offsets < reach]:
            tilt = rng.uniform(-0.012, 0.012) / density
            d = along + tilt * across
            p = centre + off * across
            line = LineString([p - reach * d, p + reach * d])
            piece = shapely.intersection(line, clip)
            if piece.length < 40:
                continue
            for stretch in [piece] if strekking is None else _stretches(piece, strekking):
                lines.add(stretch, namer.straat(zone.woonplaats, thema), "straat")
    return lines


def _stretches(piece: BaseGeometry, strekking: float) -> list[BaseGeometry]:
    """A clipped street cut into equal stretches of about ``strekking`` metres."""
    out = []
    for part in shapely.get_parts(shapely.line_merge(piece)):
        n = max(1, round(part.length / strekking))
        out += [shapely.ops.substring(part, k * part.length / n, (k + 1) * part.length / n)
                for k in range(n)]
    return out


def node(lines: Lines) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Noded segments with the name and soort of the source line each lies on."""
    src = np.array(lines.geoms, dtype=object)
    noded = shapely.get_parts(shapely.union_all(src, grid_size=GRID))
    noded = noded[shapely.get_type_id(noded) == 1]
    mids = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    owner = shapely.STRtree(src).nearest(mids)
    naam = np.array(lines.naam, dtype=object)[owner]
    soort = np.array(lines.soort, dtype=object)[owner]
    return noded, naam, soort


def clean(segs: np.ndarray, naam: np.ndarray, soort: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trim clipping leftovers and keep only the largest connected component."""
    for _ in range(2):
        nodes, n = netwerk.node_ids(segs)
        deg = netwerk.degrees(nodes, n)
        dangling = (deg[nodes] == 1).any(axis=1) & (shapely.length(segs) < DANGLE)
        segs, naam, soort = segs[~dangling], naam[~dangling], soort[~dangling]
    nodes, n = netwerk.node_ids(segs)
    labels = netwerk.component_labels(nodes, n)
    values, counts = np.unique(labels, return_counts=True)
    keep = labels == values[np.argmax(counts)]
    return segs[keep], naam[keep], soort[keep]


def merge(segs: np.ndarray, naam: np.ndarray, soort: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One LineString per stretch of a street between junctions (or dead ends)."""
    nodes, n = netwerk.node_ids(segs)
    keys = [f"{a}\x00{b}" for a, b in zip(naam, soort, strict=True)]
    labels = netwerk.chains(nodes, n, keys)
    _, group = np.unique(labels, return_inverse=True)
    order = np.argsort(group, kind="stable")
    merged = shapely.line_merge(shapely.multilinestrings(segs[order], indices=group[order]))
    first = order[np.searchsorted(group[order], np.arange(group.max() + 1))]
    out, n_out, s_out = [], [], []
    for g, geom in enumerate(merged):
        for part in shapely.get_parts(geom):  # a chain is one line; parts only as a safeguard
            out.append(part)
            n_out.append(naam[first[g]])
            s_out.append(soort[first[g]])
    return np.array(out, dtype=object), np.array(n_out, dtype=object), np.array(s_out,
                                                                                 dtype=object)
