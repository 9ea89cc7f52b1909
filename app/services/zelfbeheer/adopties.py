"""Zelfbeheer services: request, withdraw, decide on and end an adoptie; mark plots suitable.

Pages reach these, and the group, log and page query services, through the package face
(app.services.zelfbeheer). Services check who may act (defence in depth), change state only
through app.workflow, write audit rows and queue mail in the caller's transaction; they flush,
the caller commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.errors import Conflict, InvalidFields, InvalidInput
from app.models import Adoptie, Deelname, Gebruiker, Groenvak
from app.models.base import now
from app.services.accounts import actor_of, require_staff, require_user
from app.services.audit import record
from app.services.gebieden import gemeente_van
from app.services.zelfbeheer.groepen import normalise_email
from app.services.zelfbeheer.kern import (
    beeindig,
    change_status,
    groenvak_ophalen,
    huishoudens,
    ident,
    indienen_als_compleet,
    lock,
    mail,
    mail_leden,
    require_role,
    roles,
    sluit_openstaande,
)
from app.services.zelfbeheer.uitnodigingen import aantal, nodig_uit, nog_nodig
from app.workflow import OPEN, check_transition

GROENVAK_BEZET = ("Dit groenvak is al aangevraagd of in zelfbeheer; "
                  "u kunt vragen of u mag aansluiten.")
NIET_GESCHIKT = "Dit groenvak komt niet in aanmerking voor zelfbeheer."
MAX_MEDE_AANVRAGERS = 20


def _mede_aanvragers(emails: list[str], eigen: str) -> list[str]:
    """Valid, distinct addresses, without the applicant's own; every wrong one is named."""
    result: list[str] = []
    fout: list[str] = []
    for raw in emails:
        if not raw.strip():
            continue
        try:
            email = normalise_email(raw)
        except InvalidInput:
            fout.append(raw.strip())
            continue
        if email != eigen.strip().lower() and email not in result:
            result.append(email)
    if fout:
        namen = ", ".join(f"'{e}'" for e in fout)
        wat = "is geen geldig e-mailadres" if len(fout) == 1 else "zijn geen geldige e-mailadressen"
        raise InvalidInput(f"{namen} {wat}; zet één adres op elke regel.")
    if len(result) > MAX_MEDE_AANVRAGERS:
        raise InvalidInput(f"Nodig maximaal {MAX_MEDE_AANVRAGERS} huishoudens tegelijk uit.")
    return result


def _aanvraag_controleren(groepsnaam: str, voorwaarden: bool, mede_aanvragers: list[str],
                          eigen: str) -> list[str]:
    """Check every field at once, so the form shows all its problems in one go."""
    fouten: dict[str, str] = {}
    if not groepsnaam:
        fouten["groepsnaam"] = "Geef uw groep een naam."
    elif len(groepsnaam) > 100:
        fouten["groepsnaam"] = ("De naam van de groep is te lang: hoogstens 100 tekens, u "
                                f"gebruikte er {len(groepsnaam)}.")
    uitgenodigd: list[str] = []
    try:
        uitgenodigd = _mede_aanvragers(mede_aanvragers, eigen)
    except InvalidInput as exc:
        fouten["mede_aanvragers"] = str(exc)
    if not voorwaarden:
        fouten["voorwaarden"] = ("Vink aan dat u de voorwaarden van de gemeente heeft gelezen "
                                 "en ermee akkoord gaat.")
    if fouten:
        raise InvalidFields(fouten)
    return uitgenodigd


def _insert_open(session: Session, adoptie: Adoptie) -> None:
    """Insert in a savepoint: the partial unique index decides races, as one clear Conflict."""
    try:
        with session.begin_nested():
            session.add(adoptie)
            session.flush()
            # The insert waited for any staff change to the plot (FK lock); look again.
            geschikt = session.execute(text(
                "SELECT zelfbeheer_mogelijk AND vervallen_op IS NULL FROM groenvak WHERE id = :id"),
                {"id": adoptie.groenvak_id}).scalar_one()
            if not geschikt:
                raise Conflict(NIET_GESCHIKT)
    except IntegrityError as exc:
        if "adoptie_een_open_per_groenvak" in str(exc.orig):
            raise Conflict(GROENVAK_BEZET) from None
        raise


