"""Load the geography layers (adres, straat, pand, water, terrein) of one gemeente.

A layer is COPYed into a staging table and compared with what the gemeente has: unchanged
layers are left alone (loading twice changes nothing), changed ones are replaced as a whole
in the caller's transaction. The database's triggers place every row in its wijk and buurt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection, text

from app.geo.bulk import copy_rows, ewkb_hex


@dataclass(frozen=True)
class Laag:
    """One layer: its table, the file's columns with their SQL types, and how they map."""

    tabel: str
    kolommen: tuple[tuple[str, str], ...]  # (column in the file, SQL type in the stage)
    doel: tuple[tuple[str, str], ...]  # (table column, SQL over the stage row s)
    sleutel: str


_GEOM_MULTI = ("geometrie", "ST_Multi(s.geometrie)")
LAGEN: dict[str, Laag] = {
    "adres": Laag("adres", (
        ("identificatie", "text"), ("postcode", "text"), ("huisnummer", "integer"),
        ("huisletter", "text"), ("toevoeging", "text"), ("straatnaam", "text"),
        ("woonplaats", "text"), ("gebruiksdoel", "text"), ("pand", "text")), (
        ("identificatie", "s.identificatie"), ("postcode", "s.postcode"),
        ("huisnummer", "s.huisnummer"), ("huisletter", "s.huisletter"),
        ("toevoeging", "s.toevoeging"), ("straatnaam", "s.straatnaam"),
        ("woonplaats", "s.woonplaats"),
        ("gebruiksdoel", "string_to_array(s.gebruiksdoel, ',')"),
        ("pand_identificatie", "s.pand"), ("geometrie", "s.geometrie")), "identificatie"),
    "straat": Laag("straat", (
        ("extern_id", "text"), ("naam", "text"), ("soort", "text"), ("woonplaats", "text")), (
        ("extern_id", "s.extern_id"), ("naam", "s.naam"), ("soort", "s.soort"),
        ("woonplaats", "s.woonplaats"), ("geometrie", "s.geometrie")), "extern_id"),
    "pand": Laag("pand", (("identificatie", "text"), ("bouwjaar", "integer")), (
        ("identificatie", "s.identificatie"), ("bouwjaar", "s.bouwjaar"), _GEOM_MULTI),
        "identificatie"),
    "water": Laag("water", (("extern_id", "text"), ("naam", "text"), ("soort", "text")), (
        ("extern_id", "s.extern_id"), ("naam", "s.naam"), ("soort", "s.soort"), _GEOM_MULTI),
        "extern_id"),
    "terrein": Laag("terrein", (("extern_id", "text"), ("naam", "text"), ("soort", "text")), (
        ("extern_id", "s.extern_id"), ("naam", "s.naam"), ("soort", "s.soort"), _GEOM_MULTI),
        "extern_id"),
}


def _values(frame: pd.Series) -> list[object]:
    """A column as Python values, pandas' missing values as None."""
    return [None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
            for v in frame.tolist()]


def _stage(conn: Connection, laag: Laag, frame: gpd.GeoDataFrame) -> str:
    """COPY the frame into a temporary table; returns its name."""
    name = f"stage_geo_{laag.tabel}"
    ddl = ", ".join(f"{c} {t}" for c, t in laag.kolommen)
    conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{name}"))
    conn.execute(text(f"CREATE TEMP TABLE {name} ({ddl}, geometrie geometry) ON COMMIT DROP"))
    columns = [_values(frame[c]) for c, _ in laag.kolommen]
    columns.append(list(ewkb_hex(shapely.force_2d(frame.geometry.values))))
    copy_rows(conn, name, [*(c for c, _ in laag.kolommen), "geometrie"],
              zip(*columns, strict=True))
    return name


def _plaats(conn: Connection, stage: str, gemeente_code: str) -> None:
    """wijk_id and buurt_id for every staged row, set-based: each gebied polygon is prepared
    once and probes an index on the rows' points (the rule of the database's trigger)."""
    conn.execute(text(f"""
        ALTER TABLE {stage} ADD COLUMN rid bigint GENERATED ALWAYS AS IDENTITY,
            ADD COLUMN pt geometry, ADD COLUMN wijk_id integer, ADD COLUMN buurt_id integer"""))
    conn.execute(text(f"""UPDATE {stage} SET pt = CASE WHEN ST_Dimension(geometrie) = 0
                          THEN geometrie ELSE ST_PointOnSurface(geometrie) END"""))
    conn.execute(text(f"CREATE INDEX ON {stage} USING gist (pt)"))
    conn.execute(text(f"ANALYZE {stage}"))
    for column, soorten in (("wijk_id", "('wijk', 'dorp')"), ("buurt_id", "('buurt')")):
        conn.execute(text(f"""
            UPDATE {stage} s SET {column} = m.id FROM (
                SELECT DISTINCT ON (s.rid) s.rid, g.id FROM gebied g
                  JOIN {stage} s ON ST_Intersects(g.geometrie, s.pt)
                 WHERE g.gemeente_code = :g AND g.soort IN {soorten}
                 ORDER BY s.rid, g.id) m
             WHERE m.rid = s.rid"""), {"g": gemeente_code})


def _fingerprint(conn: Connection, select: str, sleutel: str, params: dict[str, str]) -> str:
    return str(conn.execute(text(
        f"SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, E'\\n' "
        f"ORDER BY x.{sleutel})), '') FROM ({select}) x"), params).scalar_one())


def laad(conn: Connection, gemeente_code: str, frames: Mapping[str, gpd.GeoDataFrame]
         ) -> dict[str, int]:
    """Replace each given layer when it differs; returns the rows written per table."""
    changed: dict[str, int] = {}
    params = {"g": gemeente_code}
    for key, frame in frames.items():
        laag = LAGEN[key]
        stage = _stage(conn, laag, frame)
        cols = ", ".join(c for c, _ in laag.doel)
        nieuw = f"SELECT {', '.join(f'{e} AS {c}' for c, e in laag.doel)} FROM {stage} s"
        oud = f"SELECT {cols} FROM {laag.tabel} WHERE gemeente_code = :g"
        if _fingerprint(conn, nieuw, laag.sleutel, params) == _fingerprint(
                conn, oud, laag.sleutel, params):
            changed[laag.tabel] = 0
            continue
        deleted = conn.execute(text(f"DELETE FROM {laag.tabel} WHERE gemeente_code = :g"),
                               params).rowcount
        _plaats(conn, stage, gemeente_code)
        conn.execute(text("SELECT set_config('kaart.al_geplaatst', 'ja', true)"))
        inserted = conn.execute(text(
            f"INSERT INTO {laag.tabel} (gemeente_code, {cols}, wijk_id, buurt_id) "
            f"SELECT :g, {', '.join(e for _, e in laag.doel)}, s.wijk_id, s.buurt_id "
            f"FROM {stage} s ORDER BY s.rid"), params).rowcount
        conn.execute(text("SELECT set_config('kaart.al_geplaatst', 'nee', true)"))
        conn.execute(text(f"ANALYZE {laag.tabel}"))
        changed[laag.tabel] = max(deleted, inserted)
    return changed
