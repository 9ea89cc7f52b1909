"""Invitations to a group by e-mail: the mail with its context, the page behind the link, and
the answer (join or decline).

Reading an invitation never uses it up: mail scanners open links (GET and HEAD), so only an
explicit answer (a POST) marks the token used. The page behind the link is public and shows
the group's name, the plot and the conditions, never the names or addresses of members.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, select

from app.errors import Conflict, NotFound
from app.models import Adoptie, Deelname, Gebruiker, Token
from app.models.base import now
from app.services.accounts import actor_of, require_user
from app.services.audit import record
from app.services.gebieden import gemeente_van
from app.services.zelfbeheer.kern import (
    change_deelname,
    deelname_van,
    huishoudens,
    ident,
    indienen_als_compleet,
    lock,
    mail,
    mail_aan,
    require_bewoner,
    token_hash,
    trekker_van,
)
from app.workflow import OPEN

UITNODIGING_GELDIG = timedelta(days=14)

PLEK_SQL = text("""
SELECT g.id, coalesce(g.plaatsnaam, g.naam) AS plaatsnaam, g.soort,
       round(g.oppervlakte_m2::numeric) AS oppervlakte_m2, w.naam AS wijk,
       ST_AsGeoJSON(ST_Transform(g.geometrie, 4326), 6) AS geojson
  FROM groenvak g LEFT JOIN gebied w ON w.id = g.wijk_id
 WHERE g.id = :id
""")


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 huishouden', '2 huishoudens': Dutch needs the number to choose the word."""
    return f"{n} {enkelvoud if n == 1 else meervoud}"


def nog_nodig(n: int) -> str:
    """The sentence the mails and pages use for the households still missing."""
    if n == 1:
        return "er moet nog 1 huishouden meedoen"
    return f"er moeten nog {n} huishoudens meedoen"


@dataclass(frozen=True)
class Plek:
    """Where a plot is, in words a neighbour knows, and its outline for a small map."""

    groenvak_id: int
    plaatsnaam: str
    soort: str
    oppervlakte_m2: float
    wijk: str | None
    geojson: str | None

    @property
    def omschrijving(self) -> str:
        wijk = f" in {self.wijk}" if self.wijk else ""
        return f"{self.plaatsnaam}{wijk}"


def plek_van(session: Session, groenvak_id: int) -> Plek:
    """The plot's place name (or its kind when it has none), wijk and outline."""
    row = session.execute(PLEK_SQL, {"id": groenvak_id}).one()
    return Plek(groenvak_id=row.id, plaatsnaam=row.plaatsnaam or row.soort.capitalize(),
                soort=row.soort, oppervlakte_m2=float(row.oppervlakte_m2 or 0), wijk=row.wijk,
                geojson=row.geojson)


def nodig_uit(session: Session, adoptie: Adoptie, afzender: Gebruiker, email: str,
              basis_url: str) -> Deelname:
    """Create the invitation, its one-time token (hash only) and the mail with the context:
    the group's name (never the sender's address), the plot's place, the link, the deadline."""
    deelname = Deelname(gemeente_code=adoptie.gemeente_code, adoptie_id=ident(adoptie),
                        uitgenodigd_email=email, rol="deelnemer", status="uitgenodigd")
    session.add(deelname)
    session.flush()
    plain = secrets.token_urlsafe(32)
    verloopt = now() + UITNODIGING_GELDIG
    session.add(Token(gemeente_code=adoptie.gemeente_code, soort="uitnodiging",
                      token_hash=token_hash(plain), deelname_id=deelname.id,
                      verloopt_op=verloopt))
    record(session, adoptie.gemeente_code, actor=actor_of(afzender),
           actie="deelname:nieuw->uitgenodigd", object_type="deelname",
           object_id=str(deelname.id), na={"status": "uitgenodigd"}, gebruiker_id=afzender.id)
    plek = plek_van(session, adoptie.groenvak_id)
    mail_aan(session, adoptie.gemeente_code, email,
             f"Uitnodiging: samen zorgen voor het groen bij {plek.plaatsnaam}",
             f"De groep '{adoptie.groepsnaam}' nodigt u uit om mee te doen met het onderhoud "
             f"van een stukje openbaar groen: {plek.omschrijving} ({plek.soort}, "
             f"{plek.oppervlakte_m2:.0f} m²).\n\n"
             "Op deze pagina ziet u het groenvak op de kaart en de afspraken met de gemeente, "
             f"en kunt u meedoen of de uitnodiging afslaan:\n"
             f"{basis_url.rstrip('/')}/uitnodiging/{plain}\n\n"
             f"De uitnodiging is geldig tot en met {verloopt:%d-%m-%Y}.\n\n"
             "Kent u de groep niet? Dan kunt u deze mail negeren.")
    session.flush()
    return deelname


