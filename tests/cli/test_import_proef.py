"""`kaart import groenvakken` with a 41-row beheer file on the demo (5,000 plots), as a user
runs it: by default nothing expires; `--proef --vervallen-binnen wijk X` changes nothing and
reports exactly what the real run then does; each run is recorded in the taak table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from app import migrate
from app.config import Settings
from app.services.demo import laden as demo
from tests.cli.test_cli import kaart
from tests.conftest import fresh_database
from tests.db.test_import_groenvakken import fingerprint
from tests.db.test_import_vervallen import (
    beheer_file,
    busiest_wijk,
    missing,
    open_adopties,
    vervallen_op,
)

TABLES = ["groenvak", "adoptie", "onderhoud", "audit_log", "laag_versie"]
IN_WIJK = "g.wijk_id = (SELECT id FROM gebied WHERE code = :w)"


@pytest.fixture(scope="module")
def demo_db() -> Iterator[tuple[str, Engine]]:
    url = fresh_database(Settings(basemap_url="", database_url=None), "kaart_test_proef")
    migrate.upgrade(url)
    demo.load(url)
    engine = create_engine(url)
    yield url, engine
    engine.dispose()


def summary(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("Groenvakken uit"))


def test_proef_then_import_of_a_partial_file(demo_db: tuple[str, Engine],
                                             tmp_path: Path) -> None:
    url, engine = demo_db
    with engine.connect() as conn:
        path, ids = beheer_file(conn, tmp_path)
        wijk = busiest_wijk(conn, ids)
        kept = open_adopties(conn, missing(conn, ids, IN_WIJK, w=wijk))
        before = vervallen_op(conn)
    env = {"DATABASE_URL": url, "KAART_DATA_DIR": str(tmp_path / "data")}
    args = ("import", "groenvakken", str(path), "--id-veld", "vak_id", "--soort-veld", "type")

    default = kaart(*args, "--rapport", str(tmp_path / "standaard.csv"), **env)
    assert default.returncode == 0, default.stderr
    assert "0 overgeslagen, 0 vervallen. 4" in summary(default.stdout)
    assert "groenvakken staan niet in het bestand; die blijven zoals ze zijn" in default.stdout
    with engine.connect() as conn:
        assert vervallen_op(conn) == before
        unchanged = fingerprint(conn, TABLES)

    proef = kaart(*args, "--proef", "--vervallen-binnen", "wijk", wijk, "--rapport",
                  str(tmp_path / "proef.csv"), **env)
    assert proef.returncode == 0, proef.stderr
    assert "Proef: er is niets gewijzigd. Zo zou de import gaan:" in proef.stdout
    assert f"Proefrapport ({len(kept) + proef_vervallen(proef.stdout)} regels)" in proef.stdout
    for adoptie, status, extern_id in kept:
        assert (f"lopende adoptie {adoptie} ({status}) op groenvak {extern_id}: overgeslagen, "
                "groenvak blijft") in proef.stdout
    with engine.connect() as conn:
        assert fingerprint(conn, TABLES) == unchanged

    echt = kaart(*args, "--vervallen-binnen", "wijk", wijk, "--rapport",
                 str(tmp_path / "echt.csv"), **env)
    assert echt.returncode == 0, echt.stderr
    assert summary(echt.stdout) == summary(proef.stdout)
    assert (tmp_path / "echt.csv").read_text() == (tmp_path / "proef.csv").read_text()
    assert f"{len(kept)} behouden (open adoptie)" in summary(echt.stdout)
    with engine.connect() as conn:
        assert missing(conn, ids, IN_WIJK, w=wijk) == sorted(e for _, _, e in kept)
        outside = missing(conn, ids, f"NOT ({IN_WIJK})", w=wijk)
        assert len(outside) > 4_000
        rows = conn.execute(text("""
            SELECT status, parameters ->> 'proef', (resultaat ->> 'vervallen')::int, voortgang > 0
              FROM taak WHERE soort = 'import' ORDER BY aangemaakt_op""")).all()
    n = proef_vervallen(proef.stdout)
    assert [tuple(r) for r in rows] == [("klaar", "false", 0, True), ("klaar", "true", n, True),
                                        ("klaar", "false", n, True)]
    assert not any((tmp_path / "data" / "uploads" / "taken").iterdir())


def proef_vervallen(stdout: str) -> int:
    """The number of plots the run reports as vervallen."""
    return int(summary(stdout).split(" vervallen")[0].rsplit(" ", 1)[1])


def test_a_bad_bereik_is_one_clear_line(demo_db: tuple[str, Engine], tmp_path: Path) -> None:
    with demo_db[1].connect() as conn:
        path, _ = beheer_file(conn, tmp_path, 3)
    env = {"DATABASE_URL": demo_db[0], "KAART_DATA_DIR": str(tmp_path / "data")}
    for bereik, message in [(["overal"], "kaart: Bereik 'overal' is onbekend."),
                            (["wijk", "WK000000"], "kaart: Wijk of dorp WK000000 bestaat niet")]:
        refused = kaart("import", "groenvakken", str(path), "--id-veld", "vak_id", "--proef",
                        "--vervallen-binnen", *bereik, **env)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
