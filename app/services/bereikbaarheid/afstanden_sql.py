"""The SQL of the walking distances (bereikbaarheid.afstanden): one multi-source Dijkstra per
doel over the graph, from a virtual junction 0 joined to every source, then per address."""

from __future__ import annotations

from sqlalchemy import text

# The region of a gemeente's graph: its streets' extent plus a margin (sources just across the
# border count, as CBS counts facilities in a neighbouring gemeente).
REGIO = """regio AS (
  SELECT ST_Expand(ST_Extent(geometrie)::geometry, :marge) AS box
    FROM straat WHERE gemeente_code = :g
)"""

# One row per doel: how many sources and a digest of them (id and place), so a change to a
# voorziening recomputes only its category.
SLEUTELS_SQL = text(f"""
WITH {REGIO}
SELECT c.code AS doel, count(v.id) AS bronnen,
       md5(coalesce(string_agg(v.id || '@' || ST_AsText(v.geometrie), ',' ORDER BY v.id), ''))
         AS sleutel
  FROM categorie c CROSS JOIN regio
  LEFT JOIN (voorziening v JOIN categorie vc ON vc.id = v.categorie_id)
         ON vc.code = c.code AND v.status = 'gepubliceerd' AND v.geometrie && regio.box
 WHERE c.gemeente_code = :g
 GROUP BY c.code
UNION ALL
SELECT :groen, count(t.id),
       md5(coalesce(string_agg(t.id || '@' || md5(ST_AsBinary(t.geometrie)), ','
                               ORDER BY t.id), ''))
  FROM regio LEFT JOIN terrein t
    ON t.soort = ANY (CAST(:groen_soorten AS text[])) AND t.oppervlakte_m2 >= :groen_m2
   AND t.geometrie && regio.box
""")

TIJDELIJK_SQL = text("""
CREATE TEMP TABLE IF NOT EXISTS _bron (
  straat_id integer, fractie double precision, afstand_m double precision) ON COMMIT DROP;
CREATE TEMP TABLE IF NOT EXISTS _virt (knoop bigint, kosten double precision) ON COMMIT DROP;
CREATE TEMP TABLE IF NOT EXISTS _knoopafstand (
  knoop bigint PRIMARY KEY, kosten double precision) ON COMMIT DROP;
TRUNCATE _bron, _virt, _knoopafstand;
""")

# A voorziening joins the network like an address: the nearest straat it may walk on.
BRONNEN_VOORZIENING_SQL = text(f"""
WITH {REGIO}
INSERT INTO _bron (straat_id, fractie, afstand_m)
SELECT n.id, ST_LineLocatePoint(n.geometrie, v.geometrie), ST_Distance(n.geometrie, v.geometrie)
  FROM voorziening v JOIN categorie vc ON vc.id = v.categorie_id CROSS JOIN regio
 CROSS JOIN LATERAL (
   SELECT s.id, s.geometrie FROM straat s JOIN netwerk_rand r ON r.straat_id = s.id
    WHERE r.gemeente_code = ANY (CAST(:gemeenten AS text[]))
      AND r.soort <> ALL (CAST(:verboden AS text[]))
    ORDER BY s.geometrie <-> v.geometrie LIMIT 1) n
 WHERE vc.code = :doel AND v.status = 'gepubliceerd' AND v.geometrie && regio.box
""")

# From the virtual junction to both ends of the straat a source lies on.
VIRT_VOORZIENING_SQL = text("""
INSERT INTO _virt (knoop, kosten)
SELECT r.bron, b.afstand_m + b.fractie * r.lengte_m FROM _bron b
  JOIN netwerk_rand r ON r.straat_id = b.straat_id
UNION ALL
SELECT r.doel, b.afstand_m + (1 - b.fractie) * r.lengte_m FROM _bron b
  JOIN netwerk_rand r ON r.straat_id = b.straat_id
""")

# Green: every junction of the graph inside a park or within GROEN_INGANG_M of its edge is an
# entrance, at its distance to the edge (0 inside) — measured to the park, not its centre.
VIRT_GROEN_SQL = text(f"""
WITH {REGIO}
INSERT INTO _virt (knoop, kosten)
SELECT k.id, min(ST_Distance(k.geometrie, t.geometrie))
  FROM terrein t CROSS JOIN regio
  JOIN knoop k ON ST_DWithin(k.geometrie, t.geometrie, :ingang)
 WHERE t.soort = ANY (CAST(:groen_soorten AS text[])) AND t.oppervlakte_m2 >= :groen_m2
   AND t.geometrie && regio.box
   AND EXISTS (SELECT 1 FROM netwerk_rand r
                WHERE (r.bron = k.id OR r.doel = k.id)
                  AND r.gemeente_code = ANY (CAST(:gemeenten AS text[])))
 GROUP BY k.id
""")

