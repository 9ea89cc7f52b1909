"""Wijken and dorpen side by side: the columns of each figure, sorting, and the CSV export.

The figures themselves come from app.services.gebieden.kengetallen; this module only arranges them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.services.gebieden.kengetallen import CategorieKengetal, GebiedKengetallen

Waarde = float | int | str | None

# figure -> (Dutch label, CategorieKengetal attribute, unit); 'zelfbeheer' has its own columns
MATEN: dict[str, tuple[str, str, str]] = {
    "aantal": ("Aantal voorzieningen", "aantal", "aantal"),
    "per_1000": ("Voorzieningen per 1.000 inwoners", "per_1000_inwoners", "getal1"),
    "nabijheid_gem": ("Gemiddelde afstand tot de dichtstbijzijnde", "nabijheid_gem_m", "meter"),
    "nabijheid_max": ("Grootste afstand tot de dichtstbijzijnde", "nabijheid_max_m", "meter"),
    "dekking_400": ("Deel van het gebied binnen 400 m", "dekking_400", "aandeel"),
    "dekking_800": ("Deel van het gebied binnen 800 m", "dekking_800", "aandeel"),
    "binnen_5": ("Woonadressen binnen 5 minuten lopen", "binnen_5", "aandeel"),
    "binnen_10": ("Woonadressen binnen 10 minuten lopen", "binnen_10", "aandeel"),
    "binnen_15": ("Woonadressen binnen 15 minuten lopen", "binnen_15", "aandeel"),
}
ZELFBEHEER = "zelfbeheer"
GROEN = "groen_300"
MAAT_LABELS = {**{k: v[0] for k, v in MATEN.items()}, GROEN: "Groen binnen 300 m lopen",
               ZELFBEHEER: "Groen in zelfbeheer"}

# zelfbeheer attribute -> (Dutch label, unit)
ZELFBEHEER_KOLOMMEN: dict[str, tuple[str, str]] = {
    "groenvakken": ("Groenvakken", "aantal"),
    "m2_totaal": ("Oppervlakte groen", "m2"),
    "m2_zelfbeheer": ("In zelfbeheer", "m2"),
    "pct_zelfbeheer": ("Deel in zelfbeheer", "procent"),
    "actieve_groepen": ("Actieve groepen", "aantal"),
    "leden": ("Deelnemers", "aantal"),
    "onderhoud_90d": ("Onderhoud laatste 90 dagen", "aantal"),
    "besparing_euro_jaar": ("Besparing per jaar", "euro"),
}
SOORT_LABEL = {"wijk": "Wijk", "dorp": "Dorp"}


@dataclass(frozen=True)
class Kolom:
    """One column of the comparison: how to read it from a gebied and how to show it."""

    sleutel: str
    label: str
    eenheid: str  # tekst, aantal, getal1, meter, aandeel (0..1), procent (0..100), m2, euro
    waarde: Callable[[GebiedKengetallen], Waarde]
    kleur: str | None = None

    @property
    def numeriek(self) -> bool:
        """Whether the column can be drawn as bars."""
        return self.eenheid != "tekst"


def _categorie(k: GebiedKengetallen, code: str) -> CategorieKengetal | None:
    return next((c for c in k.categorieen if c.categorie_code == code), None)


def _cat_waarde(code: str, attr: str) -> Callable[[GebiedKengetallen], Waarde]:
    def lees(k: GebiedKengetallen) -> Waarde:
        c = _categorie(k, code)
        return None if c is None else getattr(c, attr)
    return lees


def _zb_waarde(attr: str) -> Callable[[GebiedKengetallen], Waarde]:
    return lambda k: getattr(k.zelfbeheer, attr)


VASTE_KOLOMMEN = (
    Kolom("naam", "Naam", "tekst", lambda k: k.naam),
    Kolom("soort", "Soort", "tekst", lambda k: SOORT_LABEL.get(k.soort, k.soort)),
    Kolom("inwoners", "Inwoners", "aantal", lambda k: k.inwoners),
)


def kolommen(maat: str, gebieden: Sequence[GebiedKengetallen]) -> list[Kolom]:
    """The fixed columns, then one per category for a figure, or the zelfbeheer columns."""
    if maat == ZELFBEHEER:
        extra = [Kolom(f"zb_{a}", label, eenheid, _zb_waarde(a))
                 for a, (label, eenheid) in ZELFBEHEER_KOLOMMEN.items()]
    elif maat == GROEN:
        extra = [Kolom("groen_300", "Woonadressen binnen 300 m lopen van een park of bos",
                       "aandeel", lambda k: k.groen_300)]
    else:
        _, attr, eenheid = MATEN[maat]
        categorieen = gebieden[0].categorieen if gebieden else []
        extra = [Kolom(f"cat_{c.categorie_code}", c.categorie_naam, eenheid,
                       _cat_waarde(c.categorie_code, attr), c.kleur) for c in categorieen]
    return [*VASTE_KOLOMMEN, *extra]


def sorteer(gebieden: Sequence[GebiedKengetallen], kolom: Kolom,
            oplopend: bool) -> list[GebiedKengetallen]:
    """Sorted on the column; unknown values (None) always last; ties by name."""
    bekend = [k for k in gebieden if kolom.waarde(k) is not None]
    onbekend = [k for k in gebieden if kolom.waarde(k) is None]

    def sleutel(k: GebiedKengetallen) -> tuple[float | str, str]:
        v = kolom.waarde(k)
        return (v.casefold() if isinstance(v, str) else float(v or 0), k.naam.casefold())

    bekend.sort(key=lambda k: sleutel(k)[1])  # stable: ties keep name order either way
    bekend.sort(key=lambda k: sleutel(k)[0], reverse=not oplopend)
    onbekend.sort(key=lambda k: k.naam.casefold())
    return bekend + onbekend


# ---- CSV ---------------------------------------------------------------------------------

def _csv_getal(value: float | int | None, decimalen: int) -> str:
    """Decimal comma, no thousands separator (Dutch Excel reads it as a number); '' for none."""
    if value is None:
        return ""
    return f"{value:.{decimalen}f}".replace(".", ",")


def _csv_tekst(value: str) -> str:
    """Text that a spreadsheet never runs as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


