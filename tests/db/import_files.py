"""Files for the import tests, made in the test: CBS-format gebieden, groenvakken, voorzieningen."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Point, Polygon, box
from sqlalchemy import Connection, text

RD = "EPSG:28992"
# A fictional second gemeente, well away from the demo gemeente (around x=232000, y=476000).
GM = "GM9902"
X0, Y0 = 150_000.0, 450_000.0


def cbs_gebieden(folder: Path, fmt: str = "gpkg", naam: str = "Testgemeente",
                 wijknaam_1: str = "Centrum") -> Path:
    """A CBS Wijk- en buurtkaart of one gemeente: 3 wijken of 2 buurten each, plus water."""
    wijken, buurten = [], []
    for w in range(3):
        code = f"WK{GM[2:]}0{w + 1}"
        wijken.append({"gemeentecode": GM, "gemeentenaam": naam, "wijkcode": code,
                       "wijknaam": wijknaam_1 if w == 0 else f"Wijk {w + 1}",
                       "aantal_inwoners": 1000 * (w + 1), "water": "NEE",
                       "geometry": box(X0 + w * 1000, Y0, X0 + (w + 1) * 1000, Y0 + 1000)})
        for b in range(2):
            buurten.append({"gemeentecode": GM, "gemeentenaam": naam, "wijkcode": code,
                            "buurtcode": f"BU{GM[2:]}0{w + 1}0{b + 1}",
                            "buurtnaam": f"Buurt {w + 1}.{b + 1}",
                            "aantal_inwoners": -99_999_997 if (w, b) == (2, 1) else 500 * (w + 1),
                            "water": "NEE",
                            "geometry": box(X0 + w * 1000, Y0 + b * 500, X0 + (w + 1) * 1000,
                                            Y0 + (b + 1) * 500)})
    # another gemeente in the same file, as in the national file
    wijken.append({"gemeentecode": "GM9903", "gemeentenaam": "Buurgemeente",
                   "wijkcode": "WK990301", "wijknaam": "Elders", "aantal_inwoners": 10,
                   "water": "NEE", "geometry": box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000)})
    gemeenten = [{"gemeentecode": GM, "gemeentenaam": naam, "water": "NEE",
                  "geometry": box(X0, Y0, X0 + 3000, Y0 + 1000)},
                 {"gemeentecode": GM, "gemeentenaam": naam, "water": "JA",
                  "geometry": box(X0, Y0 - 200, X0 + 3000, Y0)}]
    frames = {"gemeenten": gemeenten, "wijken": wijken, "buurten": buurten}
    if fmt == "gpkg":
        path = folder / "wijkenbuurten_2024_v1.gpkg"
        for layer, rows in frames.items():
            gpd.GeoDataFrame(rows, crs=RD).to_file(path, layer=layer, engine="pyogrio")
        return path
    for layer, rows in frames.items():  # the older Shapefiles with upper-case short names
        frame = gpd.GeoDataFrame(rows, crs=RD).rename(columns={
            "gemeentecode": "GM_CODE", "gemeentenaam": "GM_NAAM", "wijkcode": "WK_CODE",
            "wijknaam": "WK_NAAM", "buurtcode": "BU_CODE", "buurtnaam": "BU_NAAM",
            "aantal_inwoners": "AANT_INW", "water": "WATER"})
        frame.to_file(folder / f"{layer}.shp", engine="pyogrio")
    return folder / "wijken.shp"


def square(x: float, y: float, size: float = 10) -> Polygon:
    return box(x, y, x + size, y + size)


def demo_groenvakken(conn: Connection) -> gpd.GeoDataFrame:
    """The demo gemeente's groenvakken as a beheersysteem would export them."""
    rows = conn.execute(text("""SELECT extern_id AS vak_id, soort AS type, naam,
                                       ST_AsBinary(geometrie) AS wkb
                                  FROM groenvak WHERE gemeente_code = 'GM9901'
                                 ORDER BY extern_id""")).all()
    return gpd.GeoDataFrame(
        {"vak_id": [r.vak_id for r in rows], "type": [r.type for r in rows],
         "naam": [r.naam for r in rows]},
        geometry=gpd.GeoSeries.from_wkb([bytes(r.wkb) for r in rows]), crs=RD)


def write(frame: gpd.GeoDataFrame, path: Path, **kwargs: object) -> Path:
    frame.to_file(path, engine="pyogrio", **kwargs)
    return path


def voorzieningen_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


__all__ = ["GM", "RD", "MultiPolygon", "Point", "X0", "Y0", "cbs_gebieden", "demo_groenvakken",
           "square", "voorzieningen_csv", "write"]
