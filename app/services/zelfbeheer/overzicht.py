"""What the zelfbeheer pages show: the public plot panel, Mijn groen and the staff's lists.

Each query is one SQL statement (or two) computed by the database. The public panel carries
counts and dates, never a name or an e-mail address; staff lists do show applicants.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.errors import InvalidInput, NotFound
from app.models import Gebruiker
from app.services import geografie
from app.services.accounts import require_staff, require_user
from app.services.gebieden import gemeente_van
from app.workflow import STATUSSEN

PANEEL_SQL = text("""
SELECT g.id, g.naam, g.plaatsnaam, g.soort, round(g.oppervlakte_m2::numeric, 1) AS oppervlakte_m2,
       w.naam AS wijk, b.naam AS buurt, s.status, s.adoptie_id, s.openbare_groepsnaam,
       a.startdatum,
       (SELECT count(DISTINCT d.gebruiker_id) FROM deelname d
         WHERE d.adoptie_id = s.adoptie_id AND d.status = 'actief') AS aantal_deelnemers
  FROM groenvak g
  JOIN groenvak_status s ON s.groenvak_id = g.id
  LEFT JOIN adoptie a ON a.id = s.adoptie_id
  LEFT JOIN gebied w ON w.id = g.wijk_id
  LEFT JOIN gebied b ON b.id = g.buurt_id
 WHERE g.gemeente_code = :gemeente AND g.id = :id
""")

LOG_SQL = text("""
SELECT o.datum, o.activiteit, o.notitie,
       coalesce((SELECT array_agg(f.opslag_sleutel ORDER BY f.id) FROM foto f
                  WHERE f.onderhoud_id = o.id), '{}') AS fotos
  FROM onderhoud o
 WHERE o.adoptie_id = :adoptie ORDER BY o.datum DESC, o.id DESC LIMIT :n
""")


def groenvak_paneel(session: Session, gemeente_code: str, groenvak_id: int) -> dict[str, object]:
    """Public facts about a plot for the map's side panel: no names, no e-mail addresses."""
    row = session.execute(PANEEL_SQL, {"gemeente": gemeente_code, "id": groenvak_id}).first()
    if row is None:
        raise NotFound("Dit groenvak bestaat niet.")
    grens = gemeente_van(session, gemeente_code).max_oppervlakte_m2
    te_groot = grens is not None and float(row.oppervlakte_m2 or 0) > grens
    onderhoud = []
    if row.status == "in_zelfbeheer":
        onderhoud = [{"datum": r.datum, "activiteit": r.activiteit, "notitie": r.notitie,
                      "fotos": list(r.fotos)}
                     for r in session.execute(LOG_SQL, {"adoptie": row.adoptie_id, "n": 5})]
    adres = geografie.adres_bij_groenvak(session.connection(), gemeente_code, row.id)
    return {"groenvak_id": row.id, "naam": row.naam, "plaatsnaam": row.plaatsnaam,
            "adres": adres.tekst if adres else None, "soort": row.soort,
            "oppervlakte_m2": float(row.oppervlakte_m2 or 0), "wijk": row.wijk,
            "buurt": row.buurt, "status": row.status, "adoptie_id": row.adoptie_id,
            "groepsnaam": row.openbare_groepsnaam, "in_zelfbeheer_sinds": row.startdatum,
            "aantal_deelnemers": int(row.aantal_deelnemers or 0),
            "kan_aanvragen": row.status == "beschikbaar" and not te_groot,
            "kan_aansluiten": row.status in ("aangevraagd", "in_zelfbeheer"),
            "te_groot": te_groot, "max_oppervlakte_m2": grens, "onderhoud": onderhoud}


