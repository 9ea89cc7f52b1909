"""`kaart export` as a user runs it, against the test database: files that GDAL reads back with
the counts of the tables, and one clear Dutch line (exit code 2, no file) for a bad request."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pyogrio
from sqlalchemy import Engine, text

from app.config import PROJECT_DIR


def kaart(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS` on the test database, with a clean environment."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KAART_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=PROJECT_DIR, env={**env, "KAART_DATABASE_URL": db_url},
                          timeout=180)


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_shapefile_of_one_wijk(db_url: str, engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "wijk.zip"
    proc = kaart(db_url, "export", "groenvakken", "--formaat", "shp", "--wijk", "WK990103",
                 "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    expected = count(engine, """SELECT count(*) FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
                                WHERE w.code = 'WK990103' AND g.vervallen_op IS NULL""")
    assert f"groenvakken: {expected} objecten" in proc.stdout
    with zipfile.ZipFile(target) as z:
        assert sorted(z.namelist()) == sorted(
            ["groenvakken.shp", "groenvakken.shx", "groenvakken.dbf", "groenvakken.prj",
             "groenvakken.cpg", "README.txt"])
    info = pyogrio.read_info(f"/vsizip/{target}/groenvakken.shp")
    assert info["features"] == expected and info["crs"] == "EPSG:28992"
    assert not list(tmp_path.glob(".*"))  # no work folder left behind


def test_every_layer_in_a_geopackage_and_a_default_name(db_url: str, engine: Engine,
                                                        tmp_path: Path) -> None:
    proc = kaart(db_url, "export", "alles", "-f", "gpkg", "-o", str(tmp_path / "alles.gpkg"))
    assert proc.returncode == 0, proc.stderr
    layers = dict(pyogrio.list_layers(tmp_path / "alles.gpkg"))
    assert list(layers) == ["gebieden", "voorzieningen", "groenvakken", "adopties"]
    assert pyogrio.read_info(tmp_path / "alles.gpkg", layer="adopties")["features"] == \
        count(engine, "SELECT count(*) FROM adoptie")


def test_status_may_be_repeated(db_url: str, engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    proc = kaart(db_url, "export", "adopties", "--formaat", "csv", "--status", "actief",
                 "--status", "beeindigd", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    rows = target.read_text(encoding="utf-8").splitlines()
    assert len(rows) - 1 == count(engine, "SELECT count(*) FROM adoptie "
                                          "WHERE status IN ('actief', 'beeindigd')")


def test_bad_requests_say_what_is_wrong(db_url: str, tmp_path: Path) -> None:
    target = tmp_path / "x.zip"
    for args, needle in [
        (["bomen", "--formaat", "shp"], "Onbekende laag 'bomen'"),
        (["groenvakken", "adopties", "--formaat", "shp"], "alleen als GeoPackage"),
        (["groenvakken", "--formaat", "xls"], "Kies als formaat shp, gpkg, geojson of csv."),
        (["groenvakken", "--formaat", "shp", "--wijk", "WK000000"], "bestaat niet"),
        (["gebieden", "--formaat", "shp", "--status", "actief"], "Op status filteren"),
    ]:
        proc = kaart(db_url, "export", *args, "-o", str(target))
        assert proc.returncode == 2, (args, proc.stdout)
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and needle in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr
        assert not target.exists()
