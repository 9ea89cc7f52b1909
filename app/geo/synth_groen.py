"""Groenvakken where green lies in a real town: big plots in parks and green blocks, smaller
ones in the wide verges of main roads and at corners, tree pits and hedges along streets.

Every plot lies inside its own circle (or, for hedges, its own strip), in public space: never on
a road, a building, water or someone's garden. Shapes per soort as in synth_names.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo import synth_names as nm
from app.geo.synth_straten import GRID, SOORTEN

# Circle diameters (m) of the plot classes: parks and green blocks, verges of main roads and
# corners, verges of avenues, tree pits beside streets.
GROOT, MIDDEL, BERM, KLEIN = 34.0, 14.0, 8.0, 4.6
VERGE = (SOORTEN["straat"][0] + 0.3, SOORTEN["straat"][1] - 0.4)  # public strip beside a street
VERGE_HAAG = (VERGE[0] + 0.3, VERGE[0] + 1.2)
# Which class a soort takes, in order of preference; hedges are strips along streets.
VOORKEUR = {"bosplantsoen": (GROOT, MIDDEL), "moestuin": (GROOT, MIDDEL),
            "boomspiegel": (KLEIN, BERM), "bloemenperk": (BERM, MIDDEL, KLEIN),
            "heesters": (MIDDEL, BERM, GROOT), "gras": (GROOT, MIDDEL, BERM)}
CLEAR_PAND, CLEAR_WEG = 0.5, 0.3  # m between a plot and a building / a paved surface
MAX_CAND = 15_000  # candidate places per class


def unit_shape(kind: str, m: int, rng: np.random.Generator) -> np.ndarray:
    """Local (m, k, 2) vertex arrays of one shape kind at arbitrary scale, centred on 0."""
    if kind in ("rect", "square", "strip"):
        h = np.ones(m) if kind == "square" else rng.uniform(0.3, 1.0, m)
        x = np.array([-0.5, 0.5, 0.5, -0.5])[None, :] * np.ones((m, 1))
        return np.stack([x, np.array([-0.5, -0.5, 0.5, 0.5])[None, :] * h[:, None]], -1)
    if kind == "lshape":
        a, b, h = rng.uniform(0.35, 0.65, m), rng.uniform(0.35, 0.65, m), rng.uniform(0.6, 1, m)
        z, o = np.zeros(m), np.ones(m)
        xs = np.stack([z, o, o, b, b, z], -1) - 0.5
        ys = (np.stack([z, z, a, a, o, o], -1) - 0.5) * h[:, None]
        return np.stack([xs, ys], -1)
    k = {"convex": 7, "oval": 16, "octagon": 8, "star": 10}[kind]
    jit = 0.3 if kind in ("convex", "star") else 0.0
    t = 2 * math.pi * (np.arange(k)[None, :] + rng.uniform(-jit, jit, (m, k))) / k
    t = t + (math.pi / 8 if kind == "octagon" else 0.0)
    r = rng.uniform(0.65, 1.0, (m, k)) if kind == "star" else np.ones((m, k))
    b = np.ones(m) if kind in ("octagon", "star") else rng.uniform(0.45, 1.0, m)
    return np.stack([r * np.cos(t), r * np.sin(t) * b[:, None]], -1)


def plots(centres: np.ndarray, cell: float, soorten: np.ndarray, rng: np.random.Generator,
          disk: bool = False) -> np.ndarray:
    """Vectorised groenvak shapes, each inside its own cell so plots can never overlap.

    The cell is a square of side ``cell`` around the centre, or with ``disk`` the circle of
    diameter ``cell`` (for centres spaced along a line rather than on a square grid)."""
    m, r_max = len(centres), 0.45 * cell
    kinds = np.empty(m, dtype=object)
    area = np.empty(m)
    for soort, (_, lo, hi, kp) in nm.GROENVAK_SOORTEN.items():
        sel = soorten == soort
        kinds[sel] = rng.choice(list(kp), sel.sum(), p=list(kp.values()))
        area[sel] = np.clip(np.exp(rng.uniform(math.log(lo), math.log(hi), sel.sum())), 5.1, 495)
    out = np.empty(m, dtype=object)
    for kind in sorted(set(kinds)):
        idx = np.flatnonzero(kinds == kind)
        xy = unit_shape(kind, len(idx), rng)
        if kind == "strip":  # hedge: fixed 1–1.5 m width, length from area, clamped to the cell
            w = rng.uniform(1.0, 1.5, len(idx))
            length = np.minimum(area[idx] / w, 2 * np.sqrt(r_max**2 - (w / 2) ** 2))
            xy = xy * np.stack([length, w / np.abs(xy[:, 2, 1] - xy[:, 0, 1])], -1)[:, None, :]
        else:
            x, y = xy[..., 0], xy[..., 1]
            a0 = 0.5 * np.abs((x * np.roll(y, -1, 1) - np.roll(x, -1, 1) * y).sum(1))
            xy = xy * np.sqrt(area[idx] / a0)[:, None, None]
        reach = np.linalg.norm(xy, axis=-1).max(1)
        xy = xy * np.minimum(1.0, r_max / reach)[:, None, None]
        reach = np.minimum(reach, r_max)
        th = rng.uniform(0, math.pi, len(idx))[:, None]
        c, s = np.cos(th), np.sin(th)
        rot = np.stack([xy[..., 0] * c - xy[..., 1] * s, xy[..., 0] * s + xy[..., 1] * c], -1)
        slack = (cell / 2 - reach - 0.05)[:, None]
        jitter = rng.uniform(-1, 1, (len(idx), 2)) * (math.sqrt(0.5) if disk else 1.0)
        shift = centres[idx] + jitter * slack
        out[idx] = shapely.polygons(np.round(rot + shift[:, None, :], 2))
    result: np.ndarray = shapely.multipolygons(out, indices=np.arange(m))
    return result


def _hex(zone: BaseGeometry, d: float) -> np.ndarray:
    """Centres of circles of diameter d on a hexagonal grid, each circle inside the zone."""
    inner = zone.buffer(-(d / 2 + 0.05))
    if inner.is_empty:
        return np.zeros((0, 2))
    x0, y0, x1, y1 = inner.bounds
    ys = np.arange(y0, y1 + d, d * math.sqrt(0.75))
    xx, yy = np.meshgrid(np.arange(x0, x1 + d, d), ys)
    xx = xx + (np.arange(len(ys)) % 2)[:, None] * d / 2
    xy = np.column_stack([xx.ravel(), yy.ravel()])
    shapely.prepare(inner)
    result: np.ndarray = xy[shapely.contains_xy(inner, xy[:, 0], xy[:, 1])]
    return result


def _along(lines: np.ndarray, offset: float, d: float, zone: BaseGeometry) -> np.ndarray:
    """Centres every d metres on both sides of the lines, each circle inside the zone."""
    pts = []
    for side in (offset, -offset):
        curves = shapely.offset_curve(lines, side)
        for c in shapely.get_parts(curves):
            n = int(c.length // d)
            if n:
                pts.append(shapely.get_coordinates(
                    shapely.line_interpolate_point(c, (np.arange(n) + 0.5) * d)))
    if not pts:
        return np.zeros((0, 2))
    xy = np.concatenate(pts)
    inner = zone.buffer(-(d / 2 + 0.05))
    shapely.prepare(inner)
    result: np.ndarray = xy[shapely.contains_xy(inner, xy[:, 0], xy[:, 1])]
    return result


def _corners(blocks: np.ndarray, r: float) -> np.ndarray:
    """Centres of corner plantsoenen: on each block corner's bisector, a circle of radius r
    just clear of the verges of both streets."""
    rings = shapely.get_exterior_ring(shapely.orient_polygons(blocks))
    xy, idx = shapely.get_coordinates(rings, return_index=True)
    out = []
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    for part in np.split(xy, starts[1:]):  # one closed ring per block
        ring = part[:-1]
        prev, nxt = np.roll(ring, 1, axis=0) - ring, np.roll(ring, -1, axis=0) - ring
        prev = prev / np.linalg.norm(prev, axis=1)[:, None]
        nxt = nxt / np.linalg.norm(nxt, axis=1)[:, None]
        bis = prev + nxt
        norm = np.linalg.norm(bis, axis=1)
        ok = norm > 0.2  # not a straight (or reflex-free) vertex
        half_sin = np.sqrt(np.clip((1 - (prev * nxt).sum(1)) / 2, 1e-9, 1))
        dist = (VERGE[0] + r + CLEAR_WEG) / half_sin
        out.append(ring[ok] + bis[ok] / norm[ok, None] * dist[ok, None])
    return np.round(np.concatenate(out), 2) if out else np.zeros((0, 2))


def _clear(xy: np.ndarray, r: float, streets: np.ndarray, half: np.ndarray,
           solid: np.ndarray) -> np.ndarray:
    """Circles of radius r that keep clear of paved surfaces and of buildings, water etc."""
    ok = np.ones(len(xy), dtype=bool)
    pts = shapely.points(xy)
    i, j = shapely.STRtree(streets).query(pts, "dwithin", distance=r + half.max() + CLEAR_WEG)
    close = shapely.distance(pts[i], streets[j]) < r + half[j] + CLEAR_WEG
    ok[i[close]] = False
    i, _ = shapely.STRtree(solid).query(pts, "dwithin", distance=r + CLEAR_PAND)
    ok[i] = False
    return ok


def _thin(xy: np.ndarray, d: float, blockers: list[np.ndarray]) -> np.ndarray:
    """Keep circles that overlap neither an earlier kept one nor any blocker."""
    keep = np.ones(len(xy), dtype=bool)
    discs = shapely.buffer(shapely.points(xy), d / 2 - 0.01, quad_segs=4)
    for blocker in blockers:
        if len(blocker):
            hit, _ = shapely.STRtree(blocker).query(discs, "intersects")
            keep[hit] = False
    left, right = shapely.STRtree(discs).query(discs, predicate="intersects")
    for a, b in sorted(zip(left.tolist(), right.tolist(), strict=True)):
        if a < b and keep[a]:
            keep[b] = False
    return keep


def _passes(streets: np.ndarray, n: int, out: list[BaseGeometry],
            rng: np.random.Generator) -> Iterator[int]:
    """Street indices in random order until n hedges are out; a sparse town gets more tries."""
    for _ in range(8):
        for s in rng.permutation(len(streets)):
            if len(out) >= n:
                return
            yield int(s)


def hagen(streets: np.ndarray, n: int, blocked: np.ndarray, roads: np.ndarray,
          kom: BaseGeometry, rng: np.random.Generator) -> np.ndarray:
    """Hedges: strips 1–1.5 m wide in the verge along straight stretches of street.

    ``roads`` are the paved surfaces of every street and path; a hedge keeps clear of them."""
    out: list[BaseGeometry] = []
    tree = shapely.STRtree(np.concatenate([blocked, roads]))
    for s in _passes(streets, n, out, rng):
        xy = shapely.get_coordinates(streets[s])
        seg = int(rng.integers(len(xy) - 1))
        p, q = xy[seg], xy[seg + 1]
        length = float(np.hypot(*(q - p)))
        w = float(rng.uniform(1.0, 1.5))
        size = min(float(np.exp(rng.uniform(math.log(6.0), math.log(60.0)))) / w, length - 30.0)
        if size < 4.0:
            continue
        u = (q - p) / length
        nrm = np.array([-u[1], u[0]]) * (1 if rng.random() < 0.5 else -1)
        a = p + u * rng.uniform(15.0, length - 15.0 - size) + nrm * rng.uniform(*VERGE_HAAG)
        geom = shapely.Polygon(np.round([a, a + u * size, a + u * size + nrm * w, a + nrm * w,
                                         a], 2))
        near = geom.buffer(CLEAR_PAND)
        if not kom.contains(geom) or tree.query(near, "intersects").size or any(
                near.intersects(o) for o in out):
            continue
        out.append(geom)
    return np.array(out, dtype=object)


def groenvakken(n: int, kom: BaseGeometry, straat: tuple[np.ndarray, np.ndarray, np.ndarray],
                panden: np.ndarray, water: list[BaseGeometry], parks: list[BaseGeometry],
                green_blocks: np.ndarray, house_blocks: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(soort, MultiPolygon, nearest street name) of n plots, in a stable spatial order."""
    geoms, naam, soort = straat
    half = np.array([SOORTEN[s][0] for s in soort])
    solid = np.concatenate([panden, np.array(water, dtype=object)])
    shapely.prepare(kom)
    in_kom = shapely.intersects(kom, geoms)
    counts = dict(zip(*np.unique(rng.choice(list(nm.GROENVAK_SOORTEN), n, p=[
        v[0] for v in nm.GROENVAK_SOORTEN.values()]), return_counts=True), strict=True))
    streets = geoms[(soort == "straat") & in_kom]
    roads = shapely.buffer(geoms, half + CLEAR_WEG - CLEAR_PAND, cap_style="flat")
    hedge = hagen(streets, int(counts.get("haag", 0)), solid, roads, kom, rng)

    green = shapely.union_all([*parks, *shapely.buffer(green_blocks, -4.5)], grid_size=GRID)
    green = shapely.intersection(green, kom)
    main = geoms[(soort == "hoofdweg") & in_kom]
    lanen = geoms[(soort == "laan") & in_kom]
    cand = {
        GROOT: _hex(green, GROOT),
        MIDDEL: np.concatenate([_hex(green, MIDDEL), _corners(house_blocks, MIDDEL / 2),
                                _along(main, 15.0, MIDDEL, kom)]),
        BERM: _along(lanen, 9.5, BERM, kom),
        KLEIN: _along(streets, sum(VERGE) / 2, KLEIN, kom),
    }
    taken: list[np.ndarray] = [hedge]
    slots: dict[float, np.ndarray] = {}
    for d, xy in cand.items():
        if len(xy) > MAX_CAND:  # plenty: a random sample keeps the checks quick
            xy = xy[np.sort(rng.choice(len(xy), MAX_CAND, replace=False))]
        inner = kom.buffer(-(d / 2 + 0.05))
        xy = xy[shapely.contains_xy(inner, xy[:, 0], xy[:, 1])]
        xy = xy[_clear(xy, d / 2, geoms, half, solid)]
        xy = xy[_thin(xy, d, taken)]
        slots[d] = xy[rng.permutation(len(xy))]
        taken.append(shapely.buffer(shapely.points(slots[d]), d / 2 - 0.01, quad_segs=4))
    used = dict.fromkeys(slots, 0)
    centres: dict[float, list[np.ndarray]] = {d: [] for d in slots}
    kinds: dict[float, list[str]] = {d: [] for d in slots}
    for s, classes in VOORKEUR.items():
        need = int(counts.get(s, 0))
        for d in classes:
            take = min(need, len(slots[d]) - used[d])
            centres[d].append(slots[d][used[d]:used[d] + take])
            kinds[d] += [s] * take
            used[d] += take
            need -= take
        if need:
            raise ValueError(f"no room for {need} groenvakken of soort {s}")
    out_s, out_g = [np.full(len(hedge), "haag", dtype=object)], [
        shapely.multipolygons(hedge, indices=np.arange(len(hedge)))]
    for d in slots:
        if kinds[d]:
            k = np.array(kinds[d], dtype=object)
            out_s.append(k)
            out_g.append(plots(np.concatenate(centres[d]), d, k, rng, disk=True))
    soorten, plots_ = np.concatenate(out_s), np.concatenate(out_g)
    if len(plots_) < n:
        raise ValueError(f"only {len(plots_)} of {n} groenvakken found room")
    c = shapely.get_coordinates(shapely.centroid(plots_))
    order = np.lexsort((c[:, 0], -np.floor(c[:, 1] / 250.0)))
    road = np.flatnonzero(np.isin(soort, ["straat", "laan", "hoofdweg"]))
    near = naam[road[shapely.STRtree(geoms[road]).nearest(shapely.centroid(plots_[order]))]]
    return soorten[order], plots_[order], near
