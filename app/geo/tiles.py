"""Mapbox Vector Tiles built in PostGIS, with an in-process cache keyed by the layer version.

One statement renders a tile (ST_AsMVT); a cache hit costs one primary-key read of
laag_versie, and any change to a layer moves its version, so stale tiles are never served.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.geo.collections import Collection

TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
TMS = "http://www.opengis.net/spec/tms/2.0/conf/"
TILE_CONFORMANCE: tuple[str, ...] = (
    f"{TILES}core", f"{TILES}tileset", f"{TILES}tilesets-list", f"{TILES}geodata-tilesets",
    f"{TILES}mvt", f"{TMS}tilematrixset", f"{TMS}json-tilematrixset",
)

MVT = "application/vnd.mapbox-vector-tile"
ORIGIN = 20037508.3427892  # half the width of the WebMercatorQuad world, in metres (EPSG:3857)
MAX_ZOOM = 22
EXTENT, BUFFER = 4096, 64  # MVT grid per tile and the clip buffer around it (grid units)
MARGIN = BUFFER / EXTENT  # the buffer as a fraction of the tile, for ST_TileEnvelope
FULL_DETAIL_ZOOM = 15  # from here on every feature is kept, however small
CACHE_BYTES = 64 * 1024 * 1024
ENTRY_OVERHEAD = 200  # bytes counted per entry, so empty tiles are bounded too

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Extent:
    """A layer's bounding box in Web Mercator (for tile checks) and CRS84 (for metadata)."""

    mercator: Box
    crs84: Box


@dataclass(frozen=True)
class Tile:
    """The gzipped MVT (b"" when empty) and the layer version it was rendered from.

    Tiles are kept gzipped: clients nearly always accept gzip, so a hit is sent as is, and
    the cache holds twice as many tiles.
    """

    gzipped: bytes
    version: str

    @property
    def data(self) -> bytes:
        """The plain MVT, for the rare client without gzip."""
        return gzip.decompress(self.gzipped) if self.gzipped else b""


def is_polygon(c: Collection) -> bool:
    """Polygon layers are simplified per zoom; points never are."""
    return "Polygon" in c.geometry_type


def _props(c: Collection) -> str:
    """Only the registry's tile_props go into a tile: nothing personal can slip in."""
    return ", ".join(f'{c.props[name].sql} AS "{name}"' for name in c.tile_props)


def tile_sql(c: Collection) -> str:
    """One statement: the tile as MVT plus the layer version of the same snapshot.

    Parameters: z, x, y; margin (the clip buffer as a fraction of the tile); gemeente (or
    NULL); tolerance and min_size in Web Mercator units (0 at full detail). Everything works
    on t.geometrie_3857, the database's stored Web Mercator copy of t.geometrie with its own
    GiST index, so rendering a tile transforms nothing.
    """
    geometry = "t.geometrie_3857"
    tiny = ""
    if is_polygon(c):
        geometry = "ST_Simplify(t.geometrie_3857, :tolerance, true)"
        tiny = ("AND (ST_XMax(t.geometrie_3857) - ST_XMin(t.geometrie_3857) >= :min_size "
                "OR ST_YMax(t.geometrie_3857) - ST_YMin(t.geometrie_3857) >= :min_size)")
    return f"""
        SELECT (SELECT ST_AsMVT(mvt.*, '{c.id}', {EXTENT}, 'geom', 'fid') FROM (
                  SELECT t.id AS fid, t.id AS id, {_props(c)},
                         ST_AsMVTGeom({geometry}, ST_TileEnvelope(:z, :x, :y),
                                      {EXTENT}, {BUFFER}, true) AS geom
                    FROM {c.from_sql}
                   WHERE t.geometrie_3857 && ST_TileEnvelope(:z, :x, :y, margin => :margin)
                     AND ({c.where_sql})
                     AND (CAST(:gemeente AS varchar) IS NULL OR t.gemeente_code = :gemeente)
                     {tiny}) mvt),
               {_version_sql()}"""


def _version_sql() -> str:
    """A scalar subquery, so every statement reports the version of its own snapshot."""
    return ("(SELECT versie || '.' || floor(extract(epoch FROM gewijzigd_op) * 1e6)::bigint "
            "FROM laag_versie WHERE laag = :laag)")


def extent_sql(c: Collection) -> str:
    """The layer's extent (with the gemeente filter) and its version, in one snapshot."""
    return f"""
        SELECT ST_XMin(m), ST_YMin(m), ST_XMax(m), ST_YMax(m),
               ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g), {_version_sql()}
          FROM (SELECT ST_SetSRID(ST_Extent(t.geometrie)::geometry, 28992) AS rd
                  FROM {c.from_sql} WHERE ({c.where_sql})
                   AND (CAST(:gemeente AS varchar) IS NULL OR t.gemeente_code = :gemeente)) e,
       LATERAL (SELECT ST_Transform(ST_Segmentize(ST_Expand(rd, 1), 250), 3857) AS m,
                       ST_Transform(ST_Segmentize(rd, 250), 4326) AS g) p"""


def layer_version(session: Session, c: Collection) -> str:
    """The layer's current version: versie plus the stamp of the transaction that set it.

    The stamp keeps keys unique even when a rolled-back transaction reused a versie number.
    """
    sql = _version_sql().strip()[1:-1]
    return str(session.execute(text(sql), {"laag": c.laag}).scalar_one())


