"""Nabijheid over de weg: the street network as a graph (pgRouting), walking distances from
every address, figures per gebied, isochrones and the gap finder."""

from app.services.bereikbaarheid.afstanden import Verslag, bijwerken
from app.services.bereikbaarheid.cijfers import (
    DoelCijfers,
    NetwerkCijfers,
    buiten_geojson,
    gebied_cijfers,
)
from app.services.bereikbaarheid.gaten import Gatenrapport, Plek, beste_plekken, gaten_csv
from app.services.bereikbaarheid.gaten_taak import GatenTaak
from app.services.bereikbaarheid.gaten_taak import ophalen as gaten_ophalen
from app.services.bereikbaarheid.gaten_taak import start as gaten_starten
from app.services.bereikbaarheid.isochroon import isochroon_geojson, voorziening_plek
from app.services.bereikbaarheid.netwerk import heeft_netwerk
from app.services.bereikbaarheid.profielen import (
    GROEN_DOEL,
    GROEN_M,
    LOPEN,
    MINUTEN,
    PROFIELEN,
    Profiel,
    meter_per_minuut,
    profiel,
)

LOPEN_KMH = LOPEN.standaard_kmh

__all__ = [
    "DoelCijfers",
    "GatenTaak",
    "Gatenrapport",
    "Plek",
    "beste_plekken",
    "gaten_csv",
    "gaten_ophalen",
    "gaten_starten",
    "LOPEN_KMH",
    "NetwerkCijfers",
    "buiten_geojson",
    "gebied_cijfers",
    "GROEN_DOEL",
    "GROEN_M",
    "MINUTEN",
    "PROFIELEN",
    "Profiel",
    "Verslag",
    "bijwerken",
    "heeft_netwerk",
    "isochroon_geojson",
    "meter_per_minuut",
    "profiel",
    "voorziening_plek",
]
