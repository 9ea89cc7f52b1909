"""Voorzieningen and residents' proposals (voorstellen) for them."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.models.base import (
    gemeente_field,
    geometry_field,
    mercator_field,
    timestamp_field,
    zoek_field,
)

VOORZIENING_STATUSSEN = ("voorgesteld", "gepubliceerd", "afgewezen", "gearchiveerd")


class Voorziening(SQLModel, table=True):
    """A facility or maatschappelijk initiatief; wijk_id and buurt_id are set by the database."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    extern_id: str | None = None
    naam: str
    naam_zoek: str | None = zoek_field("naam")
    categorie_id: int
    omschrijving: str = ""
    adres: str | None = None
    postcode: str | None = None
    plaats: str | None = None
    telefoon: str | None = None
    email: str | None = None
    website: str | None = None
    openingstijden: str | None = None
    bron: str = ""
    status: str = "gepubliceerd"
    laatst_gecontroleerd: date | None = None
    wijk_id: int | None = Field(default=None, foreign_key="gebied.id")
    buurt_id: int | None = Field(default=None, foreign_key="gebied.id")
    voorgesteld_door_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    geometrie: Any = geometry_field("POINT")
    geometrie_3857: Any = mercator_field("POINT")
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class Voorstel(SQLModel, table=True):
    """A resident's proposal: a new voorziening or initiative, or a correction."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    soort: str
    voorziening_id: int | None = Field(default=None, foreign_key="voorziening.id")
    gebruiker_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    gegevens: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    geometrie: Any = geometry_field("POINT", nullable=True)
    status: str = "ingediend"
    reden: str | None = None
    beoordeeld_door_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    beoordeeld_op: datetime | None = None
    aangemaakt_op: datetime = timestamp_field()
