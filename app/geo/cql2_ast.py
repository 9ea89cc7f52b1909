"""CQL2 expression tree and vocabulary shared by the cql2-text and cql2-json readers.

The tree mirrors cql2-json (`Op("and", ...)`, `Property("naam")`), so a text filter and its
JSON twin parse to equal trees and translate to identical SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

MAX_DEPTH = 50


@dataclass(frozen=True)
class Property:
    """A reference to a queryable; `geometry` is the feature geometry."""

    name: str


@dataclass(frozen=True)
class Literal:
    """A scalar value; kind is string, number, boolean, date or timestamp."""

    value: str | int | float | bool | date | datetime
    kind: str


@dataclass(frozen=True)
class Geometry:
    """A geometry literal in GeoJSON terms; a GeometryCollection holds Geometry parts."""

    type: str
    # nested tuples of numbers whose depth depends on `type`, or Geometry parts for a collection
    coordinates: tuple[Any, ...]


@dataclass(frozen=True)
class Bbox:
    """BBOX(...) / {"bbox": [...]}: 4 or 6 numbers in the axis order of the filter CRS."""

    values: tuple[float, ...]


@dataclass(frozen=True)
class Op:
    """An operator with the cql2-json name (and, =, like, isNull, s_intersects, ...)."""

    op: str
    args: tuple[Node, ...]


Node = Op | Property | Literal | Geometry | Bbox

COMPARISON = ("=", "<>", "<", ">", "<=", ">=")
SPATIAL = ("s_intersects", "s_equals", "s_disjoint", "s_touches", "s_within", "s_overlaps",
           "s_crosses", "s_contains")
TEMPORAL = ("date", "timestamp")
UNSUPPORTED = re.compile(r"(T|A)_[A-Z]+|CASEI|ACCENTI|INTERVAL|DIV", re.I)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def parse_instant(text: str, kind: str) -> date | datetime:
    """RFC 3339 date or timestamp (UTC); ValueError carries the Dutch reason."""
    if kind == "date" and _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    m = _TIMESTAMP.fullmatch(text) if kind == "timestamp" else None
    if m:
        zone = "+00:00" if m[3] in "Zz" else m[3]
        try:
            return datetime.fromisoformat(m[1] + (m[2] or "")[:7] + zone).astimezone(UTC)
        except ValueError:
            pass
    what = "ongeldige datum" if kind == "date" else "ongeldig tijdstip"
    example = "'2025-01-31'" if kind == "date" else "'2025-01-31T12:00:00Z'"
    raise ValueError(f"{what} '{text}', verwacht bijvoorbeeld {example}")
