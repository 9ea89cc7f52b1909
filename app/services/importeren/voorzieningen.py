"""Import voorzieningen (CSV with RD x/y or lat/lon, GeoJSON, GeoPackage): upsert by extern id,
the category through a mapping; rows with an unknown category are reported and skipped."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from app.progress import silent
from app.services.importeren import lezen, loading, staging
from app.services.importeren.algemeen import MAX_BYTES, Progress, gemeente_code
from app.services.importeren.bestand import open_bron
from app.services.importeren.rapport import ImportFout, ImportRapport

STAGE = "import_voorziening"
OPTIONEEL = ("omschrijving", "adres", "postcode", "plaats", "telefoon", "email", "website",
             "openingstijden")
# Fields the database checks: a value that would be refused is left empty and reported.
CONTROLES = {"postcode": "'^[1-9][0-9]{3} ?[A-Z]{2}$'", "website": "'^https?://'"}


@dataclass(frozen=True)
class VoorzieningOpties:
    """Which fields hold id, naam and category, and how source categories map to ours."""

    id_veld: str = "id"
    naam_veld: str = "naam"
    categorie_veld: str = "categorie"
    categorie_map: Path | None = None
    laag: str | None = None
    crs: str | None = None
    gemeente: str | None = None


def lees_categorie_map(pad: Path) -> dict[str, str]:
    """A CSV with columns bron,categorie: the source's word and our category code."""
    try:
        with pad.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFout(f"De categorie-indeling {pad.name} kan niet worden gelezen als "
                         "UTF-8-CSV.") from exc
    if not rows or not {"bron", "categorie"} <= set(rows[0]):
        raise ImportFout(f"De categorie-indeling {pad.name} heeft de kolommen bron en "
                         "categorie nodig.")
    return {r["bron"].strip().lower(): r["categorie"].strip() for r in rows if r["bron"]}


def importeer_voorzieningen(conn: Connection, pad: Path, opties: VoorzieningOpties,
                            max_bytes: int = MAX_BYTES, progress: Progress = silent,
                            naam: str | None = None) -> ImportRapport:
    """Everything on `conn` in the caller's transaction."""
    gemeente = gemeente_code(conn, opties.gemeente)
    kaart = lees_categorie_map(opties.categorie_map) if opties.categorie_map else None
    with open_bron(pad, max_bytes, naam) as bron:
        laag = lezen.lees(bron, opties.laag, opties.crs, lezen.PUNT, "voorzieningen")
    rapport = ImportRapport("voorzieningen", laag.bestand, gelezen=len(laag))
    n = len(laag)
    kolommen: dict[str, object] = {
        "extern_id": laag.veld(opties.id_veld, "id-veld"),
        "naam": laag.veld(opties.naam_veld, "naam-veld"),
        "categorie_bron": laag.veld(opties.categorie_veld, "categorie-veld")}
    velden = ["naam", "bron"]
    for veld in OPTIONEEL:
        if (name := laag.zoek(veld)) is not None:
            kolommen[veld] = laag.velden[name]
            velden.append(veld)
    kolommen["bron"] = [f"import {laag.bestand}"] * n
    with progress("Voorzieningen importeren", 2 * n) as advance:
        staging.stage(conn, STAGE, laag, kolommen, advance,
                      extra=", categorie text")
        staging.ids(conn, STAGE, "extern_id", rapport)
        staging.skip(conn, STAGE, "extern_id", "s.naam IS NULL", "'geen naam'", rapport)
        staging.geometrie(conn, STAGE, "extern_id", lezen.PUNT, "voorzieningen", laag, rapport)
        _categorieen(conn, gemeente, kaart, rapport)
        for veld, patroon in CONTROLES.items():
            if veld in velden:
                _controleer(conn, veld, patroon, rapport)
        advance(n // 2)
        cols = ", ".join(velden)
        conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{STAGE}_ok"))
        conn.execute(text(f"""CREATE TEMP TABLE {STAGE}_ok ON COMMIT DROP AS
            SELECT extern_id, categorie, {cols}, geometrie FROM {STAGE} WHERE NOT overslaan"""))
        rapport.nieuw, rapport.bijgewerkt = loading.merge_voorzieningen(
            conn, gemeente, f"{STAGE}_ok", velden)
        ok = conn.execute(text(f"SELECT count(*) FROM {STAGE}_ok")).scalar_one()
        rapport.ongewijzigd = ok - rapport.nieuw - rapport.bijgewerkt
        advance(n - n // 2)
    return rapport


def _categorieen(conn: Connection, gemeente: str, kaart: dict[str, str] | None,
                 rapport: ImportRapport) -> None:
    """Source word -> category code (through the mapping when given); unknown: skipped."""
    if kaart is None:
        conn.execute(text(f"UPDATE {STAGE} SET categorie = lower(categorie_bron)"))
    else:
        conn.execute(text(f"""UPDATE {STAGE}
                              SET categorie = CAST(:kaart AS jsonb) ->> lower(categorie_bron)"""),
                     {"kaart": json.dumps(kaart)})
    staging.skip(conn, STAGE, "extern_id", """NOT EXISTS (SELECT 1 FROM categorie c
            WHERE c.gemeente_code = :g AND c.code = s.categorie)""",
                 "CASE WHEN s.categorie_bron IS NULL THEN 'geen categorie' "
                 "WHEN s.categorie IS NULL THEN 'categorie ''' || s.categorie_bron || "
                 "''' staat niet in de categorie-indeling' "
                 "ELSE 'categorie ''' || s.categorie || ''' bestaat niet' END",
                 rapport, {"g": gemeente})


def _controleer(conn: Connection, veld: str, patroon: str, rapport: ImportRapport) -> None:
    """Normalise, and empty a value the database would refuse (reported, row kept)."""
    if veld == "postcode":
        conn.execute(text(f"UPDATE {STAGE} SET postcode = upper(btrim(postcode))"))
    rows = conn.execute(text(f"""
        UPDATE {STAGE} s SET {veld} = NULL FROM {STAGE} o
         WHERE s.rij = o.rij AND NOT s.overslaan AND s.{veld} IS NOT NULL
           AND s.{veld} !~ {patroon}
        RETURNING s.rij, s.extern_id, o.{veld}""")).all()
    for rij, ref, waarde in sorted(rows):
        rapport.add(rij, ref, "hersteld", f"{veld} '{waarde}' is ongeldig en is leeg gelaten")
