"""The SQL of an export: PostGIS shapes every row (WKB in RD New, WKT, or a whole GeoJSON
feature in CRS84), and a server-side cursor hands them over in batches, so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection

from app.geo.collections import Prop
from app.services.export.lagen import ExportLayer

Mode = Literal["wkb", "csv", "geojson"]
UTC_ISO = """to_char(({sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
GEOJSON_DECIMALS = 9  # degrees: about 0.1 mm, so areas survive the round trip to RD New


@dataclass(frozen=True)
class Selection:
    """Which features: the gemeente, optionally one wijk or dorp and some statuses."""

    gemeente: str
    wijk: str | None = None
    statussen: tuple[str, ...] = ()


# A spreadsheet reader knows the wijk by its name, not by its CBS code: the CSV holds both.
PLACE_NAMES = {"wijk": ("wijk_naam", "w.naam"), "buurt": ("buurt_naam", "b.naam")}


def csv_names(layer: ExportLayer) -> list[tuple[str, str]]:
    """The extra CSV columns (name, SQL) with the names beside the wijk and buurt codes."""
    return [PLACE_NAMES[code] for code, alias in (("wijk", "w.code"), ("buurt", "b.code"))
            if code in layer.props and layer.props[code].sql == alias]


def value_sql(prop: Prop) -> str:
    """A property as the value the files hold: timestamps as ISO 8601 in UTC, numbers as
    float8 (numeric would arrive as Decimal)."""
    if prop.format == "date-time":
        return UTC_ISO.format(sql=prop.sql)
    if prop.type == "number":
        return f"({prop.sql})::float8"
    return prop.sql


def _where(layer: ExportLayer, selection: Selection) -> tuple[str, dict[str, object]]:
    clauses = ["t.gemeente_code = %(gemeente)s", layer.where_sql]
    params: dict[str, object] = {"gemeente": selection.gemeente}
    if selection.wijk:
        clauses.append(layer.wijk_sql)
        params["wijk"] = selection.wijk
    if selection.statussen and layer.status_sql:
        clauses.append(f"({layer.status_sql}) = ANY(%(statussen)s)")
        params["statussen"] = list(selection.statussen)
    return " AND ".join(f"({c})" for c in clauses), params


def select_sql(layer: ExportLayer, selection: Selection,
               mode: Mode) -> tuple[str, dict[str, object]]:
    """One statement for the whole layer, ordered by id (psycopg's %(name)s parameters)."""
    where, params = _where(layer, selection)
    geom = layer.geometry_sql
    if mode == "geojson":
        props = ", ".join(f"'{name}', {value_sql(p)}" for name, p in layer.props.items()
                          if name != "id")
        columns = (
            "json_build_object('type', 'Feature', 'id', t.id, 'geometry', "
            f"ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform({geom}, 4326)), "
            f"{GEOJSON_DECIMALS})::json, 'properties', json_build_object({props}))::text")
    elif mode == "csv":
        values = [f"({value_sql(p)})::text" for p in layer.props.values()]
        values += [f"({sql})::text" for _, sql in csv_names(layer)]
        columns = ", ".join([*values, f"ST_AsText({geom})",
                             f"round(ST_X(ST_PointOnSurface({geom}))::numeric, 3)::text",
                             f"round(ST_Y(ST_PointOnSurface({geom}))::numeric, 3)::text"])
    else:
        columns = ", ".join([*(value_sql(p) for p in layer.props.values()),
                             f"ST_AsBinary({geom})"])
    sql = f"SELECT {columns} FROM {layer.from_sql} WHERE {where} ORDER BY t.id"
    return sql, params


@dataclass(frozen=True)
class Stats:
    count: int
    widths: dict[str, int]  # text property -> longest value in UTF-8 bytes (at least 1)


def stats(conn: Connection, layer: ExportLayer, selection: Selection) -> Stats:
    """How many features (for the progress bar) and how wide each text field must be (so a
    dBase file holds no padding), in one pass."""
    where, params = _where(layer, selection)
    texts = [name for name, p in layer.props.items() if p.type == "string" and p.format != "date"]
    widths = "".join(f", max(octet_length({value_sql(layer.props[n])}))" for n in texts)
    row = conn.exec_driver_sql(f"SELECT count(*){widths} FROM {layer.from_sql} WHERE {where}",
                               params).one()
    return Stats(int(row[0]), {n: max(1, int(w or 0)) for n, w in zip(texts, row[1:],
                                                                        strict=True)})


def batches(conn: Connection, layer: ExportLayer, selection: Selection, mode: Mode,
            size: int = 10_000) -> Iterator[Sequence[Sequence[Any]]]:
    """The rows in batches of `size` from a server-side cursor in binary mode (WKB arrives as
    bytes, no hex to decode), inside the caller's transaction. The next batch is fetched in a
    second thread while the caller writes this one, so PostgreSQL and the writer overlap."""
    sql, params = select_sql(layer, selection, mode)
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor(name=f"kaart_export_{layer.name}", binary=True) as cursor:
        cursor.itersize = size
        cursor.execute(sql, params)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-fetch") as pool:
            pending = pool.submit(cursor.fetchmany, size)
            try:
                while rows := pending.result():
                    pending = pool.submit(cursor.fetchmany, size)
                    yield rows
            finally:
                pending.cancel()
                if not pending.cancelled():
                    pending.exception()  # wait: the cursor must be idle before it closes
