"""The fields of a voorziening as people type them: checked, with a Dutch message per field.

Staff forms, residents' proposals and the accept form all go through `controleer`, so a postcode
or a website is judged the same everywhere. The place is a pair: lat/lon (what the map picker
fills) or RD x/y; PostGIS transforms it and checks it lies inside the gemeente.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.errors import InvalidInput
from app.geo.collections import VOORZIENINGEN
from app.services.features import check_geometry

TEKSTVELDEN = ("naam", "omschrijving", "adres", "postcode", "plaats", "telefoon", "email",
               "website", "openingstijden")
CONTACTVELDEN = ("telefoon", "email", "website", "openingstijden", "omschrijving")
MAX_LENGTE = {"naam": 200, "omschrijving": 4000, "adres": 200, "plaats": 100, "telefoon": 30,
              "email": 254, "website": 500, "openingstijden": 1000, "bron": 200}
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
WEBSITE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.I)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TELEFOON = re.compile(r"^\+?[0-9()\- ]{6,29}$")
LOCATIE_NODIG = ("Kies een plek op de kaart, of vul breedte- en lengtegraad of RD x en y in.")
NIET_ALLEBEI = "Vul óf breedte- en lengtegraad óf RD x en y in, niet allebei."
BUITEN = "Deze plek ligt buiten de gemeente. Kies een plek binnen de gemeente."
# Per coordinate: its label and the range that can be meant at all (the gemeente check follows).
BEREIK = {"lat": ("Breedtegraad", -90.0, 90.0), "lon": ("Lengtegraad", -180.0, 180.0),
          "x": ("RD x", 0.0, 300000.0), "y": ("RD y", 280000.0, 630000.0)}
# The fields in the order the forms show them, so the error summary reads top to bottom.
VOLGORDE = ("naam", "categorie", "omschrijving", "adres", "postcode", "plaats", "telefoon",
            "email", "website", "openingstijden", "locatie", "lat", "lon", "x", "y", "bron",
            "laatst_gecontroleerd", "toelichting", "formulier")


def op_volgorde(fouten: dict[str, str]) -> dict[str, str]:
    """The messages in the order of the fields on the page."""
    plek = {naam: i for i, naam in enumerate(VOLGORDE)}
    return {k: fouten[k] for k in sorted(fouten, key=lambda k: plek.get(k, len(plek)))}


@dataclass
class Invoer:
    """What a form sent, as text; empty strings where nothing was filled in."""

    naam: str = ""
    categorie: str = ""
    omschrijving: str = ""
    adres: str = ""
    postcode: str = ""
    plaats: str = ""
    telefoon: str = ""
    email: str = ""
    website: str = ""
    openingstijden: str = ""
    lat: str = ""
    lon: str = ""
    x: str = ""
    y: str = ""
    bron: str = ""  # staff only
    laatst_gecontroleerd: str = ""  # staff only

    @classmethod
    def uit(cls, values: dict[str, Any]) -> Invoer:
        """From a form or a stored proposal: known names only, always text."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: ("" if v is None else str(v)) for k, v in values.items() if k in names})

    def waarden(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Uitkomst:
    """Columns ready to write (geometrie as hex EWKB) or messages by field name."""

    kolommen: dict[str, Any] = field(default_factory=dict)
    fouten: dict[str, str] = field(default_factory=dict)


def _getal(tekst: str) -> float | None:
    try:
        value = float(tekst.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _paar(invoer: Invoer, a: str, b: str, fouten: dict[str, str]) -> tuple[float, float] | None:
    """One coordinate pair, if any of it was filled in; messages for the half that is wrong."""
    teksten = {n: getattr(invoer, n).strip() for n in (a, b)}
    if not any(teksten.values()):
        return None
    waarden: dict[str, float] = {}
    for naam, tekst in teksten.items():
        label, laag, hoog = BEREIK[naam]
        value = _getal(tekst) if tekst else None
        if not tekst:
            fouten[naam] = f"Vul ook de {label.lower()} in."
        elif value is None:
            fouten[naam] = f"{label}: vul een getal in, bijvoorbeeld {_voorbeeld(naam)}."
        elif not laag <= value <= hoog:
            fouten[naam] = f"{label}: een getal tussen {laag:g} en {hoog:g}."
        else:
            waarden[naam] = value
    return (waarden[a], waarden[b]) if len(waarden) == 2 else None


def _voorbeeld(naam: str) -> str:
    return {"lat": "51,765", "lon": "5,518", "x": "162500", "y": "416300"}[naam]


def locatie(session: Session, gemeente: str, invoer: Invoer, fouten: dict[str, str],
            verplicht: bool = True) -> str | None:
    """The place as hex EWKB in RD New, checked by PostGIS; None (and a message) otherwise."""
    latlon = _paar(invoer, "lat", "lon", fouten)
    rd = _paar(invoer, "x", "y", fouten)
    if any(k in fouten for k in BEREIK):
        return None
    if latlon and rd:
        fouten["locatie"] = NIET_ALLEBEI
        return None
    if not latlon and not rd:
        if verplicht:
            fouten["locatie"] = LOCATIE_NODIG
        return None
    if latlon:
        geometry, srid = {"type": "Point", "coordinates": [latlon[1], latlon[0]]}, 4326
    else:
        assert rd is not None
        geometry, srid = {"type": "Point", "coordinates": [rd[0], rd[1]]}, 28992
    try:
        return check_geometry(session, VOORZIENINGEN, geometry, srid, gemeente)
    except InvalidInput:
        fouten["locatie"] = BUITEN
        return None


def categorie_bestaat(session: Session, gemeente: str, tekst: str) -> int | None:
    """The categorie id, if it is one of this gemeente's."""
    if not tekst.strip().isdigit() or len(tekst.strip()) > 9:
        return None
    found = session.execute(text("SELECT id FROM categorie WHERE gemeente_code = :g AND id = :i"),
                            {"g": gemeente, "i": int(tekst)}).scalar()
    return int(found) if found is not None else None


def _tekst(invoer: Invoer, naam: str, fouten: dict[str, str]) -> str | None:
    value = getattr(invoer, naam).strip()
    grens = MAX_LENGTE.get(naam)
    if grens and len(value) > grens:
        fouten[naam] = f"Gebruik hoogstens {grens} tekens (nu {len(value)})."
    return value or None


def _formaat(kolommen: dict[str, Any], fouten: dict[str, str]) -> None:
    """Postcode, website, e-mail and telephone in the forms the database and people expect."""
    if kolommen.get("postcode") and "postcode" not in fouten:
        match = POSTCODE.match(kolommen["postcode"].upper().replace("  ", " "))
        if match:
            kolommen["postcode"] = f"{match.group(1)} {match.group(2)}"
        else:
            fouten["postcode"] = "Vul een postcode in als 1234 AB."
    if kolommen.get("website") and "website" not in fouten \
            and not WEBSITE.match(kolommen["website"]):
        fouten["website"] = ("Vul een webadres in dat begint met http:// of https://, "
                             "bijvoorbeeld https://www.voorbeeld.nl.")
    if kolommen.get("email") and "email" not in fouten and not EMAIL.match(kolommen["email"]):
        fouten["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld info@voorbeeld.nl."
    if kolommen.get("telefoon") and "telefoon" not in fouten \
            and not TELEFOON.match(kolommen["telefoon"]):
        fouten["telefoon"] = "Vul een telefoonnummer in met cijfers, bijvoorbeeld 0412 123456."


def contact(invoer: Invoer) -> Uitkomst:
    """Only the contact fields a proposer may change live (telefoon, e-mail, …)."""
    uit = Uitkomst()
    for naam in CONTACTVELDEN:
        uit.kolommen[naam] = _tekst(invoer, naam, uit.fouten)
    uit.kolommen["omschrijving"] = uit.kolommen["omschrijving"] or ""
    _formaat(uit.kolommen, uit.fouten)
    uit.fouten = op_volgorde(uit.fouten)
    return uit


def controleer(session: Session, gemeente: str, invoer: Invoer, *, staff: bool = False,
               locatie_verplicht: bool = True) -> Uitkomst:
    """All fields of the form; columns to write or a message next to each wrong field."""
    uit = Uitkomst()
    fouten, kolommen = uit.fouten, uit.kolommen
    for naam in TEKSTVELDEN:
        kolommen[naam] = _tekst(invoer, naam, fouten)
    if not kolommen["naam"] and "naam" not in fouten:
        fouten["naam"] = "Vul de naam in."
    kolommen["omschrijving"] = kolommen["omschrijving"] or ""
    categorie = categorie_bestaat(session, gemeente, invoer.categorie)
    if categorie is None:
        fouten["categorie"] = "Kies een categorie uit de lijst."
    kolommen["categorie_id"] = categorie
    _formaat(kolommen, fouten)
    if staff:
        kolommen["bron"] = _tekst(invoer, "bron", fouten) or ""
        kolommen["laatst_gecontroleerd"] = None
        if invoer.laatst_gecontroleerd.strip():
            try:
                gecontroleerd = date.fromisoformat(invoer.laatst_gecontroleerd.strip())
            except ValueError:
                fouten["laatst_gecontroleerd"] = "Vul een geldige datum in, bijvoorbeeld " \
                                                 "31-12-2025."
            else:
                if gecontroleerd > date.today():
                    fouten["laatst_gecontroleerd"] = "Deze datum ligt in de toekomst."
                kolommen["laatst_gecontroleerd"] = gecontroleerd
    geometrie = locatie(session, gemeente, invoer, fouten, locatie_verplicht)
    if geometrie is not None:
        kolommen["geometrie"] = geometrie
    uit.fouten = op_volgorde(fouten)
    return uit
