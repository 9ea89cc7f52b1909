"""Two gemeenten in one database do not see each other's data."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.services.gebieden import gemeente as gebieden
from tests.conftest import scalar

# A second gemeente whose wijk lies right on top of Lindewaard's town.
OVERLAP = "ST_Multi(ST_Buffer(ST_SetSRID(ST_Point(232000, 476000), 28992), 3000))"


@pytest.fixture()
def tweede(session: Session) -> Session:
    conn = session.connection()
    conn.execute(text("INSERT INTO gemeente (code, naam) VALUES ('GM0002', 'Tweede')"))
    conn.execute(text(f"""INSERT INTO gebied (gemeente_code, code, naam, soort, geometrie)
                          VALUES ('GM0002', 'WK000201', 'Overlap', 'wijk', {OVERLAP})"""))
    conn.execute(text("""INSERT INTO groenvak (gemeente_code, extern_id, soort, geometrie)
        VALUES ('GM0002', 'GV00001', 'gras',
                ST_Multi(ST_MakeEnvelope(232000, 476000, 232010, 476010, 28992)))"""))
    return session


def test_spatial_join_stays_within_the_gemeente(tweede: Session) -> None:
    conn = tweede.connection()
    wijk = scalar(conn, """SELECT w.code FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
                           WHERE g.gemeente_code = 'GM0002'""")
    assert wijk == "WK000201"
    # Lindewaard's features did not move into the other gemeente's wijk
    assert scalar(conn, """SELECT count(*) FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
                           WHERE g.gemeente_code <> w.gemeente_code""") == 0


def test_cross_gemeente_references_are_rejected(tweede: Session) -> None:
    conn = tweede.connection()
    plot = scalar(conn, "SELECT id FROM groenvak WHERE gemeente_code = 'GM9901' LIMIT 1")
    with pytest.raises(IntegrityError, match="adoptie_groenvak_fk"):
        conn.execute(text("""INSERT INTO adoptie (gemeente_code, groenvak_id, status, groepsnaam)
                             VALUES ('GM0002', :p, 'ingetrokken', 'Indringers')"""), {"p": plot})


def test_services_only_show_the_own_gemeente(tweede: Session) -> None:
    assert [r.code for r in gebieden.overview(tweede, "GM0002")] == ["WK000201"]
    assert "WK000201" not in {r.code for r in gebieden.overview(tweede, "GM9901")}
    assert gebieden.current_gemeente(tweede, "GM0002").naam == "Tweede"
    assert "Overlap" not in gebieden.boundaries_geojson(tweede, "GM9901")
