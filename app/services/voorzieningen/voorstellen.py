"""Co-creation: residents propose a voorziening or initiative, or a correction; staff decide.

A proposal lives only in `voorstel` until a medewerker accepts it, so nothing of it is public
before that. Accepting writes the (possibly edited) data through voorziening_writes, the same
path as staff edits; the proposer gets a mail either way. The proposer of an accepted initiative
keeps its contact data up to date directly; a move of its place goes to review as a correctie.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.models import Gebruiker, Voorstel, Voorziening
from app.models.base import now
from app.services.accounts import actor_of, require_staff, require_user
from app.services.audit import record
from app.services.voorzieningen import writes as voorziening_writes
from app.services.voorzieningen.velden import (
    CONTACTVELDEN,
    TEKSTVELDEN,
    Invoer,
    Uitkomst,
    contact,
    controleer,
    locatie,
    op_volgorde,
)
from app.services.zelfbeheer import mail

VERHUIS_DREMPEL_M = 1.0  # a proposer's move smaller than this is no move
AL_BESLIST = "Over dit voorstel is al beslist."
NIETS_GEWIJZIGD = ("U heeft niets gewijzigd. Pas een gegeven aan, of beschrijf in de toelichting "
                   "wat er niet klopt.")
GEEN_RECHT = "Alleen wie dit initiatief heeft voorgesteld, kan het bijwerken."
MAX_TOELICHTING = 2000


def _gegevens(invoer: Invoer, uit: Uitkomst, toelichting: str) -> dict[str, str]:
    """What the proposal stores: the checked texts and the category, never the proposer."""
    gegevens = {n: ("" if uit.kolommen.get(n) is None else str(uit.kolommen[n]))
                for n in TEKSTVELDEN}
    gegevens["categorie"] = invoer.categorie.strip()
    if toelichting.strip():
        gegevens["toelichting"] = toelichting.strip()
    return gegevens


def _van_gemeente(user: Gebruiker | None, gemeente: str) -> Gebruiker:
    found = require_user(user)
    if found.gemeente_code != gemeente:
        raise Forbidden("U kunt alleen voorstellen doen in uw eigen gemeente.")
    return found


def indienen(session: Session, user: Gebruiker | None, gemeente: str, invoer: Invoer,
             toelichting: str = "", voorziening: Voorziening | None = None
             ) -> tuple[Voorstel | None, dict[str, str]]:
    """A new voorziening/initiative (voorziening None) or a correction of one; not public."""
    bewoner = _van_gemeente(user, gemeente)
    uit = controleer(session, gemeente, invoer, locatie_verplicht=voorziening is None)
    if len(toelichting) > MAX_TOELICHTING:
        uit.fouten["toelichting"] = (f"Gebruik voor de toelichting hoogstens {MAX_TOELICHTING} "
                                     f"tekens (nu {len(toelichting)}).")
    if uit.fouten:
        return None, uit.fouten
    gegevens = _gegevens(invoer, uit, toelichting)
    geometrie = uit.kolommen.get("geometrie")
    if voorziening is not None:
        if voorziening.status != "gepubliceerd":
            raise NotFound("Deze voorziening bestaat niet.")
        if geometrie and not voorziening_writes.verplaatst(session, voorziening.id or 0,
                                                           geometrie, VERHUIS_DREMPEL_M):
            geometrie = None
        huidig = voorziening_writes.formulierwaarden(session, voorziening.id or 0)
        gewijzigd = [n for n in (*TEKSTVELDEN, "categorie") if gegevens[n] != huidig[n]]
        if not gewijzigd and not geometrie and "toelichting" not in gegevens:
            return None, {"formulier": NIETS_GEWIJZIGD}
    voorstel = Voorstel(gemeente_code=gemeente, soort="correctie" if voorziening else "nieuw",
                        voorziening_id=voorziening.id if voorziening else None,
                        gebruiker_id=bewoner.id, gegevens=gegevens)
    session.add(voorstel)
    session.flush()
    if geometrie:
        session.execute(text("UPDATE voorstel SET geometrie = decode(:g, 'hex')::geometry "
                             "WHERE id = :id"), {"g": geometrie, "id": voorstel.id})
    record(session, gemeente, actor=actor_of(bewoner), actie="aangemaakt",
           object_type="voorstel", object_id=str(voorstel.id), na={"soort": voorstel.soort,
                                                                  **gegevens},
           gebruiker_id=bewoner.id)
    return voorstel, {}


def ophalen(session: Session, gemeente: str, voorstel_id: int) -> Voorstel:
    found = session.get(Voorstel, voorstel_id)
    if found is None or found.gemeente_code != gemeente:
        raise NotFound("Dit voorstel bestaat niet.")
    return found


def _open(session: Session, voorstel: Voorstel) -> None:
    """Lock the proposal; a decision is taken once."""
    session.refresh(voorstel, with_for_update=True)
    if voorstel.status != "ingediend":
        raise Conflict(AL_BESLIST)


def _beslist(session: Session, staff: Gebruiker, voorstel: Voorstel, status: str,
             reden: str | None) -> None:
    voorstel.status, voorstel.reden = status, reden
    voorstel.beoordeeld_door_id, voorstel.beoordeeld_op = staff.id, now()
    session.add(voorstel)
    session.flush()
    record(session, voorstel.gemeente_code, actor=actor_of(staff),
           actie=f"status:ingediend->{status}", object_type="voorstel",
           object_id=str(voorstel.id), na={"reden": reden, "voorziening": voorstel.voorziening_id},
           gebruiker_id=staff.id)


def _indiener(session: Session, voorstel: Voorstel) -> Gebruiker | None:
    return session.get(Gebruiker, voorstel.gebruiker_id) if voorstel.gebruiker_id else None


def accepteren(session: Session, user: Gebruiker | None, voorstel: Voorstel, invoer: Invoer,
               basis_url: str) -> dict[str, str]:
    """Publish the proposal as staff edited it; mail the proposer. Messages if fields fail."""
    staff = require_staff(user, voorstel.gemeente_code)
    _open(session, voorstel)
    uit = controleer(session, voorstel.gemeente_code, invoer, staff=True)
    if uit.fouten:
        return uit.fouten
    if voorstel.soort == "nieuw":
        voorstel.voorziening_id = voorziening_writes.aanmaken(
            session, staff, voorstel.gemeente_code, uit.kolommen,
            voorgesteld_door_id=voorstel.gebruiker_id)
    else:
        doel = voorziening_writes.ophalen(session, voorstel.gemeente_code,
                                          voorstel.voorziening_id or 0)
        voorziening_writes.wijzigen(session, staff, voorstel.gemeente_code, doel.id or 0,
                                    uit.kolommen, actie=f"gewijzigd:voorstel:{voorstel.id}")
    _beslist(session, staff, voorstel, "geaccepteerd", None)
    voorziening = voorziening_writes.ophalen(session, voorstel.gemeente_code,
                                             voorstel.voorziening_id or 0)
    tekst = (f"De gemeente heeft uw voorstel voor '{voorziening.naam}' geaccepteerd. Het staat "
             f"nu op de Voorzieningenkaart.")
    if mag_bijwerken(session, _indiener(session, voorstel), voorziening):
        tekst += (f"\n\nU kunt de contactgegevens van dit initiatief zelf bijhouden: "
                  f"{basis_url}/voorzieningen/{voorziening.id}/bijwerken")
    tekst += f"\n\nUw voorstellen: {basis_url}/mijn/voorstellen"
    mail(session, _indiener(session, voorstel), "Uw voorstel is geaccepteerd", tekst)
    return {}


def afwijzen(session: Session, user: Gebruiker | None, voorstel: Voorstel, reden: str,
             basis_url: str) -> None:
    """Reject with a reason the proposer gets by mail."""
    staff = require_staff(user, voorstel.gemeente_code)
    if not reden.strip():
        raise InvalidInput("Geef de reden van de afwijzing; de indiener krijgt die per e-mail.")
    _open(session, voorstel)
    _beslist(session, staff, voorstel, "afgewezen", reden.strip())
    naam = voorstel.gegevens.get("naam", "")
    mail(session, _indiener(session, voorstel), "Uw voorstel is niet overgenomen",
         f"De gemeente heeft uw voorstel voor '{naam}' niet overgenomen.\n\nReden: "
         f"{reden.strip()}\n\nUw voorstellen: {basis_url}/mijn/voorstellen")


def mag_bijwerken(session: Session, user: Gebruiker | None, voorziening: Voorziening) -> bool:
    """The proposer of a published initiative keeps it up to date."""
    if user is None or not user.actief or voorziening.voorgesteld_door_id != user.id:
        return False
    if voorziening.status != "gepubliceerd":
        return False
    return bool(session.execute(text("SELECT is_initiatief FROM categorie WHERE id = :id"),
                                {"id": voorziening.categorie_id}).scalar())


def bijwerken(session: Session, user: Gebruiker | None, voorziening: Voorziening,
              invoer: Invoer) -> tuple[list[str], dict[str, str]]:
    """Contact fields go live (audited); a new place becomes a correctie for review.

    Returns what happened ('contact', 'locatie') or messages by field."""
    if not mag_bijwerken(session, user, voorziening):
        raise Forbidden(GEEN_RECHT)
    assert user is not None and voorziening.id is not None
    uit = contact(invoer)
    geometrie = locatie(session, voorziening.gemeente_code, invoer, uit.fouten, verplicht=False)
    if uit.fouten:
        return [], op_volgorde(uit.fouten)
    gedaan: list[str] = []
    huidig = voorziening_writes.formulierwaarden(session, voorziening.id)
    wijzigingen = {n: v for n, v in uit.kolommen.items() if (v or "") != huidig[n]}
    if wijzigingen:
        voorziening_writes.wijzigen(session, user, voorziening.gemeente_code, voorziening.id,
                                    wijzigingen, actie="bijgewerkt:initiatiefnemer", staff=False)
        gedaan.append("contact")
    if geometrie and voorziening_writes.verplaatst(session, voorziening.id, geometrie,
                                                   VERHUIS_DREMPEL_M):
        gegevens = {n: v for n, v in voorziening_writes.formulierwaarden(
            session, voorziening.id).items() if n in (*TEKSTVELDEN, "categorie")}
        gegevens["toelichting"] = "Nieuwe locatie, opgegeven door de initiatiefnemer."
        voorstel = Voorstel(gemeente_code=voorziening.gemeente_code, soort="correctie",
                            voorziening_id=voorziening.id, gebruiker_id=user.id,
                            gegevens=gegevens)
        session.add(voorstel)
        session.flush()
        session.execute(text("UPDATE voorstel SET geometrie = decode(:g, 'hex')::geometry "
                             "WHERE id = :id"), {"g": geometrie, "id": voorstel.id})
        record(session, voorziening.gemeente_code, actor=actor_of(user), actie="aangemaakt",
               object_type="voorstel", object_id=str(voorstel.id),
               na={"soort": "correctie", "alleen": "locatie"}, gebruiker_id=user.id)
        gedaan.append("locatie")
    return gedaan, {}


def mijn(session: Session, user: Gebruiker) -> list[Voorstel]:
    """The user's own proposals, newest first."""
    return list(session.exec(select(Voorstel).where(Voorstel.gebruiker_id == user.id)
                             .order_by(col(Voorstel.aangemaakt_op).desc(),
                                       col(Voorstel.id).desc())))