def tile_bounds(z: int, x: int, y: int, margin: float = 0.0) -> Box:
    """WebMercatorQuad tile bounds in EPSG:3857, grown by `margin` tile widths."""
    size = 2 * ORIGIN / 2**z
    minx, maxy = -ORIGIN + x * size, ORIGIN - y * size
    grow = margin * size
    return minx - grow, maxy - size - grow, minx + size + grow, maxy + grow


def valid_tile(z: int, x: int, y: int) -> bool:
    """Inside the tile matrix set limits we publish (0..MAX_ZOOM, full rows and columns)."""
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def _intersection(a: Box, b: Box) -> Box | None:
    """Overlap of two boxes; None when a tile misses the layer, so no SQL is needed."""
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] <= box[2] and box[1] <= box[3] else None


def _detail(z: int) -> dict[str, float]:
    """Simplification tolerance and minimum feature size for a zoom, in Web Mercator units.

    Half a 256-px pixel (one pixel on a HiDPI screen) is invisible; a feature whose box fits
    in one pixel is dropped below FULL_DETAIL_ZOOM, where it could never be seen anyway. The
    geometry is in EPSG:3857 already, so a pixel is simply the tile width / 256 at any latitude.
    """
    pixel = 2 * ORIGIN / 2**z / 256
    if z >= FULL_DETAIL_ZOOM:
        return {"tolerance": pixel / 4, "min_size": 0.0}
    return {"tolerance": pixel / 2, "min_size": pixel}


TileKey = tuple[str, str | None, int, int, int, str]  # collection, gemeente, z, x, y, version


class TileCache:
    """LRU of gzipped tiles bounded by total size, plus layer extents; safe across threads."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._tiles: OrderedDict[TileKey, bytes] = OrderedDict()
        self._extents: dict[tuple[str, str | None, str], Extent | None] = {}
        self._versions: dict[str, str] = {}  # collection id -> newest version seen
        self._lock = threading.Lock()

    def get(self, key: TileKey) -> bytes | None:
        """The cached bytes (b"" for an empty tile), marked as recently used; None on a miss."""
        with self._lock:
            data = self._tiles.get(key)
            if data is not None:
                self._tiles.move_to_end(key)
            return data

    def put(self, key: TileKey, data: bytes) -> None:
        """Store a tile under (collection, gemeente, z, x, y, version); evict the oldest."""
        cost = len(data) + ENTRY_OVERHEAD
        if cost > self.max_bytes // 8:
            return  # one huge tile should not flush everything else
        with self._lock:
            self._forget_older(key[0], key[-1])
            old = self._tiles.pop(key, None)
            if old is not None:
                self.size -= len(old) + ENTRY_OVERHEAD
            self._tiles[key] = data
            self.size += cost
            while self.size > self.max_bytes:
                _, evicted = self._tiles.popitem(last=False)
                self.size -= len(evicted) + ENTRY_OVERHEAD

    def _forget_older(self, collection_id: str, version: str) -> None:
        """A new version makes every cached tile and extent of the collection useless."""
        if self._versions.get(collection_id, version) != version:
            for key in [k for k in self._tiles if k[0] == collection_id]:
                self.size -= len(self._tiles.pop(key)) + ENTRY_OVERHEAD
            for ekey in [k for k in self._extents if k[0] == collection_id]:
                del self._extents[ekey]
        self._versions[collection_id] = version

    def extent(self, key: tuple[str, str | None, str]) -> tuple[bool, Extent | None]:
        """(found, extent): a layer without features is cached as None, and found."""
        with self._lock:
            return key in self._extents, self._extents.get(key)

    def put_extent(self, key: tuple[str, str | None, str], extent: Extent | None) -> None:
        """Remember a layer's extent for one version (key: collection, gemeente, version)."""
        with self._lock:
            self._forget_older(key[0], key[2])
            self._extents[key] = extent

    def __len__(self) -> int:
        return len(self._tiles)


def layer_extent(session: Session, cache: TileCache, c: Collection, gemeente: str | None,
                 version: str) -> tuple[Extent | None, str]:
    """The extent for this version (cached), and the version it was computed at."""
    found, extent = cache.extent((c.id, gemeente, version))
    if found:
        return extent, version
    row = session.execute(text(extent_sql(c)), {"gemeente": gemeente, "laag": c.laag}).one()
    version = str(row[8])
    extent = None if row[0] is None else Extent(
        mercator=(row[0], row[1], row[2], row[3]), crs84=(row[4], row[5], row[6], row[7]))
    cache.put_extent((c.id, gemeente, version), extent)
    return extent, version


def get_tile(session: Session, cache: TileCache, c: Collection, z: int, x: int, y: int,
             gemeente: str | None, version: str) -> Tile:
    """From the cache, empty by the extent check, or rendered by PostGIS (then cached)."""
    data = cache.get((c.id, gemeente, z, x, y, version))
    if data is not None:
        return Tile(data, version)
    extent, version = layer_extent(session, cache, c, gemeente, version)
    box = None if extent is None else _intersection(tile_bounds(z, x, y, MARGIN),
                                                    extent.mercator)
    if box is None:
        cache.put((c.id, gemeente, z, x, y, version), b"")
        return Tile(b"", version)
    params: dict[str, Any] = {"z": z, "x": x, "y": y, "margin": MARGIN, "gemeente": gemeente,
                              "laag": c.laag, **_detail(z)}
    mvt, version = session.execute(text(tile_sql(c)), params).one()
    data = gzip.compress(bytes(mvt), compresslevel=6, mtime=0) if mvt else b""
    cache.put((c.id, gemeente, z, x, y, str(version)), data)
    return Tile(data, str(version))
