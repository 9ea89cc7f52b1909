"""The Dutch sentences under the figures of a wijk or dorp: how nabijheid and dekking were
measured (over the street network from every woonadres, or in straight lines from a grid)."""

from __future__ import annotations

from app.services.bereikbaarheid import GROEN_M, MINUTEN, NetwerkCijfers
from app.services.gebieden.kengetallen_sql import RASTER_M


def _getal(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _hemelsbreed(punten: int, in_kom: bool) -> str:
    if punten <= 1 and not in_kom:
        vanaf = "één punt midden in het gebied (het gebied is te klein voor een raster)"
    else:
        binnen = ("binnen de bebouwde kom van het gebied" if in_kom else
                  "binnen het hele gebied, want er ligt geen bebouwde kom in")
        vanaf = (f"{punten} punten die benaderen waar de woningen staan: de middelpunten van "
                 f"een raster van {RASTER_M} bij {RASTER_M} meter {binnen}")
    return ("Nabijheid is de afstand in rechte lijn (hemelsbreed, niet over de weg) tot de "
            "dichtstbijzijnde gepubliceerde voorziening van de categorie, waar in de gemeente "
            f"die ook ligt, gemeten vanaf {vanaf}.")


def methode_tekst(punten: int, in_kom: bool, netwerk: NetwerkCijfers | None = None) -> str:
    """How nabijheid and dekking were measured, for the text under the table."""
    dekking = ("Dekking is het deel van de oppervlakte van het hele gebied dat hemelsbreed "
               "binnen 400 of 800 meter van zo'n voorziening ligt.")
    if netwerk is None or not netwerk["woonadressen"]:
        reden = ("" if netwerk is None else
                 "Er staan geen woonadressen in dit gebied, daarom hemelsbreed. ")
        return f"{reden}{_hemelsbreed(punten, in_kom)} {dekking}"
    m_min = netwerk["meter_per_minuut"]
    kmh = f"{m_min * 60 / 1000:.1f}".replace(".", ",")
    minuten = ", ".join(str(m) for m in MINUTEN[:-1]) + f" en {MINUTEN[-1]}"
    return (f"Nabijheid is de loopafstand over straten en paden (niet hemelsbreed) vanaf elk "
            f"van de {_getal(netwerk['woonadressen'])} woonadressen in het gebied tot de "
            "dichtstbijzijnde gepubliceerde voorziening van de categorie, ook als die in een "
            "buurgemeente ligt. Zo meet ook het CBS de nabijheid van voorzieningen, al rekent "
            "het CBS met de afstand over de weg voor de auto. "
            f"De kolommen 'binnen {minuten} minuten' geven het deel van de woonadressen dat "
            f"binnen die tijd lopen (met {kmh} km per uur) bij zo'n voorziening is. "
            f"Groen binnen {GROEN_M} m is het deel van de woonadressen dat binnen {GROEN_M} "
            "meter lopen bij de rand van een park of bos van minstens een halve hectare is "
            f"(de regel 3-30-300). {dekking}")
