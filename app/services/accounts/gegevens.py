"""AVG rights of a resident: see all data about me (export) and be forgotten (delete)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import TextClause, func, or_, text
from sqlmodel import Session, col, delete, select, update

from app.errors import Forbidden
from app.models import Deelname, Gebruiker, MailOutbox, Token
from app.models.base import now
from app.services.accounts import (
    limits as auth_limits,
)
from app.services.accounts import (
    sessions as auth_sessions,
)
from app.services.accounts import (
    tokens as auth_tokens,
)
from app.services.accounts.auth import actor
from app.services.audit import record

FORMAAT = "voorzieningenkaart-gegevens/1"

DEELNAMES_SQL = text("""
    SELECT d.id, d.rol, d.status, d.aangemaakt_op, d.gewijzigd_op,
           (d.gebruiker_id IS NULL) AS alleen_uitnodiging,
           a.id AS adoptie_id, a.groepsnaam, a.status AS adoptie_status, a.startdatum,
           a.einddatum, g.extern_id AS groenvak_extern_id, g.naam AS groenvak_naam,
           g.soort AS groenvak_soort
      FROM deelname d
      JOIN adoptie a ON a.id = d.adoptie_id
      JOIN groenvak g ON g.id = a.groenvak_id
     WHERE d.gemeente_code = :gemeente
       AND (d.gebruiker_id = :id OR lower(d.uitgenodigd_email) = lower(:email))
     ORDER BY d.id""")

ONDERHOUD_SQL = text("""
    SELECT o.id, o.datum, o.activiteit, o.notitie, o.aangemaakt_op, o.adoptie_id,
           g.extern_id AS groenvak_extern_id
      FROM onderhoud o
      JOIN adoptie a ON a.id = o.adoptie_id
      JOIN groenvak g ON g.id = a.groenvak_id
     WHERE o.gebruiker_id = :id
     ORDER BY o.datum, o.id""")

VOORSTELLEN_SQL = text("""
    SELECT id, soort, voorziening_id, gegevens, status, reden, aangemaakt_op, beoordeeld_op,
           CASE WHEN geometrie IS NULL THEN NULL
                ELSE json_build_array(round(ST_X(ST_Transform(geometrie, 4326))::numeric, 6),
                                      round(ST_Y(ST_Transform(geometrie, 4326))::numeric, 6))
           END AS locatie_lon_lat
      FROM voorstel WHERE gebruiker_id = :id ORDER BY id""")


def _plain(value: object) -> object:
    """Dates as ISO 8601 text, so the dict goes straight into JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _rows(session: Session, sql: TextClause, **params: object) -> list[dict[str, object]]:
    return [{k: _plain(v) for k, v in row.items()}
            for row in session.execute(sql, params).mappings()]


def export_my_data(session: Session, user: Gebruiker) -> dict[str, object]:
    """Everything the kaart holds about this resident, and nothing about anyone else."""
    assert user.id is not None
    params = {"id": user.id, "email": user.email, "gemeente": user.gemeente_code}
    deelnames = _rows(session, DEELNAMES_SQL, **params)
    adopties: dict[object, dict[str, object]] = {}
    for d in deelnames:
        adopties.setdefault(d["adoptie_id"], {
            "id": d["adoptie_id"], "groepsnaam": d["groepsnaam"], "status": d["adoptie_status"],
            "startdatum": d["startdatum"], "einddatum": d["einddatum"],
            "groenvak": {"extern_id": d["groenvak_extern_id"], "naam": d["groenvak_naam"],
                         "soort": d["groenvak_soort"]}})
    return {
        "formaat": FORMAAT,
        "gemaakt_op": now().isoformat(),
        "account": _plain({
            "id": user.id, "gemeente": user.gemeente_code, "naam": user.naam,
            "email": user.email, "rol": user.rol, "aangemaakt_op": user.aangemaakt_op,
            "email_geverifieerd_op": user.email_geverifieerd_op,
            "laatst_ingelogd_op": user.laatst_ingelogd_op}),
        "deelnames": [{"id": d["id"], "adoptie_id": d["adoptie_id"], "rol": d["rol"],
                       "status": d["status"], "alleen_uitnodiging": d["alleen_uitnodiging"],
                       "aangemaakt_op": d["aangemaakt_op"], "gewijzigd_op": d["gewijzigd_op"]}
                      for d in deelnames],
        "adopties": list(adopties.values()),
        "onderhoud": _rows(session, ONDERHOUD_SQL, id=user.id),
        "voorstellen": _rows(session, VOORSTELLEN_SQL, id=user.id),
    }


