"""The CRSs the API speaks (OGC API – Features Part 2), with their axis order."""

from __future__ import annotations

from app.errors import InvalidInput

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
RD_NEW = 28992

# URI -> SRID in PostGIS. CRS84 is lon/lat (PostGIS 4326 order); EPSG:4258 is lat/lon by its
# definition, so those coordinates are flipped on the way in and out.
SUPPORTED: dict[str, int] = {CRS84: 4326, f"{EPSG}28992": 28992, f"{EPSG}4258": 4258,
                             f"{EPSG}3857": 3857}
LAT_LON = frozenset({4258})
URI = {srid: uri for uri, srid in SUPPORTED.items()}
# Millimetres: 3 decimals in metres, 8 in degrees (about 1 mm at our latitude).
DECIMALS = {4326: 8, 4258: 8, 28992: 3, 3857: 3}
# Where RD New may be used, with a margin (EPSG's area of use: lon 3.2..7.22, lat 50.75..53.7),
# in lon/lat and in Web Mercator metres: bboxes and filter literals are cut to it.
AREA_OF_USE: dict[int, tuple[float, float, float, float]] = {
    4326: (2.0, 50.0, 8.5, 54.5), 3857: (222638.98, 6446275.84, 946215.68, 7265424.82)}


def srid_of(uri: str | None, parameter: str) -> int:
    """The SRID for a CRS URI (or EPSG:n shorthand); 400 when we do not offer it."""
    if uri is None:
        return 4326
    uri = uri.strip().strip("[]")
    if uri.upper().startswith("EPSG:"):
        uri = EPSG + uri[5:]
    if uri not in SUPPORTED:
        raise InvalidInput(f"{parameter}: CRS '{uri}' wordt niet ondersteund; kies uit "
                           f"{', '.join(SUPPORTED)}.")
    return SUPPORTED[uri]


def output_geometry(expr: str, srid: int) -> str:
    """SQL turning a stored RD geometry into GeoJSON text in `srid`'s axis order."""
    geom = expr if srid == RD_NEW else f"ST_Transform({expr}, {srid})"
    if srid in LAT_LON:
        geom = f"ST_FlipCoordinates({geom})"
    return f"ST_AsGeoJSON({geom}, {DECIMALS[srid]}, 0)"  # 0: no legacy "crs" member


def input_geometry(expr: str, srid: int) -> str:
    """SQL turning a geometry given in `srid` (its axis order) into RD New."""
    if srid in LAT_LON:
        expr = f"ST_FlipCoordinates({expr})"
    return expr if srid == RD_NEW else f"ST_Transform({expr}, {RD_NEW})"


def _clamped(minx: float, miny: float, maxx: float, maxy: float,
             srid: int) -> list[tuple[float, float, float, float]]:
    """The parts of a bbox inside RD New's area of use, in lon/lat (or metres for 3857).

    RD New only holds in and near the Netherlands: transforming a world-wide box gives
    nonsense (and found nothing), so the box is cut to the area first. In CRS84 a box whose
    west edge lies east of its east edge crosses the antimeridian (OGC API – Features): two
    boxes. Any other lower bound above its upper bound is an empty box. Empty when the bbox
    lies wholly outside the area."""
    x0, y0, x1, y1 = AREA_OF_USE[4326 if srid in (4326, 4258) else srid]
    spans = [(minx, maxx)]
    if srid in (4326, 4258) and minx > maxx:
        spans = [(minx, 180.0), (-180.0, maxx)]
    low, high = max(miny, y0), min(maxy, y1)
    return [(max(a, x0), low, min(b, x1), high) for a, b in spans
            if max(a, x0) <= min(b, x1) and low <= high]


def bbox_envelope(values: list[float], srid: int) -> tuple[str, dict[str, float]]:
    """An RD New geometry (SQL and its parameters) from a 4- or 6-number bbox in `srid`'s
    axis order; NULL (matches nothing) when the bbox misses the Netherlands or is empty.

    Every schema-valid bbox is answered (no 400): what lies outside the area holds no object,
    and huge or far-away values never reach ST_Transform."""
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if srid in LAT_LON:  # lat/lon order: (minlat, minlon, maxlat, maxlon)
        values = [values[1], values[0], values[3], values[2]]
    minx, miny, maxx, maxy = values
    if srid == RD_NEW:
        if minx > maxx or miny > maxy:
            return "(SELECT NULL::geometry)", {}
        params = {"bbox0_minx": minx, "bbox0_miny": miny, "bbox0_maxx": maxx,
                  "bbox0_maxy": maxy}
        return f"(SELECT {_envelope(0, srid)})", params
    boxes = _clamped(minx, miny, maxx, maxy, srid)
    if not boxes:
        return "(SELECT NULL::geometry)", {}
    params = {f"bbox{i}_{k}": v for i, box in enumerate(boxes)
              for k, v in zip(("minx", "miny", "maxx", "maxy"), box, strict=True)}
    envelopes = [_envelope(i, srid) for i in range(len(boxes))]
    shape = envelopes[0] if len(boxes) == 1 else f"ST_Collect({', '.join(envelopes)})"
    # densified, so edges that are straight in lon/lat keep their curve in RD New; a scalar
    # subquery, so the envelope is computed once per statement even in a generic plan
    # (prepared statements), where nothing folds ST_Transform of parameters to a constant
    step = 0.005 if srid in (4326, 4258) else 500.0
    return f"(SELECT ST_Transform(ST_Segmentize({shape}, {step}), {RD_NEW}))", params


def _envelope(i: int, srid: int) -> str:
    return (f"ST_MakeEnvelope(:bbox{i}_minx, :bbox{i}_miny, :bbox{i}_maxx, :bbox{i}_maxy, "
            f"{srid})")
