"""What the BAG, NWB and OSM imports share: read a layer as a GeoDataFrame with its required
columns, geometry type and CRS checked (a Dutch message otherwise, nothing written), skip rows
that break a rule with a report row, and load the frames into the geography tables."""

from __future__ import annotations

import re
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from sqlalchemy import Connection

from app.services.geografie import laad, plaats_groenvakken
from app.services.importeren.bestand import Bron
from app.services.importeren.rapport import ImportFout, ImportRapport

RD = 28992
ID16 = re.compile(r"^[0-9]{16}$")
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
MEERVOUD = {"adres": "adressen", "straat": "straten", "pand": "panden", "water": "water",
            "terrein": "terrein"}


def lees_laag(bron: Bron, laag: str | None, velden: Mapping[str, str],
              geometrie: tuple[str, ...], doel: str, srid: int | None = RD) -> gpd.GeoDataFrame:
    """Layer `laag` with columns renamed from the source's names (values of `velden`, matched
    without regard to case) to ours (keys); geometry type in `geometrie`; CRS `srid`."""
    try:
        lagen = [str(n) for n, _ in pyogrio.list_layers(bron.pad)]
        if laag is None and len(lagen) > 1:
            raise ImportFout(f"Het bestand {bron.naam} heeft meerdere lagen "
                             f"({', '.join(lagen)}); voor {doel} is er één nodig.")
        if laag is not None and laag not in lagen:
            raise ImportFout(f"De laag '{laag}' staat niet in {bron.naam}; lagen: "
                             f"{', '.join(lagen) or 'geen'}.")
        info = pyogrio.read_info(bron.pad, layer=laag)
        fields = {str(f).lower(): str(f) for f in info["fields"]}
        missing = [v for v in velden.values() if v.lower() not in fields]
        if missing:
            raise ImportFout(f"In {bron.naam} ({doel}) ontbreken de velden "
                             f"{', '.join(missing)}. Velden in het bestand: "
                             f"{', '.join(info['fields']) or 'geen'}.")
        gtype = str(info.get("geometry_type") or "geen").replace(" Z", "").replace(" M", "")
        if gtype not in geometrie:
            raise ImportFout(f"Het bestand {bron.naam} bevat als {doel} geometrie van het type "
                             f"{gtype}; nodig is {' of '.join(geometrie)}.")
        frame = pyogrio.read_dataframe(bron.pad, layer=laag,
                                       columns=[fields[v.lower()] for v in velden.values()])
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFout(f"Het bestand {bron.naam} is geen leesbaar bestand van dit type "
                         f"({bron.soort.lstrip('.')}) of is beschadigd.") from exc
    if srid is not None:
        epsg = frame.crs.to_epsg(min_confidence=70) if frame.crs is not None else None
        if epsg != srid:
            raise ImportFout(f"Het bestand {bron.naam} ({doel}) staat in "
                             f"{'EPSG:' + str(epsg) if epsg else 'een onbekend stelsel'}; "
                             f"verwacht is EPSG:{srid} (RD New), zoals de bron het levert.")
    renamed = frame.rename(columns={fields[v.lower()]: k for k, v in velden.items()})
    return gpd.GeoDataFrame(renamed, geometry="geometry", crs=frame.crs)


def tekst(reeks: pd.Series) -> pd.Series:
    """Trimmed text, empty as None."""
    out = reeks.astype("string").str.strip()
    return out.where(out.notna() & (out != ""), None).astype(object)


def postcode(reeks: pd.Series) -> pd.Series:
    """'9901ab', '9901 AB' → '9901 AB'; anything else None."""
    def een(v: object) -> str | None:
        m = POSTCODE.match(str(v).strip()) if isinstance(v, str) else None
        return f"{m.group(1)} {m.group(2).upper()}" if m else None
    return reeks.map(een).astype(object)


def overslaan(frame: gpd.GeoDataFrame, fout: pd.Series, id_kolom: str, reden: str,
              rapport: ImportRapport, rij: pd.Series | None = None) -> gpd.GeoDataFrame:
    """Drop the rows where `fout` is true, each as an 'overgeslagen' report row."""
    for index in frame.index[fout.to_numpy(dtype=bool)]:
        nummer = int(rij[index]) if rij is not None else int(index) + 1
        rapport.add(nummer, frame.at[index, id_kolom], "overgeslagen", reden)
    return frame[~fout.to_numpy(dtype=bool)]


def dubbel(frame: gpd.GeoDataFrame, kolommen: list[str], id_kolom: str, reden: str,
           rapport: ImportRapport) -> gpd.GeoDataFrame:
    """Keep the first of rows that share `kolommen` (a unique rule of the table)."""
    return overslaan(frame, frame.duplicated(subset=kolommen, keep="first"), id_kolom, reden,
                     rapport)


def opslaan(conn: Connection, gemeente: str, frames: Mapping[str, gpd.GeoDataFrame],
            rapport: ImportRapport) -> None:
    """Replace the gemeente's layers by the frames (a layer that is the same stays as it is);
    what each table now holds goes into the report."""
    geschreven = laad(conn, gemeente, frames)
    for key, frame in frames.items():
        rapport.tabellen[MEERVOUD[key]] = len(frame)
        if geschreven.get(key, 0) == 0:
            rapport.ongewijzigd += len(frame)
        else:
            rapport.nieuw += len(frame)
    if any(geschreven.values()):  # new streets or addresses: the groenvakken' place names follow
        plaats_groenvakken(conn, gemeente)


def vlakken(frame: gpd.GeoDataFrame, id_kolom: str, rapport: ImportRapport
            ) -> gpd.GeoDataFrame:
    """Polygons repaired where PostGIS would refuse them (make_valid); what does not become a
    polygon, or is empty, is skipped."""
    geom = frame.geometry.values
    kapot = ~shapely.is_valid(geom)
    if kapot.any():
        geom = np.where(kapot, shapely.make_valid(geom), geom)
        geom = np.array([g if g is None or g.geom_type in ("Polygon", "MultiPolygon")
                         else _alleen_vlakken(g) for g in geom], dtype=object)
        for index in frame.index[kapot]:
            rapport.add(int(index) + 1, frame.at[index, id_kolom], "hersteld",
                        "ongeldige geometrie hersteld")
        frame = frame.set_geometry(gpd.GeoSeries(geom, index=frame.index, crs=frame.crs))
    leeg = frame.geometry.isna() | frame.geometry.is_empty
    return overslaan(frame, leeg, id_kolom, "geen (bruikbare) geometrie", rapport)


def _alleen_vlakken(g: shapely.Geometry) -> shapely.Geometry | None:
    parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None
