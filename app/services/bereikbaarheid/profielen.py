"""How a resident moves over the street network: which kinds of straat each profile may use,
and how walking time relates to distance."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import InvalidInput


# The straat soorten (migration 0008) a profile may NOT use. Walking avoids the hoofdweg
# (ramps and provincial roads, where pedestrians are not allowed); cycling avoids voetpaden.
@dataclass(frozen=True)
class Profiel:
    """One way of moving: its name, its Dutch label and the soorten it may not use."""

    naam: str
    label: str
    verboden: tuple[str, ...]
    standaard_kmh: float


LOPEN = Profiel("lopen", "lopend", ("hoofdweg",), 4.5)
FIETSEN = Profiel("fietsen", "op de fiets", ("voetpad",), 15.0)
PROFIELEN = {p.naam: p for p in (LOPEN, FIETSEN)}

MINUTEN = (5, 10, 15)  # the walking times of the figures and isochrones ("15-minutenwijk")
GROEN_DOEL = "_groen"  # adres_afstand.doel of public green (3-30-300)
GROEN_MIN_M2 = 5000.0  # 0.5 ha
GROEN_SOORTEN = ("park", "bos")  # terrein soorten that count as public green
GROEN_M = 300  # the "300" of 3-30-300: walking metres to such green
GROEN_INGANG_M = 25.0  # junctions this close to a park's edge are its entrances


def profiel(naam: str) -> Profiel:
    """The profile by name, or a Dutch message."""
    try:
        return PROFIELEN[naam]
    except KeyError:
        raise InvalidInput("Kies als manier van reizen 'lopen' of 'fietsen'.") from None


def meter_per_minuut(kmh: float) -> float:
    """Metres covered in a minute at kmh."""
    return kmh * 1000.0 / 60.0
