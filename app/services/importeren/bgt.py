"""BGT begroeidterreindeel (PDOK's BGT download, GML or GeoPackage) as groenvakken.

The field names the download uses are in VELDEN (ours: the names it may have), the BGT's
fysiekVoorkomen words in FYSIEK (plus-fysiekVoorkomen, the finer IMGeo word, wins when
filled): a changed layout is a one-line fix there. Only current objects (no eindRegistratie)
are kept. The result goes through the groenvakken import, so its rules hold: upsert on
lokaalID, vervallen only inside the chosen bereik, open adopties kept unless asked, proef."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.errors import GEOSException
from sqlalchemy import Connection

from app.progress import silent
from app.services.importeren.algemeen import MAX_BYTES, Progress
from app.services.importeren.bestand import SOORTEN, Bron, open_bron, tijdelijke_map
from app.services.importeren.groenvakken import GroenvakOpties, importeer_groenvakken
from app.services.importeren.rapport import ImportFout, ImportRapport
from app.services.importeren.soorten import sleutel
from app.services.importeren.vervallen import Bereik

VELDEN = {"id": ("lokaalID", "identificatie.lokaalID", "identificatie|lokaalID", "lokaal_id",
                 "identificatie_lokaalid", "identificatie"),
          # PDOK's CityGML (IMGeo 2.1) writes the BGT fysiekVoorkomen as imgeo:class
          "fysiek": ("fysiekVoorkomen", "bgt-fysiekVoorkomen", "bgt_fysiekvoorkomen",
                     "fysiek_voorkomen", "bgt_fysiek_voorkomen", "class"),
          "plus": ("plus-fysiekVoorkomen", "plus_fysiekvoorkomen", "plus_fysiek_voorkomen"),
          "eind": ("eindRegistratie", "eind_registratie")}
FYSIEK = {"gras- en kruidachtigen": "gras", "grasland overig": "gras",
          "grasland agrarisch": "gras", "gazon": "gras", "groenvoorziening": "heesters",
          "heesters": "heesters", "struiken": "heesters", "bodembedekkers": "heesters",
          "bosplantsoen": "bosplantsoen", "loofbos": "bosplantsoen", "naaldbos": "bosplantsoen",
          "gemengd bos": "bosplantsoen", "houtwal": "bosplantsoen", "haag": "haag",
          "bloembakken": "bloemenperk", "planten": "bloemenperk", "boomspiegel": "boomspiegel"}
ONBEKEND = ("waardeonbekend", "")
LAAG = "begroeidterreindeel"
SOORT = {**SOORTEN, ".gml": "GML"}


@dataclass(frozen=True)
class BgtOpties:
    gemeente: str | None = None
    vervallen_binnen: Bereik | None = None
    ook_met_adoptie: bool = False


def importeer_bgt(conn: Connection, pad: Path, opties: BgtOpties = BgtOpties(),
                  max_bytes: int = MAX_BYTES, progress: Progress = silent,
                  naam: str | None = None) -> ImportRapport:
    """Read and map the BGT, then import it as groenvakken on `conn` (the caller's
    transaction)."""
    with open_bron(pad, max_bytes, naam, SOORT, "Gebruik de BGT-download als GML (.gml) of "
                   "GeoPackage (.gpkg).") as bron:
        frame = _lees(bron)
        with tempfile.TemporaryDirectory(prefix="kaart-bgt-", dir=tijdelijke_map()) as tmp:
            tussen = Path(tmp) / "groenvakken.gpkg"
            frame.to_file(tussen, layer="groenvakken", engine="pyogrio")
            rapport = importeer_groenvakken(conn, tussen, GroenvakOpties(
                id_veld="extern_id", soort_veld="soort", gemeente=opties.gemeente,
                vervallen_binnen=opties.vervallen_binnen,
                ook_met_adoptie=opties.ook_met_adoptie), max_bytes, progress)
    rapport.bestand = bron.naam
    return rapport


def soort(fysiek: object, plus: object) -> str:
    """Our soort for one object; an unknown word stays as it is (the groenvakken import makes
    it 'overig' and names it in the report)."""
    for woord in (plus, fysiek):
        if isinstance(woord, str) and sleutel(woord) not in ONBEKEND:
            return FYSIEK.get(sleutel(woord), woord)
    return "overig"


def _lees(bron: Bron) -> gpd.GeoDataFrame:
    try:
        lagen = [str(n) for n, _ in pyogrio.list_layers(bron.pad)]
        laag = next((n for n in lagen if n.lower() == LAAG), lagen[0] if len(lagen) == 1
                    else None)
        if laag is None:
            raise ImportFout(f"De laag {LAAG} staat niet in {bron.naam}; lagen: "
                             f"{', '.join(lagen) or 'geen'}.")
        frame = pyogrio.read_dataframe(bron.pad, layer=laag)
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFout(f"Het bestand {bron.naam} is geen leesbaar BGT-bestand of is "
                         "beschadigd.") from exc
    except GEOSException as exc:
        raise ImportFout(f"Het bestand {bron.naam} bevat geometrie die niet te lezen is "
                         "(bijvoorbeeld bogen); vraag de BGT aan als GeoPackage.") from exc
    kolom = {k: next((c for c in frame.columns for n in namen if c.lower() == n.lower()), None)
             for k, namen in VELDEN.items()}
    for k in ("id", "fysiek"):
        if kolom[k] is None:
            raise ImportFout(f"In {bron.naam} ontbreekt het veld {VELDEN[k][0]} (of "
                             f"{', '.join(VELDEN[k][1:])}). Velden in het bestand: "
                             f"{', '.join(c for c in frame.columns if c != 'geometry')}.")
    if kolom["eind"] is not None:
        frame = frame[frame[kolom["eind"]].isna()]
    plus = frame[kolom["plus"]] if kolom["plus"] else pd.Series(None, index=frame.index)
    return gpd.GeoDataFrame({
        "extern_id": frame[kolom["id"]].astype("string"),
        "soort": [soort(f, p) for f, p in zip(frame[kolom["fysiek"]], plus, strict=True)]},
        geometry=frame.geometry.values, crs=frame.crs)
