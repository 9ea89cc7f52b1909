"""The public facts of one published voorziening, for its panel on the maps and its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from app.errors import NotFound
from app.services import geografie
from app.services.voorzieningen.kaart import leesbare_kleur


@dataclass(frozen=True)
class VoorzieningPaneel:
    """What anyone may see of a voorziening: its own public contact fields, never who
    proposed it (voorgesteld_door stays out of the query)."""

    id: int
    naam: str
    categorie: str
    omschrijving: str
    adres: str | None
    postcode: str | None
    plaats: str | None
    telefoon: str | None
    website: str | None
    openingstijden: str | None
    wijk: str | None
    categorie_code: str = ""
    kleur: str = "#1d5c8c"
    email: str | None = None
    bron: str = ""
    laatst_gecontroleerd: date | None = None
    wijk_code: str | None = None
    wijk_soort: str | None = None
    icoon: str = ""
    dichtstbijzijnde_adres: str | None = None  # only when it has no address of its own

    @property
    def website_veilig(self) -> str | None:
        """The website only when it is an http(s) address (never javascript: and the like)."""
        url = (self.website or "").strip()
        return url if url.lower().startswith(("https://", "http://")) else None


def voorziening_paneel(session: Session, gemeente_code: str, voorziening_id: int
                       ) -> VoorzieningPaneel:
    """A published voorziening of the gemeente; NotFound otherwise."""
    row = session.execute(text("""
        SELECT v.id, v.naam, c.naam AS categorie, v.omschrijving, v.adres, v.postcode, v.plaats,
               v.telefoon, v.website, v.openingstijden, w.naam AS wijk,
               c.code AS categorie_code, c.kleur, v.email, v.bron, v.laatst_gecontroleerd,
               w.code AS wijk_code, w.soort AS wijk_soort, c.icoon
          FROM voorziening v JOIN categorie c ON c.id = v.categorie_id
          LEFT JOIN gebied w ON w.id = v.wijk_id
         WHERE v.gemeente_code = :g AND v.id = :id AND v.status = 'gepubliceerd'"""),
        {"g": gemeente_code, "id": voorziening_id}).first()
    if row is None:
        raise NotFound("Deze voorziening bestaat niet (meer).")
    values = dict(row._mapping)
    values["kleur"] = leesbare_kleur(values["kleur"])
    values["omschrijving"] = values["omschrijving"] or ""
    values["bron"] = values["bron"] or ""
    values["icoon"] = values["icoon"] or ""
    if not (values["adres"] or values["postcode"]):
        adres = geografie.adres_bij_voorziening(session.connection(), gemeente_code,
                                                voorziening_id)
        values["dichtstbijzijnde_adres"] = adres.tekst if adres else None
    return VoorzieningPaneel(**values)
