-- Nabijheid per wijk en dorp for the open API: one row per (wijk or dorp, categorie) with the
-- figures that app.services.gebieden.kengetallen keeps in kengetal_cache.ruimte (JSON).
--
-- A view, not a table: the figures have one home (the cache, recomputed lazily when a layer
-- version moves), and the API brings that cache up to date before it reads this view, so
-- nothing here can go stale on its own. The rows come from gebied x categorie, not from the
-- JSON, so ids, geometry and extent exist before any figure is computed (the figures are
-- then null). The featureId is derived from the two primary keys, gebied.id * 1000000 +
-- categorie.id: stable across recomputations and restarts, readable (the gebied is id /
-- 1000000), and unique while categorie.id stays below a million; gebied.id below a million
-- keeps it within the 12 digits the API accepts as a featureId.
--
-- The choice between the figures over the network and the straight-line ones follows
-- kengetallen._build: over de weg when the cache has a network block with woonadressen,
-- else hemelsbreed (then the walking shares, niet_bereikbaar and woonadressen are null).
-- Distances are rounded to 0.1 m and shares to 4 decimals, from the JSON's own digits.
CREATE VIEW nabijheid AS
SELECT g.id::bigint * 1000000 + c.id AS id,
       g.id AS gebied_id,
       c.id AS categorie_id,
       g.gemeente_code,
       g.geometrie,
       g.code AS wijk,
       g.naam AS wijk_naam,
       c.code AS categorie,
       c.naam AS categorie_naam,
       CASE WHEN n.netwerk IS NULL THEN 'hemelsbreed' ELSE 'over de weg' END AS afstand_gemeten,
       round(CASE WHEN n.netwerk IS NULL THEN (r.cat ->> 'gem')
                  ELSE (n.netwerk -> 'doelen' -> c.code ->> 'gem') END::numeric, 1)
         AS gemiddelde_afstand_m,
       round(CASE WHEN n.netwerk IS NULL THEN (r.cat ->> 'max')
                  ELSE (n.netwerk -> 'doelen' -> c.code ->> 'max') END::numeric, 1)
         AS grootste_afstand_m,
       round((n.netwerk -> 'doelen' -> c.code -> 'binnen' ->> 0)::numeric, 4) AS binnen_5_min,
       round((n.netwerk -> 'doelen' -> c.code -> 'binnen' ->> 1)::numeric, 4) AS binnen_10_min,
       round((n.netwerk -> 'doelen' -> c.code -> 'binnen' ->> 2)::numeric, 4) AS binnen_15_min,
       CASE WHEN n.netwerk IS NOT NULL
            THEN coalesce((n.netwerk -> 'doelen' -> c.code ->> 'niet_bereikbaar')::integer, 0)
       END AS niet_bereikbaar,
       (n.netwerk ->> 'woonadressen')::integer AS woonadressen,
       round((n.netwerk ->> 'groen_300')::numeric, 4) AS groen_300m
  FROM gebied g
  JOIN categorie c ON c.gemeente_code = g.gemeente_code
  LEFT JOIN kengetal_cache k ON k.gebied_id = g.id
  LEFT JOIN LATERAL (
    SELECT k.ruimte -> 'netwerk' AS netwerk
     WHERE (k.ruimte -> 'netwerk' ->> 'woonadressen')::integer > 0) n ON true
  LEFT JOIN LATERAL (
    SELECT e AS cat FROM jsonb_array_elements(k.ruimte -> 'categorieen') e
     WHERE e ->> 'code' = c.code) r ON true
 WHERE g.soort IN ('wijk', 'dorp');
