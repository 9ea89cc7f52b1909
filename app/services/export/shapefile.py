"""Shapefile specifics: field names of at most 10 characters, the README.txt that lists the
full names and the status values, and the zip that holds the whole set."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

from app.services.export.lagen import ExportLayer
from app.services.export.query import Selection

MAX_NAME = 10  # dBase field names
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def short_names(names: list[str]) -> dict[str, str]:
    """Full name -> a unique name of at most 10 characters, the same every time.

    The longest part between underscores is shortened first (`oppervlakte_m2` ->
    `oppervl_m2`); a name that collides ends in a number instead."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        parts = name.split("_")
        while len("_".join(parts)) > MAX_NAME:
            longest = max(range(len(parts)), key=lambda i: (len(parts[i]), -i))
            if len(parts[longest]) > 1:
                parts[longest] = parts[longest][:-1]
            else:
                parts.pop()
        short = "_".join(parts).strip("_") or "veld"
        number = 1
        base = short
        while short.lower() in taken:
            suffix = str(number)
            short = base[:MAX_NAME - len(suffix)] + suffix
            number += 1
        taken.add(short.lower())
        result[name] = short
    return result


def readme(layer: ExportLayer, names: dict[str, str], selection: Selection, count: int,
           made: datetime) -> str:
    """README.txt: where the file comes from, the CRS, the encoding and every field."""
    width = max(len(s) for s in names.values())
    lines = [
        f"{layer.title} – export uit de Voorzieningenkaart",
        "",
        f"Laag: {layer.name}",
        f"Gemeente: {selection.gemeente}",
        f"Wijk of dorp: {selection.wijk or 'alle'}",
        f"Status: {', '.join(selection.statussen) if selection.statussen else 'alle'}",
        f"Aantal objecten: {count}",
        f"Gemaakt op: {made:%Y-%m-%d %H:%M} (UTC)",
        "",
        "Coördinaten: RD New (EPSG:28992), in meters; zie het .prj-bestand.",
        "Tekens: UTF-8 (het .cpg-bestand zegt dat aan GIS-programma's).",
        f"Geometrie: {layer.geometry_type}; een vlak uit meerdere delen blijft één object.",
        "Tijdstippen staan in UTC (ISO 8601), datums als datum.",
        "Een dBase-veld houdt hoogstens 254 bytes tekst; langere tekst is afgekapt. "
        "De GeoPackage-export bevat alles volledig.",
        "Persoonsgegevens van bewoners (namen, e-mailadressen) staan niet in deze export.",
        "",
        "Velden (een shapefile staat hoogstens 10 tekens per veldnaam toe):",
        "",
        f"{'veld'.ljust(width)}  volledige naam – betekenis",
    ]
    for full, prop in layer.props.items():
        lines.append(f"{names[full].ljust(width)}  {full} – {prop.title}")
    if layer.status_uitleg:
        lines += ["", "Waarden van 'status':", ""]
        lines += [f"  {value}: {meaning}" for value, meaning in layer.status_uitleg]
    return "\r\n".join(lines) + "\r\n"


def zip_shapefile(folder: Path, stem: str, readme_text: str, target: Path) -> None:
    """Deflate the parts and the README into one zip; the parts are removed as they go."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for suffix in SHAPEFILE_PARTS:
            part = folder / f"{stem}{suffix}"
            if part.exists():
                z.write(part, part.name)
                part.unlink()
        z.writestr("README.txt", readme_text.encode("utf-8"))