MIJN_ADOPTIES_SQL = text("""
SELECT a.id AS adoptie_id, d.id AS deelname_id, d.rol, a.status, a.groepsnaam,
       a.groepsnaam_openbaar, a.startdatum, a.einddatum, g.id AS groenvak_id,
       coalesce(g.naam, g.plaatsnaam) AS groenvak_naam, g.soort, w.naam AS wijk,
       (SELECT count(DISTINCT x.gebruiker_id) FROM deelname x
         WHERE x.adoptie_id = a.id AND x.status = 'actief') AS huishoudens
  FROM deelname d JOIN adoptie a ON a.id = d.adoptie_id JOIN groenvak g ON g.id = a.groenvak_id
  LEFT JOIN gebied w ON w.id = g.wijk_id
 WHERE d.gebruiker_id = :me AND d.status = 'actief'
 ORDER BY a.status IN ('concept', 'aangevraagd', 'actief') DESC, a.id DESC
""")

GROEP_SQL = text("""
SELECT d.id AS deelname_id, d.adoptie_id, d.rol, d.status, u.naam, d.uitgenodigd_email,
       d.aangemaakt_op
  FROM deelname d LEFT JOIN gebruiker u ON u.id = d.gebruiker_id
 WHERE d.adoptie_id = ANY(:ids) AND d.status IN ('actief', 'uitgenodigd', 'aangevraagd')
 ORDER BY d.rol DESC, d.id
""")

UITNODIGINGEN_SQL = text("""
SELECT d.id AS deelname_id, a.id AS adoptie_id, a.groepsnaam, a.status, d.aangemaakt_op
  FROM deelname d JOIN adoptie a ON a.id = d.adoptie_id
 WHERE d.gemeente_code = :gemeente AND lower(d.uitgenodigd_email) = lower(:email)
   AND d.status = 'uitgenodigd' AND a.status IN ('concept', 'aangevraagd', 'actief')
 ORDER BY d.id DESC
""")

VERZOEKEN_SQL = text("""
SELECT d.id AS deelname_id, a.id AS adoptie_id, a.groepsnaam, a.status, d.aangemaakt_op
  FROM deelname d JOIN adoptie a ON a.id = d.adoptie_id
 WHERE d.gebruiker_id = :me AND d.status = 'aangevraagd' ORDER BY d.id DESC
""")

MIJN_LOG_SQL = text("""
SELECT o.id, o.adoptie_id, a.groepsnaam, o.datum, o.activiteit, o.notitie,
       o.gebruiker_id = :me AS door_mij,
       coalesce((SELECT array_agg(f.opslag_sleutel ORDER BY f.id) FROM foto f
                  WHERE f.onderhoud_id = o.id), '{}') AS fotos
  FROM onderhoud o JOIN adoptie a ON a.id = o.adoptie_id
  JOIN deelname d ON d.adoptie_id = a.id AND d.gebruiker_id = :me AND d.status = 'actief'
 WHERE a.status = 'actief' ORDER BY o.datum DESC, o.id DESC LIMIT 10
""")


def mijn_groen(session: Session, bewoner: Gebruiker | None) -> dict[str, object]:
    """A resident's own page: groups with role and status, invitations, requests, recent work.

    A trekker also gets the group's members, open invitations and join requests, because they
    hand over the role and decide on requests.
    """
    user = require_user(bewoner)
    adopties = [dict(r._mapping) for r in session.execute(MIJN_ADOPTIES_SQL, {"me": user.id})]
    trekker_van = [a["adoptie_id"] for a in adopties if a["rol"] == "trekker"]
    groep: dict[int, list[dict[str, Any]]] = {}
    if trekker_van:
        for r in session.execute(GROEP_SQL, {"ids": trekker_van}):
            groep.setdefault(r.adoptie_id, []).append(dict(r._mapping))
    for a in adopties:
        rows = groep.get(a["adoptie_id"], [])
        a["leden"] = [{"deelname_id": r["deelname_id"], "naam": r["naam"], "rol": r["rol"]}
                      for r in rows if r["status"] == "actief"]
        a["open_uitnodigingen"] = [{"deelname_id": r["deelname_id"],
                                    "email": r["uitgenodigd_email"]}
                                   for r in rows if r["status"] == "uitgenodigd"]
        a["te_beslissen"] = [{"deelname_id": r["deelname_id"], "naam": r["naam"],
                              "gevraagd_op": r["aangemaakt_op"]}
                             for r in rows if r["status"] == "aangevraagd"]
    params = {"me": user.id, "email": user.email, "gemeente": user.gemeente_code}
    return {
        "adopties": adopties,
        "uitnodigingen": [dict(r._mapping) for r in session.execute(UITNODIGINGEN_SQL, params)],
        "aansluitverzoeken": [dict(r._mapping) for r in session.execute(VERZOEKEN_SQL, params)],
        "onderhoud": [dict(r._mapping) for r in session.execute(MIJN_LOG_SQL, params)],
    }


