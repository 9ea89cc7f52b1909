"""The SQL of the gap finder (bereikbaarheid.gaten): candidates, their reach over the network
in one multi-start pgr_drivingDistance, and which uncovered woonadressen each would reach."""

from __future__ import annotations

from sqlalchemy import text

from app.services.bereikbaarheid.afstanden_sql import RANDEN

VIRTUEEL = 1_000_000_000_000  # virtual junction ids: far above any knoop.id

# Candidates: addresses without woonfunctie in the wijk (shops, offices, schools: places where
# a voorziening could come), then junctions of the wijk's streets, up to :max in all; spread
# over the wijk by a fixed hash so the choice is the same every run.
KANDIDATEN_SQL = text("""
CREATE TEMP TABLE IF NOT EXISTS _kandidaat (
  nr bigint PRIMARY KEY, adres_id integer, knoop bigint, straat_id integer,
  fractie double precision, afstand_m double precision, label text,
  geometrie geometry(Point, 28992)) ON COMMIT DROP;
TRUNCATE _kandidaat;
""")

KANDIDATEN_VUL_SQL = text("""
WITH w AS (SELECT id FROM gebied WHERE gemeente_code = :g AND code = :wijk
                                    AND soort IN ('wijk', 'dorp')),
adressen AS (
  SELECT a.id, aa.straat_id, aa.fractie, aa.afstand_m, a.geometrie,
         a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '')
           || coalesce('-' || a.toevoeging, '') AS label
    FROM w JOIN adres a ON a.wijk_id = w.id AND NOT a.woonfunctie
    JOIN adres_aansluiting aa ON aa.adres_id = a.id
   ORDER BY hashtext(a.identificatie) LIMIT :max
), knopen AS (
  SELECT DISTINCT ON (k.id) k.id, k.geometrie, s.naam
    FROM w JOIN straat s ON s.wijk_id = w.id
    JOIN netwerk_rand r ON r.straat_id = s.id AND r.soort <> ALL (CAST(:verboden AS text[]))
    JOIN knoop k ON k.id IN (r.bron, r.doel)
   WHERE ST_Intersects(k.geometrie, (SELECT geometrie FROM gebied WHERE id = w.id))
   ORDER BY k.id
)
INSERT INTO _kandidaat (nr, adres_id, knoop, straat_id, fractie, afstand_m, label, geometrie)
SELECT :virtueel + row_number() OVER (), * FROM (
  SELECT id, NULL::bigint, straat_id, fractie, afstand_m, label, geometrie FROM adressen
  UNION ALL
  (SELECT NULL, id, NULL, NULL, 0, 'kruispunt bij ' || naam, geometrie FROM knopen
    ORDER BY hashtext(id::text) LIMIT greatest(0, :max - (SELECT count(*) FROM adressen)))
) c
""")

# Every candidate is a virtual junction joined to both ends of its straat (an address) or to
# its own junction (cost 0); one drivingDistance from all of them, each on its own
# (equicost false), bounded by the walking time.
# The start column is from_v in pgRouting 3.4 and start_vid from 3.6 on: read it by name from
# the row as JSON, so both work.
BEREIK_WEG_SQL = text("DROP TABLE IF EXISTS _bereik")
BEREIK_INDEX_SQL = text("CREATE INDEX ON _bereik (knoop)")
BEREIK_SQL = text(f"""
CREATE TEMP TABLE _bereik ON COMMIT DROP AS
SELECT coalesce(to_jsonb(d) ->> 'start_vid', to_jsonb(d) ->> 'from_v')::bigint AS nr,
       d.node AS knoop, d.agg_cost AS c
  FROM pgr_drivingDistance(
  format($q${RANDEN}
    UNION ALL
    SELECT -row_number() OVER (), v.nr, v.knoop, v.kosten, -1 FROM (
      SELECT k.nr, r.bron AS knoop, k.afstand_m + k.fractie * r.lengte_m AS kosten
        FROM _kandidaat k JOIN netwerk_rand r ON r.straat_id = k.straat_id
      UNION ALL
      SELECT k.nr, r.doel, k.afstand_m + (1 - k.fractie) * r.lengte_m
        FROM _kandidaat k JOIN netwerk_rand r ON r.straat_id = k.straat_id
      UNION ALL
      SELECT k.nr, k.knoop, 0 FROM _kandidaat k WHERE k.knoop IS NOT NULL) v
  $q$, CAST(:gemeenten AS text[]), CAST(:verboden AS text[])),
  (SELECT array_agg(nr) FROM _kandidaat), CAST(:drempel AS float8),
  directed => true, equicost => false) d
""")

# Pairs (candidate, woonadres of the wijk not yet within the walking time) that the candidate
# would bring within it: via either end of the address's straat, or along a shared straat.
PAREN_SQL = text("""
WITH w AS (SELECT id FROM gebied WHERE gemeente_code = :g AND code = :wijk),
open AS (
  SELECT a.id, aa.straat_id, aa.fractie, aa.afstand_m, r.bron, r.doel, r.lengte_m
    FROM w JOIN adres a ON a.wijk_id = w.id AND a.woonfunctie
    JOIN adres_aansluiting aa ON aa.adres_id = a.id
    JOIN netwerk_rand r ON r.straat_id = aa.straat_id
    LEFT JOIN adres_afstand af ON af.adres_id = a.id AND af.gemeente_code = :g
                              AND af.doel = :doel
   WHERE af.afstand_m IS NULL OR af.afstand_m > :drempel
)
SELECT DISTINCT b.nr, o.id
  FROM open o JOIN _bereik b ON b.knoop = o.bron
 WHERE b.c + o.fractie * o.lengte_m + o.afstand_m <= :drempel
UNION
SELECT b.nr, o.id
  FROM open o JOIN _bereik b ON b.knoop = o.doel
 WHERE b.c + (1 - o.fractie) * o.lengte_m + o.afstand_m <= :drempel
UNION
SELECT k.nr, o.id
  FROM open o JOIN _kandidaat k ON k.straat_id = o.straat_id
 WHERE abs(k.fractie - o.fractie) * o.lengte_m + k.afstand_m + o.afstand_m <= :drempel
""")

OPEN_SQL = text("""
SELECT count(*) FILTER (WHERE af.afstand_m IS NULL OR af.afstand_m > :drempel) AS open,
       count(*) AS woonadressen
  FROM gebied w JOIN adres a ON a.wijk_id = w.id AND a.woonfunctie
  LEFT JOIN adres_afstand af ON af.adres_id = a.id AND af.gemeente_code = :g AND af.doel = :doel
 WHERE w.gemeente_code = :g AND w.code = :wijk
""")

PLEKKEN_SQL = text("""
SELECT nr, label, ST_X(ST_Transform(geometrie, 4326)) AS lon,
       ST_Y(ST_Transform(geometrie, 4326)) AS lat,
       ST_X(geometrie) AS x, ST_Y(geometrie) AS y
  FROM _kandidaat WHERE nr = ANY (CAST(:nrs AS bigint[]))
""")
