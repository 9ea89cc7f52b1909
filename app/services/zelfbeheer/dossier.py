"""What staff see in Beheer: counts, one adoptie's full file and one groenvak's facts.

Unlike the public panel these include names and e-mail addresses of the group, so every
function checks first that the caller is staff of the adoptie's or groenvak's gemeente.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.models import Adoptie, Gebruiker, Groenvak
from app.services.accounts import require_staff

TELLINGEN_SQL = text("""
SELECT (SELECT count(*) FROM adoptie WHERE gemeente_code = :g AND status = 'aangevraagd')
         AS aangevraagd,
       (SELECT count(*) FROM adoptie WHERE gemeente_code = :g AND status = 'actief') AS actief,
       (SELECT count(*) FROM adoptie WHERE gemeente_code = :g AND status = 'concept') AS concept,
       (SELECT count(*) FROM adoptie a WHERE a.gemeente_code = :g AND a.status = 'actief'
           AND NOT EXISTS (SELECT 1 FROM schouw s WHERE s.adoptie_id = a.id
                            AND s.datum > current_date - 365)) AS zonder_schouw,
       (SELECT count(*) FROM groenvak WHERE gemeente_code = :g AND vervallen_op IS NULL
           AND NOT zelfbeheer_mogelijk) AS niet_geschikt,
       (SELECT count(*) FROM voorstel WHERE gemeente_code = :g AND status = 'ingediend')
         AS voorstellen
""")

GROENVAK_SQL = text("""
SELECT g.id, g.extern_id, g.naam, g.plaatsnaam, g.soort, round(g.oppervlakte_m2::numeric, 1) AS m2,
       g.zelfbeheer_mogelijk, g.vervallen_op, w.naam AS wijk, w.soort AS wijk_soort,
       b.naam AS buurt, s.status, s.adoptie_id AS open_adoptie_id,
       ST_AsGeoJSON(ST_Transform(g.geometrie, 4326), 7) AS geojson
  FROM groenvak g JOIN groenvak_status s ON s.groenvak_id = g.id
  LEFT JOIN gebied w ON w.id = g.wijk_id LEFT JOIN gebied b ON b.id = g.buurt_id
 WHERE g.gemeente_code = :g AND g.id = :id
""")

LEDEN_SQL = text("""
SELECT d.id AS deelname_id, d.rol, d.status, d.aangemaakt_op, u.naam,
       coalesce(u.email, d.uitgenodigd_email) AS email
  FROM deelname d LEFT JOIN gebruiker u ON u.id = d.gebruiker_id
 WHERE d.adoptie_id = :a
 ORDER BY d.status = 'actief' DESC, d.rol DESC, d.id
""")

HISTORIE_SQL = text("""
SELECT l.op, l.actie, l.object_type, l.actor, u.naam AS door, u.rol AS door_rol
  FROM audit_log l LEFT JOIN gebruiker u ON u.id = l.gebruiker_id
 WHERE l.gemeente_code = :g
   AND ((l.object_type = 'adoptie' AND l.object_id = CAST(:a AS text))
     OR (l.object_type = 'deelname' AND l.object_id IN (
           SELECT CAST(d.id AS text) FROM deelname d WHERE d.adoptie_id = :a)))
 ORDER BY l.op, l.id
""")

SCHOUWEN_SQL = text("""
SELECT s.datum, s.uitkomst, s.notitie, u.naam AS medewerker
  FROM schouw s LEFT JOIN gebruiker u ON u.id = s.medewerker_id
 WHERE s.adoptie_id = :a ORDER BY s.datum DESC, s.id DESC
""")

ONDERHOUD_SQL = text("""
SELECT datum, activiteit, notitie FROM onderhoud
 WHERE adoptie_id = :a ORDER BY datum DESC, id DESC LIMIT 10
""")

ADOPTIES_VAN_GROENVAK_SQL = text("""
SELECT a.id, a.groepsnaam, a.status, a.startdatum, a.einddatum, a.aangemaakt_op
  FROM adoptie a WHERE a.groenvak_id = :id ORDER BY a.id DESC
""")


def tellingen(session: Session, medewerker: Gebruiker | None) -> dict[str, int]:
    """The numbers on the Beheer start page, so staff see at once what waits for them."""
    user = require_staff(medewerker, medewerker.gemeente_code if medewerker else "")
    row = session.execute(TELLINGEN_SQL, {"g": user.gemeente_code}).one()
    return {key: int(value) for key, value in row._mapping.items()}


def groenvak_feiten(session: Session, medewerker: Gebruiker | None,
                    groenvak: Groenvak) -> dict[str, Any]:
    """A plot's facts, derived status and outline (GeoJSON in CRS84, made by PostGIS)."""
    require_staff(medewerker, groenvak.gemeente_code)
    row = session.execute(GROENVAK_SQL, {"g": groenvak.gemeente_code, "id": groenvak.id}).one()
    feiten = dict(row._mapping)
    feiten["oppervlakte_m2"] = float(feiten.pop("m2") or 0)
    feiten["adopties"] = [dict(r._mapping) for r in
                          session.execute(ADOPTIES_VAN_GROENVAK_SQL, {"id": groenvak.id})]
    return feiten


def adoptie_dossier(session: Session, medewerker: Gebruiker | None,
                    adoptie: Adoptie) -> dict[str, object]:
    """Everything staff need to decide on or follow an adoptie, names of the group included."""
    require_staff(medewerker, adoptie.gemeente_code)
    params = {"g": adoptie.gemeente_code, "a": adoptie.id}
    besluit_door = (session.get(Gebruiker, adoptie.besluit_door_id)
                    if adoptie.besluit_door_id is not None else None)
    return {
        "leden": [dict(r._mapping) for r in session.execute(LEDEN_SQL, params)],
        "historie": [dict(r._mapping) for r in session.execute(HISTORIE_SQL, params)],
        "schouwen": [dict(r._mapping) for r in session.execute(SCHOUWEN_SQL, params)],
        "onderhoud": [dict(r._mapping) for r in session.execute(ONDERHOUD_SQL, params)],
        "besluit_door": besluit_door.naam if besluit_door is not None else None,
    }


GROENVAKKEN_SQL = text("""
SELECT g.id, g.extern_id, coalesce(g.naam, g.plaatsnaam) AS naam, g.soort,
       round(g.oppervlakte_m2::numeric, 1) AS m2, w.naam AS wijk
  FROM groenvak g LEFT JOIN gebied w ON w.id = g.wijk_id
 WHERE g.gemeente_code = :g AND g.vervallen_op IS NULL AND g.zelfbeheer_mogelijk = :geschikt
 ORDER BY w.naam NULLS LAST, g.extern_id, g.id
""")


def groenvakken_lijst(session: Session, medewerker: Gebruiker | None,
                      geschikt: bool) -> list[dict[str, object]]:
    """Current plots that are (not) suitable for zelfbeheer: the list behind a /beheer tile."""
    user = require_staff(medewerker, medewerker.gemeente_code if medewerker else "")
    rows = [dict(r._mapping) for r in session.execute(
        GROENVAKKEN_SQL, {"g": user.gemeente_code, "geschikt": geschikt})]
    for row in rows:
        row["oppervlakte_m2"] = float(row.pop("m2") or 0)
    return rows