def record_export(session: Session, user: Gebruiker) -> None:
    """An inzageverzoek is worth a line in the audit log (who, when; not what)."""
    record(session, user.gemeente_code, actor=actor(user), actie="gegevens_gedownload",
           object_type="gebruiker", object_id=str(user.id), gebruiker_id=user.id)


def _leave_groups(session: Session, user: Gebruiker) -> tuple[int, int]:
    """Memberships stay as an anonymous trace; invitations to the address lose the address."""
    lower = user.email.lower()
    left = invitations = 0
    rows = session.exec(select(Deelname).where(or_(
        col(Deelname.gebruiker_id) == user.id,
        func.lower(Deelname.uitgenodigd_email) == lower))).all()
    for d in rows:
        voor = {"status": d.status, "rol": d.rol}
        changed = False
        if d.status != "vertrokken":
            d.status = "vertrokken"
            left += 1
            changed = True
        if d.uitgenodigd_email is not None:
            d.uitgenodigd_email = None
            invitations += 1
            changed = True
            session.execute(delete(Token).where(col(Token.deelname_id) == d.id))
        if not changed:
            continue
        d.gewijzigd_op = now()
        session.add(d)
        record(session, user.gemeente_code, actor=actor(user), actie="vertrokken",
               object_type="deelname", object_id=str(d.id), voor=voor,
               na={"status": d.status, "reden": "account verwijderd"}, gebruiker_id=user.id)
    return left, invitations


def _scrub_outbox(session: Session, addresses: set[str], anoniem: str) -> None:
    """Unsent mail to the person is dropped; sent rows stay for the sender's bookkeeping but
    lose address and text."""
    to_them = func.lower(MailOutbox.aan).in_(addresses)
    session.execute(delete(MailOutbox).where(to_them, col(MailOutbox.status) == "wachtend"))
    session.execute(update(MailOutbox).where(to_them).values(
        aan=anoniem, tekst="(gewist: account verwijderd)", html=None))


def delete_account(session: Session, user: Gebruiker) -> None:
    """Forget the person, keep the trace: the row stays (groups and logs point at it) but
    holds no name, address or password. The caller confirms the password first."""
    assert user.id is not None
    if user.rol != "bewoner":
        raise Forbidden("Een account van een medewerker of beheerder wordt verwijderd door een "
                        "beheerder van de gemeente.")
    left, invitations = _leave_groups(session, user)
    addresses = {user.email.lower()} | {
        t.nieuw_email.lower() for t in session.exec(select(Token).where(
            Token.gebruiker_id == user.id, col(Token.nieuw_email).is_not(None)))
        if t.nieuw_email}
    auth_sessions.end_all_sessions(session, user.id)
    auth_tokens.drop_unused(session, user.id)
    for address in addresses:
        auth_limits.forget_address(session, address)
    _scrub_outbox(session, addresses, f"verwijderd-{user.id}@verwijderd.invalid")
    voor = {"rol": user.rol, "actief": user.actief}
    user.email = f"verwijderd-{user.id}@verwijderd.invalid"
    user.naam = ""
    user.wachtwoord_hash = None
    user.actief = False
    user.email_geverifieerd_op = None
    user.laatst_ingelogd_op = None
    session.add(user)
    record(session, user.gemeente_code, actor=actor(user), actie="verwijderd",
           object_type="gebruiker", object_id=str(user.id), voor=voor,
           na={"actief": False, "geanonimiseerd": True, "deelnames_beeindigd": left,
               "uitnodigingen_gewist": invitations, "sessies_beeindigd": True},
           gebruiker_id=user.id)
    session.flush()
