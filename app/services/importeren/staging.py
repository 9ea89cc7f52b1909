"""A staging table per import, filled by COPY, then geometry work done set-based in PostGIS:
to RD New, inside the Netherlands, valid (ST_MakeValid when the area stays within 1 %)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from app.geo.bulk import copy_rows
from app.services.importeren.lezen import TYPE_NL, VLAK, Laag, geometrietype_fout
from app.services.importeren.rapport import ImportFout, ImportRapport

# The Netherlands in RD New, generously (the EPSG:28992 area of use, land and sea).
NL = "ST_MakeEnvelope(-7000, 289000, 300000, 629000, 28992)"
MAX_AFWIJKING = 0.01
CHUNK = 5000


def as_text(values: np.ndarray | Sequence[Any]) -> list[str | None]:
    """Attribute values as text for COPY: NaN and empty become NULL, 12.0 becomes '12'."""
    out: list[str | None] = []
    for v in np.asarray(values, dtype=object).tolist():
        if v is None or (isinstance(v, float) and (np.isnan(v) or np.isinf(v))):
            out.append(None)
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        elif isinstance(v, bytes):
            out.append(v.decode("utf-8", "replace"))
        else:
            s = str(v).strip()
            out.append(s or None)
    return out


def stage(conn: Connection, name: str, laag: Laag, kolommen: Mapping[str, Any],
          advance: Callable[[int], None], extra: str = "") -> int:
    """CREATE TEMP TABLE name (rij, <kolommen> text, srid, wkb) and COPY the layer into it."""
    cols = list(kolommen)
    conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{name}"))
    conn.execute(text(f"""CREATE TEMP TABLE {name} (rij integer PRIMARY KEY,
        {"".join(f"{c} text, " for c in cols)}srid integer, wkb bytea,
        geometrie geometry, overslaan boolean NOT NULL DEFAULT false{extra}) ON COMMIT DROP"""))
    return append(conn, name, laag, kolommen, advance)


def append(conn: Connection, name: str, laag: Laag, kolommen: Mapping[str, Any],
           advance: Callable[[int], None], start: int = 1) -> int:
    """COPY a layer into an existing staging table, row numbers from `start`."""
    values = [as_text(v) for v in kolommen.values()]
    n = len(laag)
    total = 0
    for lo in range(0, n, CHUNK):
        hi = min(lo + CHUNK, n)
        rows = zip(range(start + lo, start + hi), *(v[lo:hi] for v in values),
                   [laag.srid] * (hi - lo), laag.wkb[lo:hi], strict=True)
        total += copy_rows(conn, name, ["rij", *kolommen, "srid", "wkb"], rows)
        advance(hi - lo)
    # A temporary table has no statistics until ANALYZE; without them the planner takes it
    # for a few rows and anti-joins 50,000 plots by nested loop (minutes instead of 0.1 s).
    conn.execute(text(f"ANALYZE {name}"))
    return total


def skip(conn: Connection, name: str, id_col: str, where: str, reden: str,
         rapport: ImportRapport, params: Mapping[str, object] | None = None) -> int:
    """Mark rows as skipped and report each with `reden` (SQL text expression allowed)."""
    rows = conn.execute(text(f"""
        UPDATE {name} s SET overslaan = true WHERE NOT s.overslaan AND ({where})
        RETURNING s.rij, s.{id_col}, {reden}"""), dict(params or {})).all()
    for rij, ref, why in sorted(rows):
        rapport.add(rij, ref, "overgeslagen", why)
    return len(rows)


def geometrie(conn: Connection, name: str, id_col: str, soort: tuple[str, ...], doel: str,
              laag: Laag, rapport: ImportRapport) -> None:
    """Build, check, transform and repair the staged geometries; refuse the whole file when
    a geometry has the wrong type or lies outside the Netherlands."""
    conn.execute(text(f"""UPDATE {name} SET geometrie = ST_Force2D(ST_GeomFromWKB(wkb, srid)),
                          wkb = NULL WHERE wkb IS NOT NULL"""))
    skip(conn, name, id_col, "s.geometrie IS NULL OR ST_IsEmpty(s.geometrie)",
         "'geen geometrie'", rapport)
    wrong = conn.execute(text(f"""
        SELECT rij, GeometryType(geometrie) FROM {name}
         WHERE NOT overslaan AND GeometryType(geometrie) <> ALL(:soort)
         ORDER BY rij LIMIT 1"""), {"soort": [s.upper() for s in soort]}).first()
    if wrong is not None:
        gtype = str({k.upper(): k for k in TYPE_NL}.get(wrong[1], wrong[1]))
        raise ImportFout(geometrietype_fout(laag.bestand, gtype, soort, doel)
                         + f" (eerste: object {wrong[0]})")
    if laag.geografisch:
        _buiten(conn, name, laag, "NOT (ST_XMin(geometrie) >= -180 AND ST_XMax(geometrie) <= 180"
                " AND ST_YMin(geometrie) >= -90 AND ST_YMax(geometrie) <= 90)")
    if laag.srid != 28992:
        try:
            with conn.begin_nested():
                conn.execute(text(f"""UPDATE {name} SET geometrie = ST_Transform(geometrie, 28992)
                                      WHERE NOT overslaan"""))
        except DBAPIError as exc:
            raise ImportFout(_buiten_tekst(laag, None)) from exc
    conn.execute(text(f"UPDATE {name} SET geometrie = ST_SetSRID(geometrie, 28992)"
                      " WHERE NOT overslaan AND ST_SRID(geometrie) <> 28992"))
    _buiten(conn, name, laag, f"NOT (geometrie @ {NL})")
    if soort == VLAK:
        _herstel(conn, name, id_col, rapport)


def _buiten_tekst(laag: Laag, rij: int | None) -> str:
    waar = f" (eerste: object {rij})" if rij is not None else ""
    return (f"Coördinaten in {laag.bestand} liggen buiten Nederland{waar}. Klopt het "
            f"coördinatenstelsel? Het bestand is gelezen als EPSG:{laag.srid}.")


def _buiten(conn: Connection, name: str, laag: Laag, where: str) -> None:
    rij = conn.execute(text(f"SELECT min(rij) FROM {name} WHERE NOT overslaan AND {where}")
                       ).scalar()
    if rij is not None:
        raise ImportFout(_buiten_tekst(laag, int(rij)))


def _herstel(conn: Connection, name: str, id_col: str, rapport: ImportRapport) -> None:
    """ST_MakeValid where needed; keep the repair when the area changes at most 1 %."""
    rows = conn.execute(text(f"""
        WITH bad AS (
            SELECT rij, {id_col} AS ref, ST_IsValidReason(geometrie) AS reden,
                   ST_Area(geometrie) AS voor,
                   ST_Multi(ST_CollectionExtract(ST_MakeValid(geometrie), 3)) AS hersteld
              FROM {name} WHERE NOT overslaan AND NOT ST_IsValid(geometrie)),
        judged AS (
            SELECT *, ST_Area(hersteld) AS na,
                   (NOT ST_IsEmpty(hersteld) AND voor > 0
                    AND abs(ST_Area(hersteld) - voor) <= :max * voor) AS ok FROM bad)
        UPDATE {name} s SET geometrie = CASE WHEN j.ok THEN j.hersteld ELSE s.geometrie END,
                            overslaan = NOT j.ok
          FROM judged j WHERE s.rij = j.rij
        RETURNING j.rij, j.ref, j.ok, j.reden, j.voor, j.na"""), {"max": MAX_AFWIJKING}).all()
    for rij, ref, ok, reden, voor, na in sorted(rows):
        change = f"{voor:.1f} → {na:.1f} m²".replace(".", ",")
        if ok:
            rapport.add(rij, ref, "hersteld", f"ongeldige geometrie ({reden}) hersteld; "
                                              f"oppervlakte {change}")
        else:
            rapport.add(rij, ref, "overgeslagen", f"ongeldige geometrie ({reden}); herstel "
                                                  f"verandert de oppervlakte meer dan 1% "
                                                  f"({change})")


def ids(conn: Connection, name: str, id_col: str, rapport: ImportRapport,
        max_len: int = 100) -> None:
    """Skip rows without an id, with an over-long id, or repeating an earlier row's id."""
    skip(conn, name, id_col, f"s.{id_col} IS NULL", "'geen id'", rapport)
    skip(conn, name, id_col, f"length(s.{id_col}) > {max_len}",
         f"'id langer dan {max_len} tekens'", rapport)
    rows = conn.execute(text(f"""
        UPDATE {name} s SET overslaan = true
          FROM (SELECT rij, min(rij) OVER (PARTITION BY {id_col}) AS eerste FROM {name}
                 WHERE NOT overslaan) d
         WHERE s.rij = d.rij AND d.rij > d.eerste
        RETURNING s.rij, s.{id_col}, d.eerste""")).all()
    for rij, ref, eerste in sorted(rows):
        rapport.add(rij, ref, "overgeslagen", f"id komt eerder voor (object {eerste})")
