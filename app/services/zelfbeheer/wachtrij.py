"""The staff's queue: requests waiting for the gemeente (or still for households), filtered by
wijk and status, the waiting plots as GeoJSON for a map, and one decision for many requests.

A decision for many runs the single decision (`adopties.beoordelen`) per request, each in its
own savepoint: a request that is refused keeps nothing of the attempt (no status, audit row or
mail), the others go through, and the caller learns which failed and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from app.errors import DomainError, InvalidInput
from app.models import Gebruiker
from app.models.base import now
from app.services.accounts import require_staff
from app.services.zelfbeheer.adopties import beoordelen
from app.services.zelfbeheer.kern import adoptie_ophalen

# The statuses the queue shows: waiting for the gemeente, or for more households first.
WACHTEND = ("aangevraagd", "concept")

WACHTRIJ_SQL = text("""
SELECT a.id AS adoptie_id, a.groepsnaam, a.plan, a.motivatie, a.status, g.id AS groenvak_id,
       g.extern_id, coalesce(g.naam, g.plaatsnaam) AS groenvak_naam, g.soort,
       round(g.oppervlakte_m2::numeric, 1) AS oppervlakte_m2, w.naam AS wijk,
       coalesce((SELECT max(l.op) FROM audit_log l
                  WHERE l.gemeente_code = a.gemeente_code AND l.object_type = 'adoptie'
                    AND l.object_id = a.id::text AND l.actie LIKE 'status:%->aangevraagd'),
                a.aangemaakt_op) AS aangevraagd_op
  FROM adoptie a JOIN groenvak g ON g.id = a.groenvak_id LEFT JOIN gebied w ON w.id = g.wijk_id
 WHERE a.gemeente_code = :gemeente AND a.status = :status
   AND (CAST(:wijk AS text) IS NULL OR w.code = :wijk)
 ORDER BY aangevraagd_op, a.id
""")

AANVRAGERS_SQL = text("""
SELECT d.adoptie_id, u.naam, u.email, d.rol
  FROM deelname d JOIN gebruiker u ON u.id = d.gebruiker_id
 WHERE d.adoptie_id = ANY(:ids) AND d.status = 'actief' ORDER BY d.rol DESC, u.naam
""")

# One point per waiting plot (on its surface, so a small plot stays visible and clickable at
# any zoom), as one FeatureCollection built by PostGIS, with the bounds in lat/lon.
KAART_SQL = text("""
WITH p AS (
  SELECT a.id, a.groepsnaam, coalesce(g.naam, g.plaatsnaam, g.soort) AS groenvak,
         g.extern_id, w.naam AS wijk, ST_Transform(ST_PointOnSurface(g.geometrie), 4326) AS pt
    FROM adoptie a JOIN groenvak g ON g.id = a.groenvak_id
    LEFT JOIN gebied w ON w.id = g.wijk_id
   WHERE a.gemeente_code = :gemeente AND a.id = ANY(:ids))
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
         json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(pt, 7)::json,
                           'properties', json_build_object(
                             'adoptie_id', id, 'groep', groepsnaam,
                             'groenvak', groenvak || ' (' || extern_id || ')',
                             'wijk', coalesce(wijk, '–'),
                             'href', '/beheer/adopties/' || id)) ORDER BY id), '[]'))::text,
       ST_YMin(ST_Extent(pt)), ST_XMin(ST_Extent(pt)), ST_YMax(ST_Extent(pt)),
       ST_XMax(ST_Extent(pt))
  FROM p
""")


def wachtrij(session: Session, medewerker: Gebruiker | None, wijk_code: str | None = None,
             status: str = "aangevraagd") -> list[dict[str, object]]:
    """Requests in the medewerker's gemeente with this status (and wijk), oldest first."""
    user = require_staff(medewerker, medewerker.gemeente_code if medewerker else "")
    if status not in WACHTEND:
        raise InvalidInput("Kies een status uit de lijst.")
    rows = [dict(r._mapping) for r in session.execute(WACHTRIJ_SQL, {
        "gemeente": user.gemeente_code, "status": status, "wijk": wijk_code})]
    aanvragers: dict[int, list[dict[str, str]]] = {}
    if rows:
        for r in session.execute(AANVRAGERS_SQL, {"ids": [row["adoptie_id"] for row in rows]}):
            aanvragers.setdefault(r.adoptie_id, []).append(
                {"naam": r.naam, "email": r.email, "rol": r.rol})
    moment: datetime = now()
    for row in rows:
        row["oppervlakte_m2"] = float(row["oppervlakte_m2"] or 0)
        row["aanvragers"] = aanvragers.get(row["adoptie_id"], [])
        row["leeftijd_dagen"] = (moment - row["aangevraagd_op"]).days
    return rows


@dataclass(frozen=True)
class WachtrijKaart:
    """The waiting plots as GeoJSON text (CRS84) and their bounds: south, west, north, east."""

    geojson: str
    bounds: tuple[float, float, float, float] | None


def wachtrij_kaart(session: Session, medewerker: Gebruiker | None,
                   adoptie_ids: Sequence[int]) -> WachtrijKaart:
    """The plots of these requests (of the medewerker's own gemeente only) for the map."""
    user = require_staff(medewerker, medewerker.gemeente_code if medewerker else "")
    row = session.execute(KAART_SQL, {"gemeente": user.gemeente_code,
                                      "ids": list(adoptie_ids)}).one()
    bounds = None if row[1] is None else (float(row[1]), float(row[2]), float(row[3]),
                                          float(row[4]))
    return WachtrijKaart(geojson=str(row[0]), bounds=bounds)


@dataclass
class Uitkomst:
    """What a decision for many did: the requests decided, and those refused with the reason."""

    gelukt: list[tuple[int, str]] = field(default_factory=list)
    mislukt: list[tuple[int, str, str]] = field(default_factory=list)


def bulk_beoordelen(session: Session, medewerker: Gebruiker | None, adoptie_ids: Sequence[int],
                    goedkeuren: bool, toelichting: str | None) -> Uitkomst:
    """Approve or reject each request as the single decision would; a refusal rolls back only
    that request's savepoint. The caller commits."""
    user = require_staff(medewerker, medewerker.gemeente_code if medewerker else "")
    uitkomst = Uitkomst()
    for adoptie_id in dict.fromkeys(adoptie_ids):  # each once, in the order given
        savepoint = session.begin_nested()
        naam = f"Aanvraag {adoptie_id}"
        try:
            adoptie = adoptie_ophalen(session, user.gemeente_code, adoptie_id)
            naam = adoptie.groepsnaam
            beoordelen(session, user, adoptie, goedkeuren, toelichting)
            session.flush()
        except DomainError as exc:
            savepoint.rollback()
            uitkomst.mislukt.append((adoptie_id, naam, str(exc)))
            continue
        savepoint.commit()
        uitkomst.gelukt.append((adoptie_id, naam))
    return uitkomst
