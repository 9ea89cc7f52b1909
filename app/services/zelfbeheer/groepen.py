"""The group behind an adoptie: invitations, join requests, leaving and handing over the trekker.

Members are residents; every account counts as one household. When the group reaches the
gemeente's minimum of households, the system submits a concept (app.services.zelfbeheer.kern).
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from app.errors import Conflict, Forbidden, InvalidInput
from app.models import Adoptie, Deelname, Gebruiker
from app.services.accounts import actor_of, require_user
from app.services.audit import record
from app.services.zelfbeheer.kern import (
    change_deelname,
    deelname_van,
    ident,
    indienen_als_compleet,
    lock,
    mail,
    require_bewoner,
    roles,
    trekker_van,
)
from app.services.zelfbeheer.uitnodigingen import nodig_uit
from app.workflow import OPEN

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require_open(adoptie: Adoptie) -> None:
    """Groups change only while the adoptie is running or being requested."""
    if adoptie.status not in OPEN:
        raise Conflict("Deze adoptie loopt niet meer; de groep kan niet meer veranderen.")


def _require_trekker(session: Session, user: Gebruiker | None, adoptie: Adoptie) -> Gebruiker:
    """Only the group's contact person manages the group."""
    user = require_user(user)
    if "trekker" not in roles(session, user, adoptie):
        raise Forbidden("Alleen de contactpersoon van deze groep mag dit.")
    return user


def normalise_email(email: str) -> str:
    """Invitations match case-insensitively; reject what cannot be an address."""
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"'{email}' is geen geldig e-mailadres.")
    return email


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
             "De contactpersoon heeft uw verzoek geaccepteerd: u doet mee met "
             f"'{adoptie.groepsnaam}'.")
        indienen_als_compleet(session, adoptie)
    else:
        mail(session, aanvrager, "Verzoek om aan te sluiten",
             f"De contactpersoon van '{adoptie.groepsnaam}' heeft uw verzoek niet geaccepteerd.")
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
        raise Conflict("Maak eerst een ander lid contactpersoon, of trek de aanvraag "
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
        raise InvalidInput("Kies een actief lid van deze groep als nieuwe contactpersoon.")
    oud = deelname_van(session, adoptie, user)
    assert oud is not None
    change_deelname(session, oud, user, rol="deelnemer")  # first: one trekker, by an index
    change_deelname(session, nieuw, user, rol="trekker")
    mail(session, session.get(Gebruiker, nieuw.gebruiker_id), "U bent nu contactpersoon",
         f"U bent nu de contactpersoon van '{adoptie.groepsnaam}'.")
    return nieuw
