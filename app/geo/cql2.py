"""CQL2 filters (OGC 21-065) as PostGIS SQL, for OGC API - Features Part 3 (Filtering).

`parse` reads cql2-text or cql2-json into one tree; `to_sql` checks that tree against a
collection's queryables and returns a WHERE fragment whose values are all bind parameters.
The tree lives in `cql2_ast`, the readers in `cql2_text` and `cql2_json`.

Why not a library: tried cql2 0.6 (cql2-rs) and pygeofilter 0.4 against our tests. cql2-rs
crashes the process (stack overflow) on ~2000 nested parentheses, well inside MAX_LENGTH,
and reports grammar rule names ("expected NotFlag, IsNullPostfix"); pygeofilter 0.4 reads
`a OR b AND c` as `(a OR b) AND c` and refuses one-letter properties, a lone TRUE and 'it''s'.
Our readers give a Dutch reason with the position or JSON path, and take ~25 µs a filter.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import shapely
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidInput
from app.geo import crs
from app.geo.collections import Prop
from app.geo.cql2_ast import (
    COMPARISON,
    MAX_DEPTH,
    TEMPORAL,
    Bbox,
    Geometry,
    Literal,
    Node,
    Op,
    Property,
    parse_instant,
)
from app.geo.cql2_json import loads, parse_json
from app.geo.cql2_text import parse_text

__all__ = ["CONFORMANCE", "MAX_DEPTH", "MAX_LENGTH", "SRIDS", "Node", "parse", "to_sql"]

CONFORMANCE: tuple[str, ...] = tuple(f"http://www.opengis.net/spec/cql2/1.0/conf/{c}" for c in (
    "cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators",
    "basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions"))
MAX_LENGTH = 10_000
SRIDS = (4326, 4258, 28992, 3857)  # 4326 means CRS84 (lon/lat); 4258 is lat/lon as EPSG says

_ST = {f"s_{name.lower()}": f"ST_{name}" for name in (
    "Intersects", "Equals", "Disjoint", "Touches", "Within", "Overlaps", "Crosses", "Contains")}
_EXPECTED = {"number": "een getal", "boolean": "TRUE of FALSE",
             "string": "een tekst tussen enkele aanhalingstekens",
             "date": "een datum, zoals DATE('2025-01-31')",
             "timestamp": "een tijdstip, zoals TIMESTAMP('2025-01-31T12:00:00Z')"}
_WEB_MERCATOR = 20037508.3428
# Per filter CRS: valid x and y ranges (axis order as the CRS defines it), and the area and
# step for literals. RD New only holds in and near the Netherlands, so literals are clipped to
# lon 2..8.5, lat 50..54.5 and densified: a world-wide BBOX still means "everywhere", and long
# edges keep their shape when transformed.
_CRS: dict[int, tuple[tuple[float, float, float, float], str,
                      tuple[float, float, float, float], float]] = {
    4326: ((-180, -90, 180, 90), "CRS84 (lengtegraad -180..180, breedtegraad -90..90)",
           crs.AREA_OF_USE[4326], 0.005),
    4258: ((-90, -180, 90, 180), "EPSG:4258 (breedtegraad -90..90, lengtegraad -180..180, "
           "in die volgorde)", (50.0, 2.0, 54.5, 8.5), 0.005),
    3857: ((-_WEB_MERCATOR, -_WEB_MERCATOR, _WEB_MERCATOR, _WEB_MERCATOR), "EPSG:3857",
           crs.AREA_OF_USE[3857], 500.0),
}


def parse(filter_value: str | dict[str, object], lang: str) -> Node:
    """Read a filter in either encoding; every mistake becomes InvalidInput (HTTP 400)."""
    if lang not in ("cql2-text", "cql2-json"):
        raise InvalidInput(f"Onbekende filter-lang '{lang}'; gebruik cql2-text of cql2-json.")
    if lang == "cql2-text":
        if not isinstance(filter_value, str):
            raise InvalidInput("Een cql2-text-filter moet tekst zijn.")
        _check_size(filter_value)
        return parse_text(filter_value)
    if isinstance(filter_value, str):
        _check_size(filter_value)
        value = loads(filter_value)
    else:
        try:
            _check_size(json.dumps(filter_value))
        except (RecursionError, TypeError, ValueError):
            raise InvalidInput("Het filter is geen geldige JSON.") from None
        value = filter_value
    return parse_json(value)


def _check_size(text: str) -> None:
    """Refuse empty and oversized filters before any parsing work is done."""
    if not text.strip():
        raise InvalidInput("Het filter is leeg.")
    if len(text) > MAX_LENGTH:
        raise InvalidInput(f"Het filter is te lang ({len(text)} tekens; maximaal {MAX_LENGTH}).")


def to_sql(node: Node, props: dict[str, Prop], filter_srid: int = 4326,
           geometry_sql: str = "t.geometrie", param_prefix: str = "cql",
           ) -> tuple[str, dict[str, object]]:
    """Translate a parsed filter for one collection; values only ever travel as parameters."""
    if filter_srid not in SRIDS:
        raise InvalidInput(f"filter-crs EPSG:{filter_srid} wordt niet ondersteund; kies uit "
                           "CRS84, EPSG:4258, EPSG:28992 of EPSG:3857.")
    if not re.fullmatch(r"[A-Za-z_]\w*", param_prefix):
        raise ValueError(f"param_prefix {param_prefix!r} is geen geldige parameternaam")
    sql = _Sql(props, filter_srid, geometry_sql, param_prefix)
    return sql.boolean(node), sql.params


class _Sql:
    """One translation: collects the bind parameters as it walks the tree."""

    def __init__(self, props: dict[str, Prop], srid: int, geometry_sql: str, prefix: str):
        self.props, self.srid, self.geometry_sql, self.prefix = props, srid, geometry_sql, prefix
        self.params: dict[str, object] = {}

    def bind(self, value: object) -> str:
        """Every literal becomes a named parameter; the SQL only ever holds its name."""
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def boolean(self, node: Node) -> str:
        """A predicate; every and/or group is parenthesised, so SQL precedence cannot bite."""
        if isinstance(node, Literal) and node.kind == "boolean":
            return self.bind(node.value)
        if not isinstance(node, Op):
            raise InvalidInput("Het filter moet een voorwaarde zijn, geen losse waarde.")
        op, args = node.op, node.args
        if op in ("and", "or"):
            return "(" + f" {op.upper()} ".join(self.boolean(a) for a in args) + ")"
        if op == "not":
            return f"NOT ({self.boolean(args[0])})"
        if op in _ST:
            return f"{_ST[op]}({self.geometry(args[0])}, {self.geometry(args[1])})"
        column, kind, name = self.column(args[0])
        if op == "isNull":
            return f"{column} IS NULL"
        if kind == "geometry":
            raise InvalidInput(f"Eigenschap '{name}' is een geometrie; gebruik een ruimtelijke "
                               "functie zoals S_INTERSECTS.")
        if op == "like" and kind != "string":
            raise InvalidInput(f"LIKE werkt alleen op tekst; eigenschap '{name}' verwacht "
                               f"{_EXPECTED[kind]}.")
        if op == "between" and kind not in ("number", *TEMPORAL):
            raise InvalidInput(f"BETWEEN werkt alleen op getallen, datums en tijdstippen; "
                               f"eigenschap '{name}' verwacht {_EXPECTED[kind]}.")
        values = [self.bind(self.value(name, kind, a)) for a in args[1:]]
        if op == "like":
            return f"{column} LIKE {values[0]}"
        if op == "between":
            return f"{column} BETWEEN {values[0]} AND {values[1]}"
        if op == "in":
            return f"{column} IN ({', '.join(values)})"
        if op not in COMPARISON:
            raise InvalidInput(f"Operator '{op}' wordt niet ondersteund.")
        return f"{column} {op} {values[0]}"

    def column(self, node: Node) -> tuple[str, str, str]:
        """SQL, kind and name of a queryable; `geometry` is the feature geometry."""
        if not isinstance(node, Property):
            raise InvalidInput("Links van een vergelijking hoort een eigenschap te staan.")
        if node.name == "geometry":
            return self.geometry_sql, "geometry", node.name
        prop = self.props.get(node.name)
        if prop is None:
            raise InvalidInput(f"Onbekende eigenschap '{node.name}'. Filteren kan op: "
                               f"{', '.join([*self.props, 'geometry'])}.")
        kind = {"integer": "number", "number": "number", "boolean": "boolean"}.get(prop.type)
        return prop.sql, kind or {"date": "date", "date-time": "timestamp"}.get(
            prop.format or "", "string"), node.name

    def value(self, name: str, kind: str, lit: Node) -> object:
        """The literal as the Python value the column compares with, or a clear refusal."""
        if not isinstance(lit, Literal):
            raise InvalidInput(f"Eigenschap '{name}' verwacht {_EXPECTED[kind]}.")
        if lit.kind == kind or (kind in TEMPORAL and lit.kind in TEMPORAL):
            return lit.value
        if kind in TEMPORAL and lit.kind == "string":
            for candidate in (kind, *TEMPORAL):
                try:
                    return parse_instant(str(lit.value), candidate)
                except ValueError:
                    pass
        raise InvalidInput(f"Eigenschap '{name}' verwacht {_EXPECTED[kind]}, niet "
                           f"{_describe(lit)}.")

    def geometry(self, node: Node) -> str:
        """The feature geometry, or a literal in RD New (28992) from the filter CRS."""
        if isinstance(node, Property):
            column, kind, name = self.column(node)
            if kind != "geometry":
                raise InvalidInput(f"Eigenschap '{name}' is geen geometrie; gebruik geometry.")
            return column
        if not isinstance(node, Geometry | Bbox):
            raise InvalidInput("Een ruimtelijke functie verwacht geometry of een geometrie.")
        wkt = shapely.to_wkt(_shape(node, self.srid), rounding_precision=-1, output_dimension=2)
        expr = f"ST_SetSRID(ST_GeomFromText({self.bind(wkt)}), {self.srid})"
        if self.srid == 28992:
            return expr
        if self.srid == 4258:
            expr = f"ST_FlipCoordinates({expr})"
        return f"ST_Transform({expr}, 28992)"


def _describe(lit: Literal) -> str:
    """The literal as the user wrote it, for error messages."""
    if isinstance(lit.value, bool):
        return "TRUE" if lit.value else "FALSE"
    if isinstance(lit.value, datetime):
        return f"TIMESTAMP('{lit.value.isoformat().replace('+00:00', 'Z')}')"
    if isinstance(lit.value, date):
        return f"DATE('{lit.value.isoformat()}')"
    return f"het getal {lit.value}" if lit.kind == "number" else f"de tekst '{lit.value}'"


def _shape(node: Geometry | Bbox, srid: int) -> BaseGeometry:
    """Validate a literal in the filter CRS, then clip and densify it for transforming."""
    if isinstance(node, Bbox):
        v = node.values
        low, high = (v[:2], v[2:4]) if len(v) == 4 else (v[:2], v[3:5])
        if low[0] >= high[0] or low[1] >= high[1]:
            raise InvalidInput("BBOX: geef eerst de kleinste en dan de grootste coördinaten, "
                               "zodat de box een oppervlakte heeft.")
        shape: BaseGeometry = shapely.box(low[0], low[1], high[0], high[1])
    else:
        shape = _geometry(node)
    if srid in _CRS:
        (x0, y0, x1, y1), label, area, step = _CRS[srid]
        for x, y in shapely.get_coordinates(shape):
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                raise InvalidInput(f"Coördinaat ({x:g} {y:g}) ligt buiten het bereik van "
                                   f"{label}.")
        if not shapely.box(*area).covers(shape):
            shape = shapely.intersection(shape, shapely.box(*area))
        shape = shapely.segmentize(shape, step)
    return shape


def _geometry(node: Geometry) -> BaseGeometry:
    """A shapely geometry, refused with a reason when PostGIS would choke on it."""
    if node.type == "GeometryCollection":
        # one clean union: PostGIS cannot relate collections whose parts overlap
        return shapely.union_all([_geometry(part) for part in node.coordinates])
    coords = node.coordinates
    lines = [coords] if node.type == "LineString" else coords if "Line" in node.type else ()
    rings = coords if node.type == "Polygon" else \
        [r for p in coords for r in p] if node.type == "MultiPolygon" else ()
    if any(len(line) < 2 for line in lines):
        raise InvalidInput("Ongeldige geometrie: een lijn heeft minstens 2 punten.")
    if any(len(ring) < 4 or ring[0] != ring[-1] for ring in rings):
        raise InvalidInput("Ongeldige geometrie: een polygoonring is gesloten (het eerste punt "
                           "is ook het laatste) en heeft minstens 4 punten.")
    shape = shapely.geometry.shape({"type": node.type, "coordinates": coords})
    reason = shapely.is_valid_reason(shape)
    if reason != "Valid Geometry":
        raise InvalidInput(f"Ongeldige geometrie ({node.type}): {reason}.")
    return shape
