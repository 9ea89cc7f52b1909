"""The SQL behind the figures per wijk/dorp; PostGIS does all geometry (gebieden.kengetallen).

Proxy for the homes: the centres of a regular 100 m grid (aligned on RD multiples of 100 m)
that fall inside the gebied and inside the bebouwde kom; when the kom does not reach the gebied,
the centres inside the whole gebied; for a gebied too small for any centre, one point on its
surface. Distances are straight lines in RD New (metres).
"""

from __future__ import annotations

from sqlalchemy import text

RASTER_M = 100
QUAD_SEGS = 16  # buffer circles as 64-gons: area 0,16 % under the true circle

# Proxy points of gebied :id, and whether they lie in the bebouwde kom.
PUNTEN_CTE = f"""
g AS MATERIALIZED (
  SELECT id, gemeente_code, geometrie AS geom FROM gebied WHERE id = :id
), kom AS MATERIALIZED (
  SELECT ST_Union(k.geometrie) AS geom
    FROM bebouwde_kom k, g
   WHERE k.gemeente_code = g.gemeente_code AND ST_Intersects(k.geometrie, g.geom)
), raster AS MATERIALIZED (
  SELECT c.p, coalesce(ST_Intersects(kom.geom, c.p), false) AS in_kom
    FROM g CROSS JOIN kom
   CROSS JOIN LATERAL (SELECT ST_Centroid(s.geom) AS p
                         FROM ST_SquareGrid({RASTER_M}, g.geom) s) c
   WHERE ST_Intersects(g.geom, c.p)
), punten AS MATERIALIZED (
  SELECT p, in_kom FROM raster
   WHERE in_kom OR NOT EXISTS (SELECT 1 FROM raster WHERE in_kom)
  UNION ALL
  SELECT ST_PointOnSurface(g.geom), false FROM g WHERE NOT EXISTS (SELECT 1 FROM raster)
)"""

RUIMTE_SQL = text(f"""
WITH {PUNTEN_CTE}
SELECT c.code, c.naam, c.kleur,
       (SELECT count(*) FROM voorziening v
         WHERE v.wijk_id = g.id AND v.categorie_id = c.id AND v.status = 'gepubliceerd')
         AS aantal,
       EXISTS (SELECT 1 FROM voorziening v
                WHERE v.gemeente_code = g.gemeente_code AND v.categorie_id = c.id
                  AND v.status = 'gepubliceerd') AS bestaat,
       n.gem, n.max,
       ST_Area(ST_Intersection(g.geom, d.u400)) / ST_Area(g.geom) AS d400,
       ST_Area(ST_Intersection(g.geom, d.u800)) / ST_Area(g.geom) AS d800,
       (SELECT count(*) FROM punten) AS punten,
       (SELECT bool_or(in_kom) FROM punten) AS in_kom
  FROM g
  JOIN categorie c ON c.gemeente_code = g.gemeente_code
  LEFT JOIN LATERAL (
    SELECT avg(nn.d) AS gem, max(nn.d) AS max
      FROM punten pt
     CROSS JOIN LATERAL (
       SELECT v.geometrie <-> pt.p AS d FROM voorziening v
        WHERE v.gemeente_code = g.gemeente_code AND v.categorie_id = c.id
          AND v.status = 'gepubliceerd'
        ORDER BY v.geometrie <-> pt.p LIMIT 1) nn
  ) n ON true
  LEFT JOIN LATERAL (
    SELECT ST_Union(ST_Buffer(v.geometrie, 400, 'quad_segs={QUAD_SEGS}'))
             FILTER (WHERE ST_DWithin(v.geometrie, g.geom, 400)) AS u400,
           ST_Union(ST_Buffer(v.geometrie, 800, 'quad_segs={QUAD_SEGS}')) AS u800
      FROM voorziening v
     WHERE v.gemeente_code = g.gemeente_code AND v.categorie_id = c.id
       AND v.status = 'gepubliceerd' AND ST_DWithin(v.geometrie, g.geom, 800)
  ) d ON true
 ORDER BY c.volgorde, c.naam
""")

