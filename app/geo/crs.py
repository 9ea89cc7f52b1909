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


def srid_of(uri: str | None, parameter: str) -> int:
    """The SRID for a CRS URI (or EPSG:n shorthand); 400 when we do not offer it."""
    if uri is None or uri == "":
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


def bbox_envelope(values: list[float], srid: int) -> tuple[str, dict[str, float]]:
    """An RD New envelope (SQL and its parameters) from a 4- or 6-number bbox in `srid`'s
    axis order."""
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if srid in LAT_LON:  # lat/lon order: (minlat, minlon, maxlat, maxlon)
        values = [values[1], values[0], values[3], values[2]]
    minx, miny, maxx, maxy = values
    if srid in (4326, 4258) and not (-180 <= minx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidInput("bbox: coördinaten buiten het bereik van lengte- en breedtegraden.")
    params = {"bbox_minx": minx, "bbox_miny": miny, "bbox_maxx": maxx, "bbox_maxy": maxy}
    env = f"ST_MakeEnvelope(:bbox_minx, :bbox_miny, :bbox_maxx, :bbox_maxy, {srid})"
    if srid in (4326, 4258) and minx > maxx:
        raise InvalidInput("bbox: een bbox over de datumgrens wordt niet ondersteund.")
    # a scalar subquery, so the envelope is computed once per statement even in a generic
    # plan (prepared statements), where nothing folds ST_Transform of parameters to a constant
    return f"(SELECT {env if srid == RD_NEW else f'ST_Transform({env}, {RD_NEW})'})", params
