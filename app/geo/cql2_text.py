"""cql2-text: the tokenizer and recursive-descent parser (OGC 21-065 Annex B).

Text filters parse to the tree in `cql2_ast`, the same one the cql2-json reader builds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, TypeVar

from app.errors import InvalidInput
from app.geo.cql2_ast import (
    COMPARISON,
    MAX_DEPTH,
    SPATIAL,
    UNSUPPORTED,
    Bbox,
    Geometry,
    Literal,
    Node,
    Op,
    Property,
    parse_instant,
)

T = TypeVar("T")

GEOMETRY_TYPES = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon",
                  "MULTIPOINT": "MultiPoint", "MULTILINESTRING": "MultiLineString",
                  "MULTIPOLYGON": "MultiPolygon", "GEOMETRYCOLLECTION": "GeometryCollection"}
RESERVED = {"AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE", "DATE",
            "TIMESTAMP", "INTERVAL", "BBOX", "CASEI", "ACCENTI", "DIV", *GEOMETRY_TYPES}

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^'\\]|''|\\.)*')
  | (?P<qid>"[^"]+")
  | (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<id>(?:[^\W\d]|:)[\w.:\u0300-\u036f\u203f\u2040]*)
  | (?P<op><>|<=|>=|[=<>(),+-])
""", re.VERBOSE)


@dataclass(frozen=True)
class _Token:
    kind: str  # str, qid, num, id, op, eof
    text: str
    pos: int


def _tokens(text: str) -> list[_Token]:
    """Split into tokens; positions are 0-based offsets, reported 1-based."""
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            char = text[pos]
            why = ("tekst zonder afsluitend '" if char == "'" else
                   "gebruik <> voor 'niet gelijk'" if text.startswith("!=", pos) else
                   f"onverwacht teken '{char}'")
            _fail(pos, why)
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append(_Token(kind, m.group(), pos))
        pos = m.end()
    out.append(_Token("eof", "", len(text)))
    return out


def _fail(pos: int, why: str) -> NoReturn:
    """One message shape for every syntax error: where (1-based) and what was expected."""
    raise InvalidInput(f"Ongeldig CQL2-filter bij positie {pos + 1}: {why}.")


def parse_text(text: str) -> Node:
    """Parse a cql2-text filter into the shared tree."""
    return _Parser(text).filter()


