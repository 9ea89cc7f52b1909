"""OGC API – Features Part 4: create, replace, update and delete by API clients.

Geometry is checked in PostGIS (type, validity, inside the gemeente); every change writes an
audit row in its own transaction. Deleting never destroys: a groenvak becomes vervallen, a
voorziening gearchiveerd, so adopties, logs and history stay.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.geo import crs, features
from app.geo.collections import GROENVAK_SOORTEN, Collection
from app.models import ApiSleutel
from app.services.audit import record


@dataclass(frozen=True)
class Writable:
    """A property a client may set: its column, type and whether it is required."""

    column: str
    type: str = "string"  # string, boolean, date, categorie
    required: bool = False
    enum: tuple[str, ...] | None = None
    default: Any = None  # what null means for a NOT NULL column


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
TABLE = {"voorzieningen": "voorziening", "groenvakken": "groenvak"}
GEOMETRY = {"voorzieningen": ("POINT",), "groenvakken": ("MULTIPOLYGON",)}  # after ST_Multi
DELETE_SQL = {"voorzieningen": "status = 'gearchiveerd'",
              "groenvakken": "vervallen_op = current_date"}


def _check_value(name: str, spec: Writable, value: Any) -> Any:
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


def _properties(c: Collection, props: Any, partial: bool) -> dict[str, Any]:
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


def _geometry_sql(c: Collection, session: Session, geometry: Any, srid: int,
                  gemeente: str) -> str:
    """Check the geometry in PostGIS and return it as hex EWKB in RD New."""
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise InvalidInput("'geometry' moet een GeoJSON-geometrie zijn.")
    expr = crs.input_geometry(f"ST_SetSRID(ST_GeomFromGeoJSON(:g), {srid})", srid)
    if c.geometry_type == "MultiPolygon":
        expr = f"ST_Multi({expr})"
    sql = f"""SELECT GeometryType(x.g), ST_IsValid(x.g), ST_IsValidReason(x.g),
                     coalesce(ST_CoveredBy(x.g, gm.geometrie), true), ST_AsEWKB(x.g)
                FROM (SELECT {expr} AS g) x, gemeente gm WHERE gm.code = :gemeente"""
    try:
        with session.begin_nested():
            kind, valid, reason, inside, ewkb = session.execute(
                text(sql), {"g": json.dumps(geometry), "gemeente": gemeente}).one()
    except DBAPIError as exc:
        message = str(exc.orig).splitlines()[0]
        raise InvalidInput(f"Ongeldige GeoJSON-geometrie: {message}") from None
    if kind not in GEOMETRY[c.id]:
        raise InvalidInput(f"Geometrie van type {kind} past niet bij {c.id} "
                           f"(verwacht {c.geometry_type}).")
    if not valid:
        raise InvalidInput(f"Ongeldige geometrie: {reason}.")
    if not inside:
        raise InvalidInput("De geometrie ligt (deels) buiten de gemeente.")
    return bytes(ewkb).hex()


def _parse_feature(body: Any) -> tuple[Any, Any]:
    if not isinstance(body, dict) or body.get("type") != "Feature":
        raise InvalidInput("Verwacht een GeoJSON Feature (\"type\": \"Feature\").")
    return body.get("geometry"), body.get("properties") or {}


def _columns(session: Session, key: ApiSleutel, values: dict[str, Any],
             c: Collection) -> dict[str, Any]:
    """Map property names to columns; a categorie code becomes its id."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        spec = WRITABLE[c.id][name]
        if spec.type == "categorie":
            value = session.execute(text(
                "SELECT id FROM categorie WHERE gemeente_code = :g AND code = :c"),
                {"g": key.gemeente_code, "c": value}).scalar()
            if value is None:
                raise InvalidInput(f"Onbekende categorie '{values[name]}'.")
        out[spec.column] = value
    return out


def _snapshot(session: Session, c: Collection, fid: int) -> dict[str, Any] | None:
    feature = features.one(session, c, fid, crs.RD_NEW)
    return json.loads(feature) if feature else None


