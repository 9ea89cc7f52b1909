"""Isochrones: the streets reachable within 5, 10 and 15 minutes from a point, over the network
(pgr_drivingDistance from a virtual junction where the point joins its nearest street), drawn
as the reached street parts with a band around them."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from app.errors import InvalidInput
from app.services.bereikbaarheid.profielen import MINUTEN, Profiel, meter_per_minuut

MAX_AANSLUITING_M = 500.0  # a point farther than this from a street is not "on the map"
BAND_M = 30.0  # half the width of the band drawn around reached streets

START_SQL = text("""
WITH p AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 28992) AS geom)
SELECT r.straat_id, r.bron, r.doel, r.lengte_m,
       ST_LineLocatePoint(s.geometrie, p.geom) AS fractie, ST_Distance(s.geometrie, p.geom) AS d
  FROM p CROSS JOIN LATERAL (
    SELECT s.id, s.geometrie FROM straat s JOIN netwerk_rand r ON r.straat_id = s.id
     WHERE r.soort <> ALL (CAST(:verboden AS text[]))
     ORDER BY s.geometrie <-> p.geom LIMIT 1) s
  JOIN netwerk_rand r ON r.straat_id = s.id
""")

# Junction costs from the start (bounded by the largest time), then per band the part of each
# street within reach: from either end with the budget left there, and the start's own street
# from the start point itself.
ISOCHROON_SQL = text("""
WITH p AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 28992) AS geom),
kost AS (
  SELECT node AS knoop, agg_cost AS c FROM pgr_drivingDistance(
    format($q$
      SELECT r.straat_id::bigint AS id, r.bron AS source, r.doel AS target,
             r.lengte_m AS cost, r.lengte_m AS reverse_cost
        FROM netwerk_rand r JOIN straat s ON s.id = r.straat_id
       WHERE s.geometrie && ST_Expand(ST_GeomFromEWKT(%L), %s)
         AND r.soort <> ALL (%L::text[])
      UNION ALL SELECT -1, 0, %s, %s, -1
      UNION ALL SELECT -2, 0, %s, %s, -1
    $q$, ST_AsEWKT((SELECT geom FROM p)), CAST(:max_m AS float8), CAST(:verboden AS text[]),
         CAST(:bron AS bigint), CAST(:kost_bron AS float8), CAST(:doel AS bigint),
         CAST(:kost_doel AS float8)),
    0, CAST(:max_m AS float8), directed => true)
), band AS (SELECT unnest(CAST(:minuten AS int[])) AS minuten,
                   unnest(CAST(:meters AS float8[])) AS m
), delen AS (
  SELECT b.minuten, ST_LineSubstring(s.geometrie, 0, least(1, (b.m - kb.c) / r.lengte_m)) AS g
    FROM band b JOIN kost kb ON kb.c < b.m
    JOIN netwerk_rand r ON r.bron = kb.knoop JOIN straat s ON s.id = r.straat_id
   WHERE r.soort <> ALL (CAST(:verboden AS text[]))
  UNION ALL
  SELECT b.minuten, ST_LineSubstring(s.geometrie, greatest(0, 1 - (b.m - kd.c) / r.lengte_m), 1)
    FROM band b JOIN kost kd ON kd.c < b.m
    JOIN netwerk_rand r ON r.doel = kd.knoop JOIN straat s ON s.id = r.straat_id
   WHERE r.soort <> ALL (CAST(:verboden AS text[]))
  UNION ALL
  SELECT b.minuten, ST_LineSubstring(s.geometrie, greatest(0, st.f - (b.m - st.d) / st.l),
                                     least(1, st.f + (b.m - st.d) / st.l))
    FROM band b
   CROSS JOIN (SELECT CAST(:fractie AS float8) AS f, CAST(:d AS float8) AS d,
                      CAST(:lengte AS float8) AS l) st
    JOIN straat s ON s.id = :straat WHERE b.m > st.d
), vlak AS (
  SELECT minuten, ST_Union(ST_Buffer(g, :band, 'quad_segs=1')) AS g
    FROM delen GROUP BY minuten
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
         json_build_object(
           'type', 'Feature',
           'geometry', ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(g, 2), 4326), 6)::json,
           'properties', json_build_object('minuten', minuten, 'profiel', CAST(:profiel AS text)))
         ORDER BY minuten DESC), '[]'))::text
  FROM vlak
""")


def isochroon_geojson(session: Session, lon: float, lat: float, profiel: Profiel,
                      kmh: float) -> str:
    """The reachable area per time in MINUTEN (largest first) as a FeatureCollection (4326)."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("Dit punt ligt niet op aarde: geef lengte- en breedtegraad.")
    verboden = list(profiel.verboden)
    start = session.execute(START_SQL, {"lon": lon, "lat": lat, "verboden": verboden}).first()
    if start is None or start.d > MAX_AANSLUITING_M:
        raise InvalidInput("Hier ligt geen straat of pad in de buurt; kies een punt in de "
                           "gemeente.")
    m_min = meter_per_minuut(kmh)
    meters = [m * m_min for m in MINUTEN]
    session.execute(text("SET LOCAL jit = off"))
    value = session.execute(ISOCHROON_SQL, {
        "lon": lon, "lat": lat, "verboden": verboden, "max_m": max(meters),
        "bron": start.bron, "kost_bron": start.d + start.fractie * start.lengte_m,
        "doel": start.doel, "kost_doel": start.d + (1 - start.fractie) * start.lengte_m,
        "minuten": list(MINUTEN), "meters": meters, "fractie": start.fractie, "d": start.d,
        "lengte": start.lengte_m, "straat": start.straat_id, "band": BAND_M,
        "profiel": profiel.naam}).scalar_one()
    return str(value)


def voorziening_plek(session: Session, gemeente_code: str, voorziening_id: int,
                     ) -> tuple[float, float] | None:
    """(lon, lat) of a published voorziening of the gemeente, or None."""
    row = session.execute(text("""
        SELECT ST_X(p) AS lon, ST_Y(p) AS lat
          FROM voorziening v CROSS JOIN LATERAL ST_Transform(v.geometrie, 4326) p
         WHERE v.id = :id AND v.gemeente_code = :g AND v.status = 'gepubliceerd'"""),
        {"id": voorziening_id, "g": gemeente_code}).first()
    return None if row is None else (float(row.lon), float(row.lat))
