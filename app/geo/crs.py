"""The CRSs the API speaks (OGC API – Features Part 2), with their axis order."""

from __future__ import annotations

import math

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


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return (EARTH_RADIUS * math.radians(lon),
            EARTH_RADIUS * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


# Where data in RD New can lie (EPSG:28992's area of use, with a wide margin), in lon/lat and in
# Web Mercator. A bbox is clipped to it first: what lies outside holds no object, and huge or
# far-away values then never reach ST_Transform.
EARTH_RADIUS = 6378137.0
AREA_LONLAT = (2.0, 50.0, 8.0, 54.5)
AREA = {4326: AREA_LONLAT, 4258: AREA_LONLAT,
        3857: (*_mercator(*AREA_LONLAT[:2]), *_mercator(*AREA_LONLAT[2:]))}
EVERYWHERE = (-math.inf, -math.inf, math.inf, math.inf)


def bbox_envelope(values: list[float], srid: int) -> tuple[str, dict[str, float]]:
    """RD New SQL (and its parameters) for a 4- or 6-number bbox in `srid`'s axis order.

    West above east in longitude crosses the antimeridian (OGC API – Features Part 1); any
    other lower bound above its upper bound is an empty box, which no object touches."""
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if srid in LAT_LON:  # lat/lon order: (minlat, minlon, maxlat, maxlon)
        values = [values[1], values[0], values[3], values[2]]
    minx, miny, maxx, maxy = values
    spans = [(minx, maxx)]
    if srid in (4326, 4258) and minx > maxx:
        spans = [(minx, 180.0), (-180.0, maxx)]
    area = AREA.get(srid, EVERYWHERE)
    low_y, high_y = max(miny, area[1]), min(maxy, area[3])
    boxes = [(max(a, area[0]), low_y, min(b, area[2]), high_y) for a, b in spans]
    boxes = [box for box in boxes if box[0] <= box[2] and box[1] <= box[3]]
    if not boxes:
        return "(SELECT NULL::geometry)", {}
    params: dict[str, float] = {}
    envelopes = []
    for i, box in enumerate(boxes):
        names = [f"bbox{i}_{corner}" for corner in ("minx", "miny", "maxx", "maxy")]
        params.update(zip(names, box, strict=True))
        envelopes.append(f"ST_MakeEnvelope({', '.join(':' + n for n in names)}, {srid})")
    env = envelopes[0] if len(envelopes) == 1 else f"ST_Collect({', '.join(envelopes)})"
    # a scalar subquery, so the envelope is computed once per statement even in a generic
    # plan (prepared statements), where nothing folds ST_Transform of parameters to a constant
    return f"(SELECT {env if srid == RD_NEW else f'ST_Transform({env}, {RD_NEW})'})", params