def _own(session: Session, key: ApiSleutel, c: Collection, fid: int) -> dict[str, Any]:
    """The current feature, if it exists in the key's gemeente."""
    if key.rol not in ("medewerker", "beheerder"):
        raise Forbidden("Deze sleutel mag niet schrijven.")
    before = _snapshot(session, c, fid)
    if before is None or before["properties"].get("gemeente") != key.gemeente_code:
        raise NotFound(f"Object {fid} bestaat niet in {c.id}.")
    return before


def _write(session: Session, sql: str, params: dict[str, Any]) -> Any:
    """Run a write (its RETURNING value, if any); constraint violations become clear errors."""
    try:
        with session.begin_nested():
            # a textual statement always gives a CursorResult; Session.execute is typed Result
            result = cast(CursorResult[Any], session.execute(text(sql), params))
            return result.scalar() if result.returns_rows else None
    except IntegrityError as exc:
        diag = exc.orig.diag  # type: ignore[union-attr]
        constraint = diag.constraint_name or ""
        if "extern_id" in constraint:
            raise Conflict("Er bestaat al een object met dit extern_id.") from None
        if constraint.endswith("_check") or diag.column_name:
            field = diag.column_name or constraint.split("_", 1)[-1].removesuffix("_check")
            raise InvalidInput(f"Ongeldige of ontbrekende waarde voor {field}.") from None
        raise Conflict(f"De wijziging botst met een regel van de database ({constraint}).") \
            from None


def create(session: Session, key: ApiSleutel, c: Collection, body: Any, srid: int) -> int:
    """Insert a new feature; returns its id."""
    if key.rol not in ("medewerker", "beheerder"):
        raise Forbidden("Deze sleutel mag niet schrijven.")
    geometry, props = _parse_feature(body)
    cols = _columns(session, key, _properties(c, props, partial=False), c)
    cols["geometrie"] = _geometry_sql(c, session, geometry, srid, key.gemeente_code)
    names = ", ".join(cols)
    values = ", ".join(f"decode(:{n}, 'hex')::geometry" if n == "geometrie" else f":{n}"
                      for n in cols)
    fid = int(_write(session, f"INSERT INTO {TABLE[c.id]} (gemeente_code, {names}) "
                              f"VALUES (:gemeente, {values}) RETURNING id",
                     {**cols, "gemeente": key.gemeente_code}))
    record(session, key.gemeente_code, actor=f"api-sleutel:{key.id}", actie="aangemaakt",
           object_type=TABLE[c.id], object_id=str(fid), na=_snapshot(session, c, fid))
    return fid


def update(session: Session, key: ApiSleutel, c: Collection, fid: int, body: Any, srid: int,
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
        cols["geometrie"] = _geometry_sql(c, session, geometry, srid, key.gemeente_code)
    if cols:
        sets = ", ".join(f"{n} = decode(:{n}, 'hex')::geometry" if n == "geometrie"
                         else f"{n} = :{n}" for n in cols)
        _write(session, f"UPDATE {TABLE[c.id]} SET {sets} WHERE id = :fid", {**cols, "fid": fid})
    record(session, key.gemeente_code, actor=f"api-sleutel:{key.id}",
           actie="gewijzigd" if partial else "vervangen", object_type=TABLE[c.id],
           object_id=str(fid), voor=before, na=_snapshot(session, c, fid))


def delete(session: Session, key: ApiSleutel, c: Collection, fid: int) -> None:
    """Retire the feature (vervallen / gearchiveerd); it leaves the public layer."""
    before = _own(session, key, c, fid)
    _write(session, f"UPDATE {TABLE[c.id]} SET {DELETE_SQL[c.id]} WHERE id = :fid", {"fid": fid})
    record(session, key.gemeente_code, actor=f"api-sleutel:{key.id}", actie="verwijderd",
           object_type=TABLE[c.id], object_id=str(fid), voor=before)


def content_srid(header: str | None) -> int:
    """Content-Crs: <uri> on input; CRS84 when absent."""
    if not header:
        return 4326
    match = re.fullmatch(r"\s*<?([^<>\s]+)>?\s*", header)
    return crs.srid_of(match.group(1) if match else header, "Content-Crs")
