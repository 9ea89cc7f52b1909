"""Import the CBS Wijk- en buurtkaart as published (GeoPackage or Shapefile): the gemeente,
its wijken and buurten, with dorpen marked by wijk code or by a file of dorp outlines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
from sqlalchemy import Connection, text

from app.progress import silent
from app.services.importeren import lezen, loading, staging
from app.services.importeren.algemeen import MAX_BYTES, Progress
from app.services.importeren.bestand import Bron, open_bron
from app.services.importeren.rapport import ImportFout, ImportRapport

STAGE = "import_gebied"
# Our name -> the CBS column names (GeoPackage since 2021, and the older Shapefiles).
CBS = {"gemeentecode": ("gemeentecode", "gm_code"), "gemeentenaam": ("gemeentenaam", "gm_naam"),
       "wijkcode": ("wijkcode", "wk_code"), "wijknaam": ("wijknaam", "wk_naam"),
       "buurtcode": ("buurtcode", "bu_code"), "buurtnaam": ("buurtnaam", "bu_naam"),
       "inwoners": ("aantal_inwoners", "aant_inw"), "water": ("water",)}


@dataclass(frozen=True)
class GebiedOpties:
    """Which gemeente of the file, and which wijken are dorpen."""

    gemeente: str | None = None
    dorpen: tuple[str, ...] = ()
    dorpen_bestand: Path | None = None
    crs: str | None = None


def _kolom(fields: list[str], key: str) -> str | None:
    lower = {f.lower(): f for f in fields}
    return next((lower[c] for c in CBS[key] if c in lower), None)


def _herken(bron: Bron) -> dict[str, tuple[str, list[str]]]:
    """Layer per level by its columns: buurtcode -> buurt, wijkcode -> wijk, else gemeente."""
    found: dict[str, tuple[str, list[str]]] = {}
    for layer in lezen.lagen(bron):
        fields = [str(f) for f in pyogrio.read_info(bron.pad, layer=layer)["fields"]]
        level = next((lv for lv, key in (("buurt", "buurtcode"), ("wijk", "wijkcode"),
                                        ("gemeente", "gemeentecode")) if _kolom(fields, key)),
                     None)
        if level is not None and level not in found:
            found[level] = (layer, fields)
    if "wijk" not in found:
        raise ImportFout(f"{bron.naam} is geen CBS Wijk- en buurtkaart: er is geen laag met "
                         "wijken (kolom wijkcode of WK_CODE).")
    return found


def _gemeente(bron: Bron, layer: str, fields: list[str], gegeven: str | None) -> str:
    """The gemeente asked for, or the only one in the file."""
    gc = _kolom(fields, "gemeentecode")
    if gegeven:
        if not re.fullmatch(r"GM\d{4}", gegeven):
            raise ImportFout(f"Gemeentecode '{gegeven}' is ongeldig; gebruik de CBS-code, "
                             "bijvoorbeeld GM0828.")
        return gegeven
    if gc is None:
        raise ImportFout(f"{bron.naam} heeft geen kolom gemeentecode; geef de gemeente op "
                         "(--gemeente).")
    _, _, _, data = pyogrio.raw.read(bron.pad, layer=layer, columns=[gc], read_geometry=False)
    codes = sorted({str(c) for c in data[0] if c})
    if len(codes) != 1:
        raise ImportFout(f"{bron.naam} bevat {len(codes)} gemeenten; kies er één "
                         f"(--gemeente, bijvoorbeeld {codes[0] if codes else 'GM0828'}).")
    return codes[0]


def _kolommen(laag: lezen.Laag, soort: str, gm: str) -> dict[str, object]:
    fields = list(laag.velden)
    n = len(laag)

    def col(key: str) -> object:
        name = _kolom(fields, key)
        return laag.velden[name] if name else [None] * n

    code_key = {"wijk": "wijkcode", "buurt": "buurtcode", "gemeente": "gemeentecode"}[soort]
    naam_key = {"wijk": "wijknaam", "buurt": "buurtnaam", "gemeente": "gemeentenaam"}[soort]
    return {"code": col(code_key) if soort != "gemeente" else [gm] * n,
            "naam": col(naam_key), "soort": [soort] * n,
            "parent_code": col("wijkcode") if soort == "buurt" else [None] * n,
            "inwoners": col("inwoners"), "water": col("water"),
            "gemeentenaam": col("gemeentenaam")}


def importeer_gebieden(conn: Connection, pad: Path, opties: GebiedOpties,
                       max_bytes: int = MAX_BYTES, progress: Progress = silent,
                       naam: str | None = None) -> ImportRapport:
    """The gemeente, wijken/dorpen and buurten in the caller's transaction."""
    with open_bron(pad, max_bytes, naam) as bron:
        found = _herken(bron)
        gm = _gemeente(bron, *found["wijk"], opties.gemeente)
        lagen: dict[str, lezen.Laag] = {}
        for level, (layer, fields) in found.items():
            gc = _kolom(fields, "gemeentecode")
            where = f"{gc} = '{gm}'" if gc else None
            try:
                lagen[level] = lezen.lees(bron, layer, opties.crs, lezen.VLAK, "gebieden", where)
            except ImportFout as exc:
                if "geen objecten" not in str(exc) or level == "wijk":
                    raise
        if "wijk" not in lagen:
            raise ImportFout(f"{bron.naam} bevat geen wijken van gemeente {gm}.")
    rapport = ImportRapport("gebieden", bron.naam, gelezen=sum(len(v) for v in lagen.values()))
    n = rapport.gelezen
    with progress("Gebieden importeren", 2 * n) as advance:
        start = 1
        for level in ("gemeente", "wijk", "buurt"):
            if level not in lagen:
                continue
            cols = _kolommen(lagen[level], level, gm)
            if start == 1:
                staging.stage(conn, STAGE, lagen[level], cols, advance)
            else:
                staging.append(conn, STAGE, lagen[level], cols, advance, start)
            start += len(lagen[level])
        conn.execute(text(f"DELETE FROM {STAGE} WHERE upper(water) = 'JA'"))
        conn.execute(text(f"""UPDATE {STAGE} SET parent_code = 'WK' || substr(code, 3, 6)
                              WHERE soort = 'buurt' AND parent_code IS NULL"""))
        staging.ids(conn, STAGE, "code", rapport, max_len=20)
        staging.geometrie(conn, STAGE, "code", lezen.VLAK, "gebieden", lagen["wijk"], rapport)
        advance(n // 2)
        _dorpen(conn, opties, max_bytes, rapport)
        staging.skip(conn, STAGE, "code", f"""s.soort = 'buurt' AND NOT EXISTS (
                SELECT 1 FROM {STAGE} w WHERE w.code = s.parent_code AND NOT w.overslaan
                   AND w.soort IN ('wijk', 'dorp'))""",
                     "'wijk ' || coalesce(s.parent_code, '?') || ' van deze buurt ontbreekt'",
                     rapport)
        _upsert_gemeente(conn, gm, "gemeente" in lagen)
        conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{STAGE}_ok"))
        conn.execute(text(f"""CREATE TEMP TABLE {STAGE}_ok ON COMMIT DROP AS
            SELECT code, coalesce(naam, code) AS naam, soort, parent_code,
                   CASE WHEN inwoners ~ '^[0-9]+$' THEN inwoners::integer END AS inwoners,
                   geometrie
              FROM {STAGE} WHERE NOT overslaan AND soort <> 'gemeente'"""))
        rapport.nieuw, rapport.bijgewerkt = loading.merge_gebieden(conn, gm, f"{STAGE}_ok")
        ok = conn.execute(text(f"SELECT count(*) FROM {STAGE}_ok")).scalar_one()
        rapport.ongewijzigd = ok - rapport.nieuw - rapport.bijgewerkt
        advance(n - n // 2)
    return rapport


def _upsert_gemeente(conn: Connection, gm: str, eigen_laag: bool) -> None:
    """The gemeente's outline: its own layer's land parts, else the union of its wijken."""
    bron = "soort = 'gemeente'" if eigen_laag else "soort IN ('wijk', 'dorp')"
    conn.execute(text(f"""
        INSERT INTO gemeente (code, naam, geometrie)
        SELECT CAST(:g AS varchar), coalesce(max(gemeentenaam),
                                    (SELECT naam FROM gemeente WHERE code = :g), CAST(:g AS text)),
               ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geometrie)), 3))
          FROM {STAGE} WHERE NOT overslaan AND {bron}
        ON CONFLICT (code) DO UPDATE SET naam = EXCLUDED.naam, geometrie = EXCLUDED.geometrie
         WHERE (gemeente.naam, ST_AsEWKB(gemeente.geometrie))
               IS DISTINCT FROM (EXCLUDED.naam, ST_AsEWKB(EXCLUDED.geometrie))"""), {"g": gm})


def _dorpen(conn: Connection, opties: GebiedOpties, max_bytes: int,
            rapport: ImportRapport) -> None:
    """Wijken named in --dorpen, or whose inner point lies in a dorp outline, become dorpen."""
    if opties.dorpen:
        found = set(conn.execute(text(f"""
            UPDATE {STAGE} SET soort = 'dorp' WHERE soort = 'wijk' AND code = ANY(:codes)
            RETURNING code"""), {"codes": list(opties.dorpen)}).scalars())
        missing = [c for c in opties.dorpen if c not in found]
        if missing:
            raise ImportFout(f"Dorpen: wijkcode {', '.join(missing)} staat niet in het bestand.")
    if opties.dorpen_bestand is None:
        return
    with open_bron(opties.dorpen_bestand, max_bytes) as bron:
        laag = lezen.lees(bron, None, opties.crs, lezen.VLAK, "dorpen")
    namen = laag.veld("naam", "dorpen-bestand")
    staging.stage(conn, "import_dorp", laag, {"naam": namen}, _geen)
    staging.geometrie(conn, "import_dorp", "naam", lezen.VLAK, "dorpen", laag,
                      ImportRapport("dorpen", laag.bestand))
    rows = conn.execute(text(f"""
        UPDATE {STAGE} w SET soort = 'dorp', naam = d.naam FROM import_dorp d
         WHERE w.soort IN ('wijk', 'dorp') AND NOT w.overslaan AND NOT d.overslaan
           AND ST_Intersects(d.geometrie, ST_PointOnSurface(w.geometrie))
        RETURNING w.rij, w.code, d.naam""")).all()
    for rij, code, dorp in sorted(rows):
        rapport.add(rij, code, "dorp", f"wijk ligt in dorp {dorp} en wordt dorp '{dorp}'")
    matched = {r[2] for r in rows}
    for name in sorted({str(v) for v in np.asarray(namen).tolist() if v} - matched):
        rapport.add(None, name, "overgeslagen", "geen wijk ligt in dit dorp")


def _geen(n: int = 1) -> None:
    """No progress for the small dorpen file."""
