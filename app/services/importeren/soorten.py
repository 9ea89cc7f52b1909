"""From a beheersysteem's or the BGT/IMGeo's words for green to our groenvak soorten."""

from __future__ import annotations

import re

SOORTEN = ("gras", "heesters", "bloemenperk", "boomspiegel", "haag", "bosplantsoen", "moestuin",
           "overig")

_WOORDEN: dict[str, tuple[str, ...]] = {
    "gras": ("gazon", "grasveld", "gras- en kruidachtigen", "grasland", "grasland overig",
             "grasland agrarisch", "ruw gras", "bermgras", "kruidachtigen", "bloemrijk gras",
             "extensief gras", "intensief gras", "sportgras"),
    "heesters": ("heester", "heestervak", "heesterbeplanting", "struiken", "struik",
                 "bodembedekkers", "sierheesters", "rozen", "plantsoen", "beplanting"),
    "bloemenperk": ("bloemperk", "bloemen", "vaste planten", "vaste plantenvak", "eenjarigen",
                    "bloembak", "bloembakken", "bollen"),
    "boomspiegel": ("boomspiegels", "boomvak", "boomrooster"),
    "haag": ("hagen", "heg", "heggen", "haagbeplanting"),
    "bosplantsoen": ("bos", "loofbos", "naaldbos", "gemengd bos", "houtwal", "houtsingel",
                     "struweel", "griend en hakhout", "bosschage"),
    "moestuin": ("volkstuin", "volkstuinen", "moestuinen", "pluktuin", "fruitteelt"),
    "overig": ("groenvoorziening", "begroeid terreindeel", "overig", "rietland", "moeras",
               "heide", "duin", "kwelder", "boomteelt", "waardeonbekend", "transitie"),
}
KAART: dict[str, str] = {s: s for s in SOORTEN}
KAART.update({w: soort for soort, woorden in _WOORDEN.items() for w in woorden})


def sleutel(value: str) -> str:
    """The lookup form of a source value: lower case, single spaces, '_' as space."""
    return re.sub(r"\s+", " ", value.replace("_", " ")).strip().lower()
