"""Accounts (bewoner, medewerker, beheerder) and API keys."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import gemeente_field, timestamp_field

ROLLEN = ("bewoner", "medewerker", "beheerder")


class Gebruiker(SQLModel, table=True):
    """A person with an account; name and e-mail are personal data and never public."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    email: str = Field(max_length=254)
    naam: str = ""
    wachtwoord_hash: str | None = None
    rol: str = "bewoner"
    email_geverifieerd_op: datetime | None = None
    actief: bool = True
    aangemaakt_op: datetime = timestamp_field()
    laatst_ingelogd_op: datetime | None = None


class ApiSleutel(SQLModel, table=True):
    """A key for API clients that write; only its SHA-256 is stored."""

    __tablename__ = "api_sleutel"

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    naam: str
    prefix: str = Field(max_length=12, unique=True)
    sleutel_hash: str = Field(max_length=64, unique=True)
    rol: str = "medewerker"
    aangemaakt_door_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    aangemaakt_op: datetime = timestamp_field()
    laatst_gebruikt_op: datetime | None = None
    ingetrokken_op: datetime | None = None


class Sessie(SQLModel, table=True):
    """A server-side login session; the id is the SHA-256 of the cookie value."""

    id: str = Field(primary_key=True, max_length=64)
    gemeente_code: str = gemeente_field()
    gebruiker_id: int = Field(foreign_key="gebruiker.id")
    csrf_token: str = Field(max_length=64)
    aangemaakt_op: datetime = timestamp_field()
    laatst_gezien_op: datetime = timestamp_field()
    verloopt_op: datetime


class Token(SQLModel, table=True):
    """A one-time link by e-mail: verification, password reset, e-mail change, invitation."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    soort: str
    token_hash: str = Field(max_length=64, unique=True)
    gebruiker_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    deelname_id: int | None = Field(default=None, foreign_key="deelname.id")
    nieuw_email: str | None = None
    aangemaakt_op: datetime = timestamp_field()
    verloopt_op: datetime
    gebruikt_op: datetime | None = None


class LoginPoging(SQLModel, table=True):
    """A login attempt, for rate limiting across processes."""

    __tablename__ = "login_poging"

    id: int | None = Field(default=None, primary_key=True)
    sleutel: str = Field(max_length=300)
    gelukt: bool
    op: datetime = timestamp_field()
