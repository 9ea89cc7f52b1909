"""Staff write voorzieningen on the site: create, change, archive, mark checked.

Columns come checked from voorziening_velden; rows are written by feature_store (the same path as
the API), so geometry rules and audit rows are the same everywhere. Nothing is ever deleted: an
archived voorziening leaves the map and the API but stays in the database and the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.errors import Conflict, NotFound
from app.geo.collections import VOORZIENINGEN
from app.models import Gebruiker, Voorziening
from app.services import features
from app.services.accounts import actor_of, require_staff

STATUS_LABEL = {"voorgesteld": "Voorgesteld", "gepubliceerd": "Gepubliceerd",
                "afgewezen": "Afgewezen", "gearchiveerd": "Gearchiveerd"}
LIJST_MAX = 300
STAFF_DREMPEL_M = 0.05  # a point re-sent from the form (7 decimals) does not move the row


def ophalen(session: Session, gemeente: str, voorziening_id: int) -> Voorziening:
    """The voorziening of this gemeente, or 404."""
    found = session.get(Voorziening, voorziening_id)
    if found is None or found.gemeente_code != gemeente:
        raise NotFound("Deze voorziening bestaat niet.")
    return found


def aanmaken(session: Session, user: Gebruiker | None, gemeente: str,
             kolommen: Mapping[str, object], **extra: object) -> int:
    """A new published voorziening from checked columns (extra: e.g. voorgesteld_door_id)."""
    staff = require_staff(user, gemeente)
    fid = features.insert(session, VOORZIENINGEN, gemeente, {**kolommen, **extra},
                          actor=actor_of(staff), gebruiker_id=staff.id)
    session.expire_all()
    return fid


def verplaatst(session: Session, voorziening_id: int, geometrie: str,
               drempel_m: float = STAFF_DREMPEL_M) -> bool:
    """Whether a point (hex EWKB) lies farther than `drempel_m` from the stored one."""
    return bool(session.execute(text(
        "SELECT ST_Distance(geometrie, decode(:g, 'hex')::geometry) > :d "
        "FROM voorziening WHERE id = :id"),
        {"g": geometrie, "d": drempel_m, "id": voorziening_id}).scalar())


def wijzigen(session: Session, user: Gebruiker | None, gemeente: str, voorziening_id: int,
             kolommen: dict[str, Any], actie: str = "gewijzigd", staff: bool = True) -> None:
    """Change checked columns; a point that did not really move is left as it is.

    `staff=False` is for the proposer of an initiative (the caller checked that right)."""
    actor = require_staff(user, gemeente) if staff else user
    assert actor is not None
    ophalen(session, gemeente, voorziening_id)
    kolommen = dict(kolommen)
    if "geometrie" in kolommen and not verplaatst(session, voorziening_id,
                                                   kolommen["geometrie"]):
        del kolommen["geometrie"]
    voor = features.snapshot(session, VOORZIENINGEN, voorziening_id, any_status=True)
    features.store_update(session, VOORZIENINGEN, gemeente, voorziening_id, kolommen,
                          actor=actor_of(actor), actie=actie, voor=voor, gebruiker_id=actor.id)
    session.expire_all()


def status_zetten(session: Session, user: Gebruiker | None, gemeente: str, voorziening_id: int,
                  status: str) -> None:
    """Archive (gearchiveerd: off the map, kept) or publish again."""
    voorziening = ophalen(session, gemeente, voorziening_id)
    if voorziening.status == status:
        raise Conflict(f"Deze voorziening is al {STATUS_LABEL[status].lower()}.")
    wijzigen(session, user, gemeente, voorziening_id, {"status": status},
             actie=f"status:{voorziening.status}->{status}")


def gecontroleerd(session: Session, user: Gebruiker | None, gemeente: str,
                  voorziening_id: int) -> None:
    """'Nu gecontroleerd': staff confirm today that the facts still hold."""
    wijzigen(session, user, gemeente, voorziening_id, {"laatst_gecontroleerd": date.today()},
             actie="gecontroleerd")


def formulierwaarden(session: Session, voorziening_id: int) -> dict[str, str]:
    """The stored row as the form shows it, with its place in lat/lon (7 decimals)."""
    row = session.execute(text("""
        SELECT v.*, round(ST_Y(p)::numeric, 7) AS lat, round(ST_X(p)::numeric, 7) AS lon,
               round(ST_X(v.geometrie)::numeric, 2) AS rd_x, round(ST_Y(v.geometrie)::numeric, 2)
               AS rd_y
          FROM voorziening v, ST_Transform(v.geometrie, 4326) p WHERE v.id = :id"""),
        {"id": voorziening_id}).mappings().one()
    waarden = {k: ("" if row[k] is None else str(row[k])) for k in (
        "naam", "omschrijving", "adres", "postcode", "plaats", "telefoon", "email", "website",
        "openingstijden", "bron", "lat", "lon")}
    waarden["categorie"] = str(row["categorie_id"])
    waarden["laatst_gecontroleerd"] = row["laatst_gecontroleerd"].isoformat() \
        if row["laatst_gecontroleerd"] else ""
    waarden["rd"] = f"x = {row['rd_x']}, y = {row['rd_y']}"
    return waarden


@dataclass(frozen=True)
class Regel:
    """One row of the staff list."""

    id: int
    naam: str
    categorie: str
    status: str
    wijk: str | None
    laatst_gecontroleerd: date | None
    initiatief: bool


def lijst(session: Session, gemeente: str, zoek: str = "", categorie_id: int | None = None,
          status: str | None = None, wijk: str | None = None) -> tuple[list[Regel], int]:
    """Voorzieningen matching the filter, by name (at most LIJST_MAX), and how many match."""
    rows = session.execute(text("""
        SELECT v.id, v.naam, c.naam AS categorie, v.status, w.naam AS wijk,
               v.laatst_gecontroleerd, c.is_initiatief AS initiatief, count(*) OVER () AS totaal
          FROM voorziening v JOIN categorie c ON c.id = v.categorie_id
          LEFT JOIN gebied w ON w.id = v.wijk_id
         WHERE v.gemeente_code = :g
           AND (:zoek = '' OR v.naam ILIKE '%' || :zoek || '%' OR v.adres ILIKE '%' || :zoek || '%')
           AND (CAST(:cat AS integer) IS NULL OR v.categorie_id = :cat)
           AND (CAST(:status AS text) IS NULL OR v.status = :status)
           AND (CAST(:wijk AS text) IS NULL OR w.code = :wijk)
         ORDER BY v.naam, v.id LIMIT :max"""),
        {"g": gemeente, "zoek": zoek.strip().replace("%", "").replace("_", ""),
         "cat": categorie_id, "status": status, "wijk": wijk, "max": LIJST_MAX}).mappings().all()
    totaal = int(rows[0]["totaal"]) if rows else 0
    return [Regel(**{k: r[k] for k in Regel.__dataclass_fields__}) for r in rows], totaal


def categorieen(session: Session, gemeente: str) -> list[tuple[int, str, bool]]:
    """(id, naam, is_initiatief) in the gemeente's order, for select lists."""
    return [(int(r[0]), str(r[1]), bool(r[2])) for r in session.execute(text(
        "SELECT id, naam, is_initiatief FROM categorie WHERE gemeente_code = :g "
        "ORDER BY volgorde, naam"), {"g": gemeente})]
