"""What the page of one wijk or dorp shows besides its figures: boundary and voorzieningen."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session


@dataclass(frozen=True)
class VoorzieningRegel:
    """A published voorziening in the gebied, for the map and the list."""

    id: int
    naam: str
    adres: str | None
    plaats: str | None
    categorie_code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class GebiedPagina:
    """A wijk or dorp with its boundary (GeoJSON, CRS84) and its voorzieningen."""

    id: int
    code: str
    naam: str
    soort: str
    grens_geojson: str
    bounds: tuple[float, float, float, float]  # south, west, north, east
    voorzieningen: list[VoorzieningRegel]


GEBIED_SQL = text("""
SELECT id, code, naam, soort,
       ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(geometrie, 1), 4326), 6) AS grens,
       ST_YMin(e) AS s, ST_XMin(e) AS w, ST_YMax(e) AS n, ST_XMax(e) AS o
  FROM (SELECT *, ST_Transform(ST_Envelope(geometrie), 4326) AS e FROM gebied
         WHERE gemeente_code = :gemeente AND code = :code) g
""")

VOORZIENINGEN_SQL = text("""
SELECT v.id, v.naam, v.adres, v.plaats, c.code AS categorie,
       ST_Y(p) AS lat, ST_X(p) AS lon
  FROM voorziening v
  JOIN categorie c ON c.id = v.categorie_id
 CROSS JOIN LATERAL ST_Transform(v.geometrie, 4326) p
 WHERE v.wijk_id = :id AND v.status = 'gepubliceerd'
 ORDER BY c.volgorde, c.naam, v.naam, v.id
""")


def gebied_pagina(session: Session, gemeente_code: str, code: str) -> GebiedPagina | None:
    """The gebied with this code (any soort; the caller checks it), or None."""
    row = session.execute(GEBIED_SQL, {"gemeente": gemeente_code, "code": code}).first()
    if row is None:
        return None
    voorzieningen = [] if row.soort == "buurt" else [
        VoorzieningRegel(r.id, r.naam, r.adres, r.plaats, r.categorie, r.lat, r.lon)
        for r in session.execute(VOORZIENINGEN_SQL, {"id": row.id})]
    return GebiedPagina(row.id, row.code, row.naam, row.soort, row.grens,
                        (row.s, row.w, row.n, row.o), voorzieningen)
