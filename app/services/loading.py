"""Upserts of gebieden, categorieën, voorzieningen and groenvakken from GeoDataFrames.

A row is only rewritten when something in it changed, so loading the same data twice changes
nothing (not even gewijzigd_op). Used by the demo loader and by file imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection, text

from app.geo.bulk import copy_rows, ewkb_hex


def _none(value: Any) -> Any:
    """pandas' NaN/NaT/NA become SQL NULL."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _stage(conn: Connection, name: str, ddl: str, frame: pd.DataFrame,
           columns: Sequence[str], geometry: bool = True) -> int:
    """A temporary table filled by COPY; dropped at commit."""
    conn.execute(text(f"CREATE TEMP TABLE {name} ({ddl}) ON COMMIT DROP"))
    values = [[_none(v) for v in frame[c].tolist()] for c in columns]
    if geometry:
        values.append(list(ewkb_hex(shapely.force_2d(frame.geometry.values))))
    cols = [*columns, "geometrie"] if geometry else list(columns)
    return copy_rows(conn, name, cols, zip(*values, strict=True))


def upsert_gebieden(conn: Connection, gemeente_code: str, frame: gpd.GeoDataFrame) -> int:
    """Wijken and dorpen first, then buurten with their parent looked up by code."""
    _stage(conn, "stage_gebied", "code text, naam text, soort text, parent_code text, "
           "inwoners integer, geometrie geometry", frame,
           ["code", "naam", "soort", "parent_code", "inwoners"])
    changed = 0
    for level in ("s.soort <> 'buurt'", "s.soort = 'buurt'"):
        changed += conn.execute(text(f"""
            INSERT INTO gebied (gemeente_code, code, naam, soort, parent_id, inwoners, geometrie)
            SELECT :g, s.code, s.naam, s.soort, p.id, s.inwoners, ST_Multi(s.geometrie)
              FROM stage_gebied s
              LEFT JOIN gebied p ON p.gemeente_code = :g AND p.code = s.parent_code
             WHERE {level}
            ON CONFLICT (gemeente_code, code) DO UPDATE
               SET naam = EXCLUDED.naam, soort = EXCLUDED.soort, parent_id = EXCLUDED.parent_id,
                   inwoners = EXCLUDED.inwoners, geometrie = EXCLUDED.geometrie
             WHERE (gebied.naam, gebied.soort, gebied.parent_id, gebied.inwoners,
                    ST_AsEWKB(gebied.geometrie))
                   IS DISTINCT FROM (EXCLUDED.naam, EXCLUDED.soort, EXCLUDED.parent_id,
                    EXCLUDED.inwoners, ST_AsEWKB(EXCLUDED.geometrie))
        """), {"g": gemeente_code}).rowcount
    return changed


def upsert_categorieen(conn: Connection, gemeente_code: str, frame: pd.DataFrame) -> int:
    """Categories by code."""
    _stage(conn, "stage_categorie", "code text, naam text, icoon text, kleur text, "
           "volgorde integer, is_initiatief boolean", frame,
           ["code", "naam", "icoon", "kleur", "volgorde", "is_initiatief"], geometry=False)
    return conn.execute(text("""
        INSERT INTO categorie (gemeente_code, code, naam, icoon, kleur, volgorde, is_initiatief)
        SELECT :g, code, naam, icoon, kleur, volgorde, is_initiatief FROM stage_categorie
        ON CONFLICT (gemeente_code, code) DO UPDATE
           SET naam = EXCLUDED.naam, icoon = EXCLUDED.icoon, kleur = EXCLUDED.kleur,
               volgorde = EXCLUDED.volgorde, is_initiatief = EXCLUDED.is_initiatief
         WHERE (categorie.naam, categorie.icoon, categorie.kleur, categorie.volgorde,
                categorie.is_initiatief) IS DISTINCT FROM (EXCLUDED.naam, EXCLUDED.icoon,
                EXCLUDED.kleur, EXCLUDED.volgorde, EXCLUDED.is_initiatief)
    """), {"g": gemeente_code}).rowcount


VOORZIENING_KOLOMMEN = ["extern_id", "naam", "categorie", "omschrijving", "adres", "postcode",
                        "plaats", "telefoon", "email", "website", "openingstijden", "bron",
                        "status", "laatst_gecontroleerd"]
_VZ_DATA = [c for c in VOORZIENING_KOLOMMEN if c not in ("extern_id", "categorie")]


def upsert_voorzieningen(conn: Connection, gemeente_code: str, frame: gpd.GeoDataFrame) -> int:
    """Voorzieningen by extern_id; the category by its code."""
    ddl = ", ".join(f"{c} {'date' if c == 'laatst_gecontroleerd' else 'text'}"
                    for c in VOORZIENING_KOLOMMEN)
    _stage(conn, "stage_voorziening", ddl + ", geometrie geometry", frame, VOORZIENING_KOLOMMEN)
    cols = ", ".join(_VZ_DATA)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*_VZ_DATA, "categorie_id", "geometrie"])
    old = ", ".join(f"voorziening.{c}" for c in [*_VZ_DATA, "categorie_id"])
    new = ", ".join(f"EXCLUDED.{c}" for c in [*_VZ_DATA, "categorie_id"])
    return conn.execute(text(f"""
        INSERT INTO voorziening (gemeente_code, extern_id, categorie_id, {cols}, geometrie)
        SELECT :g, s.extern_id, c.id, {", ".join("s." + c for c in _VZ_DATA)}, s.geometrie
          FROM stage_voorziening s
          JOIN categorie c ON c.gemeente_code = :g AND c.code = s.categorie
        ON CONFLICT (gemeente_code, extern_id) DO UPDATE SET {sets}
         WHERE ({old}, ST_AsEWKB(voorziening.geometrie))
               IS DISTINCT FROM ({new}, ST_AsEWKB(EXCLUDED.geometrie))
    """), {"g": gemeente_code}).rowcount


def upsert_groenvakken(conn: Connection, gemeente_code: str, frame: gpd.GeoDataFrame) -> int:
    """Groenvakken by extern_id; adopties and logs hang on the row's id and stay."""
    _stage(conn, "stage_groenvak", "extern_id text, naam text, soort text, "
           "zelfbeheer_mogelijk boolean, geometrie geometry", frame,
           ["extern_id", "naam", "soort", "zelfbeheer_mogelijk"])
    return conn.execute(text("""
        INSERT INTO groenvak (gemeente_code, extern_id, naam, soort, zelfbeheer_mogelijk,
                              geometrie)
        SELECT :g, extern_id, naam, soort, zelfbeheer_mogelijk, ST_Multi(geometrie)
          FROM stage_groenvak
        ON CONFLICT (gemeente_code, extern_id) DO UPDATE
           SET naam = EXCLUDED.naam, soort = EXCLUDED.soort,
               zelfbeheer_mogelijk = EXCLUDED.zelfbeheer_mogelijk, geometrie = EXCLUDED.geometrie,
               vervallen_op = NULL
         WHERE (groenvak.naam, groenvak.soort, groenvak.zelfbeheer_mogelijk,
                groenvak.vervallen_op, ST_AsEWKB(groenvak.geometrie))
               IS DISTINCT FROM (EXCLUDED.naam, EXCLUDED.soort, EXCLUDED.zelfbeheer_mogelijk,
                NULL::date, ST_AsEWKB(EXCLUDED.geometrie))
    """), {"g": gemeente_code}).rowcount
