"""A `kaart import` killed mid-import leaves no debris: PostgreSQL stops its backend within
seconds (client_connection_check_interval), nothing of the import is kept (one transaction),
its job row reads afgebroken once the heartbeat is stale, and the next run removes the job's
folder (where the zip was unpacked)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from shapely import box
from sqlalchemy import Engine, create_engine, text

from app import migrate
from app.config import PROJECT_DIR, Settings
from app.services import jobs
from app.services.importeren.taken import APP_NAME
from tests.cli.test_cli import kaart
from tests.conftest import fresh_database
from tests.db.import_files import GM, RD, X0, Y0, cbs_gebieden

# Alone: it bounds how fast PostgreSQL notices a dead client (seconds, on a busy machine other
# workers would stretch that) and its 300,000-plot merge keeps a core busy for a minute.
pytestmark = pytest.mark.serial

PLOTS = 300_000  # big enough that the server-side work takes many seconds
STIL_S = 3


def big_zip(folder: Path, n: int = PLOTS) -> Path:
    """n plots of 2 × 2 m on a grid inside the test gemeente, as a zipped Shapefile."""
    cols = 1400
    i = np.arange(n)
    x, y = X0 + 5 + (i % cols) * 2.1, Y0 + 5 + (i // cols) * 2.1
    geoms = box(x, y, x + 2, y + 2)
    shp = folder / "groot.shp"
    pyogrio.write_dataframe(_frame(i, geoms), shp)
    archive = folder / "groot.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.glob("groot.*"):
            if part.suffix != ".zip":
                z.write(part, part.name)
    return archive


def _frame(i: np.ndarray, geoms: np.ndarray):  # type: ignore[no-untyped-def]
    import geopandas as gpd

    return gpd.GeoDataFrame({"code": [f"G{k:07d}" for k in i]}, geometry=geoms, crs=RD)


def backends(engine: Engine, db: str) -> list[tuple[str, str]]:
    """(state, query) of the import's backends in our database."""
    with engine.connect() as conn:
        return [(str(s), str(q)) for s, q in conn.execute(text(
            "SELECT state, query FROM pg_stat_activity WHERE datname = :d "
            "AND application_name = :a AND pid <> pg_backend_pid()"),
            {"d": db, "a": APP_NAME}).all()]


def test_a_killed_import_leaves_no_backend_no_data_and_no_folder(tmp_path: Path) -> None:
    url = fresh_database(Settings(basemap_url="", database_url=None), "kaart_test_kill")
    migrate.upgrade(url)
    engine = create_engine(url)
    db = engine.url.database
    assert db
    data = tmp_path / "data"
    env = {"DATABASE_URL": url, "KAART_DATA_DIR": str(data), "KAART_TAAK_STIL_S": str(STIL_S)}
    assert kaart("import", "gebieden", str(cbs_gebieden(tmp_path)), "--gemeente", GM,
                 "--rapport", str(tmp_path / "gebieden.csv"), **env).returncode == 0
    files = tmp_path / "bestanden"
    files.mkdir()
    archive = big_zip(files)
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("KAART_") and k != "DATABASE_URL"}
    proc = subprocess.Popen([sys.executable, "-m", "app", "import", "groenvakken", str(archive),
                             "--id-veld", "code", "--rapport", str(tmp_path / "r.csv")],
                            cwd=PROJECT_DIR, env={**base, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        # wait until PostgreSQL works on its own (not a COPY the client feeds): the merge
        deadline = time.monotonic() + 300
        while not any(s == "active" and "INSERT INTO groenvak" in q
                      for s, q in backends(engine, db)):
            assert proc.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import never reached the merge"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        killed = time.monotonic()
        while backends(engine, db):
            assert time.monotonic() - killed < 6, f"backend still there: {backends(engine, db)}"
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            proc.kill()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM groenvak")).scalar_one() == 0
    root = data / "uploads" / "taken"
    (left,) = list(root.iterdir())  # the killed run's folder (the zip was unpacked in it)

    time.sleep(STIL_S + 1)
    row = jobs.get(engine, left.name, stil_s=STIL_S)
    assert row is not None and row.status == "afgebroken" and row.done > 0
    assert "geen teken van leven meer" in str(row.error)
    # the next run sweeps the folder the killed one left
    small = tmp_path / "klein.geojson"
    small.write_text('{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
                     '{"name": "urn:ogc:def:crs:EPSG::28992"}}, "features": [{"type": "Feature",'
                     ' "properties": {"code": "K1"}, "geometry": {"type": "Polygon", '
                     f'"coordinates": [[[{X0 + 1}, {Y0 + 1}], [{X0 + 5}, {Y0 + 1}], '
                     f'[{X0 + 5}, {Y0 + 5}], [{X0 + 1}, {Y0 + 1}]]]}}}}]}}', encoding="utf-8")
    again = kaart("import", "groenvakken", str(small), "--id-veld", "code", "--proef",
                  "--rapport", str(tmp_path / "k.csv"), **env)
    assert again.returncode == 0, again.stderr
    assert list(root.iterdir()) == []
    engine.dispose()