def _token(session: Session, token: str, for_update: bool) -> tuple[Token, Deelname]:
    query = select(Token).where(Token.token_hash == token_hash(token.strip()),
                                Token.soort == "uitnodiging")
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = session.exec(query).first()
    deelname = session.get(Deelname, row.deelname_id) if row and row.deelname_id else None
    if row is None or deelname is None:
        raise NotFound("Deze uitnodiging bestaat niet.")
    return row, deelname


def _waarom_niet(row: Token, deelname: Deelname, adoptie: Adoptie) -> str | None:
    """Why an invitation can no longer be answered, in words; None while it can."""
    if row.gebruikt_op is not None:
        return "Deze uitnodiging is al beantwoord."
    if row.verloopt_op <= now():
        return "Deze uitnodiging is verlopen; vraag de contactpersoon van de groep om een nieuwe."
    if deelname.status != "uitgenodigd" or adoptie.status not in OPEN:
        return "Deze uitnodiging is niet meer geldig."
    return None


@dataclass(frozen=True)
class Uitnodiging:
    """What the page behind the link shows: no member's name or address."""

    groepsnaam: str
    plek: Plek
    voorwaarden: str
    verloopt_op: datetime
    min_huishoudens: int
    huishoudens: int
    niet_geldig: str | None


def uitnodiging_bekijken(session: Session, gemeente_code: str, token: str) -> Uitnodiging:
    """Read an invitation for its page, without using it up (scanners open links too)."""
    row, deelname = _token(session, token, for_update=False)
    adoptie = session.get(Adoptie, deelname.adoptie_id)
    if adoptie is None or row.gemeente_code != gemeente_code:
        raise NotFound("Deze uitnodiging bestaat niet.")
    return Uitnodiging(groepsnaam=adoptie.groepsnaam, plek=plek_van(session, adoptie.groenvak_id),
                       voorwaarden=adoptie.voorwaarden, verloopt_op=row.verloopt_op,
                       min_huishoudens=gemeente_van(session, gemeente_code).min_huishoudens,
                       huishoudens=huishoudens(session, adoptie),
                       niet_geldig=_waarom_niet(row, deelname, adoptie))


def _uitnodiging(session: Session, token: str) -> tuple[Token, Deelname, Adoptie]:
    """Find an invitation to answer it, locked; used and expired links say so plainly."""
    row, deelname = _token(session, token, for_update=True)
    adoptie = session.get(Adoptie, deelname.adoptie_id)
    assert adoptie is not None
    lock(session, adoptie)
    session.refresh(deelname)
    reden = _waarom_niet(row, deelname, adoptie)
    if reden is not None:
        raise Conflict(reden)
    return row, deelname, adoptie


def uitnodiging_accepteren(session: Session, bewoner: Gebruiker | None, token: str) -> Deelname:
    """The logged-in invitee joins (whatever their account's e-mail); may submit the concept."""
    user = require_user(bewoner)
    row, deelname, adoptie = _uitnodiging(session, token)
    if row.gemeente_code != user.gemeente_code:
        raise NotFound("Deze uitnodiging bestaat niet.")
    user = require_bewoner(user, adoptie.gemeente_code)
    existing = deelname_van(session, adoptie, user)
    if existing is not None and existing.status == "actief":
        raise Conflict("U doet al mee met deze groep.")
    row.gebruikt_op = now()
    session.add(row)
    if existing is not None:  # one row per user and group: re-activate it, close the invite
        change_deelname(session, deelname, user, status="vertrokken")
        deelname = existing
    else:
        deelname.gebruiker_id = user.id
    change_deelname(session, deelname, user, status="actief", rol="deelnemer"
                    if deelname.rol != "deelnemer" else None)
    mail(session, trekker_van(session, adoptie), "Er doet een huishouden mee",
         f"Er doet een huishouden meer mee met '{adoptie.groepsnaam}'. Wie er meedoen, ziet u "
         "op de pagina Mijn groen.")
    indienen_als_compleet(session, adoptie)
    return deelname


def uitnodiging_weigeren(session: Session, bewoner: Gebruiker | None, token: str) -> Deelname:
    """Declining needs no account: the link in the mail is the proof. The group's contact
    person hears of it by mail."""
    row, deelname, adoptie = _uitnodiging(session, token)
    if bewoner is not None and bewoner.gemeente_code != row.gemeente_code:
        raise NotFound("Deze uitnodiging bestaat niet.")
    row.gebruikt_op = now()
    session.add(row)
    change_deelname(session, deelname, bewoner, status="vertrokken",
                    actor=None if bewoner is not None else "uitnodigingslink")
    mail(session, trekker_van(session, adoptie), "Uitnodiging afgeslagen",
         f"Een uitgenodigd huishouden doet niet mee met '{adoptie.groepsnaam}'..")
    return deelname
