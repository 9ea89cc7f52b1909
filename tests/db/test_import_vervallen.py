"""A partial groenvakken file must not expire the rest of the town: plots missing from the file
expire only inside the bereik asked for (gemeente, wijk, bbox), never one with an open adoptie
unless asked, and every open adoptie involved is listed. Runs on the demo gemeente (5,000
plots) inside the test's rolled-back transaction."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from sqlalchemy import Connection, text

from app.services.importeren import (
    Bereik,
    GroenvakOpties,
    ImportFout,
    importeer_groenvakken,
    lees_bereik,
)
from tests.db.import_files import demo_groenvakken, write

OPEN = "('concept', 'aangevraagd', 'actief')"


def vervallen_op(conn: Connection) -> dict[str, object]:
    return dict(conn.execute(text("SELECT extern_id, vervallen_op FROM groenvak "
                                  "WHERE gemeente_code = 'GM9901'")).all())


def beheer_file(conn: Connection, tmp_path: Path, n: int = 41) -> tuple[Path, list[str]]:
    """n current plots as a beheersysteem exports one district's worth: the first n by id."""
    frame = demo_groenvakken(conn)
    current = set(conn.execute(text("SELECT extern_id FROM groenvak WHERE gemeente_code = "
                                    "'GM9901' AND vervallen_op IS NULL")).scalars())
    frame = frame[frame.vak_id.isin(current)].head(n).reset_index(drop=True)
    frame.loc[0, "geometry"] = frame.geometry.iloc[0].buffer(0.5, join_style="mitre")
    return write(gpd.GeoDataFrame(frame, crs=frame.crs), tmp_path / "beheer.gpkg"), list(
        frame.vak_id)


def missing(conn: Connection, ids: list[str], where: str = "true",
            **params: object) -> list[str]:
    """Current plots not in the file (and matching `where`), by extern id."""
    return list(conn.execute(text(f"""
        SELECT g.extern_id FROM groenvak g
         WHERE g.gemeente_code = 'GM9901' AND g.vervallen_op IS NULL
           AND NOT g.extern_id = ANY(:ids) AND {where} ORDER BY 1"""),
                             {"ids": ids, **params}).scalars())


def open_adopties(conn: Connection, extern_ids: list[str]) -> list[tuple[int, str, str]]:
    rows = conn.execute(text(f"""
        SELECT a.id, a.status, g.extern_id FROM adoptie a JOIN groenvak g ON g.id = a.groenvak_id
         WHERE g.extern_id = ANY(:e) AND a.status IN {OPEN} ORDER BY g.extern_id, a.id"""),
                        {"e": extern_ids}).all()
    return [(int(i), str(s), str(e)) for i, s, e in rows]


def busiest_wijk(conn: Connection, ids: list[str]) -> str:
    """The wijk with the most open adopties on plots missing from the file."""
    return str(conn.execute(text(f"""
        SELECT w.code FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
          JOIN adoptie a ON a.groenvak_id = g.id AND a.status IN {OPEN}
         WHERE g.vervallen_op IS NULL AND NOT g.extern_id = ANY(:ids)
         GROUP BY w.code ORDER BY count(*) DESC, w.code LIMIT 1"""), {"ids": ids}).scalar_one())


def test_a_partial_file_expires_nothing_by_default(connection: Connection,
                                                   tmp_path: Path) -> None:
    path, ids = beheer_file(connection, tmp_path)
    before = vervallen_op(connection)
    gone = missing(connection, ids)
    assert len(gone) > 4_000 and open_adopties(connection, gone)

    rapport = importeer_groenvakken(connection, path, GroenvakOpties("vak_id", "type", "naam"))

    assert (rapport.gelezen, rapport.bijgewerkt, rapport.vervallen) == (41, 1, 0)
    assert rapport.niet_in_bestand == len(gone) and rapport.bereik is None
    assert rapport.adopties == [] and not [r for r in rapport.regels if r.actie == "vervallen"]
    assert vervallen_op(connection) == before
    assert (f"{len(gone)} groenvakken staan niet in het bestand; die blijven zoals ze zijn "
            "(er is geen bereik voor vervallen gekozen).") in rapport.summary()


