"""Shared rules of zelfbeheer: who someone is to an adoptie, and the one way to change its status.

Every service in adopties, groepen and onderhoud goes through `change_status` (the transition
table of app.workflow plus an audit row) and asks `roles` what the actor is to the adoptie, so the
role rules live in one place.
"""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.errors import Forbidden, NotFound
from app.models import Adoptie, Deelname, Gebruiker, Groenvak
from app.services.accounts import STAFF, SYSTEEM, actor_of, require_user
from app.services.audit import record
from app.services.gebieden import gemeente_van
from app.services.mail import enqueue
from app.workflow import ALLOWED_TRANSITIONS, check_transition


def require_bewoner(user: Gebruiker | None, gemeente_code: str) -> Gebruiker:
    """Groups consist of residents of the gemeente; staff decide on them and never join."""
    user = require_user(user)
    if user.rol != "bewoner" or user.gemeente_code != gemeente_code:
        raise Forbidden("Alleen bewoners van deze gemeente kunnen dit.")
    return user


def deelname_van(session: Session, adoptie: Adoptie, user: Gebruiker) -> Deelname | None:
    """The user's row in the group, whatever its status (one per user, by a unique index)."""
    return session.exec(select(Deelname).where(Deelname.adoptie_id == adoptie.id,
                                               Deelname.gebruiker_id == user.id)).first()


def roles(session: Session, user: Gebruiker | None, adoptie: Adoptie) -> set[str]:
    """What the transition table calls this user for this adoptie; empty for outsiders."""
    found: set[str] = set()
    if user is None or not user.actief or user.gemeente_code != adoptie.gemeente_code:
        return found
    if user.rol in STAFF:
        found.add("medewerker")
    if user.rol == "bewoner":
        found.add("bewoner")
        deelname = deelname_van(session, adoptie, user)
        if deelname is not None and deelname.status == "actief":
            found.add("deelnemer")
            if deelname.rol == "trekker":
                found.add("trekker")
    return found


def roles_for(target: str) -> frozenset[str]:
    """Everyone who may ever move an adoptie to `target`, read from the one table."""
    return frozenset().union(*(who for (_, to), who in ALLOWED_TRANSITIONS.items()
                               if to == target))


def require_role(actor_roles: set[str], target: str) -> None:
    """Refuse outsiders before saying anything about the adoptie's state."""
    if not actor_roles & roles_for(target):
        raise Forbidden("U mag dit niet doen bij deze adoptie.")


def lock(session: Session, adoptie: Adoptie) -> Adoptie:
    """Reload the row FOR UPDATE so concurrent changes to one group happen one after another."""
    session.refresh(adoptie, with_for_update=True)
    return adoptie


def change_status(session: Session, adoptie: Adoptie, target: str, actor_roles: set[str],
                  user: Gebruiker | None, reason: str | None = None, **fields: object) -> None:
    """The only place that writes adoptie.status: check everything, then change and audit.

    `fields` are set together with the status, so the database's checks (a reason with a
    rejection) see one consistent row and a refused change leaves the object untouched.
    """
    require_role(actor_roles, target)
    check_transition(adoptie.status, target, actor_roles, reason)
    before = adoptie.status
    for name, value in fields.items():
        setattr(adoptie, name, value)
    adoptie.status = target
    session.add(adoptie)
    session.flush()
    record(session, adoptie.gemeente_code, actor=actor_of(user), actie=f"status:{before}->{target}",
           object_type="adoptie", object_id=str(adoptie.id), voor={"status": before},
           na={"status": target}, gebruiker_id=user.id if user is not None else None)


def change_deelname(session: Session, deelname: Deelname, user: Gebruiker | None,
                    status: str | None = None, rol: str | None = None,
                    actor: str | None = None) -> None:
    """Change a member's status or role, with an audit row that names no one."""
    voor = {"status": deelname.status, "rol": deelname.rol}
    deelname.status = status or deelname.status
    deelname.rol = rol or deelname.rol
    na = {"status": deelname.status, "rol": deelname.rol}
    session.add(deelname)
    session.flush()
    actie = (f"rol:{voor['rol']}->{na['rol']}" if rol else
             f"deelname:{voor['status']}->{na['status']}")
    record(session, deelname.gemeente_code, actor=actor or actor_of(user), actie=actie,
           object_type="deelname", object_id=str(deelname.id), voor=voor, na=na,
           gebruiker_id=user.id if user is not None else None)


def huishoudens(session: Session, adoptie: Adoptie) -> int:
    """Active households in the group: every account counts as one household."""
    return int(session.exec(select(func.count(func.distinct(Deelname.gebruiker_id))).where(
        Deelname.adoptie_id == adoptie.id, Deelname.status == "actief",
        col(Deelname.gebruiker_id).is_not(None))).one())


def trekker_van(session: Session, adoptie: Adoptie) -> Gebruiker | None:
    """The group's contact person, who gets the group's mail."""
    return session.exec(select(Gebruiker).join(Deelname, col(Deelname.gebruiker_id) == Gebruiker.id)
                        .where(Deelname.adoptie_id == adoptie.id, Deelname.rol == "trekker",
                               Deelname.status == "actief")).first()


