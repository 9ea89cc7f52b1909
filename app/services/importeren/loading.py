"""Upserts of gebieden, categorieën, voorzieningen and groenvakken from GeoDataFrames.

A row is only rewritten when something in it changed, so loading the same data twice changes
nothing (not even gewijzigd_op). Used by the demo loader and by file imports.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection, text

from app.geo.bulk import copy_rows, ewkb_hex


def _none(value: object) -> object:
    """pandas' NaN/NaT/NA become SQL NULL."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _stage(conn: Connection, name: str, ddl: str, frame: pd.DataFrame,
           columns: Sequence[str], geometry: bool = True) -> int:
    """A temporary table filled by COPY; dropped at commit."""
    conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{name}"))
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
    return sum(merge_gebieden(conn, gemeente_code, "stage_gebied"))


def merge_gebieden(conn: Connection, gemeente_code: str, source: str) -> tuple[int, int]:
    """Upsert from a table with code, naam, soort, parent_code, inwoners, geometrie (RD New):
    wijken and dorpen first, then buurten under their parent. Returns (inserted, updated)."""
    flags: list[bool] = []
    for level in ("s.soort <> 'buurt'", "s.soort = 'buurt'"):
        flags += conn.execute(text(f"""
            INSERT INTO gebied (gemeente_code, code, naam, soort, parent_id, inwoners, geometrie)
            SELECT :g, s.code, s.naam, s.soort, p.id, s.inwoners, ST_Multi(s.geometrie)
              FROM {source} s
              LEFT JOIN gebied p ON p.gemeente_code = :g AND p.code = s.parent_code
             WHERE {level}
            ON CONFLICT (gemeente_code, code) DO UPDATE
               SET naam = EXCLUDED.naam, soort = EXCLUDED.soort, parent_id = EXCLUDED.parent_id,
                   inwoners = EXCLUDED.inwoners, geometrie = EXCLUDED.geometrie
             WHERE (gebied.naam, gebied.soort, gebied.parent_id, gebied.inwoners,
                    ST_AsEWKB(gebied.geometrie))
                   IS DISTINCT FROM (EXCLUDED.naam, EXCLUDED.soort, EXCLUDED.parent_id,
                    EXCLUDED.inwoners, ST_AsEWKB(EXCLUDED.geometrie))
            RETURNING xmax = 0
        """), {"g": gemeente_code}).scalars().all()
    inserted = sum(1 for f in flags if f)
    return inserted, len(flags) - inserted


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
    return sum(merge_voorzieningen(conn, gemeente_code, "stage_voorziening", _VZ_DATA))


def merge_voorzieningen(conn: Connection, gemeente_code: str, source: str,
                        velden: Sequence[str]) -> tuple[int, int]:
    """Upsert from a table with extern_id, categorie (code), geometrie (RD New) and `velden`
    (of VOORZIENING_KOLOMMEN); other columns keep their value. Returns (inserted, updated)."""
    data = [c for c in _VZ_DATA if c in velden]
    cols = ", ".join(data)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*data, "categorie_id", "geometrie"])
    old = ", ".join(f"voorziening.{c}" for c in [*data, "categorie_id"])
    new = ", ".join(f"EXCLUDED.{c}" for c in [*data, "categorie_id"])
    flags = conn.execute(text(f"""
        INSERT INTO voorziening (gemeente_code, extern_id, categorie_id, {cols}, geometrie)
        SELECT :g, s.extern_id, c.id, {", ".join("s." + c for c in data)}, s.geometrie
          FROM {source} s
          JOIN categorie c ON c.gemeente_code = :g AND c.code = s.categorie
        ON CONFLICT (gemeente_code, extern_id) DO UPDATE SET {sets}
         WHERE ({old}, ST_AsEWKB(voorziening.geometrie))
               IS DISTINCT FROM ({new}, ST_AsEWKB(EXCLUDED.geometrie))
        RETURNING xmax = 0
    """), {"g": gemeente_code}).scalars().all()
    inserted = sum(1 for f in flags if f)
    return inserted, len(flags) - inserted


def upsert_groenvakken(conn: Connection, gemeente_code: str, frame: gpd.GeoDataFrame) -> int:
    """Groenvakken by extern_id; adopties and logs hang on the row's id and stay."""
    _stage(conn, "stage_groenvak", "extern_id text, naam text, soort text, "
           "zelfbeheer_mogelijk boolean, geometrie geometry", frame,
           ["extern_id", "naam", "soort", "zelfbeheer_mogelijk"])
    return sum(merge_groenvakken(conn, gemeente_code, "stage_groenvak",
                                 ("naam", "soort", "zelfbeheer_mogelijk")))


GROENVAK_VELDEN = ("naam", "soort", "zelfbeheer_mogelijk")


def merge_groenvakken(conn: Connection, gemeente_code: str, source: str,
                      velden: Sequence[str] = GROENVAK_VELDEN) -> tuple[int, int]:
    """Upsert from a table with extern_id, naam, soort, geometrie (RD New) and the `velden`;
    an update rewrites only `velden` and the geometry, and brings a vervallen plot back.
    Returns (inserted, updated); unchanged rows are not touched."""
    velden = [v for v in GROENVAK_VELDEN if v in velden]
    cols = ["extern_id", *dict.fromkeys(["naam", "soort", *velden])]
    sets = ", ".join(f"{v} = EXCLUDED.{v}" for v in velden)
    old = ", ".join(f"groenvak.{v}" for v in velden)
    new = ", ".join(f"EXCLUDED.{v}" for v in velden)
    rows = conn.execute(text(f"""
        INSERT INTO groenvak (gemeente_code, {", ".join(cols)}, geometrie)
        SELECT :g, {", ".join(cols)}, ST_Multi(geometrie) FROM {source}
        ON CONFLICT (gemeente_code, extern_id) DO UPDATE
           SET {sets + ", " if sets else ""}geometrie = EXCLUDED.geometrie, vervallen_op = NULL
         WHERE ({old + ", " if old else ""}groenvak.vervallen_op, ST_AsEWKB(groenvak.geometrie))
               IS DISTINCT FROM ({new + ", " if new else ""}NULL::date,
                                 ST_AsEWKB(EXCLUDED.geometrie))
        RETURNING xmax = 0
    """), {"g": gemeente_code}).scalars().all()
    inserted = sum(1 for r in rows if r)
    return inserted, len(rows) - inserted


def upsert_bebouwde_kom(conn: Connection, gemeente_code: str, frame: gpd.GeoDataFrame) -> int:
    """The bebouwde kom by name: where the homes are, for the figures per wijk/dorp."""
    _stage(conn, "stage_kom", "naam text, geometrie geometry", frame, ["naam"])
    return conn.execute(text("""
        INSERT INTO bebouwde_kom (gemeente_code, naam, geometrie)
        SELECT :g, naam, ST_Multi(geometrie) FROM stage_kom
        ON CONFLICT (gemeente_code, naam) DO UPDATE SET geometrie = EXCLUDED.geometrie
         WHERE ST_AsEWKB(bebouwde_kom.geometrie) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.geometrie)
    """), {"g": gemeente_code}).rowcount
