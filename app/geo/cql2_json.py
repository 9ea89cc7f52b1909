"""cql2-json: the JSON encoding of CQL2 read into the tree in `cql2_ast`.

Errors name the place as a JSON path (`$.args[1]`), since JSON has no useful character position.
"""

from __future__ import annotations

import json
import math
from typing import NoReturn

from app.errors import InvalidInput
from app.geo.cql2_ast import (
    COMPARISON,
    MAX_DEPTH,
    SPATIAL,
    TEMPORAL,
    UNSUPPORTED,
    Bbox,
    Geometry,
    Literal,
    Node,
    Op,
    Property,
    parse_instant,
)

_OPS = {op.lower(): op for op in ("and", "or", "not", *COMPARISON, "like", "between", "in",
                                  "isNull", *SPATIAL)}
_ARITY = {"and": 2, "or": 2, "not": 1, "like": 2, "between": 3, "in": 2, "isNull": 1}


def loads(text: str) -> object:
    """Decode a cql2-json filter sent as text; every decoding problem becomes InvalidInput."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Ongeldig CQL2-filter bij positie {exc.pos + 1}: geen geldige "
                           f"JSON ({exc.msg}).") from None
    except RecursionError:
        raise InvalidInput(f"Het filter is te diep genest (maximaal {MAX_DEPTH} "
                           "niveaus).") from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise InvalidInput("Het filter is geen geldige JSON: een getal is te lang.") from None


def parse_json(value: object) -> Node:
    """Read a decoded cql2-json filter (a boolean expression) into the shared tree."""
    return _boolean(value, "$", 0)


def _fail(path: str, why: str) -> NoReturn:
    """JSON has no useful character position, so errors name the place as a JSON path."""
    raise InvalidInput(f"Ongeldig CQL2-filter bij {path}: {why}.")


def _boolean(value: object, path: str, depth: int) -> Node:
    """A cql2-json boolean expression: true/false or {"op": ..., "args": [...]}."""
    if isinstance(value, bool):
        return Literal(value, "boolean")
    if not isinstance(value, dict) or not isinstance(value.get("op"), str):
        _fail(path, 'verwacht een expressie zoals {"op": "=", "args": [...]}, true of false')
    name, args = value["op"], value.get("args")
    op = _OPS.get(name.lower())
    if op is None:
        known = UNSUPPORTED.fullmatch(name) or name.lower() in ("+", "-", "*", "/", "^", "%")
        _fail(path, f"operator '{name}' wordt niet ondersteund" if known
              else f"onbekende operator '{name}'")
    arity = _ARITY.get(op, 2)
    if not isinstance(args, list) or len(args) < arity or (op not in ("and", "or")
                                                            and len(args) > arity):
        _fail(path, f"'{name}' verwacht \"args\" als lijst met {arity}"
                    f"{' of meer' if op in ('and', 'or') else ''} element(en)")
    at = [f"{path}.args[{i}]" for i in range(len(args))]
    if op in ("and", "or", "not"):
        if depth >= MAX_DEPTH:
            _fail(path, f"het filter is te diep genest (maximaal {MAX_DEPTH} niveaus)")
        return Op(op, tuple(_boolean(a, p, depth + 1) for a, p in zip(args, at, strict=True)))
    if op in SPATIAL:
        return Op(op, tuple(_spatial(a, p) for a, p in zip(args, at, strict=True)))
    prop = _property(args[0], at[0])
    if op == "isNull":
        return Op(op, (prop,))
    if op == "in":
        if not isinstance(args[1], list) or not args[1]:
            _fail(at[1], "verwacht een niet-lege lijst met waarden")
        return Op(op, (prop, *(_scalar(v, f"{at[1]}[{i}]") for i, v in enumerate(args[1]))))
    rest = tuple(_scalar(a, p) for a, p in zip(args[1:], at[1:], strict=True))
    if op == "like" and rest[0].kind != "string":
        _fail(at[1], "verwacht een patroon (tekst)")
    return Op(op, (prop, *rest))


def _property(value: object, path: str) -> Property:
    """Basic CQL2: the left-hand side of a predicate is always a property."""
    if isinstance(value, dict) and isinstance(value.get("property"), str):
        return Property(value["property"])
    _no_function(value, path)
    _fail(path, 'verwacht een eigenschap zoals {"property": "naam"}')


def _no_function(value: object, path: str) -> None:
    """CASEI, ACCENTI, arithmetic and custom functions are named, not called invalid."""
    if isinstance(value, dict) and isinstance(value.get("op"), str):
        _fail(path, f"operator '{value['op']}' wordt hier niet ondersteund")


def _scalar(value: object, path: str) -> Literal:
    """A literal: string, number, boolean, {"date": ...} or {"timestamp": ...}."""
    if isinstance(value, bool):
        return Literal(value, "boolean")
    if isinstance(value, int | float):
        if not _is_number(value):
            _fail(path, "getal te groot")
        return Literal(value, "number")
    if isinstance(value, str):
        return Literal(value, "string")
    for kind in TEMPORAL:
        if isinstance(value, dict) and isinstance(value.get(kind), str):
            try:
                return Literal(parse_instant(value[kind], kind), kind)
            except ValueError as exc:
                _fail(path, str(exc))
    if isinstance(value, dict) and "property" in value:
        _fail(path, "vergelijken met een andere eigenschap wordt niet ondersteund; "
                    "verwacht een waarde")
    _no_function(value, path)
    _fail(path, 'verwacht een waarde (tekst, getal, true, false, {"date": ...} of '
                '{"timestamp": ...})')


def _spatial(value: object, path: str) -> Node:
    """A spatial argument: {"property": "geometry"}, {"bbox": [...]} or a GeoJSON geometry."""
    if isinstance(value, dict) and "type" in value:  # a GeoJSON "bbox" member is ignored
        return _geojson(value, path, nested=False)
    if isinstance(value, dict) and "bbox" in value:
        box = value["bbox"]
        if not isinstance(box, list) or len(box) not in (4, 6) or not all(map(_is_number, box)):
            _fail(path, "bbox verwacht een lijst met 4 of 6 getallen")
        return Bbox(tuple(float(v) for v in box))
    if isinstance(value, dict) and "property" in value:
        return _property(value, path)
    _fail(path, 'verwacht een GeoJSON-geometrie, {"bbox": [...]} of {"property": "geometry"}')


_DEPTHS = {"Point": 0, "MultiPoint": 1, "LineString": 1, "Polygon": 2, "MultiLineString": 2,
           "MultiPolygon": 3}


def _geojson(value: dict[str, object], path: str, nested: bool) -> Geometry:
    """A GeoJSON geometry as the same tree node the WKT parser builds."""
    kind = value.get("type")
    parts = value.get("geometries")
    if kind == "GeometryCollection" and not nested:
        if not isinstance(parts, list) or not parts:
            _fail(path, "een GeometryCollection verwacht een niet-lege lijst \"geometries\"")
        return Geometry(kind, tuple(
            _geojson(g if isinstance(g, dict) else {}, f"{path}.geometries[{i}]", nested=True)
            for i, g in enumerate(parts)))
    if kind not in _DEPTHS:
        _fail(path, f"onbekend geometrietype {json.dumps(kind)}")
    return Geometry(kind, _coordinates(value.get("coordinates"), _DEPTHS[kind],
                                       f"{path}.coordinates"))


def _coordinates(value: object, depth: int, path: str) -> tuple[object, ...]:
    """Nested coordinate arrays; a position is 2 or 3 numbers, the third is dropped."""
    if not isinstance(value, list) or not value:
        _fail(path, "verwacht een niet-lege lijst met coördinaten")
    if depth == 0:
        if len(value) not in (2, 3) or not all(map(_is_number, value)):
            _fail(path, "een positie bestaat uit 2 of 3 getallen")
        return (float(value[0]), float(value[1]))
    return tuple(_coordinates(v, depth - 1, f"{path}[{i}]") for i, v in enumerate(value))


def _is_number(value: object) -> bool:
    """A finite JSON number that fits a double (True and False are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
