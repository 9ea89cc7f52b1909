"""What an import did: counts for the summary and one report row per repaired, skipped,
remapped or vervallen feature, written as CSV for the person who runs the import."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.errors import InvalidInput

KOLOMMEN = ["rij", "id", "actie", "reden"]
GEOGRAFIE = ("adressen", "panden", "straten", "water", "terrein")  # order in the summary


class ImportFout(InvalidInput):
    """The file cannot be imported; nothing was written. The message says why, in Dutch."""


@dataclass(frozen=True)
class Regel:
    """One row of the report: the row number in the file (1 = first feature), its id."""

    rij: int | None
    id: str
    actie: str  # hersteld, overgeslagen, soort, vervallen, behouden, dorp
    reden: str


@dataclass(frozen=True)
class Geraakt:
    """An open adoptie whose plot left the source inside the bereik: expired or kept."""

    adoptie: int
    status: str
    groenvak: str
    vervalt: bool


@dataclass
class ImportRapport:
    """Counts and report rows of one import."""

    laag: str
    bestand: str
    gelezen: int = 0
    nieuw: int = 0
    bijgewerkt: int = 0
    ongewijzigd: int = 0
    vervallen: int = 0
    niet_in_bestand: int = 0  # current plots of the gemeente missing from the file
    bereik: str | None = None  # where missing plots expire; None: nowhere
    tabellen: dict[str, int] = field(default_factory=dict)  # geography: rows per table
    regels: list[Regel] = field(default_factory=list)
    adopties: list[Geraakt] = field(default_factory=list)

    def add(self, rij: int | None, id_: object, actie: str, reden: str) -> None:
        self.regels.append(Regel(rij, "" if id_ is None else str(id_), actie, reden))

    def aantal(self, actie: str) -> int:
        return sum(1 for r in self.regels if r.actie == actie)

    @property
    def hersteld(self) -> int:
        return self.aantal("hersteld")

    @property
    def overgeslagen(self) -> int:
        return self.aantal("overgeslagen")

    @property
    def behouden(self) -> int:
        return self.aantal("behouden")

    def summary(self) -> str:
        """One paragraph for the terminal and the page."""
        if self.tabellen:  # BAG, NWB, OSM: each layer of the gemeente is replaced as a whole
            inhoud = ", ".join(f"{t} {self.tabellen[t]}" for t in GEOGRAFIE
                               if t in self.tabellen)
            text = (f"{self.laag} uit {self.bestand}: {self.gelezen} gelezen, "
                    f"{self.overgeslagen} overgeslagen. Nu in de kaart: {inhoud}.")
            if self.nieuw == 0:
                text += " Er was niets veranderd."
            return text
        text = (f"{self.laag.capitalize()} uit {self.bestand}: {self.gelezen} gelezen, "
                f"{self.nieuw} nieuw, {self.bijgewerkt} bijgewerkt, {self.ongewijzigd} "
                f"ongewijzigd, {self.hersteld} hersteld, {self.overgeslagen} overgeslagen")
        if self.laag == "groenvakken":
            text += f", {self.vervallen} vervallen"
            if self.behouden:
                text += f", {self.behouden} behouden (open adoptie)"
        text += "."
        if self.laag == "groenvakken" and self.niet_in_bestand and self.bereik is None:
            text += (f" {self.niet_in_bestand} groenvakken staan niet in het bestand; die "
                     "blijven zoals ze zijn (er is geen bereik voor vervallen gekozen).")
        return text

    def to_json(self) -> dict[str, object]:
        """For the taak table: the page of any process shows the result from it."""
        data = asdict(self)
        data["regels"] = [[r.rij, r.id, r.actie, r.reden] for r in self.regels]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportRapport:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["regels"] = [Regel(*r) for r in data.get("regels", [])]
        known["adopties"] = [Geraakt(**a) for a in data.get("adopties", [])]
        return cls(**known)

    def csv_text(self) -> str:
        """The report as CSV (UTF-8, comma separated, header row)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(KOLOMMEN)
        for r in self.regels:
            writer.writerow(["" if r.rij is None else r.rij, r.id, r.actie, r.reden])
        return out.getvalue()

    def write_csv(self, path: Path) -> None:
        path.write_text(self.csv_text(), encoding="utf-8")
