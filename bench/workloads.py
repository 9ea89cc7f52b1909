"""The workloads, derived from the data, and the SQL our app sends for them (for pgbench)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from common import BBOX_HALF, DENSE_Z13, MIN_MATCHED, N_BBOXES, N_IDS, N_Z15

# --------------------------------------------------------------------------- workloads

@dataclass
class Workload:
    key: str
    title: str
    kind: str  # items, feature, tiles
    params: list[Any]  # bboxes, ids or (z, x, y)
    headers: list[str]
    note: str = ""


def lonlat_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return x, y


def derive_workloads(url: str) -> tuple[list[str], list[int], list[tuple[int, int, int]],
                                        list[tuple[int, int, int]], dict[str, Any]]:
    """Deterministic request lists from the data: bboxes, ids, z15 and dense z13 tiles."""
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.geo import crs, features
    from app.geo.collections import GROENVAKKEN

    engine = create_engine(url)
    with Session(engine) as session:
        rows = session.execute(text(
            "SELECT t.id, ST_X(p), ST_Y(p) FROM groenvak t, "
            "LATERAL ST_Transform(ST_PointOnSurface(t.geometrie), 4326) p "
            "WHERE t.vervallen_op IS NULL ORDER BY t.id")).all()
        stride = max(1, len(rows) // (N_BBOXES * 4))
        bboxes: list[str] = []
        matched: list[int] = []
        for _, lon, lat in rows[stride // 2::stride]:
            box = [round(lon - BBOX_HALF[0], 5), round(lat - BBOX_HALF[1], 5),
                   round(lon + BBOX_HALF[0], 5), round(lat + BBOX_HALF[1], 5)]
            q = features.FeatureQuery(collection=GROENVAKKEN, limit=100,
                                      bbox=crs.bbox_envelope(box, 4326))
            n = features.page(session, q).matched
            if n >= MIN_MATCHED:
                bboxes.append(",".join(f"{v:.5f}" for v in box))
                matched.append(n)
            if len(bboxes) == N_BBOXES:
                break
    engine.dispose()
    id_stride = max(1, len(rows) // N_IDS)
    ids = [row[0] for row in rows[id_stride // 2::id_stride]][:N_IDS]
    z15 = Counter(lonlat_tile(lon, lat, 15) for _, lon, lat in rows)
    z13 = Counter(lonlat_tile(lon, lat, 13) for _, lon, lat in rows)
    tiles15 = sorted((xy for xy, n in z15.items() if n >= 100), key=lambda t: (t[1], t[0]))
    dense = [xy for xy, n in z13.most_common() if n >= DENSE_Z13] or \
        [xy for xy, _ in z13.most_common(4)]
    stats = {
        "features": len(rows), "bbox_matched_min": min(matched), "bbox_matched_max": max(matched),
        "bbox_matched_median": sorted(matched)[len(matched) // 2],
        "z15_count": len(tiles15[:N_Z15]),
        "z15_features": sorted(z15[xy] for xy in tiles15[:N_Z15]),
        "z13_features": [z13[xy] for xy in dense],
    }
    return (bboxes, ids, [(15, x, y) for x, y in tiles15[:N_Z15]],
            [(13, x, y) for x, y in dense], stats)


# --------------------------------------------------------------------------- our SQL, captured

class Recorder:
    """A Session stand-in that runs every statement on a real session and keeps a copy."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.statements: list[tuple[str, dict[str, Any]]] = []

    def execute(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        self.statements.append((str(statement), dict(params or {})))
        return self.session.execute(statement, params)


PARAM = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")  # SQLAlchemy text()'s bind-parameter syntax


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "ARRAY[" + ", ".join(literal(v) for v in value) + "]"
    return "'" + str(value).replace("'", "''") + "'"


def render(sql: str, params: dict[str, Any]) -> str:
    """The statement with its parameters as SQL literals, for pgbench."""
    return PARAM.sub(lambda m: literal(params[m.group(1)]), sql).strip()


@dataclass
class Captured:
    items: list[list[str]] = field(default_factory=list)  # per bbox: page SQL, count SQL
    reference: list[tuple[list[int], int]] = field(default_factory=list)  # ids, numberMatched
    feature: list[list[str]] = field(default_factory=list)
    tiles: dict[str, list[list[str]]] = field(default_factory=dict)
    explain: dict[str, str] = field(default_factory=dict)


def capture_sql(url: str, bboxes: list[str], ids: list[int],
                tile_sets: dict[str, list[tuple[int, int, int]]]) -> Captured:
    """Run our app's own query code for every request of every workload and keep its SQL."""
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.geo import crs, features, tiles
    from app.geo.collections import GROENVAKKEN as C

    out = Captured()
    engine = create_engine(url)
    with Session(engine) as session:
        for bbox in bboxes:
            rec = Recorder(session)
            q = features.FeatureQuery(collection=C, limit=100, srid=4326,
                                      bbox=crs.bbox_envelope([float(v) for v in bbox.split(",")],
                                                             4326))
            page = features.page(rec, q)  # type: ignore[arg-type]
            ids_ = [f["id"] for f in json.loads(f"[{page.features}]")]
            out.reference.append((ids_, page.matched))
            out.items.append([render(s, p) for s, p in rec.statements])
        for feature_id in ids:
            rec = Recorder(session)
            features.one(rec, C, feature_id, 4326)  # type: ignore[arg-type]
            out.feature.append([render(s, p) for s, p in rec.statements])
        cache = tiles.TileCache(max_bytes=0)  # never keeps a tile; the extent is cached
        version = tiles.layer_version(session, C)
        tiles.layer_extent(session, cache, C, None, version)
        for key, tile_list in tile_sets.items():
            out.tiles[key] = []
            for z, x, y in tile_list:
                rec = Recorder(session)
                version = tiles.layer_version(rec, C)  # type: ignore[arg-type]
                tiles.get_tile(rec, cache, C, z, x, y, None, version)  # type: ignore[arg-type]
                out.tiles[key].append([render(s, p) for s, p in rec.statements])
        for name, sql in zip(("page (with its count)",), out.items[0], strict=True):
            session.execute(text(sql))  # warm this backend's PROJ and catalogue caches
            plan = session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).scalars().all()
            out.explain[name] = "\n".join(plan)
        session.rollback()
    engine.dispose()
    return out




def paths_for(peer: str, kind: str, params: list[Any]) -> list[str]:
    if kind == "items":
        return {
            "ours": [f"/v1/collections/groenvakken/items?bbox={b}&limit=100" for b in params],
            "tipg": [f"/collections/public.groenvak/items?bbox={b}&limit=100" for b in params],
            "pygeoapi": [f"/collections/groenvakken/items?bbox={b}&limit=100&f=json"
                         for b in params],
        }[peer]
    if kind == "feature":
        return {
            "ours": [f"/v1/collections/groenvakken/items/{i}" for i in params],
            "tipg": [f"/collections/public.groenvak/items/{i}" for i in params],
            "pygeoapi": [f"/collections/groenvakken/items/{i}?f=json" for i in params],
        }[peer]
    return {  # tiles; note tipg's z/x/y against the OGC z/row/col (z/y/x) of the others
        "ours": [f"/v1/collections/groenvakken/tiles/WebMercatorQuad/{z}/{y}/{x}"
                 for z, x, y in params],
        "tipg": [f"/collections/public.groenvak/tiles/WebMercatorQuad/{z}/{x}/{y}"
                 for z, x, y in params],
        "pygeoapi": [f"/collections/groenvakken/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
                     for z, x, y in params],
    }[peer]
