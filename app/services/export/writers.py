"""Writing batches of rows: GDAL (through pyogrio) for shapefile and GeoPackage, plain text
for CSV and GeoJSON, whose rows PostGIS already shaped. Each batch is written and dropped."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyogrio.raw

from app.geo.collections import Prop

Advance = Callable[[int], None]
RD_NEW = "EPSG:28992"


DBF_MAX = 254  # bytes in one dBase text field


def _column(values: Sequence[Any], prop: Prop, width: int | None) -> tuple[np.ndarray[Any, Any],
                                                                            Any]:
    """One attribute as a numpy array for GDAL, plus a null mask where the type needs one.

    With a width, text becomes a fixed-width array: pyogrio then declares that field width,
    so a dBase file carries no padding up to GDAL's default of 80."""
    if prop.type == "number":
        return np.array([np.nan if v is None else v for v in values], dtype="float64"), None
    if prop.type in ("integer", "boolean"):
        dtype = "int64" if prop.type == "integer" else "bool"
        mask = np.array([v is None for v in values], dtype="bool")
        data = np.array([0 if v is None else v for v in values], dtype=dtype)
        return data, mask if mask.any() else None
    if prop.format == "date":
        return np.array(values, dtype="datetime64[D]"), None
    if width is not None:
        mask = np.array([v is None for v in values], dtype="bool")
        data = np.array(["" if v is None else v for v in values],
                        dtype=f"<U{min(width, DBF_MAX)}")
        return data, mask if mask.any() else None
    return np.array(values, dtype=object), None


def _write_batch(path: Path, driver: str, layer_name: str, geometry_type: str,
                 kinds: list[Prop], widths: list[int | None], field_names: list[str],
                 columns: list[Sequence[Any]], append: bool, options: dict[str, Any]) -> None:
    pairs = [_column(values, prop, width)
             for values, prop, width in zip(columns, kinds, widths, strict=False)]
    masks = [mask for _, mask in pairs]
    pyogrio.raw.write(str(path), np.array(columns[-1], dtype=object), [d for d, _ in pairs],
                      field_names, field_mask=masks if any(m is not None for m in masks) else None,
                      layer=layer_name, driver=driver, geometry_type=geometry_type, crs=RD_NEW,
                      append=append, **options)


def write_ogr(path: Path, driver: str, layer_name: str, geometry_type: str,
              props: dict[str, Prop], field_names: list[str],
              batches: Iterable[Sequence[Sequence[Any]]], advance: Advance,
              widths: dict[str, int] | None = None) -> int:
    """Write one layer batch by batch (appending after the first); returns the count.

    Rows are the properties in `props` order, then the geometry as WKB in RD New. `widths`
    (text fields, in bytes) fixes the field widths; GDAL widens a field if a value needs it."""
    kinds = list(props.values())
    options: dict[str, Any] = {"encoding": "UTF-8"} if driver == "ESRI Shapefile" else {}
    plain: list[int | None] = [None] * len(kinds)
    created = False
    if widths:  # an empty first write declares the widths; the rows follow as plain objects
        sizes = [widths.get(name) for name in props]
        _write_batch(path, driver, layer_name, geometry_type, kinds, sizes, field_names,
                     [()] * (len(kinds) + 1), False, options)
        created = True
    written = 0
    for rows in batches:
        if rows:
            _write_batch(path, driver, layer_name, geometry_type, kinds, plain, field_names,
                         list(zip(*rows, strict=True)), created, options)
            created = True
            written += len(rows)
            advance(len(rows))
    if not created:  # the layer exists, with its fields, even when nothing matched
        _write_batch(path, driver, layer_name, geometry_type, kinds, plain, field_names,
                     [()] * (len(kinds) + 1), False, options)
    return written


def write_csv(out: IO[str], header: list[str], batches: Iterable[Sequence[Sequence[Any]]],
              advance: Advance) -> int:
    """CSV in UTF-8 with a header; PostGIS already made every value text (WKT, x, y).
    Semicolons, as /wijken.csv: Excel set to Dutch reads a comma file as one column."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    written = 0
    for rows in batches:
        writer.writerows(rows)
        written += len(rows)
        advance(len(rows))
    return written


def write_geojson(out: IO[str], name: str, batches: Iterable[Sequence[Sequence[Any]]],
                  advance: Advance) -> int:
    """An RFC 7946 FeatureCollection in CRS84; each row is one feature made by PostGIS."""
    out.write('{"type":"FeatureCollection","name":"' + name + '","features":[\n')
    written = 0
    for rows in batches:
        chunk = io.StringIO()
        for row in rows:
            if written:
                chunk.write(",\n")
            chunk.write(row[0])
            written += 1
        out.write(chunk.getvalue())
        advance(len(rows))
    out.write("\n]}\n")
    return written
