"""The geography of daily life: addresses, streets and paths, buildings, water, land use.

Placed in wijk and buurt by the database (migration 0007); read-only for the application.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Computed, Float, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from app.models.base import (
    area_field,
    gemeente_field,
    geometry_field,
    mercator_field,
    timestamp_field,
    zoek_field,
)


class Adres(SQLModel, table=True):
    """An address (BAG nummeraanduiding) with the gebruiksdoel of its unit."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    identificatie: str = Field(max_length=16)
    postcode: str = Field(max_length=7)
    huisnummer: int
    huisletter: str | None = Field(default=None, max_length=1)
    toevoeging: str | None = Field(default=None, max_length=4)
    straatnaam: str
    straatnaam_zoek: str | None = zoek_field("straatnaam")
    woonplaats: str
    gebruiksdoel: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    woonfunctie: bool | None = Field(default=None, sa_column=Column(
        Boolean, Computed("'woonfunctie' = ANY (gebruiksdoel)")))
    pand_identificatie: str | None = Field(default=None, max_length=16)
    wijk_id: int | None = Field(default=None, foreign_key="gebied.id")
    buurt_id: int | None = Field(default=None, foreign_key="gebied.id")
    geometrie: Any = geometry_field("POINT")
    geometrie_3857: Any = mercator_field("POINT")
    gewijzigd_op: datetime = timestamp_field()


class AdresStraatnaam(SQLModel, table=True):
    """A street name that addresses carry (migration 0014, kept by triggers on adres): the
    search matches names here before it looks up house numbers."""

    __tablename__ = "adres_straatnaam"

    gemeente_code: str = Field(sa_column=Column(
        String(6), ForeignKey("gemeente.code", ondelete="CASCADE"), primary_key=True))
    straatnaam: str = Field(sa_column=Column(Text, primary_key=True))
    straatnaam_zoek: str | None = zoek_field("straatnaam")


class Straat(SQLModel, table=True):
    """A stretch of road or path between junctions (lines meet only at their ends)."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    extern_id: str = Field(max_length=100)
    naam: str
    naam_zoek: str | None = zoek_field("naam")
    soort: str = Field(max_length=10)
    woonplaats: str | None = None
    lengte_m: float | None = Field(default=None, sa_column=Column(
        Float, Computed("ST_Length(geometrie)")))
    wijk_id: int | None = Field(default=None, foreign_key="gebied.id")
    buurt_id: int | None = Field(default=None, foreign_key="gebied.id")
    geometrie: Any = geometry_field("LINESTRING")
    geometrie_3857: Any = mercator_field("LINESTRING")
    gewijzigd_op: datetime = timestamp_field()


class Pand(SQLModel, table=True):
    """A building footprint (BAG pand)."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    identificatie: str = Field(max_length=16)
    bouwjaar: int | None = None
    oppervlakte_m2: float | None = area_field()
    wijk_id: int | None = Field(default=None, foreign_key="gebied.id")
    buurt_id: int | None = Field(default=None, foreign_key="gebied.id")
    geometrie: Any = geometry_field("MULTIPOLYGON")
    geometrie_3857: Any = mercator_field("MULTIPOLYGON")
    gewijzigd_op: datetime = timestamp_field()


class Water(SQLModel, table=True):
    """A singel, vaart, sloot or vijver."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    extern_id: str = Field(max_length=100)
    naam: str | None = None
    soort: str = Field(max_length=10)
    oppervlakte_m2: float | None = area_field()
    wijk_id: int | None = Field(default=None, foreign_key="gebied.id")
    buurt_id: int | None = Field(default=None, foreign_key="gebied.id")
    geometrie: Any = geometry_field("MULTIPOLYGON")
    geometrie_3857: Any = mercator_field("MULTIPOLYGON")
    gewijzigd_op: datetime = timestamp_field()


class Terrein(SQLModel, table=True):
    """Land use: park, sport, agrarisch, begraafplaats, volkstuin, ..."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    extern_id: str = Field(max_length=100)
    naam: str | None = None
    soort: str = Field(max_length=16)
    oppervlakte_m2: float | None = area_field()
    wijk_id: int | None = Field(default=None, foreign_key="gebied.id")
    buurt_id: int | None = Field(default=None, foreign_key="gebied.id")
    geometrie: Any = geometry_field("MULTIPOLYGON")
    geometrie_3857: Any = mercator_field("MULTIPOLYGON")
    gewijzigd_op: datetime = timestamp_field()
