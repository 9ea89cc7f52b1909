"""The gemeente and its wijken and dorpen, for the pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, select

from app.errors import NotFound
from app.models import Gemeente


@dataclass(frozen=True)
class GebiedRegel:
    """One row of the overview of wijken and dorpen."""

    code: str
    naam: str
    soort: str
    inwoners: int | None
    oppervlakte_ha: float
    buurten: int
    voorzieningen: int
    groenvakken: int


def current_gemeente(session: Session, code: str | None) -> Gemeente:
    """The gemeente this site serves: the setting, or the only one in the database."""
    query = select(Gemeente).order_by(Gemeente.code)
    if code:
        query = query.where(Gemeente.code == code)
    gemeente = session.exec(query).first()
    if gemeente is None:
        raise NotFound(f"Gemeente {code} bestaat niet." if code else
                       "Er is nog geen gemeente geladen: voer `kaart demo load` uit.")
    return gemeente


def gemeente_van(session: Session, code: str) -> Gemeente:
    """The gemeente's zelfbeheer settings (min. households, max. m², agreement text)."""
    gemeente = session.get(Gemeente, code)
    if gemeente is None:
        raise NotFound(f"Gemeente {code} bestaat niet.")
    return gemeente


OVERVIEW_SQL = text("""
SELECT w.code, w.naam, w.soort, w.inwoners, round((w.oppervlakte_m2 / 10000)::numeric, 1) AS ha,
       (SELECT count(*) FROM gebied b WHERE b.parent_id = w.id) AS buurten,
       (SELECT count(*) FROM voorziening v
         WHERE v.wijk_id = w.id AND v.status = 'gepubliceerd') AS voorzieningen,
       (SELECT count(*) FROM groenvak g
         WHERE g.wijk_id = w.id AND g.vervallen_op IS NULL) AS groenvakken
  FROM gebied w
 WHERE w.gemeente_code = :gemeente AND w.soort IN ('wijk', 'dorp')
 ORDER BY w.soort DESC, w.naam
""")


def overview(session: Session, gemeente_code: str) -> list[GebiedRegel]:
    """Wijken first, then dorpen, each with counts computed by the database."""
    rows = session.execute(OVERVIEW_SQL, {"gemeente": gemeente_code}).all()
    return [GebiedRegel(r.code, r.naam, r.soort, r.inwoners, float(r.ha), r.buurten,
                        r.voorzieningen, r.groenvakken) for r in rows]


BOUNDARIES_SQL = text("""
SELECT json_build_object(
         'type', 'FeatureCollection',
         'features', coalesce(json_agg(ST_AsGeoJSON(f.*, 'geom', 6)::json ORDER BY f.code),
                              '[]'))::text
  FROM (SELECT code, naam, soort,
               ST_Transform(ST_SimplifyPreserveTopology(geometrie, 2), 4326) AS geom
          FROM gebied WHERE gemeente_code = :gemeente AND soort IN ('wijk', 'dorp')) f
""")

EXTENT_SQL = text("""
SELECT ST_YMin(e), ST_XMin(e), ST_YMax(e), ST_XMax(e)
  FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(geometrie), 28992), 4326) AS e
          FROM gebied WHERE gemeente_code = :gemeente) x
""")


def boundaries_geojson(session: Session, gemeente_code: str) -> str:
    """Wijk and dorp boundaries as one GeoJSON text in CRS84, built by PostGIS."""
    return str(session.execute(BOUNDARIES_SQL, {"gemeente": gemeente_code}).scalar_one())


def extent_latlon(session: Session, gemeente_code: str) -> tuple[float, float, float, float] | None:
    """South, west, north, east of the gemeente's gebieden, or None when it has none."""
    row = session.execute(EXTENT_SQL, {"gemeente": gemeente_code}).one()
    return None if row[0] is None else (row[0], row[1], row[2], row[3])


SEARCH_SQL = text("""
SELECT soort, label, sleutel, ST_YMin(e), ST_XMin(e), ST_YMax(e), ST_XMax(e) FROM (
  SELECT 'gebied' AS soort, g.naam || ' (' || g.soort || ')' AS label, g.code AS sleutel,
         ST_Transform(ST_Envelope(g.geometrie), 4326) AS e, 0 AS volgorde
    FROM gebied g
   WHERE g.gemeente_code = :gemeente AND g.soort IN ('wijk', 'dorp') AND g.naam ILIKE :patroon
  UNION ALL
  (SELECT 'groenvak', coalesce(v.naam, initcap(v.soort)) || ' – ' || v.extern_id, v.id::text,
          ST_Transform(ST_Envelope(ST_Buffer(v.geometrie, 30)), 4326), 1
     FROM groenvak v
    WHERE v.gemeente_code = :gemeente AND v.vervallen_op IS NULL
      AND (v.naam ILIKE :patroon OR v.extern_id = :exact)
    ORDER BY v.naam, v.extern_id LIMIT 20)) r
 ORDER BY volgorde
""")


@dataclass(frozen=True)
class Zoekresultaat:
    """A wijk, dorp or groenvak matching a search, with its extent for the map."""

    soort: str
    label: str
    sleutel: str
    bounds: tuple[float, float, float, float]  # south, west, north, east


def search(session: Session, gemeente_code: str, zoek: str) -> list[Zoekresultaat]:
    """Wijken, dorpen and named groenvakken whose name contains the search text."""
    zoek = zoek.strip()[:100]
    if not zoek:
        return []
    escaped = zoek.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = session.execute(SEARCH_SQL, {"gemeente": gemeente_code, "patroon": f"%{escaped}%",
                                        "exact": zoek.upper()}).all()
    return [Zoekresultaat(r[0], r[1], r[2], (r[3], r[4], r[5], r[6])) for r in rows]


def groenvak_bounds(session: Session, gemeente_code: str,
                    groenvak_id: int) -> tuple[float, float, float, float] | None:
    """South, west, north, east of a groenvak with some room around it, for the map."""
    row = session.execute(text("""
        SELECT ST_YMin(e), ST_XMin(e), ST_YMax(e), ST_XMax(e) FROM (
          SELECT ST_Transform(ST_Envelope(ST_Buffer(geometrie, 40)), 4326) AS e FROM groenvak
           WHERE gemeente_code = :g AND id = :id) x"""),
        {"g": gemeente_code, "id": groenvak_id}).first()
    return None if row is None else (row[0], row[1], row[2], row[3])
