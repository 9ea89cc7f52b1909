"""The gemeente, its gebieden (wijk, dorp, buurt) and the categories of voorzieningen."""

from datetime import datetime
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

GEBIED_SOORTEN = ("wijk", "dorp", "buurt")


class Gemeente(SQLModel, table=True):
    """A municipality and its settings for zelfbeheer."""

    code: str = Field(primary_key=True, max_length=6)
    naam: str
    geometrie: Any = geometry_field("MULTIPOLYGON", nullable=True)
    min_huishoudens: int = 1
    max_oppervlakte_m2: float | None = None
    overeenkomst_tekst: str = ""
    onderhoudskosten_m2_jaar: float = 0.0
    aangemaakt_op: datetime = timestamp_field()


class Gebied(SQLModel, table=True):
    """Wijk, dorp or buurt; a buurt has its wijk or dorp as parent."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    code: str = Field(max_length=20)
    naam: str
    naam_zoek: str | None = zoek_field("naam")
    soort: str = Field(max_length=5)
    parent_id: int | None = None
    inwoners: int | None = None
    geometrie: Any = geometry_field("MULTIPOLYGON")
    geometrie_3857: Any = mercator_field("MULTIPOLYGON")
    oppervlakte_m2: float | None = area_field()


class Categorie(SQLModel, table=True):
    """A kind of voorziening, with what the map needs to draw it."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    code: str = Field(max_length=40)
    naam: str
    icoon: str = ""
    kleur: str = "#1d5c8c"
    volgorde: int = 0
    is_initiatief: bool = False