PER_GEBIED_SQL = text("""
SELECT a.id AS adoptie_id, a.groepsnaam, a.status, a.startdatum, a.einddatum,
       g.id AS groenvak_id, g.extern_id, g.soort, round(g.oppervlakte_m2::numeric, 1) AS m2,
       w.code AS wijk_code, w.naam AS wijk, b.naam AS buurt,
       (SELECT count(DISTINCT d.gebruiker_id) FROM deelname d
         WHERE d.adoptie_id = a.id AND d.status = 'actief') AS huishoudens,
       (SELECT max(o.datum) FROM onderhoud o WHERE o.adoptie_id = a.id) AS laatste_onderhoud,
       (SELECT s.datum FROM schouw s WHERE s.adoptie_id = a.id
         ORDER BY s.datum DESC, s.id DESC LIMIT 1) AS laatste_schouw,
       (SELECT s.uitkomst FROM schouw s WHERE s.adoptie_id = a.id
         ORDER BY s.datum DESC, s.id DESC LIMIT 1) AS laatste_schouw_uitkomst
  FROM adoptie a JOIN groenvak g ON g.id = a.groenvak_id
  LEFT JOIN gebied w ON w.id = g.wijk_id LEFT JOIN gebied b ON b.id = g.buurt_id
 WHERE a.gemeente_code = :gemeente
   AND (CAST(:wijk AS text) IS NULL OR w.code = :wijk OR b.code = :wijk)
   AND (CAST(:status AS text) IS NULL OR a.status = :status)
   AND (NOT :zonder_schouw OR (a.status = 'actief' AND NOT EXISTS (
        SELECT 1 FROM schouw s WHERE s.adoptie_id = a.id AND s.datum > current_date - 365)))
 ORDER BY w.naam NULLS LAST, a.status, a.groepsnaam, a.id
""")


def adopties_per_gebied(session: Session, medewerker: Gebruiker | None,
                        wijk_code: str | None = None,
                        status: str | None = None,
                        zonder_schouw: bool = False) -> list[dict[str, object]]:
    """Staff's overview of adopties, filtered by wijk/dorp or buurt code and status;
    `zonder_schouw`: running ones without a schouw in the past year (a tile on /beheer)."""
    user = require_staff(medewerker, medewerker.gemeente_code if medewerker else "")
    if status is not None and status not in STATUSSEN:
        raise InvalidInput(f"Onbekende status '{status}'; kies uit {', '.join(STATUSSEN)}.")
    if wijk_code is not None and session.execute(
            text("SELECT 1 FROM gebied WHERE gemeente_code = :g AND code = :c"),
            {"g": user.gemeente_code, "c": wijk_code}).first() is None:
        raise NotFound(f"Gebied {wijk_code} bestaat niet in deze gemeente.")
    rows = session.execute(PER_GEBIED_SQL, {"gemeente": user.gemeente_code, "wijk": wijk_code,
                                            "status": status,
                                            "zonder_schouw": zonder_schouw})
    result = []
    for r in rows:
        item = dict(r._mapping)
        item["oppervlakte_m2"] = float(item.pop("m2") or 0)
        result.append(item)
    return result
