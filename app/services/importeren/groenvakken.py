"""Import groenvakken from a beheersysteem or the BGT: upsert by extern id, keep adopties and
logs; plots missing from the file expire only inside a chosen bereik (app.services.importeren
.vervallen), and those with an open adoptie only when asked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from app.progress import silent
from app.services import geografie
from app.services.importeren import lezen, loading, staging, vervallen
from app.services.importeren.algemeen import MAX_BYTES, Progress, gemeente_code
from app.services.importeren.bestand import open_bron
from app.services.importeren.rapport import ImportRapport
from app.services.importeren.soorten import KAART
from app.services.importeren.vervallen import Bereik

STAGE = "import_groenvak"
NORMALISEER = "lower(btrim(regexp_replace(replace(soort_bron, '_', ' '), '\\s+', ' ', 'g')))"


@dataclass(frozen=True)
class GroenvakOpties:
    """Which fields of the file hold what; soort and naam are optional."""

    id_veld: str
    soort_veld: str | None = None
    naam_veld: str | None = None
    laag: str | None = None
    crs: str | None = None
    gemeente: str | None = None
    vervallen_binnen: Bereik | None = None  # None: nothing expires
    ook_met_adoptie: bool = False  # expire plots with an open adoptie too


def importeer_groenvakken(conn: Connection, pad: Path, opties: GroenvakOpties,
                          max_bytes: int = MAX_BYTES, progress: Progress = silent,
                          naam: str | None = None) -> ImportRapport:
    """Everything on `conn` in the caller's transaction: on an exception nothing is kept."""
    gemeente = gemeente_code(conn, opties.gemeente)
    vervallen.controleer(conn, gemeente, opties.vervallen_binnen)
    with open_bron(pad, max_bytes, naam) as bron:
        laag = lezen.lees(bron, opties.laag, opties.crs, lezen.VLAK, "groenvakken")
    rapport = ImportRapport("groenvakken", laag.bestand, gelezen=len(laag))
    kolommen = {"extern_id": laag.veld(opties.id_veld, "id-veld"),
                "naam": (laag.veld(opties.naam_veld, "naam-veld") if opties.naam_veld
                         else [None] * len(laag)),
                "soort_bron": (laag.veld(opties.soort_veld, "soort-veld") if opties.soort_veld
                               else [None] * len(laag))}
    n = len(laag)
    with progress("Groenvakken importeren", 2 * n) as advance:
        staging.stage(conn, STAGE, laag, kolommen, advance, extra=", soort text")
        conn.execute(text(f"CREATE INDEX ON {STAGE} (extern_id)"))
        staging.ids(conn, STAGE, "extern_id", rapport)
        staging.geometrie(conn, STAGE, "extern_id", lezen.VLAK, "groenvakken", laag, rapport)
        advance(n // 4)
        if opties.soort_veld:
            _soorten(conn, rapport)
        conn.execute(text(f"UPDATE {STAGE} SET soort = 'overig' WHERE soort IS NULL"))
        conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{STAGE}_ok"))
        conn.execute(text(f"""CREATE TEMP TABLE {STAGE}_ok ON COMMIT DROP AS
            SELECT extern_id, naam, soort, geometrie FROM {STAGE} WHERE NOT overslaan"""))
        velden = [v for v, gegeven in (("naam", opties.naam_veld), ("soort", opties.soort_veld))
                  if gegeven]
        nieuw, bijgewerkt = loading.merge_groenvakken(conn, gemeente, f"{STAGE}_ok", velden)
        advance(n // 2)
        rapport.nieuw, rapport.bijgewerkt = nieuw, bijgewerkt
        ok = conn.execute(text(f"SELECT count(*) FROM {STAGE}_ok")).scalar_one()
        rapport.ongewijzigd = ok - nieuw - bijgewerkt
        _vervallen(conn, gemeente, opties, rapport)
        geografie.plaats_groenvakken(conn, gemeente)
        advance(n - n // 4 - n // 2)
    return rapport


def _soorten(conn: Connection, rapport: ImportRapport) -> None:
    """Map source words to soorten in SQL; unknown words become 'overig', once reported each."""
    conn.execute(text(f"""UPDATE {STAGE} SET soort = CAST(:kaart AS jsonb) ->> {NORMALISEER}
                          WHERE soort_bron IS NOT NULL"""), {"kaart": json.dumps(KAART)})
    onbekend = conn.execute(text(f"""
        SELECT soort_bron, count(*), min(rij) FROM {STAGE}
         WHERE soort IS NULL AND soort_bron IS NOT NULL AND NOT overslaan
         GROUP BY soort_bron ORDER BY min(rij)""")).all()
    for waarde, aantal, rij in onbekend:
        keer = "1 object" if aantal == 1 else f"{aantal} objecten"
        rapport.add(rij, "", "soort", f"soort '{waarde}' is onbekend en wordt 'overig' ({keer})")


def _vervallen(conn: Connection, gemeente: str, opties: GroenvakOpties,
               rapport: ImportRapport) -> None:
    """Plots no longer in the source: vervallen_op today inside the bereik, never deleted."""
    vervallen.vervallen(conn, gemeente, STAGE, opties.vervallen_binnen, opties.ook_met_adoptie,
                        rapport)
