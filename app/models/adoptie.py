"""Zelfbeheer: an adoptie of a groenvak, its group, its onderhoud log and the schouw."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import gemeente_field, timestamp_field

ACTIVITEITEN = ("maaien", "snoeien", "wieden", "planten", "zwerfafval", "water_geven", "anders")


class Adoptie(SQLModel, table=True):
    """An agreement to look after one groenvak; status changes go through app.workflow."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    groenvak_id: int
    status: str = "concept"
    groepsnaam: str
    groepsnaam_openbaar: bool = False
    motivatie: str = ""
    plan: str = ""
    voorwaarden: str = ""
    startdatum: date | None = None
    einddatum: date | None = None
    besluit_door_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    besluit_op: datetime | None = None
    besluit_toelichting: str | None = None
    reden_beeindiging: str | None = None
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class Deelname(SQLModel, table=True):
    """A member of the group (trekker or deelnemer), or an invitation by e-mail."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    adoptie_id: int
    gebruiker_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    uitgenodigd_email: str | None = None
    rol: str = "deelnemer"
    status: str = "actief"
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class Onderhoud(SQLModel, table=True):
    """One entry in the group's maintenance log."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    adoptie_id: int
    gebruiker_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    datum: date
    activiteit: str
    notitie: str = ""
    aangemaakt_op: datetime = timestamp_field()


class Foto(SQLModel, table=True):
    """A checked, EXIF-stripped photo of an onderhoud entry; bytes live in file storage."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    onderhoud_id: int
    opslag_sleutel: str = Field(max_length=100, unique=True)
    mime: str
    bytes: int
    breedte: int
    hoogte: int
    aangemaakt_op: datetime = timestamp_field()


class Schouw(SQLModel, table=True):
    """The gemeente's periodic inspection of an adoptie."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente_code: str = gemeente_field()
    adoptie_id: int
    datum: date
    uitkomst: str
    notitie: str = ""
    medewerker_id: int | None = Field(default=None, foreign_key="gebruiker.id")
    aangemaakt_op: datetime = timestamp_field()
