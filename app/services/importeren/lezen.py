"""Reading one layer with pyogrio: attributes as arrays and geometry as WKB, never as Python
objects per feature; the CRS from the file (or --crs) as an EPSG code for PostGIS."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pyogrio
import pyogrio.raw
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS
from pyproj.exceptions import CRSError

from app.services.importeren.bestand import Bron
from app.services.importeren.rapport import ImportFout

GEEN_CRS = ("Het bestand {naam} vermeldt geen coördinatenstelsel (geen .prj of CRS). Geef het "
            "op, bijvoorbeeld EPSG:28992 (RD New) of EPSG:4326 (lengte/breedte).")
ENCODING = ("Het bestand {naam} bevat tekst die niet als UTF-8 te lezen is. Sla het op als "
            "UTF-8 (bij een Shapefile: lever een .cpg-bestand met de juiste codering mee).")
VLAK = ("Polygon", "MultiPolygon")
PUNT = ("Point",)
TYPE_NL = {"Point": "punten", "MultiPoint": "punten", "LineString": "lijnen",
           "MultiLineString": "lijnen", "Polygon": "vlakken", "MultiPolygon": "vlakken",
           "GeometryCollection": "gemengde geometrie", "None": "geen geometrie"}
CSV_WKT = ("wkt", "geometrie", "geometry", "geom", "the_geom")
CSV_XY = {("lon", "lat"): 4326, ("longitude", "latitude"): 4326, ("lng", "lat"): 4326,
          ("rd_x", "rd_y"): 28992, ("x", "y"): None}


@dataclass
class Laag:
    """One layer in memory: attribute arrays by field name, WKB per feature, its EPSG code."""

    naam: str
    bestand: str
    velden: dict[str, np.ndarray]
    wkb: np.ndarray
    srid: int
    geografisch: bool
    geometrietype: str

    def __len__(self) -> int:
        return len(self.wkb)

    def zoek(self, veld: str) -> str | None:
        """The file's own spelling of a field, matched without regard to case."""
        lower = {k.lower(): k for k in self.velden}
        return lower.get(veld.strip().lower())

    def veld(self, veld: str, optie: str) -> np.ndarray:
        """A field that must exist, with a message that lists what the file has."""
        name = self.zoek(veld)
        if name is None:
            raise ImportFout(f"{optie}: het veld '{veld}' staat niet in {self.bestand}. "
                             f"Velden in het bestand: {', '.join(self.velden) or 'geen'}.")
        return self.velden[name]


def parse_crs(value: str | None) -> int | None:
    """'EPSG:28992', '28992' or an OGC URI to an EPSG code."""
    if value is None or not value.strip():
        return None
    found = re.fullmatch(r"\s*(?:EPSG:|.*/EPSG/0/)?(\d{4,5})\s*", value, re.IGNORECASE)
    if found is None:
        raise ImportFout(f"Coördinatenstelsel '{value}' is onbekend; geef een EPSG-code, "
                         "bijvoorbeeld EPSG:28992.")
    return int(found.group(1))


def lagen(bron: Bron) -> list[str]:
    """The layers with geometry in the file."""
    try:
        listed = pyogrio.list_layers(bron.pad)
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFout(f"Het bestand {bron.naam} is geen leesbaar bestand van dit type "
                         f"({bron.soort.lstrip('.')}).") from exc
    return [str(name) for name, gtype in listed if bron.soort == ".csv" or gtype is not None]