CSV_CATEGORIE = (  # suffix of the header, attribute, decimals, factor
    ("aantal", "aantal", 0, 1.0),
    ("per 1.000 inwoners", "per_1000_inwoners", 2, 1.0),
    ("gemiddelde afstand (m)", "nabijheid_gem_m", 0, 1.0),
    ("grootste afstand (m)", "nabijheid_max_m", 0, 1.0),
    ("binnen 400 m (%)", "dekking_400", 1, 100.0),
    ("binnen 800 m (%)", "dekking_800", 1, 100.0),
    ("binnen 5 min lopen (%)", "binnen_5", 1, 100.0),
    ("binnen 10 min lopen (%)", "binnen_10", 1, 100.0),
    ("binnen 15 min lopen (%)", "binnen_15", 1, 100.0),
    ("niet bereikbaar (woonadressen)", "niet_bereikbaar", 0, 1.0),
)
CSV_ZELFBEHEER = (
    ("Groenvakken", "groenvakken", 0), ("Oppervlakte groen (m²)", "m2_totaal", 0),
    ("In zelfbeheer (m²)", "m2_zelfbeheer", 0), ("In zelfbeheer (%)", "pct_zelfbeheer", 1),
    ("Actieve groepen", "actieve_groepen", 0), ("Deelnemers", "leden", 0),
    ("Onderhoud laatste 90 dagen", "onderhoud_90d", 0),
    ("Besparing per jaar (€)", "besparing_euro_jaar", 2),
)


def csv_tekst(gebieden: Sequence[GebiedKengetallen]) -> str:
    """Every figure of every wijk and dorp, one row each, for Dutch Excel: ';' between
    fields and a decimal comma (the Dutch list separator and decimal sign), CRLF lines."""
    categorieen = gebieden[0].categorieen if gebieden else []
    kop = ["Code", "Naam", "Soort", "Inwoners", "Oppervlakte (ha)", "Afstand gemeten",
           "Woonadressen", "Groen binnen 300 m lopen (%)"]
    kop += [f"{c.categorie_naam}: {suffix}" for c in categorieen for suffix, *_ in CSV_CATEGORIE]
    kop += [label for label, *_ in CSV_ZELFBEHEER] + ["Berekend op"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_tekst(h) for h in kop])
    for k in gebieden:
        rij = [_csv_tekst(k.code), _csv_tekst(k.naam), SOORT_LABEL.get(k.soort, k.soort),
               _csv_getal(k.inwoners, 0), _csv_getal(k.oppervlakte_m2 / 10000, 1),
               "over de weg" if k.over_de_weg else "hemelsbreed",
               _csv_getal(k.woonadressen, 0),
               _csv_getal(None if k.groen_300 is None else 100 * k.groen_300, 1)]
        for c in categorieen:
            eigen = _categorie(k, c.categorie_code)
            for _, attr, decimalen, factor in CSV_CATEGORIE:
                v = None if eigen is None else getattr(eigen, attr)
                if attr == "niet_bereikbaar" and not k.over_de_weg:
                    v = None
                rij.append(_csv_getal(None if v is None else v * factor, decimalen))
        rij += [_csv_getal(getattr(k.zelfbeheer, attr), d) for _, attr, d in CSV_ZELFBEHEER]
        rij.append(k.berekend_op.strftime("%d-%m-%Y %H:%M"))
        writer.writerow(rij)
    return out.getvalue()
