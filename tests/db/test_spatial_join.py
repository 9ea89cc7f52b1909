"""Every voorziening and groenvak knows its wijk/dorp and buurt, and stays right on change."""

from sqlalchemy import Connection, text

from tests.conftest import scalar


def test_demo_counts(connection: Connection) -> None:
    counts = dict(connection.execute(text(
        "SELECT soort, count(*) FROM gebied WHERE gemeente_code = 'GM9901' GROUP BY soort")).all())
    assert counts == {"wijk": 10, "dorp": 5, "buurt": 40}
    assert scalar(connection, "SELECT count(*) FROM voorziening") == 400
    assert scalar(connection, "SELECT count(*) FROM groenvak") == 5000
    assert scalar(connection, """SELECT count(*) FROM groenvak
                                 WHERE oppervlakte_m2 < 5 OR oppervlakte_m2 > 500""") == 0


def test_every_feature_in_exactly_one_wijk_and_buurt(connection: Connection) -> None:
    for table in ("groenvak", "voorziening"):
        wrong = scalar(connection, f"""
            SELECT count(*) FROM {table} f
              LEFT JOIN gebied w ON w.id = f.wijk_id
              LEFT JOIN gebied b ON b.id = f.buurt_id
             WHERE w.soort NOT IN ('wijk', 'dorp') OR w.id IS NULL OR b.soort <> 'buurt'
                OR b.id IS NULL OR b.parent_id <> w.id
                OR NOT ST_Intersects(w.geometrie, ST_PointOnSurface(f.geometrie))
                OR NOT ST_Intersects(b.geometrie, ST_PointOnSurface(f.geometrie))""")
        assert wrong == 0, table
        # and no other wijk or buurt contains the feature's point
        ambiguous = scalar(connection, f"""
            SELECT count(*) FROM {table} f JOIN gebied g
              ON g.gemeente_code = f.gemeente_code AND g.id NOT IN (f.wijk_id, f.buurt_id)
             AND ST_Contains(g.geometrie, ST_PointOnSurface(f.geometrie))""")
        assert ambiguous == 0, table


def test_buurten_tile_their_wijk_without_gaps_or_overlaps(connection: Connection) -> None:
    rows = connection.execute(text("""
        SELECT w.code, w.oppervlakte_m2 AS wijk, sum(b.oppervlakte_m2) AS som,
               ST_Area(ST_SymDifference(w.geometrie, ST_Union(b.geometrie))) AS verschil
          FROM gebied w JOIN gebied b ON b.parent_id = w.id
         GROUP BY w.id""")).all()
    assert len(rows) == 15
    for r in rows:
        assert abs(r.wijk - r.som) < 0.01, r.code
        assert r.verschil < 0.01, r.code
    gemeente = connection.execute(text("""
        SELECT ST_Area(gm.geometrie) AS gm, sum(w.oppervlakte_m2) AS som
          FROM gemeente gm JOIN gebied w ON w.gemeente_code = gm.code AND w.parent_id IS NULL
         GROUP BY gm.code""")).one()
    assert abs(gemeente.gm - gemeente.som) < 0.1


def test_moving_a_groenvak_moves_it_to_another_wijk(connection: Connection) -> None:
    plot, old_wijk = connection.execute(text(
        "SELECT id, wijk_id FROM groenvak ORDER BY id LIMIT 1")).one()
    target = connection.execute(text("""
        SELECT id, ST_PointOnSurface(geometrie) AS p FROM gebied
         WHERE soort = 'dorp' AND id <> :w ORDER BY code LIMIT 1"""), {"w": old_wijk}).one()
    connection.execute(text("""
        UPDATE groenvak SET geometrie = ST_Multi(ST_Buffer(:p ::geometry, 3, 4))
         WHERE id = :i"""), {"p": target.p, "i": plot})
    assert scalar(connection, "SELECT wijk_id FROM groenvak WHERE id = :i", i=plot) == target.id
    parent = scalar(connection, """SELECT b.parent_id FROM groenvak g JOIN gebied b
                                   ON b.id = g.buurt_id WHERE g.id = :i""", i=plot)
    assert parent == target.id


def test_redrawing_a_gebied_reassigns_features(connection: Connection) -> None:
    wijk, buurt = connection.execute(text(
        "SELECT wijk_id, buurt_id FROM voorziening ORDER BY id LIMIT 1")).one()
    moved = scalar(connection, "SELECT count(*) FROM voorziening WHERE buurt_id = :b", b=buurt)
    assert moved > 0
    # merge the buurt into a sibling: its voorzieningen must follow
    sibling = scalar(connection, """SELECT id FROM gebied WHERE parent_id = :w AND id <> :b
                                    ORDER BY id LIMIT 1""", w=wijk, b=buurt)
    connection.execute(text("""
        UPDATE gebied SET geometrie = ST_Multi(ST_Union(geometrie,
               (SELECT geometrie FROM gebied WHERE id = :b))) WHERE id = :s"""),
        {"b": buurt, "s": sibling})
    connection.execute(text("DELETE FROM gebied WHERE id = :b"), {"b": buurt})
    assert scalar(connection, "SELECT count(*) FROM voorziening WHERE buurt_id IS NULL") == 0
    assert scalar(connection, "SELECT count(*) FROM voorziening WHERE buurt_id = :s",
                  s=sibling) >= moved
