"""Categories of voorzieningen: name, icon, colour, order and whether they hold initiatives.

A category in use (by a voorziening or an open proposal) is never deleted; a colour that white
text cannot be read on (contrast below 4.5:1, WCAG AA) is allowed, with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.errors import Conflict, NotFound
from app.models import Categorie, Gebruiker
from app.services.accounts import actor_of, require_staff
from app.services.audit import record

KLEUR = re.compile(r"^#[0-9a-f]{6}$")
ICOON = re.compile(r"^[a-z0-9_-]{0,40}$")
MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class CategorieRegel:
    """A category with how many voorzieningen and open proposals use it."""

    id: int
    code: str
    naam: str
    icoon: str
    kleur: str
    volgorde: int
    is_initiatief: bool
    in_gebruik: int
    contrast: float


def contrast_met_wit(kleur: str) -> float:
    """WCAG contrast ratio of white text on `kleur` (#rrggbb)."""
    def kanaal(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (kanaal(kleur[i:i + 2]) for i in (1, 3, 5))
    luminantie = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return round(1.05 / (luminantie + 0.05), 2)


def contrast_waarschuwing(kleur: str) -> str | None:
    """A Dutch warning when white text on this colour is hard to read."""
    ratio = contrast_met_wit(kleur)
    if ratio >= MIN_CONTRAST:
        return None
    return (f"Witte tekst op deze kleur heeft een contrast van {ratio:.2f}:1; dat is minder "
            f"dan 4,5:1 en slecht leesbaar. Kies liever een donkerdere kleur.")


def controleer(waarden: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """naam, icoon, kleur (#rrggbb), volgorde, is_initiatief from a form."""
    fouten: dict[str, str] = {}
    naam = waarden.get("naam", "").strip()
    if not naam:
        fouten["naam"] = "Vul de naam in."
    elif len(naam) > 100:
        fouten["naam"] = f"Gebruik hoogstens 100 tekens (nu {len(naam)})."
    icoon = waarden.get("icoon", "").strip().lower()
    if not ICOON.match(icoon):
        fouten["icoon"] = ("Gebruik voor het icoon alleen kleine letters, cijfers, - en _ "
                           "(hoogstens 40 tekens).")
    kleur = waarden.get("kleur", "").strip().lower()
    if not KLEUR.match(kleur):
        fouten["kleur"] = "Vul een kleur in als #rrggbb, bijvoorbeeld #1d5c8c."
    volgorde_tekst = waarden.get("volgorde", "").strip() or "0"
    volgorde = 0
    if re.fullmatch(r"-?[0-9]{1,6}", volgorde_tekst):
        volgorde = int(volgorde_tekst)
    else:
        fouten["volgorde"] = "Vul een geheel getal in, bijvoorbeeld 10."
    return ({"naam": naam, "icoon": icoon, "kleur": kleur, "volgorde": volgorde,
             "is_initiatief": waarden.get("is_initiatief") == "ja"}, fouten)


def _code(naam: str) -> str:
    """A stable code from the name: 'Zorg & welzijn' becomes 'zorg-welzijn'."""
    ascii_naam = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_naam.lower()).strip("-")[:36] or "categorie"


def lijst(session: Session, gemeente: str) -> list[CategorieRegel]:
    """All categories in their order, with their use."""
    rows = session.execute(text("""
        SELECT c.id, c.code, c.naam, c.icoon, c.kleur, c.volgorde, c.is_initiatief,
               (SELECT count(*) FROM voorziening v WHERE v.categorie_id = c.id)
             + (SELECT count(*) FROM voorstel s WHERE s.gemeente_code = c.gemeente_code
                  AND s.status = 'ingediend' AND s.gegevens->>'categorie' = c.id::text)
               AS in_gebruik
          FROM categorie c WHERE c.gemeente_code = :g ORDER BY c.volgorde, c.naam"""),
        {"g": gemeente}).mappings().all()
    return [CategorieRegel(**dict(r), contrast=contrast_met_wit(r["kleur"])) for r in rows]


def ophalen(session: Session, gemeente: str, categorie_id: int) -> Categorie:
    found = session.get(Categorie, categorie_id)
    if found is None or found.gemeente_code != gemeente:
        raise NotFound("Deze categorie bestaat niet.")
    return found


def _snapshot(c: Categorie) -> dict[str, Any]:
    return {"code": c.code, "naam": c.naam, "icoon": c.icoon, "kleur": c.kleur,
            "volgorde": c.volgorde, "is_initiatief": c.is_initiatief}


def aanmaken(session: Session, user: Gebruiker | None, gemeente: str,
             velden: dict[str, Any]) -> Categorie:
    """A new category; its code is made from the name and kept unique."""
    staff = require_staff(user, gemeente)
    basis = _code(velden["naam"])
    bestaand = set(session.execute(text(
        "SELECT code FROM categorie WHERE gemeente_code = :g"), {"g": gemeente}).scalars())
    code, n = basis, 2
    while code in bestaand:
        code, n = f"{basis}-{n}", n + 1
    categorie = Categorie(gemeente_code=gemeente, code=code, **velden)
    session.add(categorie)
    session.flush()
    record(session, gemeente, actor=actor_of(staff), actie="aangemaakt",
           object_type="categorie", object_id=str(categorie.id), na=_snapshot(categorie),
           gebruiker_id=staff.id)
    return categorie


def wijzigen(session: Session, user: Gebruiker | None, categorie: Categorie,
             velden: dict[str, Any]) -> Categorie:
    """Change name, icon, colour, order or kind; the code (used by the API) stays."""
    staff = require_staff(user, categorie.gemeente_code)
    voor = _snapshot(categorie)
    for naam, waarde in velden.items():
        setattr(categorie, naam, waarde)
    session.add(categorie)
    session.flush()
    record(session, categorie.gemeente_code, actor=actor_of(staff), actie="gewijzigd",
           object_type="categorie", object_id=str(categorie.id), voor=voor,
           na=_snapshot(categorie), gebruiker_id=staff.id)
    return categorie


def verwijderen(session: Session, user: Gebruiker | None, categorie: Categorie) -> None:
    """Delete an unused category; one in use stays, with a message saying why."""
    staff = require_staff(user, categorie.gemeente_code)
    gebruik = next(r.in_gebruik for r in lijst(session, categorie.gemeente_code)
                   if r.id == categorie.id)
    if gebruik:
        raise Conflict(f"De categorie '{categorie.naam}' is in gebruik bij {gebruik} "
                       f"voorziening(en) of voorstel(len) en kan niet worden verwijderd. "
                       f"Kies eerst een andere categorie voor die voorzieningen.")
    voor = _snapshot(categorie)
    session.delete(categorie)
    session.flush()
    record(session, categorie.gemeente_code, actor=actor_of(staff), actie="verwijderd",
           object_type="categorie", object_id=str(categorie.id), voor=voor,
           gebruiker_id=staff.id)