WITTE_VLEKKEN_SQL = text(f"""
WITH g AS (
  SELECT w.id, w.gemeente_code, w.geometrie AS geom
    FROM gebied w WHERE w.gemeente_code = :gemeente AND w.code = :code
     AND w.soort IN ('wijk', 'dorp')
), u AS (
  SELECT ST_Union(ST_Buffer(v.geometrie, :drempel, 'quad_segs={QUAD_SEGS}')) AS geom
    FROM voorziening v JOIN categorie c ON c.id = v.categorie_id, g
   WHERE v.gemeente_code = g.gemeente_code AND c.code = :categorie
     AND v.status = 'gepubliceerd' AND ST_DWithin(v.geometrie, g.geom, :drempel)
), vlek AS (
  SELECT CASE WHEN u.geom IS NULL THEN g.geom
              ELSE ST_CollectionExtract(ST_Difference(g.geom, u.geom), 3) END AS geom,
         ST_Area(g.geom) AS totaal
    FROM g CROSS JOIN u
)
SELECT json_build_object(
         'type', 'FeatureCollection',
         'features', CASE WHEN ST_IsEmpty(geom) THEN '[]'::json ELSE json_build_array(
           json_build_object(
             'type', 'Feature',
             'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::json,
             'properties', json_build_object(
               'categorie', :categorie, 'drempel_m', :drempel,
               'oppervlakte_m2', round(ST_Area(geom)::numeric, 1),
               'aandeel', round((ST_Area(geom) / totaal)::numeric, 4)))) END)::text
  FROM vlek
""")

ZELFBEHEER_SQL = text("""
WITH vak AS (
  SELECT gv.id, gv.oppervlakte_m2, a.id AS adoptie_id
    FROM groenvak gv
    LEFT JOIN adoptie a ON a.groenvak_id = gv.id AND a.status = 'actief'
   WHERE gv.wijk_id = :id AND gv.vervallen_op IS NULL
)
SELECT count(*) AS groenvakken,
       coalesce(sum(oppervlakte_m2), 0) AS m2_totaal,
       coalesce(sum(oppervlakte_m2) FILTER (WHERE adoptie_id IS NOT NULL), 0) AS m2_zelfbeheer,
       count(adoptie_id) AS actieve_groepen,
       (SELECT count(DISTINCT coalesce(d.gebruiker_id::text, 'd' || d.id))
          FROM deelname d JOIN vak ON vak.adoptie_id = d.adoptie_id
         WHERE d.status = 'actief') AS leden,
       (SELECT count(*) FROM onderhoud o
          JOIN adoptie a ON a.id = o.adoptie_id
          JOIN groenvak gv ON gv.id = a.groenvak_id
         WHERE gv.wijk_id = :id AND o.datum > current_date - 90
           AND o.datum <= current_date) AS onderhoud_90d
  FROM vak
""")

VERSIES_SQL = text("""
SELECT string_agg(laag || ':' || versie, ',' ORDER BY laag)
         FILTER (WHERE laag IN ('gebieden', 'voorzieningen', 'bebouwde_kom', 'adressen',
                                'straten', 'terrein')) AS ruimte,
       string_agg(laag || ':' || versie, ',' ORDER BY laag)
         FILTER (WHERE laag IN ('gebieden', 'groenvakken')) || ',' || current_date AS zelfbeheer,
       (SELECT onderhoudskosten_m2_jaar FROM gemeente WHERE code = :gemeente) AS euro_m2
  FROM laag_versie
""")

GEBIEDEN_SQL = text("""
SELECT w.id, w.code, w.naam, w.soort, w.inwoners, w.oppervlakte_m2,
       k.ruimte, k.ruimte_versie, k.zelfbeheer, k.zelfbeheer_versie, k.berekend_op,
       EXISTS (SELECT 1 FROM kengetal_vuil v WHERE v.gebied_id = w.id) AS vuil
  FROM gebied w LEFT JOIN kengetal_cache k ON k.gebied_id = w.id
 WHERE w.gemeente_code = :gemeente AND w.soort IN ('wijk', 'dorp')
   AND (CAST(:code AS text) IS NULL OR w.code = :code)
 ORDER BY w.soort DESC, w.naam
""")

# Forget the marks this reader can see before computing: the computation (a later statement)
# sees at least those changes; marks committed meanwhile stay for the next reader.
VUIL_WEG_SQL = text("DELETE FROM kengetal_vuil WHERE gebied_id = :id")

BEWAAR_SQL = text("""
-- clock_timestamp(): every recomputation gets its own moment, also within one transaction, so
-- berekend_op can key caches of what is drawn from the same data (the page's map).
INSERT INTO kengetal_cache (gebied_id, gemeente_code, ruimte, ruimte_versie, zelfbeheer,
                            zelfbeheer_versie, berekend_op)
VALUES (:id, :gemeente, CAST(:ruimte AS jsonb), :ruimte_versie, CAST(:zelfbeheer AS jsonb),
        :zelfbeheer_versie, clock_timestamp())
ON CONFLICT (gebied_id) DO UPDATE
   SET ruimte = EXCLUDED.ruimte, ruimte_versie = EXCLUDED.ruimte_versie,
       zelfbeheer = EXCLUDED.zelfbeheer, zelfbeheer_versie = EXCLUDED.zelfbeheer_versie,
       berekend_op = EXCLUDED.berekend_op
RETURNING berekend_op
""")
