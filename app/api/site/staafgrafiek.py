"""A horizontal bar chart laid out on the server, drawn as inline SVG by macros/staafgrafiek.html.

Every bar carries its value as text and a <title>, so the chart reads without colour or JS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BREEDTE = 720  # viewBox width
LABELS = 190  # room for the names
WAARDE_RUIMTE = 90  # room for the value text after the longest bar
RIJ = 26
MARGE = 8


@dataclass(frozen=True)
class Staaf:
    """One bar: the gebied, its value as text, and its place in the chart."""

    label: str
    tekst: str
    y: int
    breedte: float  # 0 for no value or zero
    leeg: bool  # no value known


@dataclass(frozen=True)
class Grafiek:
    """The chart's size, colour and bars."""

    titel: str
    kleur: str
    staven: list[Staaf]
    breedte: int
    hoogte: int
    x0: int
    rij: int


def staafgrafiek(titel: str, kleur: str, waarden: Sequence[tuple[str, float | None, str]],
                 maximum: float | None = None) -> Grafiek:
    """Bars for (label, value, value as text); scaled to `maximum` or the largest value."""
    grootste = max([v for _, v, _ in waarden if v is not None] + [0.0])
    schaal = maximum if maximum else grootste
    ruimte = BREEDTE - LABELS - WAARDE_RUIMTE
    staven = [Staaf(label=label, tekst=tekst, y=MARGE + i * RIJ,
                    breedte=round(ruimte * max(v, 0.0) / schaal, 1) if v and schaal else 0.0,
                    leeg=v is None)
              for i, (label, v, tekst) in enumerate(waarden)]
    return Grafiek(titel=titel, kleur=kleur, staven=staven, breedte=BREEDTE,
                   hoogte=2 * MARGE + len(staven) * RIJ, x0=LABELS, rij=RIJ)
