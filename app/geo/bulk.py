"""Bulk writes with COPY: geometries travel as hex EWKB, never through Python objects per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection

RD_NEW = 28992


def ewkb_hex(geoms: Sequence[Any] | np.ndarray, srid: int = RD_NEW) -> np.ndarray:
    """Shapely geometries as hex EWKB, which PostGIS reads directly in COPY."""
    arr = shapely.set_srid(np.asarray(geoms, dtype=object), srid)
    out: np.ndarray = shapely.to_wkb(arr, hex=True, include_srid=True)
    return out


def copy_rows(conn: Connection, table: str, columns: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into `table` on the connection's own transaction; returns the count."""
    raw = conn.connection.driver_connection
    assert raw is not None
    cols = ", ".join(columns)
    count = 0
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
