"""Groenvakken counted per wijk and dorp, for the zelfbeheer map before plots are drawn: a
count at a point among each area's plots, and the view a resident starts at."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session


@dataclass(frozen=True)
class GroenTelling:
    """How many groenvakken a wijk or dorp has (and how many are free), and where."""

    code: str
    naam: str
    aantal: int
    beschikbaar: int
    lat: float
    lon: float


# The point is the plot centre nearest to the mean of the area's plot centres: always on a
# plot, so a resident zooming in there sees groenvakken, never an empty field.
TELLING_SQL = text("""
WITH p AS (
  SELECT w.code, w.naam, ST_PointOnSurface(g.geometrie) AS pt, s.status
    FROM groenvak g
    JOIN gebied w ON w.id = g.wijk_id
    JOIN groenvak_status s ON s.groenvak_id = g.id
   WHERE g.gemeente_code = :gemeente AND g.vervallen_op IS NULL)
SELECT code, naam, aantal, beschikbaar, ST_Y(c), ST_X(c) FROM (
  SELECT code, naam, count(*) AS aantal,
         count(*) FILTER (WHERE status = 'beschikbaar') AS beschikbaar,
         ST_Transform(ST_ClosestPoint(ST_Collect(pt), ST_Centroid(ST_Collect(pt))), 4326) AS c
    FROM p GROUP BY code, naam) t
 ORDER BY beschikbaar DESC, aantal DESC, code
""")


def groen_per_gebied(session: Session, gemeente_code: str) -> list[GroenTelling]:
    """Wijken and dorpen with groenvakken, most free plots first (the first is where to start)."""
    rows = session.execute(TELLING_SQL, {"gemeente": gemeente_code}).all()
    return [GroenTelling(r[0], r[1], r[2], r[3], round(r[4], 6), round(r[5], 6)) for r in rows]