def aanvragen(session: Session, bewoner: Gebruiker | None, groenvak_id: int, groepsnaam: str,
              groepsnaam_openbaar: bool, motivatie: str, plan: str, mede_aanvragers: list[str],
              voorwaarden_geaccepteerd: bool, basis_url: str) -> Adoptie:
    """A resident requests a free plot; invitees get a link; enough households submit it."""
    user = require_user(bewoner)
    actor_roles = {"bewoner"} if user.rol == "bewoner" else set()  # staff decide, never apply
    require_role(actor_roles, "concept")
    groenvak = groenvak_ophalen(session, user.gemeente_code, groenvak_id)
    gemeente = gemeente_van(session, user.gemeente_code)
    groepsnaam = groepsnaam.strip()
    uitgenodigd = _aanvraag_controleren(groepsnaam, voorwaarden_geaccepteerd, mede_aanvragers,
                                        user.email)
    status = session.execute(text("SELECT status FROM groenvak_status WHERE groenvak_id = :id"),
                             {"id": groenvak.id}).scalar_one()
    if status == "niet_beschikbaar":
        raise Conflict(NIET_GESCHIKT)
    if status != "beschikbaar":
        raise Conflict(GROENVAK_BEZET)
    grens = gemeente.max_oppervlakte_m2
    if grens is not None and (groenvak.oppervlakte_m2 or 0) > grens:
        raise Conflict(f"Dit groenvak is groter dan {grens:g} m², het maximum voor zelfbeheer in "
                       "deze gemeente; neem contact op met de gemeente.")
    check_transition(None, "concept", actor_roles)
    adoptie = Adoptie(gemeente_code=user.gemeente_code, groenvak_id=ident(groenvak),
                      status="concept", groepsnaam=groepsnaam,
                      groepsnaam_openbaar=groepsnaam_openbaar, motivatie=motivatie.strip(),
                      plan=plan.strip(),
                      voorwaarden=gemeente.overeenkomst_tekst)
    _insert_open(session, adoptie)
    record(session, adoptie.gemeente_code, actor=actor_of(user), actie="status:nieuw->concept",
           object_type="adoptie", object_id=str(adoptie.id), na={"status": "concept"},
           gebruiker_id=user.id)
    session.add(Deelname(gemeente_code=adoptie.gemeente_code, adoptie_id=ident(adoptie),
                         gebruiker_id=user.id, rol="trekker", status="actief"))
    session.flush()
    for email in uitgenodigd:
        nodig_uit(session, adoptie, user, email, basis_url)
    if not indienen_als_compleet(session, adoptie):
        nodig = gemeente.min_huishoudens - huishoudens(session, adoptie)
        mail(session, user, "Uw aanvraag voor zelfbeheer is opgeslagen",
             f"Uw aanvraag voor '{groepsnaam}' is opgeslagen. De gemeente vraagt "
             f"{aantal(gemeente.min_huishoudens, 'huishouden', 'huishoudens')} per aanvraag; "
             f"{nog_nodig(nodig)}. Zodra dat zo is, dienen wij de aanvraag automatisch in.")
    return adoptie


def intrekken(session: Session, trekker: Gebruiker | None, adoptie: Adoptie) -> Adoptie:
    """The trekker withdraws a concept or a request that is still waiting."""
    user = require_user(trekker)
    lock(session, adoptie)
    change_status(session, adoptie, "ingetrokken", roles(session, user, adoptie), user)
    sluit_openstaande(session, adoptie)
    mail_leden(session, adoptie, "Aanvraag voor zelfbeheer ingetrokken",
               f"De contactpersoon heeft de aanvraag van '{adoptie.groepsnaam}' ingetrokken.")
    return adoptie


