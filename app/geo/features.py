"""GeoJSON built in PostGIS: one query returns a whole page of features as text.

Python only glues the page's pieces together; it never touches a feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.geo import crs
from app.geo.collections import Collection


@dataclass
class FeatureQuery:
    """What an items request asks for, already validated."""

    collection: Collection
    limit: int = 10
    after: int | None = None
    before: int | None = None
    srid: int = 4326
    bbox: tuple[str, dict[str, float]] | None = None
    interval: tuple[datetime | None, datetime | None] | None = None
    equals: dict[str, Any] = field(default_factory=dict)
    cql: tuple[str, dict[str, object]] | None = None


@dataclass
class Page:
    """One page of features as GeoJSON text, and where the neighbours are."""

    features: str
    returned: int
    matched: int
    first_id: int | None
    last_id: int | None
    more: bool  # rows beyond this page in the paging direction


def _props_json(c: Collection) -> str:
    """Compact JSON of the public properties, in the registry's order."""
    columns = ", ".join(f'{p.sql} AS "{name}"' for name, p in c.props.items())
    return f"(SELECT row_to_json(p)::text FROM (SELECT {columns}) p)"


def _feature_text(c: Collection, srid: int) -> str:
    """SQL for one Feature as JSON text; ids are integers, so no quoting is needed."""
    geometry = crs.output_geometry("t.geometrie", srid)
    return ("""'{"type":"Feature","id":' || t.id || ',"geometry":' || """
            f"""coalesce({geometry}, 'null') || ',"properties":' || {_props_json(c)} || '}}'""")


def where(q: FeatureQuery) -> tuple[str, dict[str, object]]:
    """The WHERE clause shared by the page and its count."""
    c = q.collection
    clauses = [c.where_sql]
    params: dict[str, object] = {}
    if q.bbox:
        envelope, bbox_params = q.bbox
        clauses.append(f"ST_Intersects(t.geometrie, {envelope})")  # uses the GiST index itself
        params.update(bbox_params)
    if q.interval and c.temporal:
        column = c.props[c.temporal].sql
        start, end = q.interval
        if start is not None:
            clauses.append(f"{column} >= :dt_start")
            params["dt_start"] = start
        if end is not None:
            clauses.append(f"{column} <= :dt_end")
            params["dt_end"] = end
    for i, (name, value) in enumerate(q.equals.items()):
        clauses.append(f"{c.props[name].sql} = :eq{i}")
        params[f"eq{i}"] = value
    if q.cql:
        clauses.append(f"({q.cql[0]})")
        params.update(q.cql[1])
    return " AND ".join(clauses), params


def _source(c: Collection, clause: str) -> str:
    """The main table alone when the filter needs no joined table, else the whole FROM."""
    joined = re.search(r"\b(?!t\.)[a-z]\.[a-z_]", clause.replace("::", " "))
    return c.from_sql if joined or not c.base_sql else c.base_sql


def page(session: Session, q: FeatureQuery) -> Page:
    """Keyset paging on t.id: first the ids (limit+1 tells whether there is more), then the
    joins and GeoJSON for just those rows; the exact count in the same statement."""
    c = q.collection
    clause, params = where(q)
    source = _source(c, clause)
    backwards = q.before is not None
    cursor = ""
    if backwards or q.after is not None:
        cursor = f" AND t.id {'<' if backwards else '>'} :cursor"
        params["cursor"] = q.before if backwards else q.after
    order = "DESC" if backwards else "ASC"
    # a first page that is not full is the whole result: no count needed
    count_sql = (f"(SELECT count(*) FROM {source} WHERE {clause})" if cursor
                 else f"CASE WHEN (SELECT count(*) FROM ids) > :limit THEN (SELECT count(*) "
                      f"FROM {source} WHERE {clause}) ELSE (SELECT count(*) FROM ids) END")
    sql = f"""
        WITH ids AS (SELECT t.id FROM {source} WHERE {clause}{cursor}
                      ORDER BY t.id {order} LIMIT :fetch),
        kept AS (SELECT id FROM ids ORDER BY id {order} LIMIT :limit),
        rows AS (SELECT t.id, {_feature_text(c, q.srid)} AS feature
                   FROM {c.from_sql} WHERE t.id IN (SELECT id FROM kept))
        SELECT (SELECT coalesce(string_agg(feature, ',' ORDER BY id), '') FROM rows),
               (SELECT count(*) FROM kept), (SELECT min(id) FROM kept),
               (SELECT max(id) FROM kept), (SELECT count(*) FROM ids) > :limit, {count_sql}"""
    params.update(fetch=q.limit + 1, limit=q.limit)
    features, returned, first, last, more, matched = session.execute(text(sql), params).one()
    return Page(features, returned, int(matched), first, last, bool(more))


def one(session: Session, c: Collection, feature_id: int, srid: int) -> str | None:
    """One Feature as GeoJSON text, or None."""
    sql = (f"SELECT {_feature_text(c, srid)} FROM {c.from_sql} "
           f"WHERE {c.where_sql} AND t.id = :id")
    return session.execute(text(sql), {"id": feature_id}).scalar()


def extent(session: Session, c: Collection) -> dict[str, object]:
    """The spatial (CRS84) and temporal extent of a collection, computed by PostGIS."""
    temporal = f"min({c.props[c.temporal].sql}), max({c.props[c.temporal].sql})" \
        if c.temporal else "NULL, NULL"
    sql = f"""SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), tmin, tmax FROM (
                SELECT ST_Transform(ST_SetSRID(ST_Extent(t.geometrie), 28992), 4326) AS e,
                       {temporal} FROM {c.from_sql}
                 WHERE {c.where_sql}) x(e, tmin, tmax)"""
    minx, miny, maxx, maxy, tmin, tmax = session.execute(text(sql)).one()
    result: dict[str, object] = {}
    if minx is not None:
        result["spatial"] = {"bbox": [[round(v, 6) for v in (minx, miny, maxx, maxy)]],
                             "crs": crs.CRS84}
    if c.temporal:
        result["temporal"] = {"interval": [[_iso(tmin), _iso(tmax)]],
                              "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
    return result


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
