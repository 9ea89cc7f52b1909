"""The bebouwde kom and the cache of figures per wijk/dorp (app.services.gebieden.kengetallen)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.models.base import gemeente_field, geometry_field, timestamp_field


class BebouwdeKom(SQLModel, table=True):
    """The built-up area: where the homes are, for the figures' proxy points."""

    __tablename__ = "bebouwde_kom"

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    naam: str
    geometrie: Any = geometry_field("MULTIPOLYGON")


class KengetalCache(SQLModel, table=True):
    """Figures of one wijk/dorp with the source versions they were computed from."""

    __tablename__ = "kengetal_cache"

    gebied_id: int = Field(primary_key=True, foreign_key="gebied.id")
    gemeente_code: str = gemeente_field()
    ruimte: Any = Field(sa_column=Column(JSONB, nullable=False))
    ruimte_versie: str
    zelfbeheer: Any = Field(sa_column=Column(JSONB, nullable=False))
    zelfbeheer_versie: str
    berekend_op: datetime = timestamp_field()


class KengetalVuil(SQLModel, table=True):
    """A change to a gebied's zelfbeheer (deelname, onderhoud, adoptie), not yet recomputed."""

    __tablename__ = "kengetal_vuil"

    id: int | None = Field(default=None, primary_key=True)
    gebied_id: int
    op: datetime = timestamp_field()
