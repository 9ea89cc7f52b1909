"""Export of layers to shapefile (zip), GeoPackage, GeoJSON or CSV, for the CLI and the site.

`parse` checks the request without the database and returns Dutch messages per field;
`write` streams the rows from PostGIS into a file, batch by batch. The file appears under its
final name only when complete, so a failed export leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from app.errors import NotFound
from app.services.export import query as export_query
from app.services.export.lagen import ALLES, LAYERS, ExportLayer
from app.services.export.query import Selection, Stats
from app.services.export.shapefile import readme, short_names, zip_shapefile
from app.services.export.writers import write_csv, write_geojson, write_ogr

Advance = Callable[[int], None]
WIJK_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class Formaat:
    code: str
    naam: str
    extensie: str
    media_type: str


FORMATEN = {f.code: f for f in (
    Formaat("shp", "Shapefile (zip, RD New)", ".zip", "application/zip"),
    Formaat("gpkg", "GeoPackage (RD New)", ".gpkg", "application/geopackage+sqlite3"),
    Formaat("geojson", "GeoJSON (WGS 84, RFC 7946)", ".geojson", "application/geo+json"),
    Formaat("csv", "CSV met WKT en x/y (RD New)", ".csv", "text/csv; charset=utf-8"),
)}


@dataclass(frozen=True)
class ExportRequest:
    """What to export: one or more layers (several only in a GeoPackage), format, selection."""

    lagen: tuple[str, ...]
    formaat: str
    selection: Selection

    @property
    def layers(self) -> list[ExportLayer]:
        return [LAYERS[name] for name in self.lagen]


def _check_lagen(lagen: Sequence[str], formaat: str) -> tuple[tuple[str, ...], str | None]:
    names = tuple(dict.fromkeys(n.strip().lower() for n in lagen if n.strip()))
    if not names:
        return (), "Kies een laag."
    unknown = [n for n in names if n not in LAYERS and n != ALLES]
    if unknown:
        return (), (f"Onbekende laag '{unknown[0]}': kies gebieden, voorzieningen, groenvakken "
                    "of adopties (of 'alles' voor een GeoPackage).")
    if ALLES in names:
        names = tuple(LAYERS)
    if len(names) > 1 and formaat != "gpkg":
        return (), "Meerdere lagen in één bestand kan alleen als GeoPackage (formaat gpkg)."
    return names, None


def _check_statussen(names: tuple[str, ...], statussen: Sequence[str]) -> str | None:
    if not statussen:
        return None
    with_status = [LAYERS[n] for n in names if LAYERS[n].statuses]
    if len(names) != 1 or not with_status:
        return "Op status filteren kan alleen bij één laag: groenvakken of adopties."
    layer = with_status[0]
    wrong = [s for s in statussen if s not in layer.statuses]
    if wrong:
        return (f"Onbekende status '{wrong[0]}' voor {layer.name}: kies uit "
                f"{', '.join(layer.statuses)}.")
    return None


def parse(lagen: Sequence[str], formaat: str, wijk: str | None, statussen: Sequence[str],
          gemeente: str) -> tuple[ExportRequest | None, dict[str, str]]:
    """The request, or Dutch messages per field (laag, formaat, wijk, status)."""
    fouten: dict[str, str] = {}
    formaat = (formaat or "").strip().lower()
    if formaat not in FORMATEN:
        fouten["formaat"] = "Kies als formaat shp, gpkg, geojson of csv."
    names, fout = _check_lagen(lagen, formaat)
    if fout:
        fouten["laag"] = fout
    wijk = (wijk or "").strip() or None
    if wijk is not None and not WIJK_CODE.match(wijk):
        fouten["wijk"] = "Een wijkcode bestaat uit letters en cijfers, bijvoorbeeld WK082801."
    statussen = tuple(dict.fromkeys(s.strip() for s in statussen if s.strip()))
    if names and (fout := _check_statussen(names, statussen)):
        fouten["status"] = fout
    if fouten:
        return None, fouten
    return ExportRequest(names, formaat, Selection(gemeente, wijk, statussen)), {}


def gemeente_code(conn: Connection, code: str | None) -> str:
    """The gemeente asked for, or the only one in the database."""
    found = conn.execute(text("SELECT code FROM gemeente WHERE CAST(:code AS text) IS NULL "
                              "OR code = :code ORDER BY code LIMIT 1"), {"code": code}).scalar()
    if found is None:
        raise NotFound(f"Gemeente {code} bestaat niet." if code else
                       "Er is nog geen gemeente geladen: voer `kaart demo load` uit.")
    return str(found)


def check_wijk(conn: Connection, selection: Selection) -> None:
    """404 for a wijk or dorp this gemeente does not have."""
    if selection.wijk is None:
        return
    found = conn.execute(text("SELECT 1 FROM gebied WHERE gemeente_code = :g AND code = :w "
                              "AND soort IN ('wijk', 'dorp')"),
                         {"g": selection.gemeente, "w": selection.wijk}).scalar()
    if found is None:
        raise NotFound(f"Wijk of dorp '{selection.wijk}' bestaat niet in deze gemeente.")


def plan(conn: Connection, request: ExportRequest) -> dict[str, Stats]:
    """Per layer: how many features (the progress bar's total) and the text field widths."""
    return {layer.name: export_query.stats(conn, layer, request.selection)
            for layer in request.layers}


def file_name(request: ExportRequest) -> str:
    """groenvakken-WK082801-beschikbaar.zip: says what is in it."""
    naam = ALLES if len(request.lagen) == len(LAYERS) > 1 else "-".join(request.lagen)
    parts = [naam, request.selection.wijk or "", *request.selection.statussen]
    return "-".join(p for p in parts if p) + FORMATEN[request.formaat].extensie


def _noop(n: int) -> None:
    return None


def write(conn: Connection, request: ExportRequest, target: Path, advance: Advance = _noop,
          batch_size: int = 10_000, stats: dict[str, Stats] | None = None) -> dict[str, int]:
    """Write the export to `target`; returns the count per layer. `stats` from plan(), made
    in the same transaction, saves a pass for a shapefile."""
    work = target.parent / f".{target.name}.bezig"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        partial = work / target.name
        counts = _write(conn, request, partial, advance, batch_size, stats)
        partial.replace(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts


def _write(conn: Connection, request: ExportRequest, path: Path, advance: Advance,
           batch_size: int, stats: dict[str, Stats] | None) -> dict[str, int]:
    selection, counts = request.selection, {}
    for layer in request.layers:
        if request.formaat in ("shp", "gpkg"):
            rows = export_query.batches(conn, layer, selection, "wkb", batch_size)
            names = list(layer.props)
            if request.formaat == "shp":
                short = short_names(names)
                known = (stats or {}).get(layer.name) or export_query.stats(conn, layer,
                                                                            selection)
                parts = path.parent / "delen"
                parts.mkdir(exist_ok=True)
                counts[layer.name] = write_ogr(parts / f"{layer.name}.shp",
                                               "ESRI Shapefile", layer.name, layer.geometry_type,
                                               layer.props, [short[n] for n in names], rows,
                                               advance, known.widths)
                text_ = readme(layer, short, selection, counts[layer.name], datetime.now(UTC))
                zip_shapefile(parts, layer.name, text_, path)
            else:
                counts[layer.name] = write_ogr(path, "GPKG", layer.name, layer.geometry_type,
                                               layer.props, names, rows, advance)
            continue
        mode: export_query.Mode = "csv" if request.formaat == "csv" else "geojson"
        rows = export_query.batches(conn, layer, selection, mode, batch_size)
        with path.open("w", encoding="utf-8", newline="") as out:
            if mode == "csv":
                header = [*layer.props, *(n for n, _ in export_query.csv_names(layer)),
                          "wkt", "x", "y"]
                counts[layer.name] = write_csv(out, header, rows, advance)
            else:
                counts[layer.name] = write_geojson(out, layer.name, rows, advance)
    return counts
