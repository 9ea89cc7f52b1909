"""Groenvakken: patches of public green from the gemeente's beheersysteem."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel

from app.models.base import (
    area_field,
    gemeente_field,
    geometry_field,
    mercator_field,
    timestamp_field,
    zoek_field,
)

GROENVAK_SOORTEN = ("gras", "heesters", "bloemenperk", "boomspiegel", "haag", "bosplantsoen",
                    "moestuin", "overig")


class Groenvak(SQLModel, table=True):
    """A plot; its status is derived from its adopties (see app.services.groenvak_status)."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    extern_id: str = Field(max_length=100)
    naam: str | None = None
    naam_zoek: str | None = zoek_field("naam")
    # named after its place by the database (migration 0009_plaatsnaam); never written here
    plaatsnaam: str | None = None
    plaatsnaam_basis: str | None = None  # the name before its " (2)" when shared
    soort: str
    oppervlakte_m2: float | None = area_field()
    zelfbeheer_mogelijk: bool = True
    vervallen_op: date | None = None
    wijk_id: int | None = Field(default=None, foreign_key="gebied.id")
    buurt_id: int | None = Field(default=None, foreign_key="gebied.id")
    geometrie: Any = geometry_field("MULTIPOLYGON")
    geometrie_3857: Any = mercator_field("MULTIPOLYGON")
    gewijzigd_op: datetime = timestamp_field()
