"""The street network as a graph and what is derived from it (migration 0011): junctions,
edges, where addresses join the network, their walking distances, and from which versions
those were computed. Written only by app.services.bereikbaarheid."""

from datetime import datetime
from typing import Any

from sqlalchemy import REAL, BigInteger, Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from app.models.base import gemeente_field, geometry_field, timestamp_field


class Knoop(SQLModel, table=True):
    """A junction: an end point of streets, to the centimetre (shared by all gemeenten)."""

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    x_cm: int = Field(sa_column=Column(BigInteger, nullable=False))
    y_cm: int = Field(sa_column=Column(BigInteger, nullable=False))
    geometrie: Any = geometry_field("POINT")


class NetwerkRand(SQLModel, table=True):
    """An edge of the graph: one straat from junction bron to junction doel."""

    __tablename__ = "netwerk_rand"

    straat_id: int = Field(primary_key=True, foreign_key="straat.id")
    gemeente_code: str = gemeente_field()
    bron: int = Field(sa_column=Column(BigInteger, ForeignKey("knoop.id"), nullable=False))
    doel: int = Field(sa_column=Column(BigInteger, ForeignKey("knoop.id"), nullable=False))
    soort: str = Field(max_length=10)
    lengte_m: float


class AdresAansluiting(SQLModel, table=True):
    """Where an address joins the walking network: straat, fraction along it, distance."""

    __tablename__ = "adres_aansluiting"

    adres_id: int = Field(primary_key=True, foreign_key="adres.id")
    gemeente_code: str = gemeente_field()
    straat_id: int = Field(foreign_key="straat.id")
    fractie: float
    afstand_m: float


class AdresAfstand(SQLModel, table=True):
    """Walking distance of an address to the nearest doel (a categorie code or '_groen');
    None: not reachable over the network."""

    __tablename__ = "adres_afstand"

    gemeente_code: str = Field(sa_column=Column(
        String(6), ForeignKey("gemeente.code", ondelete="CASCADE"), primary_key=True))
    doel: str = Field(primary_key=True, max_length=40)
    adres_id: int = Field(sa_column=Column(Integer, ForeignKey("adres.id"), primary_key=True))
    afstand_m: float | None = Field(default=None, sa_column=Column(REAL, nullable=True))


class NetwerkStand(SQLModel, table=True):
    """From which layer versions a gemeente's graph and attachments were built."""

    __tablename__ = "netwerk_stand"

    gemeente_code: str = Field(sa_column=Column(
        String(6), ForeignKey("gemeente.code", ondelete="CASCADE"), primary_key=True))
    versie: str
    randen: int
    berekend_op: datetime = timestamp_field()


class AfstandStand(SQLModel, table=True):
    """From which sources and network the distances of one doel were computed."""

    __tablename__ = "afstand_stand"

    gemeente_code: str = Field(sa_column=Column(
        String(6), ForeignKey("gemeente.code", ondelete="CASCADE"), primary_key=True))
    doel: str = Field(primary_key=True, max_length=40)
    sleutel: str
    bronnen: int
    duur_ms: int
    berekend_op: datetime = timestamp_field()
