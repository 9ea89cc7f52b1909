"""Synthetic groenvakken for the demo gemeente and benchmarks: many small plots of realistic
shapes and sizes, each in its own grid cell of the built-up area, so they never overlap.

Split from app.geo.synth (the gemeente itself), which places the demo set with the same code.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo import synth_names as nm

_SOORTEN = np.array(list(nm.GROENVAK_SOORTEN))
_SOORT_P = np.array([v[0] for v in nm.GROENVAK_SOORTEN.values()])


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


def _unit_shape(kind: str, m: int, rng: np.random.Generator) -> np.ndarray:
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


def _plots(centres: np.ndarray, cell: float, soorten: np.ndarray,
           rng: np.random.Generator) -> np.ndarray:
    """Vectorised groenvak shapes, each inside its own cell so plots can never overlap."""
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
        xy = _unit_shape(kind, len(idx), rng)
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
        shift = centres[idx] + rng.uniform(-1, 1, (len(idx), 2)) * slack
        out[idx] = shapely.polygons(np.round(rot + shift[:, None, :], 2))
    multi: np.ndarray = shapely.multipolygons(out, indices=np.arange(m))
    return multi


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
        yield ids, soorten, _plots(part, cell, soorten, rng)