def beoordelen(session: Session, medewerker: Gebruiker | None, adoptie: Adoptie, goedkeuren: bool,
               toelichting: str | None, voorwaarden_extra: str | None = None,
               einddatum: date | None = None) -> Adoptie:
    """Staff approve (with optional extra conditions and end date) or reject with a reason."""
    user = require_user(medewerker)
    lock(session, adoptie)
    actor_roles = roles(session, user, adoptie)
    target = "actief" if goedkeuren else "afgewezen"
    require_role(actor_roles, target)
    check_transition(adoptie.status, target, actor_roles, toelichting)
    today = date.today()
    toelichting = (toelichting or "").strip() or None
    fields: dict[str, object] = {"besluit_door_id": user.id, "besluit_op": now(),
                                 "besluit_toelichting": toelichting}
    if goedkeuren:
        if einddatum is not None and einddatum <= today:
            raise InvalidInput("De einddatum moet na vandaag liggen.")
        fields.update(startdatum=today, einddatum=einddatum)
        if voorwaarden_extra and voorwaarden_extra.strip():
            fields["voorwaarden"] = (f"{adoptie.voorwaarden}\n\nAanvullende voorwaarden van de "
                                     f"gemeente:\n{voorwaarden_extra.strip()}").strip()
    change_status(session, adoptie, target, actor_roles, user, reason=toelichting, **fields)
    if goedkeuren:
        tot = f" tot en met {einddatum:%d-%m-%Y}" if einddatum else ""
        mail_leden(session, adoptie, "Zelfbeheer goedgekeurd",
                   f"De gemeente heeft de aanvraag van '{adoptie.groepsnaam}' goedgekeurd. Het "
                   f"zelfbeheer loopt vanaf {today:%d-%m-%Y}{tot}."
                   + (f"\n\nToelichting: {toelichting}" if toelichting else "")
                   + f"\n\nDe afspraken:\n{adoptie.voorwaarden}")
    else:
        sluit_openstaande(session, adoptie)
        mail_leden(session, adoptie, "Aanvraag voor zelfbeheer afgewezen",
                   f"De gemeente heeft de aanvraag van '{adoptie.groepsnaam}' afgewezen.\n\n"
                   f"Reden: {toelichting}")
    return adoptie


def beeindigen(session: Session, gebruiker: Gebruiker | None, adoptie: Adoptie,
               reden: str) -> Adoptie:
    """Either side may end the agreement, always with a reason."""
    user = require_user(gebruiker)
    lock(session, adoptie)
    beeindig(session, adoptie, user, roles(session, user, adoptie), reden)
    return adoptie


def geschiktheid_zetten(session: Session, medewerker: Gebruiker | None, groenvak: Groenvak,
                        mogelijk: bool) -> Groenvak:
    """Staff decide which plots residents may adopt; a plot in use stays until its adoptie ends."""
    user = require_staff(medewerker, groenvak.gemeente_code)
    session.refresh(groenvak, with_for_update=True)
    voor = groenvak.zelfbeheer_mogelijk
    if voor == mogelijk:
        return groenvak
    if not mogelijk:
        bezet = session.exec(select(Adoptie.id).where(Adoptie.groenvak_id == groenvak.id,
                                                      col(Adoptie.status).in_(OPEN))).first()
        if bezet is not None:
            raise Conflict("Op dit groenvak loopt een adoptie of aanvraag; rond die eerst af.")
    groenvak.zelfbeheer_mogelijk = mogelijk
    session.add(groenvak)
    session.flush()
    record(session, groenvak.gemeente_code, actor=actor_of(user),
           actie=f"zelfbeheer_mogelijk:{str(voor).lower()}->{str(mogelijk).lower()}",
           object_type="groenvak", object_id=str(groenvak.id),
           voor={"zelfbeheer_mogelijk": voor}, na={"zelfbeheer_mogelijk": mogelijk},
           gebruiker_id=user.id)
    return groenvak
