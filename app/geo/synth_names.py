"""Invented names, lookup tables and text attributes for the fictional gemeente Lindewaard.

Kept apart from ``synth.py`` so the geometry logic stays short; none of these names refer to a
real municipality, village or person, and all contact details are fake by construction
(``.example`` domains, non-existent ``099`` area code).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import NamedTuple

import numpy as np

GEMEENTE_CODE = "GM9901"
GEMEENTE_NAAM = "Lindewaard"
BRON = "Demodata Lindewaard"

# Town wijken, index 0 is the centre; buurt names per wijk are ordered north -> south.
WIJKEN: list[tuple[str, list[str]]] = [
    ("Centrum", ["Lindegracht", "Binnenstad", "Marktkwartier"]),
    ("Molenkwartier", ["Molenerf", "Korenmaat", "Maalderij"]),
    ("Lindehof", ["Lindehof-Noord", "Hofstede", "Lindehof-Zuid"]),
    ("Vaartzoom", ["Vaartzoom-Noord", "Sluiskade", "Vaartzoom-Zuid"]),
    ("Bloemenbuurt", ["Tulpenhof", "Irisveld", "Klaproosweide"]),
    ("Kerkakker", ["Kerkakker-Noord", "Pastoriehof", "Kerkakker-Zuid"]),
    ("Weverspark", ["Spinnerij", "Weverspark", "Lakenveld"]),
    ("Beekdal", ["Beekdal-Noord", "Watermolen", "Beekdal-Zuid"]),
    ("Stationskwartier", ["Spoorzone", "Stationsplein", "Emplacement"]),
    ("Hazelhof", ["Hazelhof-Noord", "Heidezoom", "Hazelhof-Zuid"]),
]
STATION_WIJK = 8  # index into WIJKEN of the wijk with the railway station

# Invented villages; the last two deliberately lack a huisarts (gap analysis must find them).
DORPEN = ["Eikelenbroek", "Haverveld", "Ruiterslo", "Wilgendonk", "Klaverhorst"]

THEMAS = [
    "De Regenboog", "Het Kompas", "De Vlinder", "De Wilgenhoek", "Het Klaverblad",
    "De Zonnewijzer", "De Linde", "Het Palet", "De Springplank", "De Boomgaard", "Het Anker",
    "De Wegwijzer", "De Notenkraker", "Het Vogelnest", "De Uilenhoek", "De Windroos",
    "Het Lindeblad", "De Kameleon", "De Molenwiek", "Het Zonnehuis",
]


class Categorie(NamedTuple):
    """A voorzieningen category as written to data/categorieen.csv."""

    code: str
    naam: str
    kleur: str
    is_initiatief: bool


CATEGORIEEN: list[Categorie] = [
    Categorie("zorg", "Zorg", "#c62828", False),
    Categorie("onderwijs", "Onderwijs", "#1565c0", False),
    Categorie("ontmoeting", "Welzijn en ontmoeting", "#6a1b9a", False),
    Categorie("sport", "Sport", "#bf360c", False),
    Categorie("spelen", "Spelen", "#ad1457", False),
    Categorie("winkels", "Winkels", "#5d4037", False),
    Categorie("ov", "Openbaar vervoer", "#00695c", False),
    Categorie("groen", "Groen", "#2e7d32", False),
    Categorie("cultuur", "Cultuur", "#283593", False),
    Categorie("initiatief", "Maatschappelijk initiatief", "#8a5a00", True),
]


class VzType(NamedTuple):
    """How many voorzieningen of one kind to place, where, and how to name and describe them."""

    categorie: str
    soort: str
    aantal: int
    naam: str  # format fields: wijk, plaats, straat, thema
    alt: str  # fallback name pattern when ``naam`` is already taken
    dorpen: tuple[int, ...]  # dorpen (besides the town) where this kind may appear
    ligging: str  # "kom": inside the built-up area; "rand": just outside it
    contact: bool
    open: str | None
    omschrijving: str


ALLE = (0, 1, 2, 3, 4)
_MAVR = "ma–vr 8:00–17:00"
VZ_TYPES: list[VzType] = [
    VzType("zorg", "huisarts", 13, "Huisartsenpraktijk {wijk}", "Gezondheidscentrum {straat}",
           (0, 1, 2), "kom", True, _MAVR, "Huisartsenpraktijk voor inwoners van {plaats}."),
    VzType("zorg", "apotheek", 7, "Apotheek {wijk}", "Apotheek {straat}", (0,), "kom", True,
           "ma–vr 8:30–17:30, za 10:00–12:00", "Apotheek met afhaalpunt voor herhaalrecepten."),
    VzType("zorg", "fysiotherapie", 13, "Fysiotherapie {wijk}", "Fysiotherapie {straat}", ALLE,
           "kom", True, "ma–vr 8:00–20:00", "Praktijk voor fysiotherapie en beweegadvies."),
    VzType("zorg", "tandarts", 11, "Tandartspraktijk {wijk}", "Tandartspraktijk {straat}",
           (0, 1), "kom", True, _MAVR, "Tandartspraktijk, nieuwe patiënten welkom."),
    VzType("zorg", "consultatiebureau", 6, "Consultatiebureau {wijk}",
           "Consultatiebureau {straat}", (1,), "kom", True, "ma–do 8:30–16:30",
           "Consultatiebureau voor ouders met jonge kinderen."),
    VzType("onderwijs", "basisschool", 20, "Basisschool {thema}", "Basisschool {thema} {wijk}",
           ALLE, "kom", True, "ma–vr 8:30–15:00", "Openbare basisschool in {wijk}."),
    VzType("onderwijs", "kinderopvang", 16, "Kinderopvang {thema}", "Kinderopvang {straat}",
           (0, 1, 2, 4), "kom", True, "ma–vr 7:30–18:30", "Dagopvang en buitenschoolse opvang."),
    VzType("onderwijs", "voortgezet onderwijs", 4, "Scholengemeenschap {wijk}", "{plaats} College",
           (), "kom", True, "ma–vr 8:00–16:30", "School voor vmbo, havo en vwo."),
    VzType("ontmoeting", "buurthuis", 15, "Buurthuis {wijk}", "Buurthuis {straat}", ALLE, "kom",
           True, None, "Buurthuis met koffieochtenden en activiteiten voor alle leeftijden."),
    VzType("ontmoeting", "wijkcentrum", 10, "Wijkcentrum {wijk}", "Wijkcentrum {straat}", (0, 2),
           "kom", True, "ma–vr 9:00–22:00", "Wijkcentrum met spreekuur van het sociaal team."),
    VzType("ontmoeting", "ontmoetingsruimte", 10, "Ontmoetingskerk {straat}",
           "Ontmoetingsruimte {straat}", ALLE, "kom", True, None,
           "Kerkgebouw dat ook als ontmoetingsruimte voor de buurt dient."),
    VzType("sport", "sportpark", 8, "Sportpark {wijk}", "Sportpark {straat}", ALLE, "rand", True,
           None, "Sportpark met voetbalvelden en kantine."),
    VzType("sport", "sporthal", 7, "Sporthal {wijk}", "Sporthal {straat}", (0,), "kom", True,
           "ma–zo 8:00–23:00", "Sporthal voor zaalsporten en gymlessen."),
    VzType("sport", "zwembad", 2, "Zwembad {thema}", "Zwembad {plaats}", (), "kom", True,
           "ma–zo 7:00–21:00", "Overdekt zwembad met instructiebad."),
    VzType("sport", "tennispark", 6, "Tennispark {wijk}", "Tennispark {straat}", ALLE, "rand",
           True, None, "Tennispark met gravel- en kunstgrasbanen."),
    VzType("sport", "gymzaal", 6, "Gymzaal {straat}", "Gymzaal {straat}", ALLE, "kom", True,
           None, "Gymzaal voor scholen en verenigingen."),
    VzType("sport", "beweegtuin", 6, "Beweegtuin {wijk}", "Beweegtuin {straat}", ALLE, "kom",
           False, None, "Vrij toegankelijke beweegtoestellen in de openbare ruimte."),
    VzType("spelen", "speeltuin", 40, "Speeltuin {straat}", "Speelplek {straat}", ALLE, "kom",
           False, None, "Openbare speelplek met speeltoestellen."),
    VzType("spelen", "trapveld", 20, "Trapveld {straat}", "Trapveldje {straat}", ALLE, "kom",
           False, None, "Openbaar trapveld met doeltjes."),
    VzType("winkels", "supermarkt", 22, "Supermarkt {wijk}", "Supermarkt {straat}", (0, 1, 2, 4),
           "kom", True, "ma–za 8:00–21:00, zo 12:00–18:00",
           "Supermarkt voor de dagelijkse boodschappen."),
    VzType("winkels", "bakker", 18, "Bakkerij {thema}", "Bakkerij {straat}", ALLE, "kom", True,
           "di–za 7:30–17:00", "Ambachtelijke bakker."),
    VzType("winkels", "drogist", 15, "Drogisterij {wijk}", "Drogisterij {straat}", (0, 1), "kom",
           True, "ma–za 9:00–18:00", "Drogisterij met verzorgingsproducten."),
    VzType("ov", "bushalte", 69, "Bushalte {straat}", "Bushalte {straat} ({wijk})", ALLE, "kom",
           False, None, "Bushalte van de streekbus."),
    VzType("ov", "treinstation", 1, "Station {plaats}", "Station {plaats}", (), "kom", True,
           None, "Treinstation met fietsenstalling en busstation."),
    VzType("groen", "park", 15, "Park {wijk}", "Plantsoen {straat}", ALLE, "kom", False, None,
           "Openbaar park om te wandelen en te spelen."),
    VzType("groen", "volkstuin", 10, "Volkstuinen {wijk}", "Volkstuinen {straat}", ALLE, "rand",
           True, None, "Volkstuinencomplex; tuinen te huur via de vereniging."),
    VzType("cultuur", "bibliotheek", 5, "Bibliotheek {wijk}", "Bibliotheek {straat}", (0,), "kom",
           True, "di–za 10:00–17:00", "Bibliotheek met leestafel en digicafé."),
    VzType("cultuur", "museum", 3, "Museum {thema}", "Streekmuseum {plaats}", (1,), "kom", True,
           "wo–zo 11:00–17:00", "Klein museum over de geschiedenis van de streek."),
    VzType("cultuur", "theater", 2, "Theater {thema}", "Filmhuis {plaats}", (), "kom", True, None,
           "Theater en filmhuis met een wisselend programma."),
    VzType("initiatief", "repair café", 5, "Repair Café {wijk}", "Repair Café {straat}", ALLE,
           "kom", True, "za 10:00–13:00", "Vrijwilligers repareren samen met u kapotte spullen."),
    VzType("initiatief", "voedselbank", 3, "Voedselbank {wijk}", "Voedselbank {straat}", (2,),
           "kom", True, "vr 13:00–16:00", "Uitgiftepunt van voedselpakketten."),
    VzType("initiatief", "buurtmoestuin", 7, "Buurtmoestuin {straat}", "Moestuin {straat}", ALLE,
           "kom", True, None, "Gezamenlijke moestuin van buurtbewoners."),
    VzType("initiatief", "taalcafé", 5, "Taalcafé {wijk}", "Taalcafé {straat}", (0, 3), "kom",
           True, "do 19:30–21:00", "Oefenen met Nederlands praten onder begeleiding."),
]

# Groenvak soorten: weight, area range (m²), shape kinds with their probabilities.
# Shape kinds: rect, lshape, convex, oval, octagon, star, strip, square.
GROENVAK_SOORTEN: dict[str, tuple[float, float, float, dict[str, float]]] = {
    "gras": (0.34, 30.0, 500.0, {"rect": 0.4, "lshape": 0.3, "convex": 0.3}),
    "heesters": (0.28, 10.0, 250.0, {"rect": 0.3, "lshape": 0.2, "convex": 0.5}),
    "haag": (0.12, 6.0, 60.0, {"strip": 1.0}),
    "boomspiegel": (0.10, 4.0, 12.0, {"square": 0.5, "octagon": 0.5}),
    "bloemenperk": (0.08, 5.0, 40.0, {"rect": 0.5, "oval": 0.5}),
    "bosplantsoen": (0.06, 120.0, 500.0, {"star": 1.0}),
    "moestuin": (0.02, 20.0, 200.0, {"rect": 1.0}),
}


def voorziening_plan(n_gebieden: int, n_dorpen: int, rng: np.random.Generator
                     ) -> list[tuple[int, tuple[str, int]]]:
    """Decide (type index, location key) per voorziening; the keys drive where points go.

    Location keys: ("gebied", g) inside wijk/dorp g, ("kom", p) inside built-up area p
    (0 = town, 1.. = dorpen), ("rand", p) just outside it, ("weg", d) along the road to dorp d.
    Every gebied gets a bushalte and a speeltuin; rare kinds stay in the town, leaving gaps.
    """
    items: list[tuple[int, tuple[str, int]]] = []
    for ti, t in enumerate(VZ_TYPES):
        keys: list[tuple[str, int]] = []
        if t.soort in ("bushalte", "speeltuin"):
            keys += [("gebied", g) for g in range(n_gebieden)]
        if t.soort == "bushalte":
            keys += [("weg", i % n_dorpen) for i in range(14)]
        if t.soort == "treinstation":
            keys += [("gebied", STATION_WIJK)]
        if t.aantal >= 3 * len(t.dorpen):  # common kinds: one in every allowed dorp
            keys += [(t.ligging, 1 + d) for d in t.dorpen]
        while len(keys) < t.aantal:
            d = 1 + int(rng.choice(t.dorpen)) if t.dorpen and rng.random() < 0.06 else 0
            keys.append((t.ligging, d))
        items += [(ti, k) for k in keys]
    return items


def slug(text: str) -> str:
    """ASCII slug for the fake e-mail and web addresses."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_).split())