def leden(session: Session, adoptie: Adoptie) -> list[Gebruiker]:
    """Active members with an account, trekker first."""
    return list(session.exec(
        select(Gebruiker).join(Deelname, col(Deelname.gebruiker_id) == Gebruiker.id)
        .where(Deelname.adoptie_id == adoptie.id, Deelname.status == "actief",
               col(Gebruiker.actief)).order_by(col(Deelname.rol).desc(), col(Gebruiker.id))))


def mail_aan(session: Session, gemeente_code: str, email: str, onderwerp: str,
             tekst: str) -> None:
    """Queue one mail; like the account mails it names no resident, as mail can go astray."""
    gemeente = gemeente_van(session, gemeente_code)
    enqueue(session, gemeente_code, email, onderwerp,
            f"Beste bewoner,\n\n{tekst}\n\nMet vriendelijke groet,\n\nGemeente {gemeente.naam}\n")


def mail(session: Session, user: Gebruiker | None, onderwerp: str, tekst: str) -> None:
    """One mail to one account, into the outbox of this transaction."""
    if user is not None and user.actief:
        mail_aan(session, user.gemeente_code, user.email, onderwerp, tekst)


def mail_leden(session: Session, adoptie: Adoptie, onderwerp: str, tekst: str) -> None:
    """Tell every active member of the group the same news."""
    for lid in leden(session, adoptie):
        mail(session, lid, onderwerp, tekst)


def indienen_als_compleet(session: Session, adoptie: Adoptie) -> bool:
    """concept -> aangevraagd by the system once enough households take part."""
    if adoptie.status != "concept":
        return False
    if huishoudens(session, adoptie) < gemeente_van(session, adoptie.gemeente_code).min_huishoudens:
        return False
    change_status(session, adoptie, "aangevraagd", {SYSTEEM}, None)
    mail(session, trekker_van(session, adoptie), "Uw aanvraag voor zelfbeheer is ingediend",
         f"Genoeg huishoudens doen mee met '{adoptie.groepsnaam}'. De aanvraag is ingediend; "
         "een medewerker van de gemeente beoordeelt hem en u hoort de uitkomst per e-mail.")
    return True


def sluit_openstaande(session: Session, adoptie: Adoptie) -> None:
    """A closed adoptie leaves no invitation or join request open."""
    session.execute(update(Deelname).where(
        col(Deelname.adoptie_id) == adoptie.id,
        col(Deelname.status).in_(("uitgenodigd", "aangevraagd"))).values(status="vertrokken"))


def beeindig(session: Session, adoptie: Adoptie, user: Gebruiker, actor_roles: set[str],
             reden: str) -> None:
    """actief -> beeindigd (trekker or medewerker, with a reason); shared with the schouw."""
    today = date.today()
    einde = adoptie.einddatum
    if einde is None or einde > today:
        einde = max(today, adoptie.startdatum or today)
    change_status(session, adoptie, "beeindigd", actor_roles, user, reason=reden,
                  reden_beeindiging=(reden or "").strip(), einddatum=einde)
    sluit_openstaande(session, adoptie)
    session.flush()
    mail_leden(session, adoptie, "Zelfbeheer beëindigd",
               f"Het zelfbeheer door '{adoptie.groepsnaam}' is beëindigd. Reden: "
               f"{adoptie.reden_beeindiging}\nHet groenvak gaat terug in beheer bij de gemeente.")


def ident(row: Adoptie | Deelname | Groenvak) -> int:
    """The id of a row that is already in the database (flushed)."""
    assert row.id is not None
    return row.id


def token_hash(token: str) -> str:
    """Only the SHA-256 of a link's token is stored, so a database leak opens no invitation."""
    return hashlib.sha256(token.encode()).hexdigest()


def adoptie_ophalen(session: Session, gemeente_code: str, adoptie_id: int) -> Adoptie:
    """For routes: an id from the URL becomes an adoptie of this gemeente, or 404."""
    adoptie = session.get(Adoptie, adoptie_id)
    if adoptie is None or adoptie.gemeente_code != gemeente_code:
        raise NotFound("Deze adoptie bestaat niet.")
    return adoptie


def groenvak_ophalen(session: Session, gemeente_code: str, groenvak_id: int) -> Groenvak:
    """For routes: an id from the URL becomes a groenvak of this gemeente, or 404."""
    groenvak = session.get(Groenvak, groenvak_id)
    if groenvak is None or groenvak.gemeente_code != gemeente_code:
        raise NotFound("Dit groenvak bestaat niet.")
    return groenvak


def deelname_ophalen(session: Session, gemeente_code: str, deelname_id: int) -> Deelname:
    """For routes: an id from the URL becomes a deelname of this gemeente, or 404."""
    deelname = session.get(Deelname, deelname_id)
    if deelname is None or deelname.gemeente_code != gemeente_code:
        raise NotFound("Deze deelname bestaat niet.")
    return deelname
