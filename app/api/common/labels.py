"""Dutch labels for the codes the pages show, and how pages write dates; one place, so every
page says the same."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.models.adoptie import ACTIVITEITEN

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

GROENVAK_STATUS_LABEL = {"beschikbaar": "Beschikbaar", "aangevraagd": "Aangevraagd",
                         "in_zelfbeheer": "In zelfbeheer", "niet_beschikbaar": "Niet beschikbaar"}
# Map colours of a groenvak's status: colour-blind safe (Okabe-Ito based) and far from the
# near-black wijk and dorp outlines (app/geo/maps.py SOORT_KLEUR); tests/unit/test_kleuren.py
# checks the distances. The map adds a second cue per status (hatch, dashes; see legenda).
GROENVAK_STATUS_KLEUR = {"beschikbaar": "#009e73", "aangevraagd": "#c45500",
                         "in_zelfbeheer": "#0072b2", "niet_beschikbaar": "#5a5a5a"}
ADOPTIE_STATUS_LABEL = {"concept": "Concept (wacht op huishoudens)", "aangevraagd": "Aangevraagd",
                        "actief": "Actief", "afgewezen": "Afgewezen", "ingetrokken": "Ingetrokken",
                        "beeindigd": "Beëindigd"}
ACTIVITEIT_LABEL = {a: a.replace("_", " ").capitalize() for a in ACTIVITEITEN}
UITKOMST_LABEL = {"ok": "In orde", "aandachtspunt": "Aandachtspunt", "beeindigen": "Beëindigd"}
DEELNAME_LABEL = {"actief": "Doet mee", "uitgenodigd": "Uitgenodigd",
                  "aangevraagd": "Vraagt om aan te sluiten", "vertrokken": "Vertrokken"}
ROL_LABEL = {"trekker": "Contactpersoon", "deelnemer": "Deelnemer"}


def moment(value: datetime | None) -> str:
    """Dutch local date and time; the database stores UTC."""
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if value else ""


def dag(value: date | datetime | None) -> str:
    """A date as staff write it (dd-mm-jjjj)."""
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM)
    return value.strftime("%d-%m-%Y") if value else ""