def voorziening_attrs(i: int, t: VzType, wijk: str, dorp: int | None, voorgesteld: bool,
                      used: set[str], adres: tuple[str, str, list[str]],
                      rng: np.random.Generator) -> dict[str, object]:
    """Invented but plausible attributes for voorziening ``i`` (name unique within ``used``).

    ``adres`` is (street and number, postcode, street names): the voorziening's own street
    first, then other streets of its woonplaats for when a name is already taken."""
    plaats = GEMEENTE_NAAM if dorp is None else DORPEN[dorp]
    huisadres, postcode, straten = adres
    for attempt in range(80):
        straat = straten[0] if attempt < 6 else str(rng.choice(straten))
        thema = str(rng.choice(THEMAS))
        naam = (t.naam if attempt < 3 else t.alt).format(
            wijk=wijk, plaats=plaats, straat=straat, thema=thema)
        if naam not in used:
            break
    naam = naam if naam not in used else f"{naam} {i}"
    used.add(naam)
    site = slug(naam if plaats in naam else f"{naam} {plaats}")
    c = t.contact
    day0 = dt.date(2025, 1, 1)
    day = day0 + dt.timedelta(days=int(rng.integers(0, (dt.date(2026, 11, 1) - day0).days + 1)))
    return {
        "extern_id": f"VZ{i + 1:04d}", "naam": naam, "categorie": t.categorie,
        "omschrijving": t.omschrijving.format(wijk=wijk, plaats=plaats),
        "adres": huisadres, "postcode": postcode, "plaats": plaats,
        "telefoon": f"099-555{i + 1:04d}" if c and rng.random() < 0.85 else None,
        "email": f"info@{site}.example" if c and rng.random() < 0.6 else None,
        "website": f"https://{site}.example" if c and rng.random() < 0.7 else None,
        "openingstijden": t.open if t.open and rng.random() < 0.85 else None,
        "bron": BRON, "status": "voorgesteld" if voorgesteld else "gepubliceerd",
        "laatst_gecontroleerd": day.isoformat() if rng.random() < 0.85 and not voorgesteld
        else None,
    }
