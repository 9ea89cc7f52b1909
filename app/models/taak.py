"""Background jobs (imports, exports): their state lives here, so any process can answer."""

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field

TAAK_STATUSSEN = ("wachtend", "bezig", "klaar", "mislukt", "afgebroken")


class Taak(SQLModel, table=True):
    """One job: kind, state, progress, parameters, result and the heartbeat of its runner."""

    __tablename__ = "taak"

    id: str = Field(primary_key=True, max_length=40)
    soort: str = Field(max_length=20)
    status: str = Field(default="wachtend", max_length=10)
    gemeente_code: str | None = Field(default=None, max_length=6)
    gebruiker_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    voortgang: int = 0
    totaal: int | None = None
    parameters: dict[str, Any] = Field(default_factory=dict,
                                       sa_column=Column(JSONB, nullable=False))
    resultaat: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    fout: str | None = None
    proces: str | None = None
    aangemaakt_op: datetime = timestamp_field()
    bijgewerkt_op: datetime = timestamp_field()
    hartslag_op: datetime = timestamp_field()