def test_vervallen_binnen_a_wijk_keeps_plots_with_an_open_adoptie(connection: Connection,
                                                                  tmp_path: Path) -> None:
    path, ids = beheer_file(connection, tmp_path)
    wijk = busiest_wijk(connection, ids)
    in_wijk = "g.wijk_id = (SELECT id FROM gebied WHERE code = :w)"
    binnen = missing(connection, ids, in_wijk, w=wijk)
    kept = open_adopties(connection, binnen)
    expire = sorted(set(binnen) - {e for _, _, e in kept})
    assert kept and expire
    before = vervallen_op(connection)

    opties = GroenvakOpties("vak_id", "type", "naam", vervallen_binnen=lees_bereik(f"wijk {wijk}"))
    rapport = importeer_groenvakken(connection, path, opties)

    after = vervallen_op(connection)
    changed = sorted(k for k in after if after[k] != before[k])
    assert changed == expire and rapport.vervallen == len(expire)
    assert rapport.bereik == f"wijk {wijk}" and rapport.behouden == len(kept)
    assert [(a.adoptie, a.status, a.groenvak, a.vervalt) for a in rapport.adopties] == [
        (i, s, e, False) for i, s, e in kept]
    assert [(r.id, r.reden) for r in rapport.regels if r.actie == "behouden"] == [
        (e, f"niet meer in de bron, maar overgeslagen: open adoptie {i} ({s})")
        for i, s, e in kept]
    assert f", {len(expire)} vervallen, {len(kept)} behouden (open adoptie)." in rapport.summary()


def test_ook_met_adoptie_inside_a_bbox(connection: Connection, tmp_path: Path) -> None:
    path, ids = beheer_file(connection, tmp_path)
    wijk = busiest_wijk(connection, ids)
    x0, y0, x1, y1 = connection.execute(text("""
        SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
          FROM (SELECT ST_Extent(geometrie)::geometry AS e FROM gebied WHERE code = :w) s"""),
                                        {"w": wijk}).one()
    box = f"bbox {x0},{y0},{(x0 + x1) / 2},{y1}"
    binnen = missing(connection, ids, "ST_CoveredBy(g.geometrie, ST_MakeEnvelope(:a, :b, :c, :d,"
                     " 28992))", a=x0, b=y0, c=(x0 + x1) / 2, d=y1)
    kept = open_adopties(connection, binnen)
    assert binnen and kept

    opties = GroenvakOpties("vak_id", vervallen_binnen=lees_bereik(box), ook_met_adoptie=True)
    rapport = importeer_groenvakken(connection, path, opties)

    assert rapport.vervallen == len(binnen) and rapport.behouden == 0
    assert [(a.adoptie, a.vervalt) for a in rapport.adopties] == [(i, True) for i, _, _ in kept]
    assert missing(connection, ids, "g.extern_id = ANY(:b)", b=binnen) == []


def test_bereik_is_read_strictly_and_an_unknown_wijk_is_refused(connection: Connection,
                                                                 tmp_path: Path) -> None:
    assert lees_bereik("") is None and lees_bereik("geen") is None
    assert lees_bereik("gemeente") == Bereik("gemeente")
    assert lees_bereik("wijk WK990101") == lees_bereik("wijk:WK990101") == Bereik(
        "wijk", code="WK990101")
    assert lees_bereik("bbox 1,2,3,4") == Bereik("bbox", bbox=(1, 2, 3, 4))
    assert str(lees_bereik("bbox 1, 2, 3.5, 4")) == "bbox 1,2,3.5,4"
    for bad, message in [("bbox 3,2,1,4", "geen geldige rechthoek"),
                         ("bbox 1,2,3", "geen geldige rechthoek"),
                         ("overal", "is onbekend. Kies gemeente, wijk CODE of bbox"),
                         ("wijk", "is onbekend")]:
        with pytest.raises(ImportFout, match=message):
            lees_bereik(bad)
    path, _ = beheer_file(connection, tmp_path, 3)
    before = vervallen_op(connection)
    with pytest.raises(ImportFout, match="Wijk of dorp WK000000 bestaat niet in gemeente GM9901"):
        importeer_groenvakken(connection, path, GroenvakOpties(
            "vak_id", vervallen_binnen=Bereik("wijk", code="WK000000")))
    assert vervallen_op(connection) == before
