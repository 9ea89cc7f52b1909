"""The audit log and the mail outbox, both written in the transaction of the change."""

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.models.base import gemeente_field, timestamp_field


class AuditLog(SQLModel, table=True):
    """Who changed what, when, with the state before and after."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    gebruiker_id: int | None = None
    actor: str
    actie: str
    object_type: str
    object_id: str
    voor: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    na: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    op: datetime = timestamp_field()


class MailOutbox(SQLModel, table=True):
    """A mail to send after commit; retried with backoff, never lost."""

    __tablename__ = "mail_outbox"

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    aan: str
    onderwerp: str
    tekst: str
    html: str | None = None
    status: str = "wachtend"
    pogingen: int = 0
    volgende_poging_op: datetime = timestamp_field()
    laatste_fout: str | None = None
    aangemaakt_op: datetime = timestamp_field()
    verzonden_op: datetime | None = None


class LaagVersie(SQLModel, table=True):
    """A counter per published layer, bumped by database triggers; caches key on it."""

    __tablename__ = "laag_versie"

    laag: str = Field(primary_key=True, max_length=30)
    versie: int = 1
    gewijzigd_op: datetime = timestamp_field()