def wachtrij(session: Session, gemeente: str) -> list[dict[str, object]]:
    """Open proposals, oldest first, with category and (for corrections) the current name."""
    return [dict(r) for r in session.execute(text("""
        SELECT s.id, s.soort, s.gegevens->>'naam' AS naam, c.naam AS categorie,
               c.is_initiatief AS initiatief, v.naam AS huidige_naam, s.aangemaakt_op
          FROM voorstel s
          LEFT JOIN categorie c ON c.gemeente_code = s.gemeente_code
                               AND c.id::text = s.gegevens->>'categorie'
          LEFT JOIN voorziening v ON v.id = s.voorziening_id
         WHERE s.gemeente_code = :g AND s.status = 'ingediend'
         ORDER BY s.aangemaakt_op, s.id"""), {"g": gemeente}).mappings()]


def formulierwaarden(session: Session, voorstel: Voorstel) -> dict[str, str]:
    """The proposal as the accept form shows it: its texts and its place in lat/lon; for a
    correction without a new place, the current place."""
    waarden = {n: str(voorstel.gegevens.get(n, "")) for n in (*TEKSTVELDEN, "categorie")}
    punt = session.execute(text("""
        SELECT round(ST_Y(p)::numeric, 7), round(ST_X(p)::numeric, 7) FROM (
          SELECT ST_Transform(coalesce(s.geometrie, v.geometrie), 4326) AS p
            FROM voorstel s LEFT JOIN voorziening v ON v.id = s.voorziening_id
           WHERE s.id = :id) x"""), {"id": voorstel.id}).one()
    waarden["lat"], waarden["lon"] = ("" if p is None else str(p) for p in punt)
    if voorstel.soort == "correctie" and voorstel.voorziening_id:
        huidig = voorziening_writes.formulierwaarden(session, voorstel.voorziening_id)
        waarden["bron"] = huidig["bron"]
        waarden["laatst_gecontroleerd"] = huidig["laatst_gecontroleerd"]
    else:
        waarden["bron"] = "Voorstel van een bewoner"
        waarden["laatst_gecontroleerd"] = ""
    return waarden


__all__ = ["CONTACTVELDEN", "indienen", "accepteren", "afwijzen", "bijwerken", "mag_bijwerken",
           "mijn", "wachtrij", "ophalen", "formulierwaarden"]
