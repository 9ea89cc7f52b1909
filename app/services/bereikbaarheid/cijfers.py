"""Figures per wijk or dorp from the stored walking distances of its woonadressen (the CBS
way: from every home, over the road network), and the addresses outside a walking time."""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy import text
from sqlmodel import Session

from app.services.bereikbaarheid.profielen import GROEN_DOEL, GROEN_M, MINUTEN

CIJFERS_SQL = text("""
SELECT af.doel, count(*) AS woonadressen, count(af.afstand_m) AS bereikbaar,
       avg(af.afstand_m) AS gem, max(af.afstand_m) AS max,
       count(*) FILTER (WHERE af.afstand_m <= :m1) AS b1,
       count(*) FILTER (WHERE af.afstand_m <= :m2) AS b2,
       count(*) FILTER (WHERE af.afstand_m <= :m3) AS b3,
       count(*) FILTER (WHERE af.afstand_m <= :groen_m) AS b_groen
  FROM adres a JOIN adres_afstand af ON af.adres_id = a.id AND af.gemeente_code = a.gemeente_code
 WHERE a.wijk_id = :id AND a.woonfunctie
 GROUP BY af.doel
""")

WOONADRESSEN_SQL = text(
    "SELECT count(*) FROM adres WHERE wijk_id = :id AND woonfunctie")


class DoelCijfers(TypedDict):
    """Walking figures of one doel in one gebied (distances in metres, shares 0..1)."""

    gem: float | None
    max: float | None
    binnen: list[float]  # share within each of MINUTEN
    niet_bereikbaar: int


class NetwerkCijfers(TypedDict):
    """Walking figures of one gebied, as stored in kengetal_cache.ruimte['netwerk']."""

    woonadressen: int
    meter_per_minuut: float
    doelen: dict[str, DoelCijfers]
    groen_300: float | None  # share within GROEN_M walking of public green ≥ 0.5 ha


def gebied_cijfers(session: Session, gebied_id: int, meter_per_minuut: float) -> NetwerkCijfers:
    """The walking figures of one wijk/dorp from adres_afstand (bijwerken has run)."""
    drempels = [m * meter_per_minuut for m in MINUTEN]
    rows = session.execute(CIJFERS_SQL, {
        "id": gebied_id, "m1": drempels[0], "m2": drempels[1], "m3": drempels[2],
        "groen_m": GROEN_M}).all()
    woonadressen = int(session.execute(WOONADRESSEN_SQL, {"id": gebied_id}).scalar_one())
    doelen: dict[str, DoelCijfers] = {}
    groen: float | None = None
    for r in rows:
        n = int(r.woonadressen)
        if r.doel == GROEN_DOEL:
            groen = int(r.b_groen) / n
            continue
        doelen[r.doel] = {
            "gem": None if r.gem is None else float(r.gem),
            "max": None if r.max is None else float(r.max),
            "binnen": [int(r.b1) / n, int(r.b2) / n, int(r.b3) / n],
            "niet_bereikbaar": n - int(r.bereikbaar)}
    return {"woonadressen": woonadressen, "meter_per_minuut": meter_per_minuut,
            "doelen": doelen, "groen_300": groen}


# Woonadressen of the gebied farther than :drempel (or unreachable), and the streets of the
# gebied whose both ends are: the witte vlekken over the network, as GeoJSON in EPSG:4326.
BUITEN_SQL = text("""
WITH g AS (
  SELECT w.id FROM gebied w
   WHERE w.gemeente_code = :gemeente AND w.code = :code AND w.soort IN ('wijk', 'dorp')
), buiten AS (
  SELECT a.id, a.geometrie, af.afstand_m
    FROM g JOIN adres a ON a.wijk_id = g.id AND a.woonfunctie
    JOIN adres_afstand af ON af.adres_id = a.id AND af.gemeente_code = a.gemeente_code
   WHERE af.doel = :doel AND (af.afstand_m IS NULL OR af.afstand_m > :drempel)
), straten AS (
  SELECT s.id, s.naam, s.geometrie FROM g JOIN straat s ON s.wijk_id = g.id
   WHERE EXISTS (SELECT 1 FROM adres_aansluiting aa JOIN buiten b ON b.id = aa.adres_id
                  WHERE aa.straat_id = s.id)
     AND NOT EXISTS (SELECT 1 FROM adres_aansluiting aa
                       JOIN adres_afstand af ON af.adres_id = aa.adres_id
                        AND af.gemeente_code = :gemeente AND af.doel = :doel
                      WHERE aa.straat_id = s.id AND af.afstand_m <= :drempel)
)
SELECT json_build_object('type', 'FeatureCollection',
                         'features', coalesce(json_agg(f), '[]'))::text
  FROM (
    SELECT json_build_object(
             'type', 'Feature',
             'geometry', ST_AsGeoJSON(ST_Transform(ST_Collect(b.geometrie), 4326), 6)::json,
             'properties', json_build_object('soort', 'adressen', 'aantal', count(*))) AS f
      FROM buiten b HAVING count(*) > 0
    UNION ALL
    SELECT json_build_object(
             'type', 'Feature',
             'geometry', ST_AsGeoJSON(ST_Transform(ST_Collect(s.geometrie), 4326), 6)::json,
             'properties', json_build_object('soort', 'straten', 'aantal', count(*)))
      FROM straten s HAVING count(*) > 0
  ) q
""")


def buiten_geojson(session: Session, gemeente_code: str, code: str, doel: str,
                   drempel_m: float) -> str:
    """Woonadressen (one MultiPoint) and streets whose addresses are all (one MultiLineString)
    beyond drempel_m walking from the doel, as a FeatureCollection in EPSG:4326."""
    value = session.execute(BUITEN_SQL, {"gemeente": gemeente_code, "code": code, "doel": doel,
                                         "drempel": drempel_m}).scalar()
    return str(value) if value is not None else '{"type": "FeatureCollection", "features": []}'
