"""Numbers the Dutch way for the pages: 1.234,5 · 87 % · 450 m · € 1.250."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

LEEG = "–"


def getal(value: float | int | None, decimalen: int = 0) -> str:
    """Thousands with a dot, decimals with a comma; a dash for no value."""
    if value is None:
        return LEEG
    text = f"{value:,.{decimalen}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def procent(aandeel: float | None, decimalen: int = 0) -> str:
    """A share 0..1 as a percentage: 0.873 -> '87 %'."""
    return LEEG if aandeel is None else f"{getal(100 * aandeel, decimalen)} %"


def meter(value: float | None) -> str:
    """A distance in whole metres: '1.250 m'."""
    return LEEG if value is None else f"{getal(value)} m"


def euro(value: float | None) -> str:
    """An amount in whole euros: '€ 1.250'."""
    return LEEG if value is None else f"€ {getal(value)}"


def datumtijd(value: datetime | None) -> str:
    """A moment in Dutch local time: '23-11-2026 22:15'."""
    if value is None:
        return LEEG
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo("Europe/Amsterdam"))
    return value.strftime("%d-%m-%Y %H:%M")


def install(env: Environment) -> None:
    """Make the formatters available as Jinja filters on every page."""
    env.filters.update(getal=getal, procent=procent, meter=meter, euro=euro,
                       datumtijd=datumtijd)
