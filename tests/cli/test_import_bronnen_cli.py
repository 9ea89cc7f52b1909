"""`kaart import bag|nwb|osm|bgt` as a user runs them, on a throw-away gemeente: `--proef`
changes nothing and reports the same counts as the real import; a bad file gets one Dutch line
and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from app import migrate
from app.config import Settings
from app.services.importeren import GebiedOpties, importeer_gebieden
from tests.cli.test_cli import assert_clear_failure, kaart
from tests.conftest import fresh_database
from tests.db.bronnen_files import bag_gpkg, bgt_gpkg, nwb_shp, osm_pbf
from tests.db.import_files import cbs_gebieden
from tests.db.test_import_groenvakken import fingerprint

TABLES = ["adres", "straat", "pand", "water", "terrein", "groenvak"]


@pytest.fixture(scope="module")
def leeg_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """A database with one gemeente (GM9902, CBS-layout gebieden) and nothing else."""
    url = fresh_database(Settings(basemap_url="", database_url=None), "kaart_test_bronnen")
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        importeer_gebieden(conn, cbs_gebieden(tmp_path_factory.mktemp("cbs")),
                           GebiedOpties(gemeente="GM9902"))
    yield url, engine
    engine.dispose()


def regel(stdout: str, begin: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith(begin))


@pytest.mark.parametrize(("bron", "maak", "extra", "begin", "telling"), [
    ("bag", bag_gpkg, (), "BAG uit", "Nu in de kaart: adressen 3, panden 2."),
    ("nwb", nwb_shp, ("--gemeente-id", "9901"), "NWB uit", "Nu in de kaart: straten 4."),
    ("osm", osm_pbf, (), "OpenStreetMap uit",
     "Nu in de kaart: adressen 2, panden 1, straten 5, water 1, terrein 1."),
    ("bgt", bgt_gpkg, (), "Groenvakken uit", "5 gelezen, 5 nieuw"),
])
def test_proef_changes_nothing_and_counts_as_the_import(
        leeg_db: tuple[str, Engine], tmp_path: Path, bron: str, maak: Callable[[Path], Path],
        extra: tuple[str, ...], begin: str, telling: str) -> None:
    url, engine = leeg_db
    env = {"DATABASE_URL": url, "KAART_DATA_DIR": str(tmp_path / "data")}
    pad = maak(tmp_path)
    with engine.connect() as conn:
        voor = fingerprint(conn, TABLES)
    proef = kaart("import", bron, str(pad), *extra, "--proef", "--rapport",
                  str(tmp_path / "proef.csv"), **env)
    assert proef.returncode == 0, proef.stderr
    assert "Proef: er is niets gewijzigd." in proef.stdout
    assert telling in regel(proef.stdout, begin)
    with engine.connect() as conn:
        assert fingerprint(conn, TABLES) == voor
    echt = kaart("import", bron, str(pad), *extra, "--rapport", str(tmp_path / "echt.csv"),
                 **env)
    assert echt.returncode == 0, echt.stderr
    assert regel(echt.stdout, begin) == regel(proef.stdout, begin)
    assert (tmp_path / "echt.csv").read_text() == (tmp_path / "proef.csv").read_text()
    with engine.connect() as conn:
        assert fingerprint(conn, TABLES) != voor
        assert conn.execute(text("SELECT count(*) FROM taak WHERE status = 'klaar' "
                                 "AND parameters ->> 'laag' = :l"), {"l": bron}
                            ).scalar_one() == 2


def test_a_bad_file_gets_one_dutch_line(leeg_db: tuple[str, Engine], tmp_path: Path) -> None:
    url, engine = leeg_db
    with engine.connect() as conn:
        voor = fingerprint(conn, TABLES)
    proc = kaart("import", "nwb", str(nwb_shp(tmp_path, crs="EPSG:4326")), DATABASE_URL=url,
                 KAART_DATA_DIR=str(tmp_path / "data"))
    assert_clear_failure(proc, "staat in EPSG:4326; verwacht is EPSG:28992 (RD New)")
    with engine.connect() as conn:
        assert fingerprint(conn, TABLES) == voor
