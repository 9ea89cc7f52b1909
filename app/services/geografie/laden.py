"""Load the geography layers (adres, straat, pand, water, terrein) of one gemeente.

A layer is COPYed into a staging table and compared with what the gemeente has: unchanged
layers are left alone (loading twice changes nothing), changed ones are replaced as a whole
in the caller's transaction. The database's triggers place every row in its wijk and buurt.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection, text
from sqlmodel import Session

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
    conn.execute(text(f"CREATE TEMP TABLE {name} (rid bigint GENERATED ALWAYS AS IDENTITY, "
                      f"{ddl}, geometrie geometry) ON COMMIT DROP"))
    columns = [_values(frame[c]) for c, _ in laag.kolommen]
    columns.append(list(ewkb_hex(shapely.force_2d(frame.geometry.values))))
    copy_rows(conn, name, [*(c for c, _ in laag.kolommen), "geometrie"],
              zip(*columns, strict=True))
    return name


def _plekken(conn: Connection, stage: str) -> str:
    """A point per staged row (as the trigger takes it) with a GiST index, so that each gebied
    polygon is prepared once and probes the points: set-based, far quicker than per row."""
    plek = f"{stage}_plek"
    conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{plek}"))
    conn.execute(text(f"""
        CREATE TEMP TABLE {plek} ON COMMIT DROP AS
        SELECT rid, CASE WHEN ST_Dimension(geometrie) = 0 THEN geometrie
                         ELSE ST_PointOnSurface(geometrie) END AS pt FROM {stage}"""))
    conn.execute(text(f"CREATE INDEX ON {plek} USING gist (pt)"))
    conn.execute(text(f"ANALYZE {plek}"))
    return plek


def _in(plek: str, soorten: str) -> str:
    """The lowest id of the gebieden of these soorten holding each point (the trigger's rule)."""
    return f"""(SELECT DISTINCT ON (p.rid) p.rid, g.id FROM gebied g
                  JOIN {plek} p ON ST_Intersects(g.geometrie, p.pt)
                 WHERE g.gemeente_code = :g AND g.soort IN {soorten}
                 ORDER BY p.rid, g.id)"""


@contextmanager
def _indexes_later(conn: Connection, tabel: str) -> Iterator[None]:
    """Filling an empty table: build its plain indexes afterwards, in one go (a GiST or GIN
    index built at once is quicker than one grown row by row). Constraint indexes stay."""
    if conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {tabel})")).scalar_one():
        yield
        return
    rows = conn.execute(text("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = :t
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                            WHERE c.conrelid = CAST(:t AS regclass) AND c.conname = i.indexname)
         ORDER BY i.indexname"""), {"t": tabel}).all()
    for name, _ in rows:
        conn.execute(text(f'DROP INDEX "{name}"'))
    yield
    for _, definition in rows:
        conn.execute(text(definition))


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
        old_count = conn.execute(text(f"SELECT count(*) FROM {laag.tabel} "
                                      "WHERE gemeente_code = :g"), params).scalar_one()
        if old_count == len(frame) and _fingerprint(conn, nieuw, laag.sleutel, params) == (
                _fingerprint(conn, oud, laag.sleutel, params)):
            changed[laag.tabel] = 0
            continue
        deleted = conn.execute(text(f"DELETE FROM {laag.tabel} WHERE gemeente_code = :g"),
                               params).rowcount
        plek = _plekken(conn, stage)
        conn.execute(text("SELECT set_config('kaart.al_geplaatst', 'ja', true)"))
        wijk, buurt = _in(plek, "('wijk', 'dorp')"), _in(plek, "('buurt')")
        with _indexes_later(conn, laag.tabel):
            inserted = conn.execute(text(
                f"INSERT INTO {laag.tabel} (gemeente_code, {cols}, wijk_id, buurt_id) "
                f"SELECT :g, {', '.join(e for _, e in laag.doel)}, w.id, b.id FROM {stage} s "
                f"LEFT JOIN {wijk} w ON w.rid = s.rid LEFT JOIN {buurt} b ON b.rid = s.rid "
                "ORDER BY s.rid"), params).rowcount
        conn.execute(text("SELECT set_config('kaart.al_geplaatst', 'nee', true)"))
        conn.execute(text(f"ANALYZE {laag.tabel}"))
        changed[laag.tabel] = max(deleted, inserted)
    return changed


def heeft_straten(session: Session, gemeente_code: str) -> bool:
    """Whether the gemeente has streets loaded: then our own basemap has something to draw."""
    return bool(session.execute(text("SELECT EXISTS (SELECT 1 FROM straat "
                                     "WHERE gemeente_code = :g)"), {"g": gemeente_code}).scalar())
