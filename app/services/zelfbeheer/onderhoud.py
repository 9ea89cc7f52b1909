"""What happens on an adopted plot: the group's maintenance log and the gemeente's schouw."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.errors import Conflict, Forbidden, InvalidInput
from app.models import Adoptie, Gebruiker, Onderhoud, Schouw
from app.models.adoptie import ACTIVITEITEN
from app.services.accounts import actor_of, require_staff, require_user
from app.services.audit import record
from app.services.zelfbeheer.kern import beeindig, ident, lock, mail_leden, require_role, roles
from app.workflow import check_transition

UITKOMSTEN = ("ok", "aandachtspunt", "beeindigen")


def onderhoud_toevoegen(session: Session, deelnemer: Gebruiker | None, adoptie: Adoptie,
                        datum: date, activiteit: str, notitie: str = "") -> Onderhoud:
    """Members log their work on a running adoptie; it shows (without names) on the map."""
    user = require_user(deelnemer)
    if "deelnemer" not in roles(session, user, adoptie):
        raise Forbidden("Alleen leden van de groep houden het onderhoud bij.")
    if adoptie.status != "actief":
        raise Conflict("Onderhoud bijhouden kan alleen zolang het zelfbeheer loopt.")
    if activiteit not in ACTIVITEITEN:
        raise InvalidInput(f"Onbekende activiteit '{activiteit}'; kies uit "
                           f"{', '.join(ACTIVITEITEN)}.")
    if datum > date.today():
        raise InvalidInput("De datum ligt in de toekomst.")
    if adoptie.startdatum is not None and datum < adoptie.startdatum:
        raise InvalidInput("De datum ligt vóór de start van het zelfbeheer.")
    regel = Onderhoud(gemeente_code=adoptie.gemeente_code, adoptie_id=ident(adoptie),
                      gebruiker_id=user.id, datum=datum, activiteit=activiteit,
                      notitie=notitie.strip())
    session.add(regel)
    session.flush()
    record(session, adoptie.gemeente_code, actor=actor_of(user), actie="onderhoud:toegevoegd",
           object_type="onderhoud", object_id=str(regel.id),
           na={"adoptie_id": adoptie.id, "activiteit": activiteit}, gebruiker_id=user.id)
    return regel


def schouw_vastleggen(session: Session, medewerker: Gebruiker | None, adoptie: Adoptie,
                      uitkomst: str, notitie: str = "") -> Schouw:
    """Staff record an inspection; 'beeindigen' also ends the adoptie with the note as reason."""
    user = require_staff(medewerker, adoptie.gemeente_code)
    lock(session, adoptie)
    actor_roles = roles(session, user, adoptie)
    if uitkomst not in UITKOMSTEN:
        raise InvalidInput(f"Onbekende uitkomst '{uitkomst}'; kies uit {', '.join(UITKOMSTEN)}.")
    if adoptie.status != "actief":
        raise Conflict("Een schouw hoort bij een lopende adoptie.")
    if uitkomst == "beeindigen":  # refuse before anything is written
        require_role(actor_roles, "beeindigd")
        check_transition(adoptie.status, "beeindigd", actor_roles, notitie)
    schouw = Schouw(gemeente_code=adoptie.gemeente_code, adoptie_id=ident(adoptie),
                    datum=date.today(), uitkomst=uitkomst, notitie=notitie.strip(),
                    medewerker_id=user.id)
    session.add(schouw)
    session.flush()
    record(session, adoptie.gemeente_code, actor=actor_of(user), actie=f"schouw:{uitkomst}",
           object_type="schouw", object_id=str(schouw.id),
           na={"adoptie_id": adoptie.id, "uitkomst": uitkomst}, gebruiker_id=user.id)
    if uitkomst == "aandachtspunt":
        mail_leden(session, adoptie, "Schouw: een aandachtspunt",
                   f"Bij de schouw van '{adoptie.groepsnaam}' zag de gemeente een aandachtspunt:"
                   f"\n\n{schouw.notitie}")
    elif uitkomst == "beeindigen":
        beeindig(session, adoptie, user, actor_roles, notitie)
    return schouw
