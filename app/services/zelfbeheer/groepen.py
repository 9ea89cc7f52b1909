"""The group behind an adoptie: invitations, join requests, leaving and handing over the trekker.

Members are residents; every account counts as one household. When the group reaches the
gemeente's minimum of households, the system submits a concept (app.services.zelfbeheer.kern).
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.models import Adoptie, Deelname, Gebruiker, Token
from app.models.base import now
from app.services.accounts import actor_of, require_user
from app.services.audit import record
from app.services.zelfbeheer.kern import (
    change_deelname,
    deelname_van,
    ident,
    indienen_als_compleet,
    lock,
    mail,
    mail_aan,
    require_bewoner,
    roles,
    token_hash,
    trekker_van,
)
from app.workflow import OPEN

UITNODIGING_GELDIG = timedelta(days=14)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require_open(adoptie: Adoptie) -> None:
    """Groups change only while the adoptie is running or being requested."""
    if adoptie.status not in OPEN:
        raise Conflict("Deze adoptie loopt niet meer; de groep kan niet meer veranderen.")


def _require_trekker(session: Session, user: Gebruiker | None, adoptie: Adoptie) -> Gebruiker:
    """Only the group's contact person manages the group."""
    user = require_user(user)
    if "trekker" not in roles(session, user, adoptie):
        raise Forbidden("Alleen de trekker van deze groep mag dit.")
    return user


def normalise_email(email: str) -> str:
    """Invitations match case-insensitively; reject what cannot be an address."""
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"'{email}' is geen geldig e-mailadres.")
    return email


def nodig_uit(session: Session, adoptie: Adoptie, afzender: Gebruiker, email: str,
              basis_url: str) -> Deelname:
    """Create the invitation, its one-time token (hash only) and the mail with the link."""
    deelname = Deelname(gemeente_code=adoptie.gemeente_code, adoptie_id=ident(adoptie),
                        uitgenodigd_email=email, rol="deelnemer", status="uitgenodigd")
    session.add(deelname)
    session.flush()
    plain = secrets.token_urlsafe(32)
    session.add(Token(gemeente_code=adoptie.gemeente_code, soort="uitnodiging",
                      token_hash=token_hash(plain), deelname_id=deelname.id,
                      verloopt_op=now() + UITNODIGING_GELDIG))
    record(session, adoptie.gemeente_code, actor=actor_of(afzender),
           actie="deelname:nieuw->uitgenodigd", object_type="deelname",
           object_id=str(deelname.id), na={"status": "uitgenodigd"}, gebruiker_id=afzender.id)
    mail_aan(session, adoptie.gemeente_code, email, "Uitnodiging: samen zorgen voor buurtgroen",
             f"Een buurtbewoner nodigt u uit om mee te doen met '{adoptie.groepsnaam}', een groep "
             "die samen een stukje openbaar groen onderhoudt.\n\nMeedoen of afslaan kan via deze "
             f"link ({UITNODIGING_GELDIG.days} dagen geldig):\n"
             f"{basis_url.rstrip('/')}/uitnodiging/{plain}\n\nKent u de afzender niet? Dan kunt "
             "u deze mail negeren.")
    session.flush()
    return deelname


def uitnodigen(session: Session, trekker: Gebruiker | None, adoptie: Adoptie, email: str,
               basis_url: str) -> Deelname:
    """The trekker invites one more household by e-mail."""
    user = _require_trekker(session, trekker, adoptie)
    lock(session, adoptie)
    _require_open(adoptie)
    email = normalise_email(email)
    open_invite = session.exec(select(Deelname).where(
        Deelname.adoptie_id == adoptie.id, Deelname.status == "uitgenodigd",
        Deelname.uitgenodigd_email == email)).first()
    if open_invite is not None:
        raise Conflict("Dit adres heeft al een uitnodiging voor deze groep.")
    return nodig_uit(session, adoptie, user, email, basis_url)


def _uitnodiging(session: Session, token: str) -> tuple[Token, Deelname, Adoptie]:
    """Find an invitation by its link; used and expired links say so plainly."""
    row = session.exec(select(Token).where(Token.token_hash == token_hash(token.strip()),
                                           Token.soort == "uitnodiging")
                       .with_for_update().execution_options(populate_existing=True)).first()
    deelname = session.get(Deelname, row.deelname_id) if row and row.deelname_id else None
    if row is None or deelname is None:
        raise NotFound("Deze uitnodiging bestaat niet.")
    if row.gebruikt_op is not None:
        raise Conflict("Deze uitnodiging is al gebruikt.")
    if row.verloopt_op <= now():
        raise Conflict("Deze uitnodiging is verlopen; vraag de trekker om een nieuwe.")
    adoptie = session.get(Adoptie, deelname.adoptie_id)
    assert adoptie is not None
    lock(session, adoptie)
    session.refresh(deelname)
    if deelname.status != "uitgenodigd" or adoptie.status not in OPEN:
        raise Conflict("Deze uitnodiging is niet meer geldig.")
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
    """Declining needs no account: the link in the mail is the proof."""
    row, deelname, adoptie = _uitnodiging(session, token)
    if bewoner is not None and bewoner.gemeente_code != row.gemeente_code:
        raise NotFound("Deze uitnodiging bestaat niet.")
    row.gebruikt_op = now()
    session.add(row)
    change_deelname(session, deelname, bewoner, status="vertrokken",
                    actor=None if bewoner is not None else "uitnodigingslink")
    mail(session, trekker_van(session, adoptie), "Uitnodiging afgeslagen",
         f"Een uitgenodigd huishouden doet niet mee met '{adoptie.groepsnaam}'.")
    return deelname