class _Parser:
    """Recursive descent over Annex B: OR binds loosest, then AND, then NOT."""

    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def take(self) -> _Token:
        tok = self.peek()
        self.i += 1
        return tok

    def word(self, *words: str) -> bool:
        tok = self.peek()
        return tok.kind == "id" and tok.text.upper() in words

    def skip(self, word: str) -> bool:
        """Consume an optional keyword; tell whether it was there."""
        if not self.word(word):
            return False
        self.take()
        return True

    def expect(self, text: str) -> _Token:
        tok = self.peek()
        if tok.text.upper() != text or tok.kind not in ("op", "id"):
            self.fail(tok, f"verwacht '{text}'")
        return self.take()

    def fail(self, tok: _Token, why: str) -> NoReturn:
        found = "het einde van het filter" if tok.kind == "eof" else f"'{tok.text}'"
        _fail(tok.pos, f"{why}, maar vond {found}")

    def nest(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            _fail(tok.pos, f"het filter is te diep genest (maximaal {MAX_DEPTH} niveaus)")

    def filter(self) -> Node:
        node = self.disjunction()
        if self.peek().kind != "eof":
            self.fail(self.peek(), "verwacht AND, OR of het einde van het filter")
        return node

    def disjunction(self) -> Node:
        return self.chain("OR", self.conjunction)

    def conjunction(self) -> Node:
        return self.chain("AND", self.factor)

    def chain(self, word: str, item: Callable[[], Node]) -> Node:
        """item (word item)*, flattened like cql2-json's n-ary and/or."""
        args = [item()]
        while self.skip(word):
            args.append(item())
        return args[0] if len(args) == 1 else Op(word.lower(), tuple(args))

    def factor(self) -> Node:
        if not self.word("NOT"):
            return self.primary()
        self.nest(self.take())
        node = Op("not", (self.factor(),))
        self.depth -= 1
        return node

    def primary(self) -> Node:
        tok = self.peek()
        if tok.text == "(" and tok.kind == "op":
            self.nest(self.take())
            node = self.disjunction()
            self.expect(")")
            self.depth -= 1
            return node
        if self.word("TRUE", "FALSE"):
            return Literal(self.take().text.upper() == "TRUE", "boolean")
        if tok.kind == "id" and tok.text.lower() in SPATIAL:
            name = self.take().text.lower()
            self.expect("(")
            first = self.spatial_arg()
            self.expect(",")
            second = self.spatial_arg()
            self.expect(")")
            return Op(name, (first, second))
        self.unsupported(tok)
        if tok.kind == "id" and tok.text.upper() not in RESERVED and self.peek(1).text == "(":
            _fail(tok.pos, f"functie '{tok.text}' wordt niet ondersteund")
        return self.predicate()

    def unsupported(self, tok: _Token) -> None:
        """Name CQL2 operators outside our conformance classes instead of a vague error."""
        if tok.kind == "id" and UNSUPPORTED.fullmatch(tok.text) and self.peek(1).text == "(":
            _fail(tok.pos, f"operator '{tok.text}' wordt niet ondersteund")

    def property(self, why: str) -> Property:
        tok = self.peek()
        if tok.kind == "qid":
            return Property(self.take().text[1:-1])
        if tok.kind != "id" or tok.text.upper() in RESERVED:
            self.fail(tok, why)
        return Property(self.take().text)

    def predicate(self) -> Node:
        prop = self.property("verwacht een eigenschap, TRUE, FALSE, NOT, '(' of S_INTERSECTS")
        tok = self.peek()
        if tok.kind == "op" and tok.text in COMPARISON:
            self.take()
            return Op(tok.text, (prop, self.scalar()))
        if self.skip("IS"):
            negate = self.skip("NOT")
            self.expect("NULL")
            node: Node = Op("isNull", (prop,))
            return Op("not", (node,)) if negate else node
        negate = self.skip("NOT")
        if self.skip("LIKE"):
            if self.peek().kind != "str":
                self.fail(self.peek(), "verwacht een patroon tussen enkele aanhalingstekens")
            node = Op("like", (prop, self.scalar()))
        elif self.skip("BETWEEN"):
            low = self.scalar()
            self.expect("AND")
            node = Op("between", (prop, low, self.scalar()))
        elif self.skip("IN"):
            node = Op("in", (prop, *self.listed(self.scalar)))
        else:
            self.fail(self.peek(), "verwacht =, <>, <, >, <=, >=, LIKE, BETWEEN, IN of IS NULL"
                      if not negate else "verwacht LIKE, BETWEEN of IN na NOT")
        return Op("not", (node,)) if negate else node

    def scalar(self) -> Literal:
        tok = self.peek()
        if tok.kind == "str":
            self.take()
            return Literal(_unquote(tok.text), "string")
        if tok.kind == "num" or tok.text in ("-", "+"):
            return Literal(self.number(), "number")
        if self.word("TRUE", "FALSE"):
            return Literal(self.take().text.upper() == "TRUE", "boolean")
        if self.word("DATE", "TIMESTAMP"):
            kind = self.take().text.lower()
            self.expect("(")
            arg = self.peek()
            if arg.kind != "str":
                self.fail(arg, f"verwacht een {'datum' if kind == 'date' else 'tijdstip'} "
                               "tussen enkele aanhalingstekens")
            try:
                value = parse_instant(_unquote(self.take().text), kind)
            except ValueError as exc:
                _fail(arg.pos, str(exc))
            self.expect(")")
            return Literal(value, kind)
        self.unsupported(tok)
        if tok.kind in ("id", "qid") and tok.text.upper() not in RESERVED:
            _fail(tok.pos, "vergelijken met een andere eigenschap wordt niet ondersteund; "
                           "verwacht een waarde")
        self.fail(tok, "verwacht een waarde ('tekst', getal, TRUE, FALSE, DATE(...) of "
                       "TIMESTAMP(...))")

    def number(self) -> int | float:
        sign = self.take().text if self.peek().text in ("-", "+") else "+"
        tok = self.peek()
        if tok.kind != "num":
            self.fail(tok, "verwacht een getal")
        self.take()
        try:
            value = int(tok.text) if tok.text.isdigit() else float(tok.text)
            if not math.isfinite(value):
                raise OverflowError
        except (OverflowError, ValueError):
            _fail(tok.pos, "getal te groot")
        return -value if sign == "-" else value

    def spatial_arg(self) -> Node:
        tok = self.peek()
        if self.skip("BBOX"):
            values = self.listed(self.coordinate)
            if len(values) not in (4, 6):
                _fail(tok.pos, "BBOX verwacht 4 of 6 getallen")
            return Bbox(tuple(values))
        if self.word(*GEOMETRY_TYPES):
            return self.geometry(nested=False)
        return self.property("verwacht een geometrie (POINT, POLYGON, BBOX, ...) of geometry")

    def geometry(self, nested: bool) -> Geometry:
        tok = self.take()
        kind = GEOMETRY_TYPES.get(tok.text.upper(), "")
        if tok.kind != "id" or not kind or (nested and kind == "GeometryCollection"):
            self.fail(tok, "verwacht POINT, LINESTRING, POLYGON of een MULTI-variant")
        self.skip("Z")
        coords: tuple[object, ...]
        if kind == "GeometryCollection":
            coords = self.listed(lambda: self.geometry(nested=True))
        elif kind == "Point":
            self.expect("(")
            coords = self.position()
            self.expect(")")
        elif kind == "MultiPoint":
            coords = self.listed(self.multipoint_member)
        else:
            depth = {"LineString": 0, "Polygon": 1, "MultiLineString": 1, "MultiPolygon": 2}
            coords = self.positions(depth[kind])
        return Geometry(kind, coords)

    def positions(self, depth: int) -> tuple[object, ...]:
        """Nested parenthesised lists of positions: depth 0 is a line, 1 a polygon, ..."""
        if depth == 0:
            return self.listed(self.position)
        return self.listed(lambda: self.positions(depth - 1))

    def multipoint_member(self) -> tuple[float, ...]:
        """MULTIPOINT((1 2), (3 4)) per the BNF, and the common MULTIPOINT(1 2, 3 4)."""
        if self.peek().text != "(":
            return self.position()
        self.take()
        pos = self.position()
        self.expect(")")
        return pos

    def listed(self, item: Callable[[], T]) -> tuple[T, ...]:
        """'(' item (',' item)* ')'."""
        self.expect("(")
        items = [item()]
        while self.peek().text == ",":
            self.take()
            items.append(item())
        self.expect(")")
        return tuple(items)

    def coordinate(self) -> float:
        return float(self.number())

    def position(self) -> tuple[float, ...]:
        """x y [z]; the z is read and dropped, filters compare in 2D."""
        xy = (self.coordinate(), self.coordinate())
        if self.peek().kind == "num" or self.peek().text in ("-", "+"):
            self.coordinate()
        return xy


def _unquote(token: str) -> str:
    """Strip the quotes and undo both escapes of a quote: '' and \\'."""
    return re.sub(r"''|\\'", "'", token[1:-1])