def lees(bron: Bron, laag: str | None, crs: str | None, soort: tuple[str, ...],
         doel: str, where: str | None = None, kolommen: list[str] | None = None) -> Laag:
    """Read `laag` (or the only layer) and check its geometry type against `soort`."""
    beschikbaar = lagen(bron)
    if laag is None:
        if not beschikbaar:
            raise ImportFout(f"Het bestand {bron.naam} bevat geen laag met geometrie.")
        if len(beschikbaar) > 1:
            raise ImportFout(f"Het bestand {bron.naam} heeft meerdere lagen "
                             f"({', '.join(beschikbaar)}); kies er één.")
        laag = beschikbaar[0]
    elif laag not in beschikbaar:
        raise ImportFout(f"De laag '{laag}' staat niet in {bron.naam}; lagen: "
                         f"{', '.join(beschikbaar) or 'geen'}.")
    opties: dict[str, object] = {}
    implied: int | None = None
    if bron.soort == ".csv":
        opties, implied = _csv_opties(bron)
    try:
        meta, _, wkb, data = pyogrio.raw.read(bron.pad, layer=laag, where=where,
                                              columns=kolommen, **opties)
    except UnicodeDecodeError as exc:
        raise ImportFout(ENCODING.format(naam=bron.naam)) from exc
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFout(f"Het bestand {bron.naam} kan niet worden gelezen: "
                         f"{str(exc).splitlines()[0]}") from exc
    if len(wkb) == 0:
        raise ImportFout(f"Het bestand {bron.naam} bevat geen objecten.")
    gtype = str(meta.get("geometry_type") or "None").replace(" Z", "").replace(" M", "")
    if gtype not in soort and gtype not in ("Unknown", "GeometryCollection"):
        raise ImportFout(geometrietype_fout(bron.naam, gtype, soort, doel))
    srid, geografisch = _srid(meta.get("crs"), parse_crs(crs), implied, bron.naam)
    velden = {str(n): np.asarray(v) for n, v in zip(meta["fields"], data, strict=True)}
    return Laag(laag, bron.naam, velden, np.asarray(wkb, dtype=object), srid, geografisch,
                gtype)


def geometrietype_fout(naam: str, gevonden: str, soort: tuple[str, ...], doel: str) -> str:
    """Dutch: what the file holds and what this layer needs."""
    nodig = "vlakken (Polygon of MultiPolygon)" if soort == VLAK else "punten (Point)"
    return (f"Het bestand {naam} bevat {TYPE_NL.get(gevonden, gevonden)}; voor {doel} zijn "
            f"{nodig} nodig.")


def _srid(file_crs: str | None, given: int | None, implied: int | None,
          naam: str) -> tuple[int, bool]:
    """--crs wins, then the file's own CRS, then what CSV column names say; else refuse."""
    srid = given
    if srid is None and file_crs:
        try:
            srid = CRS.from_user_input(file_crs).to_epsg(min_confidence=70)
        except CRSError:
            srid = None
        if srid is None:
            raise ImportFout(f"Het coördinatenstelsel van {naam} is niet herkend als EPSG-code; "
                             "geef het op, bijvoorbeeld EPSG:28992.")
    srid = srid if srid is not None else implied
    if srid is None:
        raise ImportFout(GEEN_CRS.format(naam=naam))
    try:
        geografisch = CRS.from_epsg(srid).is_geographic
    except CRSError as exc:
        raise ImportFout(f"EPSG:{srid} is geen bekend coördinatenstelsel.") from exc
    return srid, geografisch


def _csv_opties(bron: Bron) -> tuple[dict[str, object], int | None]:
    """Where a CSV keeps its geometry: a WKT column, or x/y, rd_x/rd_y or lon/lat columns."""
    raw = bron.pad.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFout(ENCODING.format(naam=bron.naam)) from exc
    try:
        header = next(csv.reader(io.StringIO(text), csv.Sniffer().sniff(text[:4096], ",;\t")))
    except (csv.Error, StopIteration):
        header = next(csv.reader(io.StringIO(text)), [])
    names = {h.strip().lower(): h.strip() for h in header}
    base = {"KEEP_GEOM_COLUMNS": "NO", "AUTODETECT_TYPE": "NO"}
    for name in CSV_WKT:
        if name in names:
            return {**base, "GEOM_POSSIBLE_NAMES": names[name]}, None
    for (x, y), srid in CSV_XY.items():
        if x in names and y in names:
            return {**base, "X_POSSIBLE_NAMES": names[x], "Y_POSSIBLE_NAMES": names[y]}, srid
    raise ImportFout(f"Het CSV-bestand {bron.naam} heeft geen geometrie: geef een kolom wkt, "
                     "of x en y, rd_x en rd_y, of lon en lat.")
