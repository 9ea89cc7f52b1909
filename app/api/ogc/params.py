"""Query parameters of the OGC API: validated here, so the rest sees only clean values."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from fastapi import Request

from app.errors import InvalidInput
from app.geo import cql2, crs
from app.geo.collections import Collection, Prop
from app.geo.features import FeatureQuery

MAX_LIMIT = 10_000
ITEMS_PARAMS = {"f", "limit", "bbox", "bbox-crs", "crs", "datetime", "cursor", "filter",
                "filter-lang", "filter-crs"}
FORMATS = {"json", "html"}


def check_params(request: Request, allowed: set[str]) -> None:
    """An unknown parameter is a client error, not something to ignore silently."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise InvalidInput(f"Onbekende parameter(s): {', '.join(unknown)}. Toegestaan: "
                           f"{', '.join(sorted(allowed)) or 'geen'}.")
    for name in request.query_params:
        if len(request.query_params.getlist(name)) > 1:
            raise InvalidInput(f"Parameter {name} mag maar één keer voorkomen.")


def output_format(request: Request) -> str:
    """json or html: ?f= wins, then the Accept header; JSON by default."""
    f = request.query_params.get("f")
    if f is not None:
        if f not in FORMATS:
            raise InvalidInput(f"f: onbekend formaat '{f}'; kies json of html.")
        return f
    accept = request.headers.get("accept", "")
    if "text/html" in accept and "json" not in accept.split(",")[0]:
        return "html"
    return "json"


def _number_list(raw: str, name: str) -> list[float]:
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError:
        raise InvalidInput(f"{name}: verwacht getallen gescheiden door komma's.") from None
    if any(v != v or v in (float("inf"), float("-inf")) for v in values):
        raise InvalidInput(f"{name}: ongeldige getallen.")
    return values


def parse_limit(raw: str | None) -> int:
    """Default 10; larger than the maximum is clamped, as OGC API – Features allows."""
    if raw is None:
        return 10
    digits = raw.lstrip("0")
    if not re.fullmatch(r"\d+", raw) or not digits:
        raise InvalidInput("limit: verwacht een geheel getal van 1 of meer.")
    return MAX_LIMIT if len(digits) > 9 else min(int(digits), MAX_LIMIT)


def parse_bbox(raw: str | None, bbox_crs: str | None) -> tuple[str, dict[str, float]] | None:
    """4 or 6 numbers in the axis order of bbox-crs (default CRS84)."""
    srid = crs.srid_of(bbox_crs, "bbox-crs")  # checked even without bbox: it must be valid
    if raw is None:
        return None
    values = _number_list(raw, "bbox")
    if len(values) not in (4, 6):
        raise InvalidInput("bbox: verwacht 4 of 6 getallen.")
    return crs.bbox_envelope(values, srid)


def _instant(raw: str) -> datetime | None:
    if raw in ("..", ""):
        return None
    try:
        value = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        try:
            value = datetime.combine(date.fromisoformat(raw), datetime.min.time())
        except ValueError:
            raise InvalidInput(f"datetime: '{raw}' is geen RFC 3339-tijd of -datum.") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_datetime(raw: str | None) -> tuple[datetime | None, datetime | None] | None:
    """An instant or an interval (start/end, either open with '..')."""
    if raw is None:
        return None
    if "/" in raw:
        start_raw, _, end_raw = raw.partition("/")
        start, end = _instant(start_raw), _instant(end_raw)
        if start and end and start > end:
            raise InvalidInput("datetime: het begin ligt na het einde.")
        return start, end
    instant = _instant(raw)
    return instant, instant


def parse_cursor(raw: str | None) -> tuple[int | None, int | None]:
    """Our keyset cursor: 'a<id>' (after) or 'b<id>' (before); links carry it."""
    if raw is None:
        return None, None
    match = re.fullmatch(r"([ab])(\d{1,12})", raw)
    if not match:
        raise InvalidInput("cursor: ongeldige waarde; gebruik de next- en prev-links.")
    value = int(match.group(2))
    return (value, None) if match.group(1) == "a" else (None, value)


def _typed(prop: Prop, raw: str, name: str) -> int | float | bool | str:
    """Cast a simple filter value to its property's type."""
    if prop.type == "integer":
        if not re.fullmatch(r"-?\d{1,12}", raw):
            raise InvalidInput(f"{name}: verwacht een geheel getal.")
        return int(raw)
    if prop.type == "number":
        return _number_list(raw, name)[0]
    if prop.type == "boolean":
        if raw not in ("true", "false"):
            raise InvalidInput(f"{name}: verwacht true of false.")
        return raw == "true"
    if prop.enum and raw not in prop.enum:
        raise InvalidInput(f"{name}: kies uit {', '.join(prop.enum)}.")
    return raw


def items_query(request: Request, c: Collection) -> FeatureQuery:
    """All of an items request's parameters, checked."""
    check_params(request, ITEMS_PARAMS | set(c.filters) | ({"datetime"} if c.temporal else set()))
    qp = request.query_params
    if qp.get("datetime") is not None and not c.temporal:
        raise InvalidInput("datetime: deze collectie heeft geen tijd.")
    after, before = parse_cursor(qp.get("cursor"))
    query = FeatureQuery(collection=c, limit=parse_limit(qp.get("limit")), after=after,
                         before=before, srid=crs.srid_of(qp.get("crs"), "crs"),
                         bbox=parse_bbox(qp.get("bbox"), qp.get("bbox-crs")),
                         interval=parse_datetime(qp.get("datetime")),
                         equals={n: _typed(c.props[n], qp[n], n) for n in c.filters if n in qp})
    # filter-lang and filter-crs are checked even without a filter; an empty filter is none
    lang = qp.get("filter-lang", "cql2-text")
    if lang not in ("cql2-text", "cql2-json"):
        raise InvalidInput("filter-lang: kies cql2-text of cql2-json.")
    filter_srid = crs.srid_of(qp.get("filter-crs"), "filter-crs")
    if (qp.get("filter") or "").strip():
        query.cql = cql2.to_sql(cql2.parse(qp["filter"], lang), c.props, filter_srid)
    return query
