#!/usr/bin/env python3
"""Generate the committed demo data of the fictional gemeente Lindewaard (GM9901).

Writes GeoPackages in RD New (EPSG:28992) and the category list under data/:

    python scripts/make_demo_data.py            # default seed 9901, output in ./data
    python scripts/make_demo_data.py --out /tmp/demo --seed 9901

The output is deterministic: running it twice gives the same rows and coordinates (snapped to a
1 cm grid) and, with the fixed GeoPackage timestamp below, byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # allow running without installing the package
    sys.path.insert(0, str(ROOT))

from app.geo import synth_names as nm  # noqa: E402
from app.geo.synth import CRS, GRID, build_gemeente  # noqa: E402

# GDAL stamps "now" into gpkg_contents; pin it so regenerated files do not differ byte-wise.
FIXED_TIMESTAMP = "2025-01-01T00:00:00.000Z"
MIN_CONTRAST = 3.0


def contrast_with_white(kleur: str) -> float:
    """WCAG 2 contrast ratio of a #rrggbb colour against white (markers on a light map)."""
    rgb = [int(kleur[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (lum + 0.05)


def _snap(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Round coordinates to the centimetre so files are stable and diffs stay small."""
    out = gdf.copy()
    out.geometry = shapely.set_precision(out.geometry.values, GRID)
    return out.set_crs(CRS, allow_override=True)


def _write(path: Path, layers: dict[str, gpd.GeoDataFrame], index: bool = True) -> None:
    """Write layers to a fresh GeoPackage (removing the old file keeps it compact).

    Without ``index`` the file has no spatial index: a third smaller, and the loader reads
    whole layers anyway (GIS programs build one when they need it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    options = None if index else {"SPATIAL_INDEX": "NO"}
    for name, gdf in layers.items():
        pyogrio.write_dataframe(_snap(gdf), path, layer=name, driver="GPKG",
                                layer_options=options)


def write_categorieen(path: Path) -> None:
    """Write data/categorieen.csv; refuse colours that are unreadable on white."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "naam", "icoon", "kleur", "volgorde", "is_initiatief"])
        for i, cat in enumerate(nm.CATEGORIEEN, start=1):
            ratio = contrast_with_white(cat.kleur)
            if ratio < MIN_CONTRAST:
                raise ValueError(f"{cat.code}: contrast {ratio:.2f} < {MIN_CONTRAST}")
            writer.writerow([cat.code, cat.naam, cat.code, cat.kleur, i * 10,
                             "true" if cat.is_initiatief else "false"])


def main(argv: list[str] | None = None) -> int:
    """Build the demo gemeente and write all files under --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="output directory")
    parser.add_argument("--seed", type=int, default=9901, help="random seed (default 9901)")
    args = parser.parse_args(argv)

    demo = build_gemeente(args.seed)
    out: Path = args.out
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    try:
        _write(out / "wijken" / "gebieden.gpkg", {"gemeente": demo.gemeente,
                                                  "gebieden": demo.gebieden,
                                                  "bebouwde_kom": demo.bebouwde_kom})
        _write(out / "voorzieningen.gpkg", {"voorzieningen": demo.voorzieningen})
        _write(out / "groenvakken.gpkg", {"groenvakken": demo.groenvakken})
        _write(out / "geografie.gpkg", {"adres": demo.adressen, "straat": demo.straten,
                                        "pand": demo.panden, "water": demo.water,
                                        "terrein": demo.terrein}, index=False)
    finally:  # the option is process-wide; do not leak it into other callers
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    write_categorieen(out / "categorieen.csv")
    soorten = demo.gebieden.soort.value_counts().to_dict()
    print(f"Lindewaard (seed {args.seed}) -> {out}: gebieden {soorten}, "
          f"bebouwde_kom {len(demo.bebouwde_kom)}, voorzieningen {len(demo.voorzieningen)}, "
          f"groenvakken {len(demo.groenvakken)}, adressen {len(demo.adressen)}, "
          f"straten {len(demo.straten)}, panden {len(demo.panden)}, water {len(demo.water)}, "
          f"terrein {len(demo.terrein)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
