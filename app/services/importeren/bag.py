"""BAG from PDOK's BAG GeoPackage: layer verblijfsobject → adres, layer pand → pand.

The field names of the source are in VERBLIJFSOBJECT and PAND (ours: theirs), and the statuses
that count as existing in IN_GEBRUIK: a changed layout of the file is a one-line fix there.
Both layers of the gemeente are replaced as a whole (the file is the BAG of the gemeente); an
object with another status, or with a value the table does not allow, is skipped and named in
the report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection

from app.progress import silent
from app.services.importeren import geobron
from app.services.importeren.algemeen import MAX_BYTES, Progress, gemeente_code
from app.services.importeren.bestand import open_bron
from app.services.importeren.rapport import ImportRapport

VERBLIJFSOBJECT = {"identificatie": "identificatie", "status": "status",
                   "gebruiksdoel": "gebruiksdoel", "straatnaam": "openbare_ruimte_naam",
                   "huisnummer": "huisnummer", "huisletter": "huisletter",
                   "toevoeging": "toevoeging", "postcode": "postcode",
                   "woonplaats": "woonplaats_naam", "pand": "pand_identificatie"}
PAND = {"identificatie": "identificatie", "bouwjaar": "bouwjaar", "status": "status"}
LAAG_ADRES, LAAG_PAND = "verblijfsobject", "pand"
IN_GEBRUIK = {
    "adres": ("Verblijfsobject in gebruik", "Verblijfsobject in gebruik (niet ingemeten)"),
    "pand": ("Pand in gebruik", "Pand in gebruik (niet ingemeten)", "Verbouwing pand",
             "Pand buiten gebruik"),
}
GEBRUIKSDOELEN = ("woonfunctie", "bijeenkomstfunctie", "celfunctie", "gezondheidszorgfunctie",
                  "industriefunctie", "kantoorfunctie", "logiesfunctie", "onderwijsfunctie",
                  "sportfunctie", "winkelfunctie", "overige gebruiksfunctie")


@dataclass(frozen=True)
class BagOpties:
    gemeente: str | None = None


def importeer_bag(conn: Connection, pad: Path, opties: BagOpties = BagOpties(),
                  max_bytes: int = MAX_BYTES, progress: Progress = silent,
                  naam: str | None = None) -> ImportRapport:
    """Both layers on `conn` in the caller's transaction: on an exception nothing is kept."""
    gemeente = gemeente_code(conn, opties.gemeente)
    with open_bron(pad, max_bytes, naam) as bron:
        vbo = geobron.lees_laag(bron, LAAG_ADRES, VERBLIJFSOBJECT, ("Point",),
                                "verblijfsobjecten")
        panden = geobron.lees_laag(bron, LAAG_PAND, PAND, ("Polygon", "MultiPolygon"),
                                   "panden")
    rapport = ImportRapport("BAG", bron.naam, gelezen=len(vbo) + len(panden))
    with progress("BAG importeren", 2) as advance:
        adressen = _adressen(vbo, rapport)
        advance(1)
        geobron.opslaan(conn, gemeente, {"adres": adressen, "pand": _panden(panden, rapport)},
                        rapport)
        advance(1)
    return rapport


def _id16(reeks: pd.Series) -> pd.Series:
    """BAG ids as 16 digits (a GeoPackage may hold them as numbers, without leading zeros)."""
    def een(v: object) -> str | None:
        s = str(v).strip().split(",")[0].strip() if v is not None and not pd.isna(v) else ""
        s = s[:-2] if s.endswith(".0") else s
        return s.zfill(16) if s.isdigit() and len(s) <= 16 else None
    return reeks.map(een).astype(object)


def _status(frame: gpd.GeoDataFrame, soort: str, rapport: ImportRapport) -> gpd.GeoDataFrame:
    status = geobron.tekst(frame["status"])
    weg = ~status.isin(IN_GEBRUIK[soort])
    for index in frame.index[weg.to_numpy()]:
        rapport.add(int(index) + 1, frame.at[index, "identificatie"], "overgeslagen",
                    f"status '{status[index]}' (niet in gebruik)")
    return frame[~weg.to_numpy()]


def _doelen(v: object) -> str | None:
    if not isinstance(v, str):
        return None
    doelen = [d.strip().lower() for d in v.split(",") if d.strip()]
    return ",".join(doelen) if doelen and all(d in GEBRUIKSDOELEN for d in doelen) else None


def _adressen(vbo: gpd.GeoDataFrame, rapport: ImportRapport) -> gpd.GeoDataFrame:
    f = vbo.copy()
    f["identificatie"] = _id16(f["identificatie"])
    f = _status(f, "adres", rapport)
    for kolom in ("straatnaam", "woonplaats", "huisletter", "toevoeging"):
        f[kolom] = geobron.tekst(f[kolom])
    f["postcode"] = geobron.postcode(f["postcode"])
    f["pand"] = _id16(f["pand"])
    f["gebruiksdoel"] = f["gebruiksdoel"].map(_doelen).astype(object)
    f["huisnummer"] = pd.to_numeric(f["huisnummer"], errors="coerce")
    regels = [
        (f["identificatie"].isna(), "identificatie is geen BAG-id van 16 cijfers"),
        (f["postcode"].isna(), "postcode ontbreekt of is ongeldig"),
        (~f["huisnummer"].between(1, 99999), "huisnummer ontbreekt of is ongeldig"),
        (f["huisletter"].notna() & ~f["huisletter"].astype(str).str.fullmatch("[A-Za-z]"),
         "huisletter is geen letter"),
        (f["toevoeging"].notna() & ~f["toevoeging"].astype(str).str.fullmatch("[A-Za-z0-9]{1,4}"),
         "toevoeging is ongeldig"),
        (f["straatnaam"].isna() | f["woonplaats"].isna(), "straatnaam of woonplaats ontbreekt"),
        (f["gebruiksdoel"].isna(), "gebruiksdoel ontbreekt of is onbekend"),
        (f.geometry.isna() | f.geometry.is_empty, "geen geometrie"),
    ]
    for fout, reden in regels:
        f = geobron.overslaan(f, fout.reindex(f.index, fill_value=False), "identificatie",
                              reden, rapport)
    f["huisnummer"] = f["huisnummer"].astype(int)
    f = geobron.dubbel(f, ["identificatie"], "identificatie", "identificatie staat er al",
                       rapport)
    return geobron.dubbel(f, ["postcode", "huisnummer", "huisletter", "toevoeging"],
                          "identificatie", "dit adres staat er al", rapport)


def _panden(panden: gpd.GeoDataFrame, rapport: ImportRapport) -> gpd.GeoDataFrame:
    f = panden.copy()
    f["identificatie"] = _id16(f["identificatie"])
    f = _status(f, "pand", rapport)
    f = geobron.overslaan(f, f["identificatie"].isna(), "identificatie",
                          "identificatie is geen BAG-id van 16 cijfers", rapport)
    jaar = pd.to_numeric(f["bouwjaar"], errors="coerce")
    f["bouwjaar"] = jaar.where(jaar.between(1000, 2100)).astype("Int64")  # 9999: unknown
    f = geobron.vlakken(f, "identificatie", rapport)
    return geobron.dubbel(f, ["identificatie"], "identificatie", "identificatie staat er al",
                          rapport)
