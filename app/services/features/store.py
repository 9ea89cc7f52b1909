"""The one way a voorziening or groenvak is written: checked geometry, clear errors, audit row.

Used by the API (feature_writes: OGC API – Features Part 4), by staff on the Beheer pages and
by accepted proposals (voorziening_writes), so every write obeys the same rules: the geometry
has the right type, is valid and lies inside the gemeente; constraint violations become Dutch
messages; every change writes an audit row in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import CursorResult, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from app.errors import Conflict, InvalidInput, Unprocessable
from app.geo import crs, features
from app.geo.collections import Collection
from app.services.audit import record

TABLE = {"voorzieningen": "voorziening", "groenvakken": "groenvak"}
GEOMETRY = {"voorzieningen": ("POINT",), "groenvakken": ("MULTIPOLYGON",)}  # after ST_Multi
OUTSIDE = "De geometrie ligt (deels) buiten de gemeente."


def _position(p: object) -> bool:
    return isinstance(p, list) and 2 <= len(p) <= 3 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in p)


def _polygon(rings: object) -> bool:
    return isinstance(rings, list) and len(rings) >= 1 and all(
        isinstance(r, list) and len(r) >= 4 and all(_position(p) for p in r) for r in rings)


# The coordinate shapes the OpenAPI document promises; what breaks them is a 400 (bad request)
SHAPES: dict[str, Callable[[object], bool]] = {
    "Point": _position, "Polygon": _polygon,
    "MultiPolygon": lambda c: isinstance(c, list) and len(c) >= 1 and all(map(_polygon, c))}


def check_geometry(session: Session, c: Collection, geometry: object, srid: int,
                   gemeente: str) -> str:
    """Check a GeoJSON geometry in PostGIS and return it as hex EWKB in RD New.

    A geometry of the right shape that PostGIS cannot take (not closed, self-intersecting,
    outside the gemeente) is a 422: the request was well-formed, the data cannot take it."""
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        raise InvalidInput("'geometry' moet een GeoJSON-geometrie zijn.")
    shape = SHAPES.get(geometry["type"])
    if shape is not None and not shape(geometry.get("coordinates")):
        raise InvalidInput(f"Ongeldige GeoJSON-geometrie: de coördinaten passen niet bij "
                           f"{geometry['type']}.")
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
        raise Unprocessable(f"Ongeldige GeoJSON-geometrie: {message}") from None
    if kind not in GEOMETRY[c.id]:
        raise InvalidInput(f"Geometrie van type {kind} past niet bij {c.id} "
                           f"(verwacht {c.geometry_type}).")
    if not valid:
        raise Unprocessable(f"Ongeldige geometrie: {reason}.")
    if not inside:
        raise Unprocessable(OUTSIDE)
    return bytes(ewkb).hex()


def snapshot(session: Session, c: Collection, fid: int,
             any_status: bool = False) -> dict[str, Any] | None:
    """The feature as the API shows it (RD New), for audit rows; `any_status` also finds
    unpublished ones and adds their status."""
    if not any_status:
        feature = features.one(session, c, fid, crs.RD_NEW)
        return json.loads(feature) if feature else None
    feature = features.one(session, replace(c, where_sql="true"), fid, crs.RD_NEW)
    if not feature:
        return None
    found: dict[str, Any] = json.loads(feature)
    if c.id == "voorzieningen":
        found["properties"]["status"] = session.execute(
            text("SELECT status FROM voorziening WHERE id = :id"), {"id": fid}).scalar()
    return found


def execute_write(session: Session, sql: str, params: Mapping[str, object]) -> Any:
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


def _value_sql(name: str) -> str:
    return f"decode(:{name}, 'hex')::geometry" if name == "geometrie" else f":{name}"


def insert(session: Session, c: Collection, gemeente: str, cols: Mapping[str, object], *,
           actor: str, gebruiker_id: int | None = None) -> int:
    """Insert a row from checked columns (geometrie as hex EWKB); audit 'aangemaakt'."""
    names = ", ".join(cols)
    values = ", ".join(_value_sql(n) for n in cols)
    fid = int(execute_write(session, f"INSERT INTO {TABLE[c.id]} (gemeente_code, {names}) "
                                     f"VALUES (:gemeente, {values}) RETURNING id",
                            {**cols, "gemeente": gemeente}))
    record(session, gemeente, actor=actor, actie="aangemaakt", object_type=TABLE[c.id],
           object_id=str(fid), na=snapshot(session, c, fid, any_status=True),
           gebruiker_id=gebruiker_id)
    return fid


def update(session: Session, c: Collection, gemeente: str, fid: int, cols: Mapping[str, object], *,
           actor: str, actie: str, voor: dict[str, Any] | None,
           gebruiker_id: int | None = None) -> None:
    """Change the named columns of one row; audit `actie` with before and after."""
    if cols:
        sets = ", ".join(f"{n} = {_value_sql(n)}" for n in cols)
        execute_write(session, f"UPDATE {TABLE[c.id]} SET {sets} "
                               f"WHERE id = :fid AND gemeente_code = :gemeente",
                      {**cols, "fid": fid, "gemeente": gemeente})
    record(session, gemeente, actor=actor, actie=actie, object_type=TABLE[c.id],
           object_id=str(fid), voor=voor, na=snapshot(session, c, fid, any_status=True),
           gebruiker_id=gebruiker_id)