def aansluiten_vragen(session: Session, bewoner: Gebruiker | None, adoptie: Adoptie) -> Deelname:
    """A resident who finds the plot taken asks the group to join instead."""
    user = require_bewoner(bewoner, adoptie.gemeente_code)
    lock(session, adoptie)
    _require_open(adoptie)
    deelname = deelname_van(session, adoptie, user)
    if deelname is not None and deelname.status in ("actief", "aangevraagd"):
        raise Conflict("U doet al mee met deze groep of heeft al gevraagd om aan te sluiten.")
    if deelname is not None:  # left before: the same row, asked again
        change_deelname(session, deelname, user, status="aangevraagd", rol="deelnemer"
                        if deelname.rol != "deelnemer" else None)
    else:
        deelname = Deelname(gemeente_code=adoptie.gemeente_code, adoptie_id=ident(adoptie),
                            gebruiker_id=user.id, rol="deelnemer", status="aangevraagd")
        session.add(deelname)
        session.flush()
        record(session, adoptie.gemeente_code, actor=actor_of(user),
               actie="deelname:nieuw->aangevraagd", object_type="deelname",
               object_id=str(deelname.id), na={"status": "aangevraagd"}, gebruiker_id=user.id)
    mail(session, trekker_van(session, adoptie), "Verzoek om aan te sluiten",
         f"Een buurtbewoner wil meedoen met '{adoptie.groepsnaam}'. "
         "U kunt het verzoek accepteren of afwijzen op de pagina Mijn groen.")
    session.flush()
    return deelname


def aansluiten_beslissen(session: Session, trekker: Gebruiker | None, deelname: Deelname,
                         accepteren: bool) -> Deelname:
    """The trekker accepts or declines a join request; a new household may submit the concept."""
    adoptie = session.get(Adoptie, deelname.adoptie_id)
    assert adoptie is not None
    user = _require_trekker(session, trekker, adoptie)
    lock(session, adoptie)
    session.refresh(deelname)
    _require_open(adoptie)
    if deelname.status != "aangevraagd":
        raise Conflict("Over dit verzoek is al beslist.")
    change_deelname(session, deelname, user, status="actief" if accepteren else "vertrokken")
    aanvrager = session.get(Gebruiker, deelname.gebruiker_id)
    if accepteren:
        mail(session, aanvrager, "U doet mee",
             f"De trekker heeft uw verzoek geaccepteerd: u doet mee met '{adoptie.groepsnaam}'.")
        indienen_als_compleet(session, adoptie)
    else:
        mail(session, aanvrager, "Verzoek om aan te sluiten",
             f"De trekker van '{adoptie.groepsnaam}' heeft uw verzoek niet geaccepteerd.")
    return deelname


def verlaten(session: Session, deelnemer: Gebruiker | None, adoptie: Adoptie) -> Deelname:
    """A member leaves; a trekker first hands over, so the group always has a contact."""
    user = require_user(deelnemer)
    lock(session, adoptie)
    actor_roles = roles(session, user, adoptie)
    if "deelnemer" not in actor_roles:
        raise Forbidden("U bent geen lid van deze groep.")
    _require_open(adoptie)
    if "trekker" in actor_roles:
        raise Conflict("Draag het trekkerschap eerst over aan een ander lid, of trek de aanvraag "
                       "in of beëindig de adoptie.")
    deelname = deelname_van(session, adoptie, user)
    assert deelname is not None
    change_deelname(session, deelname, user, status="vertrokken")
    mail(session, trekker_van(session, adoptie), "Een lid is gestopt",
         f"Een lid doet niet meer mee met '{adoptie.groepsnaam}'.")
    return deelname


def trekker_overdragen(session: Session, trekker: Gebruiker | None, adoptie: Adoptie,
                       nieuwe_trekker_deelname: Deelname) -> Deelname:
    """Hand the trekker role to another active member; the old trekker stays a member."""
    user = _require_trekker(session, trekker, adoptie)
    lock(session, adoptie)
    _require_open(adoptie)
    nieuw = nieuwe_trekker_deelname
    if (nieuw.adoptie_id != adoptie.id or nieuw.status != "actief" or nieuw.rol != "deelnemer"
            or nieuw.gebruiker_id is None):
        raise InvalidInput("Kies een actief lid van deze groep als nieuwe trekker.")
    oud = deelname_van(session, adoptie, user)
    assert oud is not None
    change_deelname(session, oud, user, rol="deelnemer")  # first: one trekker, by an index
    change_deelname(session, nieuw, user, rol="trekker")
    mail(session, session.get(Gebruiker, nieuw.gebruiker_id), "U bent nu trekker",
         f"U bent nu de trekker (contactpersoon) van '{adoptie.groepsnaam}'.")
    return nieuw
