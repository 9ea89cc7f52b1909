"""NWB Wegen (Rijkswaterstaat), Wegvakken.shp → straat.

The field names are in VELDEN (ours: theirs), the road subtypes in BAANSOORT: a changed layout
is a one-line fix there. NWB gives the topology as junction ids (JTE_ID_BEG, JTE_ID_END): the
ends of all segments at one junction are put on one exact point (the first one found, in
WVK_ID order), so the network is noded even where the digitised ends are a few cm apart. The
gemeente's streets are replaced as a whole; --gemeente-id keeps only one GME_ID of the national
file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection

from app.progress import silent
from app.services.importeren import geobron
from app.services.importeren.algemeen import MAX_BYTES, Progress, gemeente_code
from app.services.importeren.bestand import open_bron
from app.services.importeren.rapport import ImportRapport

VELDEN = {"extern_id": "WVK_ID", "begin": "JTE_ID_BEG", "eind": "JTE_ID_END",
          "naam": "STT_NAAM", "woonplaats": "WPSNAAM", "gemeente_id": "GME_ID",
          "beheerder": "WEGBEHSRT", "baansoort": "BAANSUBSRT"}
# BAANSUBSRT → our soort. A hoofdrijbaan (HR), rijbaan (RB) or parallelweg (PAR) is a hoofdweg
# when the Rijk or a provincie (WEGBEHSRT R, P) is beheerder, else a straat; ramps (OPR, AFR)
# and connections (VBD, VBI, VBK, VBR, VBS, VBW) are hoofdweg. Anything else: overig.
BAANSOORT = {"HR": "straat", "RB": "straat", "PAR": "straat", "VWG": "straat",
             "OPR": "hoofdweg", "AFR": "hoofdweg", "VBD": "hoofdweg", "VBI": "hoofdweg",
             "VBK": "hoofdweg", "VBR": "hoofdweg", "VBS": "hoofdweg", "VBW": "hoofdweg",
             "FP": "fietspad", "VP": "voetpad", "VZ": "voetpad"}
HOOFDWEG_BEHEER = ("R", "P")
ZONDER_NAAM = "{soort} zonder naam"


@dataclass(frozen=True)
class NwbOpties:
    gemeente: str | None = None
    gemeente_id: int | None = None  # GME_ID: only this gemeente's segments


def importeer_nwb(conn: Connection, pad: Path, opties: NwbOpties = NwbOpties(),
                  max_bytes: int = MAX_BYTES, progress: Progress = silent,
                  naam: str | None = None) -> ImportRapport:
    """Everything on `conn` in the caller's transaction: on an exception nothing is kept."""
    gemeente = gemeente_code(conn, opties.gemeente)
    with open_bron(pad, max_bytes, naam) as bron:
        f = geobron.lees_laag(bron, None, VELDEN, ("LineString", "MultiLineString"),
                              "wegvakken")
    rapport = ImportRapport("NWB", bron.naam, gelezen=len(f))
    with progress("NWB importeren", 2) as advance:
        if opties.gemeente_id is not None:
            binnen = pd.to_numeric(f["gemeente_id"], errors="coerce") == opties.gemeente_id
            if (~binnen).any():
                rapport.add(None, "", "buiten", f"{int((~binnen).sum())} wegvakken met een "
                            f"ander GME_ID dan {opties.gemeente_id} niet gelezen")
            f = f[binnen.to_numpy()]
        straten = _straten(f, rapport)
        advance(1)
        geobron.opslaan(conn, gemeente, {"straat": straten}, rapport)
        advance(1)
    return rapport


def soort(baansoort: object, beheerder: object) -> str:
    """Our soort of one segment (BAANSOORT, HOOFDWEG_BEHEER)."""
    s = BAANSOORT.get(str(baansoort).strip().upper(), "overig")
    if s == "straat" and str(beheerder).strip().upper() in HOOFDWEG_BEHEER:
        return "hoofdweg"
    return s


def woonplaats(v: object) -> str | None:
    """NWB writes place names in capitals: 'TESTDORP' → 'Testdorp', "'S-GRAVENHAGE" →
    "'s-Gravenhage"."""
    if not isinstance(v, str) or not v.strip():
        return None
    return v.strip().title().replace("'S-", "'s-").replace("'T ", "'t ")


def _straten(f: gpd.GeoDataFrame, rapport: ImportRapport) -> gpd.GeoDataFrame:
    f = f.copy()
    f["extern_id"] = geobron.tekst(pd.to_numeric(f["extern_id"], errors="coerce")
                                   .astype("Int64").astype("string"))
    f = geobron.overslaan(f, f["extern_id"].isna(), "extern_id", "WVK_ID ontbreekt", rapport)
    merged = [shapely.line_merge(g) if g is not None and g.geom_type == "MultiLineString"
              else g for g in f.geometry]
    f = f.set_geometry(gpd.GeoSeries(merged, index=f.index, crs=f.crs))
    f = geobron.overslaan(f, f.geometry.isna() | (f.geometry.geom_type != "LineString"),
                          "extern_id", "wegvak zonder geometrie of in meerdere delen", rapport)
    f = geobron.dubbel(f, ["extern_id"], "extern_id", "WVK_ID staat er al", rapport)
    f = f.assign(_nr=pd.to_numeric(f["extern_id"])).sort_values("_nr").drop(columns="_nr")
    f = f.set_geometry(gpd.GeoSeries(_knopen(f), index=f.index, crs=f.crs))
    f = geobron.overslaan(f, f.geometry.length == 0, "extern_id",
                          "wegvak zonder lengte (begin en eind op hetzelfde knooppunt)", rapport)
    f["soort"] = [soort(b, h) for b, h in zip(f["baansoort"], f["beheerder"], strict=True)]
    f["naam"] = [n.strip() if isinstance(n, str) and n.strip()
                 else ZONDER_NAAM.format(soort=s.capitalize())
                 for n, s in zip(f["naam"], f["soort"], strict=True)]
    f["woonplaats"] = f["woonplaats"].map(woonplaats).astype(object)
    return f.sort_index()


def _knopen(f: gpd.GeoDataFrame) -> list[shapely.LineString]:
    """Each segment with its ends on its junctions' single point."""
    punt: dict[str, tuple[float, ...]] = {}
    lijnen = []
    for begin, eind, lijn in zip(f["begin"], f["eind"], f.geometry, strict=True):
        coords = [tuple(c) for c in shapely.get_coordinates(lijn)]
        for i, jte in ((0, begin), (-1, eind)):
            if jte is None or pd.isna(jte):
                continue
            coords[i] = punt.setdefault(str(int(jte)), coords[i])
        lijnen.append(shapely.LineString(coords))
    return lijnen
