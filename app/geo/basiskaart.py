"""Our own basemap: water, terrein, panden, straten and house numbers as one vector tile.

One statement per tile: an ST_AsMVT per layer, concatenated (an MVT is a list of layers, so
the bytes of layer tiles simply add up), with the combined version of the five layers read in
the same snapshot. Tiles are cached gzipped in the app's TileCache like the collection tiles,
keyed by that version, so any change to one of the layers makes every cached tile stale.
"""

from __future__ import annotations

import gzip

from sqlalchemy import text
from sqlmodel import Session

from app.geo.tiles import BUFFER, EXTENT, MARGIN, ORIGIN, Tile, TileCache

TILESET = "basiskaart"
MIN_ZOOM, MAX_ZOOM = 12, 18  # below 12 the tiles are empty; above 18 clients overzoom
# Buildings from here on: at z14 a row house is about one pixel, and a dense z14 tile of a
# large town holds 5,000 of them (60-90 ms of clipping and encoding). Testing each building's
# size to keep only the large ones costs about as much as drawing it.
PAND_ZOOM = 15
NAAM_ZOOM = 16  # street names where they are drawn (static/js/basiskaart.js)
LABEL_ZOOM = 18  # house numbers only where they can be read
LAGEN = ("adressen", "panden", "straten", "terrein", "water")  # laag_versie rows we depend on
LAYERS = ("water", "terrein", "pand", "straat", "labels")  # drawing order, bottom first
# Roads shown per zoom: the main roads first, paths only when the town is large on screen.
STRAAT_SOORTEN = {
    12: ("hoofdweg", "laan"),
    13: ("hoofdweg", "laan", "straat"),
    14: ("hoofdweg", "laan", "straat", "landweg", "erf"),
}

_ENVELOPE = "ST_TileEnvelope(:z, :x, :y)"
_NEAR = "t.geometrie_3857 && ST_TileEnvelope(:z, :x, :y, margin => :margin)"


def _geom(expr: str) -> str:
    return f"ST_AsMVTGeom({expr}, {_ENVELOPE}, {EXTENT}, {BUFFER}, true) AS geom"


def _layer(name: str, select: str, where: str = "TRUE") -> str:
    """One layer's MVT (empty bytea when nothing is there).

    ST_AsMVT itself skips rows whose ST_AsMVTGeom is NULL (clipped away or collapsed). A
    `WHERE geom IS NOT NULL` around the subquery would be pushed down into it and make
    PostGIS clip and encode every feature twice (once to test, once to draw)."""
    return (f"COALESCE((SELECT ST_AsMVT(l.*, '{name}', {EXTENT}, 'geom') FROM ("
            f"{select} AND {where}) l), ''::bytea)")


def version_sql() -> str:
    """The five layer versions as one string; a scalar subquery, so it shares the snapshot."""
    lagen = ", ".join(f"'{laag}'" for laag in LAGEN)
    return ("(SELECT string_agg(versie || '.' || floor(extract(epoch FROM gewijzigd_op) * 1e6)"
            f"::bigint, '-' ORDER BY laag) FROM laag_versie WHERE laag IN ({lagen}))")


def tile_sql() -> str:
    """The whole tile and the version it was rendered from, in one statement.

    Parameters: z, x, y, margin, tolerance (simplification in Web Mercator metres), min_size
    (water and terrein whose box is smaller are dropped) and soorten (the road kinds for this
    zoom).
    """
    simple = "ST_Simplify(t.geometrie_3857, :tolerance, true)"
    tiny = ("(ST_XMax(t.geometrie_3857) - ST_XMin(t.geometrie_3857) >= :min_size "
            "OR ST_YMax(t.geometrie_3857) - ST_YMin(t.geometrie_3857) >= :min_size)")
    water = _layer("water", f"SELECT t.naam, t.soort, {_geom(simple)} FROM water t "
                   f"WHERE {_NEAR}", tiny)
    terrein = _layer("terrein", f"SELECT t.naam, t.soort, {_geom(simple)} FROM terrein t "
                     f"WHERE {_NEAR}", tiny)
    pand = _layer("pand", f"SELECT {_geom(simple)} FROM pand t WHERE {_NEAR}",
                  f":z >= {PAND_ZOOM}")
    straat = _layer("straat", f"SELECT CASE WHEN :z >= {NAAM_ZOOM} THEN t.naam END AS naam, "
                    "t.soort, "
                    f"{_geom('ST_Simplify(t.geometrie_3857, :tolerance)')} FROM straat t "
                    f"WHERE {_NEAR}", "t.soort = ANY(CAST(:soorten AS text[]))")
    labels = _layer("labels", "SELECT t.huisnummer || COALESCE(t.huisletter, '') "
                    "|| COALESCE('-' || t.toevoeging, '') AS huisnummer, "
                    f"{_geom('t.geometrie_3857')} FROM adres t WHERE {_NEAR}",
                    f":z >= {LABEL_ZOOM}")
    return (f"SELECT CASE WHEN :z >= {MIN_ZOOM} THEN "
            f"{water} || {terrein} || {pand} || {straat} || {labels} "
            f"ELSE ''::bytea END, {version_sql()}")


def version(session: Session) -> str:
    """The basemap's current version: one indexed read of laag_versie."""
    return str(session.execute(text(f"SELECT {version_sql()}")).scalar_one())


def _params(z: int, x: int, y: int) -> dict[str, object]:
    """Half a pixel of simplification (a quarter at z16+); sub-pixel polygons dropped below 16."""
    pixel = 2 * ORIGIN / 2**z / 256
    soorten = STRAAT_SOORTEN.get(z)
    return {"z": z, "x": x, "y": y, "margin": MARGIN,
            "tolerance": pixel / (4 if z >= 16 else 2), "min_size": 0.0 if z >= 16 else pixel,
            "soorten": list(soorten) if soorten else
            ["hoofdweg", "laan", "straat", "landweg", "erf", "fietspad", "voetpad", "overig"]}


def get_tile(session: Session, cache: TileCache, z: int, x: int, y: int, current: str) -> Tile:
    """From the cache or rendered by PostGIS (then cached under the version it was read at)."""
    data = cache.get((TILESET, None, z, x, y, current))
    if data is not None:
        return Tile(data, current)
    mvt, rendered = session.execute(text(tile_sql()), _params(z, x, y)).one()
    data = gzip.compress(bytes(mvt), compresslevel=6, mtime=0) if mvt else b""
    cache.put((TILESET, None, z, x, y, str(rendered)), data)
    return Tile(data, str(rendered))
