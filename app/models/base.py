"""Shared column helpers: geometry in RD New (and its tile copy), computed areas, timestamps."""

from datetime import UTC, datetime
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import Column, Computed, Float, ForeignKey, String, Text
from sqlmodel import Field

RD_NEW = 28992
WEB_MERCATOR = 3857


def now() -> datetime:
    """Timezone-aware now, the same as the database's now()."""
    return datetime.now(UTC)


def geometry_field(kind: str, nullable: bool = False) -> Any:
    """A PostGIS column of one type in EPSG:28992; the GiST index lives in the migration."""
    return Field(default=None, sa_column=Column(
        "geometrie", Geometry(kind, srid=RD_NEW, spatial_index=False), nullable=nullable))


def area_field() -> Any:
    """oppervlakte_m2 is computed by the database (ST_Area) and never written by Python."""
    return Field(default=None, sa_column=Column(Float, Computed("ST_Area(geometrie)")))


def mercator_field(kind: str) -> Any:
    """geometrie_3857: the database's stored copy in Web Mercator for the vector tiles; it is
    computed (ST_Transform) and never written by Python. The GiST index lives in the migration."""
    return Field(default=None, sa_column=Column(
        "geometrie_3857", Geometry(kind, srid=WEB_MERCATOR, spatial_index=False),
        Computed("ST_Transform(geometrie, 3857)")))


def zoek_field(bron: str) -> Any:
    """`<bron>_zoek`: the name without accents or capitals (kaart_zoektekst, migration 0012),
    kept by the database for the town search's trigram index; never written by Python."""
    return Field(default=None, sa_column=Column(
        f"{bron}_zoek", Text, Computed(f"kaart_zoektekst({bron})")))


def gemeente_field() -> Any:
    """Every row carries its gemeente, so one database can serve several."""
    return Field(sa_column=Column(String(6), ForeignKey("gemeente.code", ondelete="CASCADE"),
                                  nullable=False, index=False))


def timestamp_field() -> Any:
    """A creation or change time, set in Python and defaulted by the database too."""
    return Field(default_factory=now)