# The walkable edges of the gemeenten of a graph, undirected, as pgRouting reads them; the two
# %L are filled by format() with the gemeenten and the soorten the profile may not use.
RANDEN = """
    SELECT r.straat_id::bigint AS id, r.bron AS source, r.doel AS target,
           r.lengte_m AS cost, r.lengte_m AS reverse_cost
      FROM netwerk_rand r
     WHERE r.gemeente_code = ANY (%L::text[]) AND r.soort <> ALL (%L::text[])"""

# One Dijkstra from junction 0 over the walkable edges of the region: each junction's distance
# to the nearest source (pgr_drivingDistance with one start and no real limit).
DIJKSTRA_SQL = text(f"""
INSERT INTO _knoopafstand (knoop, kosten)
SELECT node, agg_cost FROM pgr_drivingDistance(
  format($q${RANDEN}
    UNION ALL
    SELECT -row_number() OVER (), 0, v.knoop, v.kosten, -1 FROM _virt v
  $q$, CAST(:gemeenten AS text[]), CAST(:verboden AS text[])),
  0, 1e9, directed => true)
 WHERE node <> 0
""")

# Per address: its own distance to the network plus the cheaper way along its straat (to bron
# or to doel), or straight along the straat to a source on the same straat. least() skips
# NULLs, so an address is NULL (niet bereikbaar) only when no way reaches it. Only changed
# rows are written.
ADRESSEN_SQL = text("""
WITH zelfde AS (  -- sources per straat, for addresses on a straat with a source on it
  SELECT straat_id, array_agg(fractie) AS f, array_agg(afstand_m) AS d FROM _bron GROUP BY 1
)
INSERT INTO adres_afstand (gemeente_code, doel, adres_id, afstand_m)
SELECT aa.gemeente_code, CAST(:doel AS varchar), aa.adres_id,
       aa.afstand_m + least(
         kb.kosten + aa.fractie * r.lengte_m,
         kd.kosten + (1 - aa.fractie) * r.lengte_m,
         CASE WHEN z.straat_id IS NOT NULL THEN
           (SELECT min(abs(u.f - aa.fractie) * r.lengte_m + u.d) FROM unnest(z.f, z.d) u(f, d))
         END)
  FROM adres_aansluiting aa
  JOIN netwerk_rand r ON r.straat_id = aa.straat_id
  LEFT JOIN _knoopafstand kb ON kb.knoop = r.bron
  LEFT JOIN _knoopafstand kd ON kd.knoop = r.doel
  LEFT JOIN zelfde z ON z.straat_id = aa.straat_id
 WHERE aa.gemeente_code = :g
ON CONFLICT (gemeente_code, doel, adres_id) DO UPDATE SET afstand_m = EXCLUDED.afstand_m
 WHERE adres_afstand.afstand_m IS DISTINCT FROM EXCLUDED.afstand_m
""")

# Addresses that no longer join the network (or a doel without sources) lose their rows.
OPRUIMEN_SQL = text("""
DELETE FROM adres_afstand af
 WHERE af.gemeente_code = :g AND af.doel = :doel
   AND (:leeg OR NOT EXISTS (SELECT 1 FROM adres_aansluiting aa WHERE aa.adres_id = af.adres_id))
""")

VERVALLEN_DOELEN_SQL = text("""
WITH weg AS (
  DELETE FROM afstand_stand WHERE gemeente_code = :g AND doel <> ALL (CAST(:doelen AS text[])))
DELETE FROM adres_afstand WHERE gemeente_code = :g AND doel <> ALL (CAST(:doelen AS text[]))
""")

STAND_SQL = text("""
INSERT INTO afstand_stand (gemeente_code, doel, sleutel, bronnen, duur_ms, berekend_op)
VALUES (:g, :doel, :sleutel, :bronnen, :duur_ms, clock_timestamp())
ON CONFLICT (gemeente_code, doel) DO UPDATE
   SET sleutel = EXCLUDED.sleutel, bronnen = EXCLUDED.bronnen, duur_ms = EXCLUDED.duur_ms,
       berekend_op = EXCLUDED.berekend_op
""")
