"""Invented Dutch street names for the demo gemeente: a theme per wijk, one for the dorpen.

Names are compounds of a theme word and a street word ("Tulp" + "straat"), unique within a
woonplaats. None of them names a person.
"""

from __future__ import annotations

import numpy as np

# Per town wijk (the order of synth_names.WIJKEN): theme words and street words.
THEMAS: list[tuple[list[str], list[str]]] = [
    (["Markt", "Kerk", "Hoog", "Brug", "Sluis", "Haven", "Gasthuis", "Raadhuis", "Wal", "Vest",
      "Poort", "Smeden", "Bakkers", "Vissers", "Kramers", "Zadel", "Tol", "Waag", "Munt",
      "Pakhuis", "Turf", "Zout", "Kaas", "Boter", "Lakenhal"],
     ["straat", "steeg", "gracht", "plein", "kade", "gang"]),
    (["Molen", "Koren", "Rogge", "Haver", "Gerst", "Tarwe", "Maalsteen", "Wiek", "Spil", "Meel",
      "Graan", "Zaad", "Boekweit", "Spelt", "Vlas", "Hennep", "Raap", "Dorsvloer", "Mout",
      "Zemel"],
     ["straat", "weg", "hof", "erf", "pad"]),
    (["Linde", "Beuken", "Eiken", "Essen", "Iepen", "Esdoorn", "Kastanje", "Platanen", "Berken",
      "Populieren", "Elzen", "Haagbeuk", "Acacia", "Lariks", "Taxus", "Sparren", "Dennen",
      "Ceder", "Walnoot", "Moerbei"],
     ["laan", "hof", "dreef", "straat", "plein"]),
    (["Vaart", "Schouw", "Praam", "Tjalk", "Aak", "Jol", "Kotter", "Roeier", "Zeilmakers",
      "Anker", "Roer", "Mast", "Boei", "Kaag", "Dok", "Werf", "Schippers", "Trekschuit",
      "Sloep", "Veerpont"],
     ["kade", "straat", "wal", "weg", "hof"]),
    (["Tulp", "Iris", "Klaproos", "Narcis", "Krokus", "Hyacint", "Anemoon", "Lelie", "Rozen",
      "Dahlia", "Aster", "Violier", "Goudsbloem", "Margriet", "Akelei", "Lavendel",
      "Zonnebloem", "Sering", "Jasmijn", "Primula", "Fresia", "Korenbloem", "Pioen"],
     ["straat", "laan", "hof", "perk", "pad"]),
    (["Akker", "Pastorie", "Koster", "Klokken", "Toren", "Kapel", "Abdij", "Klooster",
      "Pelgrim", "Kanunnik", "Deken", "Schepen", "Gilde", "Kamp", "Esch", "Enk", "Hoeve",
      "Tiendschuur", "Wijwater", "Preekstoel"],
     ["akker", "straat", "weg", "hof", "kamp"]),
    (["Wevers", "Spinners", "Lakens", "Garen", "Spoel", "Getouw", "Schering", "Inslag",
      "Katoen", "Linnen", "Wol", "Zijde", "Ververs", "Vollers", "Naald", "Draad", "Kant",
      "Damast", "Fluweel", "Satijn"],
     ["straat", "hof", "pad", "erf", "plein"]),
    (["Beek", "Bron", "Oever", "IJsvogel", "Reiger", "Waterhoen", "Fuut", "Meerkoet",
      "Kievit", "Grutto", "Wulp", "Tureluur", "Plevier", "Snip", "Karekiet", "Rietzanger",
      "Libel", "Watermunt", "Lisdodde", "Dotter"],
     ["weg", "straat", "hof", "dal", "pad"]),
    (["Spoor", "Station", "Perron", "Wissel", "Sein", "Rails", "Loods", "Remise",
      "Draaischijf", "Conducteur", "Machinist", "Stoom", "Wagon", "Tender", "Bielzen",
      "Emplacement", "Fabriek", "Gieterij", "Ketel", "Vracht"],
     ["straat", "laan", "weg", "hof", "plein"]),
    (["Hazelaar", "Heide", "Brem", "Vlier", "Meidoorn", "Sleedoorn", "Hulst", "Gagel",
      "Jeneverbes", "Kamperfoelie", "Braam", "Vuilboom", "Kornoelje", "Liguster", "Hondsroos",
      "Duindoorn", "Sporkehout", "Berberis", "Spirea", "Wilgenroosje"],
     ["hof", "laan", "straat", "pad", "gaarde"]),
]
DORP_THEMA: tuple[list[str], list[str]] = (
    ["Kerk", "School", "Molen", "Veld", "Weide", "Hoef", "Smids", "Brink", "Esch", "Kamp",
     "Hooi", "Stal", "Schaaps", "Paarden", "Ganzen", "Eenden", "Boomgaard", "Appel", "Peren",
     "Kersen", "Pruimen", "Zuivel", "Melk", "Koeien", "Dorsch"],
    ["straat", "weg", "pad", "hof", "erf", "akker"])
