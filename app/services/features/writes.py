"""OGC API – Features Part 4: create, replace, update and delete by API clients.

Geometry is checked in PostGIS (type, validity, inside the gemeente) and rows are written by
app/services/features/store.py, the same path staff and accepted proposals take; every change
writes an audit row in its own transaction. Deleting never destroys: a groenvak becomes vervallen, a
voorziening gearchiveerd, so adopties, logs and history stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.errors import Forbidden, InvalidInput, NotFound, Unprocessable
from app.geo import crs
from app.geo.collections import GROENVAK_SOORTEN, Collection
from app.models import ApiSleutel
from app.services.audit import record
from app.services.features import store as feature_store
from app.services.features.store import TABLE, check_geometry, execute_write, insert, snapshot


@dataclass(frozen=True)
class Writable:
    """A property a client may set: its column, type and whether it is required."""

    column: str
    type: str = "string"  # string, boolean, date, categorie
    required: bool = False
    enum: tuple[str, ...] | None = None
    default: object = None  # what null means for a NOT NULL column


_TEXT = ("adres", "postcode", "plaats", "telefoon", "email", "website", "openingstijden")
WRITABLE: dict[str, dict[str, Writable]] = {
    "voorzieningen": {
        "naam": Writable("naam", required=True),
        "categorie": Writable("categorie_id", "categorie", required=True),
        **{name: Writable(name) for name in _TEXT},
        "omschrijving": Writable("omschrijving", default=""),
        "bron": Writable("bron", default=""),
        "laatst_gecontroleerd": Writable("laatst_gecontroleerd", "date"),
    },
    "groenvakken": {
        "extern_id": Writable("extern_id", required=True),
        "naam": Writable("naam"),
        "soort": Writable("soort", required=True, enum=GROENVAK_SOORTEN),
        "zelfbeheer_mogelijk": Writable("zelfbeheer_mogelijk", "boolean", default=True),
    },
}
DELETE_SQL = {"voorzieningen": "status = 'gearchiveerd'",
              "groenvakken": "vervallen_op = current_date"}


def _check_value(name: str, spec: Writable, value: object) -> object:
    """Type-check one property value; None clears an optional one."""
    if value is None:
        if spec.required:
            raise InvalidInput(f"Eigenschap '{name}' is verplicht.")
        return spec.default
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise InvalidInput(f"Eigenschap '{name}' moet true of false zijn.")
        return value
    if not isinstance(value, str):
        raise InvalidInput(f"Eigenschap '{name}' moet tekst zijn.")
    if spec.type == "date":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"Eigenschap '{name}' moet een datum zijn (JJJJ-MM-DD).") from None
    if spec.enum and value not in spec.enum:
        raise InvalidInput(f"Eigenschap '{name}': kies uit {', '.join(spec.enum)}.")
    if spec.required and not value.strip():
        raise InvalidInput(f"Eigenschap '{name}' mag niet leeg zijn.")
    return value


def _properties(c: Collection, props: object, partial: bool) -> dict[str, object]:
    """Writable values by property name; derived (read-only) properties are ignored."""
    if not isinstance(props, dict):
        raise InvalidInput("'properties' moet een object zijn.")
    writable = WRITABLE[c.id]
    unknown = sorted(set(props) - set(writable) - set(c.props))
    if unknown:
        raise InvalidInput(f"Onbekende eigenschap(pen): {', '.join(unknown)}.")
    values = {n: _check_value(n, spec, props.get(n)) for n, spec in writable.items()
              if not partial or n in props}
    return values


def _parse_feature(body: object) -> tuple[object, object]:
    if not isinstance(body, dict) or body.get("type") != "Feature":
        raise InvalidInput("Verwacht een GeoJSON Feature (\"type\": \"Feature\").")
    return body.get("geometry"), body.get("properties") or {}


def _columns(session: Session, key: ApiSleutel, values: dict[str, object],
             c: Collection) -> dict[str, object]:
    """Map property names to columns; a categorie code becomes its id."""
    out: dict[str, object] = {}
    for name, value in values.items():
        spec = WRITABLE[c.id][name]
        if spec.type == "categorie":
            value = session.execute(text(
                "SELECT id FROM categorie WHERE gemeente_code = :g AND code = :c"),
                {"g": key.gemeente_code, "c": value}).scalar()
            if value is None:
                raise Unprocessable(f"Onbekende categorie '{values[name]}'.")
        out[spec.column] = value
    return out


def _own(session: Session, key: ApiSleutel, c: Collection, fid: int) -> dict[str, Any]:
    """The current feature, if it exists in the key's gemeente."""
    if key.rol not in ("medewerker", "beheerder"):
        raise Forbidden("Deze sleutel mag niet schrijven.")
    before = snapshot(session, c, fid)
    if before is None or before["properties"].get("gemeente") != key.gemeente_code:
        raise NotFound(f"Object {fid} bestaat niet in {c.id}.")
    return before


def create(session: Session, key: ApiSleutel, c: Collection, body: object, srid: int) -> int:
    """Insert a new feature; returns its id."""
    if key.rol not in ("medewerker", "beheerder"):
        raise Forbidden("Deze sleutel mag niet schrijven.")
    geometry, props = _parse_feature(body)
    cols = _columns(session, key, _properties(c, props, partial=False), c)
    cols["geometrie"] = check_geometry(session, c, geometry, srid, key.gemeente_code)
    return insert(session, c, key.gemeente_code, cols, actor=f"api-sleutel:{key.id}")


def update(session: Session, key: ApiSleutel, c: Collection, fid: int, body: object, srid: int,
           partial: bool) -> None:
    """PUT replaces the feature; PATCH (JSON merge patch) changes only what it names."""
    before = _own(session, key, c, fid)
    if partial:
        if not isinstance(body, dict):
            raise InvalidInput("Verwacht een JSON merge patch (een object).")
        geometry, props = body.get("geometry"), body.get("properties") or {}
    else:
        geometry, props = _parse_feature(body)
        if geometry is None:
            raise InvalidInput("Een PUT vraagt een geometrie.")
    cols = _columns(session, key, _properties(c, props, partial=partial), c)
    if geometry is not None:
        cols["geometrie"] = check_geometry(session, c, geometry, srid, key.gemeente_code)
    feature_store.update(session, c, key.gemeente_code, fid, cols, actor=f"api-sleutel:{key.id}",
           actie="gewijzigd" if partial else "vervangen", voor=before)


def delete(session: Session, key: ApiSleutel, c: Collection, fid: int) -> None:
    """Retire the feature (vervallen / gearchiveerd); it leaves the public layer."""
    before = _own(session, key, c, fid)
    execute_write(session, f"UPDATE {TABLE[c.id]} SET {DELETE_SQL[c.id]} WHERE id = :fid",
                  {"fid": fid})
    record(session, key.gemeente_code, actor=f"api-sleutel:{key.id}", actie="verwijderd",
           object_type=TABLE[c.id], object_id=str(fid), voor=before)


def content_srid(header: str | None) -> int:
    """Content-Crs: <uri> on input; CRS84 when absent."""
    if not header:
        return 4326
    match = re.fullmatch(r"\s*<?([^<>\s]+)>?\s*", header)
    return crs.srid_of(match.group(1) if match else header, "Content-Crs")