# Avenues along buurt borders in the town: "Noordersingel", "Lange Dreef".
LANEN_VOOR = ["Noorder", "Zuider", "Ooster", "Wester", "Midden", "Binnen", "Buiten"]
LANEN_BIJ = ["Lange", "Korte", "Brede", "Oude", "Nieuwe", "Groene", "Stille", "Hoge"]
LANEN = ["singel", "dreef", "laan", "weg", "allee", "baan", "zoom", "dijk"]
# Fallback words that make a used name new again: "Oude Tulpstraat".
VOOR = ["Oude", "Nieuwe", "Korte", "Lange", "Kleine", "Grote", "Achter", "Boven", "Neder"]
# More street words for the larger benchmark towns, where a street is a block or two long and
# a theme needs many more names ("Tulpgaarde", "Molenhoek"); never used at scale 1, so the
# committed demo keeps its names.
MEER_SOORTEN = ["straat", "laan", "weg", "hof", "pad", "plein", "kade", "dreef", "singel", "erf",
                "gaarde", "veld", "hoek", "park", "zoom", "baan", "dijk", "wal", "akker", "kamp",
                "horst", "tuin", "gang", "steeg", "plantsoen", "hove", "burcht", "rade"]
# Rural roads between neighbouring dorpen, in dorp order.
POLDERWEGEN = ["Polderweg", "Dijkweg", "Broekweg", "Veenweg", "Heideweg"]
RONDWEG = "Rondweg"
DORPSSTRAAT, KERKWEG, MOLENWEG = "Dorpsstraat", "Kerkweg", "Molenweg"
PARKPADEN = ["Parkpad", "Vijverpad", "Wandelpad", "Fietspad", "Bospad", "Lommerpad"]
JAAGPAD = "Jaagpad"


def radiaal(dorp: str) -> tuple[str, str]:
    """The road from the town to a dorp: a straat inside the town, a weg outside."""
    return f"{dorp}sestraat", f"{dorp}seweg"


class Namer:
    """Hands out names unique per woonplaats, drawn with the generator's own rng."""

    def __init__(self, rng: np.random.Generator, meer: bool = False) -> None:
        self.rng = rng
        self.used: dict[str, set[str]] = {}
        self.meer = meer  # a theme's own street words, then MEER_SOORTEN (benchmark towns)

    def reserve(self, woonplaats: str, naam: str) -> str:
        self.used.setdefault(woonplaats, set()).add(naam)
        return naam

    def _first_free(self, woonplaats: str, options: list[str]) -> str:
        used = self.used.setdefault(woonplaats, set())
        for naam in options:
            if naam not in used:
                used.add(naam)
                return naam
        for voor in VOOR:  # every compound taken: "Oude ..." and so on
            for naam in options:
                if f"{voor} {naam}" not in used:
                    used.add(f"{voor} {naam}")
                    return f"{voor} {naam}"
        raise ValueError(f"no street names left in {woonplaats}")

    def straat(self, woonplaats: str, thema: tuple[list[str], list[str]]) -> str:
        """A theme compound such as 'Irislaan'."""
        woorden, soorten = thema
        if self.meer:
            soorten = soorten + [m for m in MEER_SOORTEN if m not in soorten]
        order = self.rng.permutation(len(woorden) * len(soorten))
        return self._first_free(woonplaats, [
            woorden[k // len(soorten)] + soorten[k % len(soorten)] for k in order])

    def laan(self, woonplaats: str) -> str:
        """An avenue along a buurt border such as 'Westersingel' or 'Lange Dreef'."""
        options = [v + s for v in LANEN_VOOR for s in LANEN]
        options += [f"{v} {s.capitalize()}" for v in LANEN_BIJ for s in LANEN]
        order = self.rng.permutation(len(options))
        return self._first_free(woonplaats, [options[k] for k in order])
