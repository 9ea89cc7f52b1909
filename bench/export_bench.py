"""Benchmark: `kaart export groenvakken --formaat shp` against ogr2ogr on the same table.

    .venv/bin/python bench/export_bench.py [--runs 5]

Both read the same rows from the bench database `kaart_bench` (the demo gemeente plus 50,000
generated groenvakken, made by bench/run.py if missing) and write a zipped shapefile:

- ours: the whole command as a user runs it (`python -m app export … -o x.zip`): interpreter
  start, imports, the schema check, one pass for the progress total and field widths, then the
  rows from a server-side cursor in batches of 10,000 through pyogrio (GDAL), and the zip;
- peer: `ogr2ogr -f "ESRI Shapefile"` with `-sql` selecting the same columns (the SQL is built
  from the same layer definition), then the same zip step (deflate level 1) in this process.

Runs alternate (ours, peer, ours, …) so load from elsewhere hits both alike; the report gives
the median and the best wall time of each, CPU time of the client process, its peak memory, and
the ratio of the medians against the target (1.5). It also times the export inside one Python
process (no start-up) and checks that both files hold the same number of features. Writes
bench/.work/export.md, a fragment for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

TARGET = 1.5  # ours / ogr2ogr, wall time


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + sys) and peak RSS in MB of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed: {stderr.strip()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def peer_sql(gemeente: str) -> str:
    """The columns and rows our export writes, as one SELECT for ogr2ogr."""
    from app.services.export.lagen import GROENVAKKEN
    from app.services.export.query import value_sql

    columns = ", ".join(f"{value_sql(p)} AS {name}" for name, p in GROENVAKKEN.props.items())
    return (f"SELECT {columns}, {GROENVAKKEN.geometry_sql} FROM {GROENVAKKEN.from_sql} "
            f"WHERE t.gemeente_code = '{gemeente}' AND {GROENVAKKEN.where_sql} ORDER BY t.id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=BENCH / ".work" / "export.md")
    args = parser.parse_args()

    import pyogrio
    from common import DB_NAME, prepare_database
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from app.services.export import bestanden as export
    from app.services.export.shapefile import zip_shapefile

    if not shutil.which("ogr2ogr"):
        sys.exit("ogr2ogr not found: apt-get install gdal-bin")
    url = prepare_database()
    parsed = make_url(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        gemeente = export.gemeente_code(conn, None)
        total = int(conn.exec_driver_sql(
            "SELECT count(*) FROM groenvak WHERE gemeente_code = %(g)s AND vervallen_op IS NULL",
            {"g": gemeente}).scalar_one())
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAART_")}
    env.pop("DATABASE_URL", None)
    ours_env = {**env, "KAART_DATABASE_URL": url}
    peer_env = {**env, "PGPASSWORD": parsed.password or ""}
    pg = (f"PG:host={parsed.host} port={parsed.port} dbname={DB_NAME} "
          f"user={parsed.username}")
    sql = peer_sql(gemeente)
    work = Path(tempfile.mkdtemp(prefix="kaart-export-bench-"))
    ours_runs: list[tuple[float, float, int]] = []
    peer_runs: list[tuple[float, float, int]] = []
    inside_runs: list[float] = []
    startup_runs: list[float] = []
    try:
        for run in range(args.runs + 1):  # the first round warms the caches, not counted
            target = work / "ours.zip"
            target.unlink(missing_ok=True)
            ours = timed([sys.executable, "-m", "app", "export", "groenvakken", "--formaat",
                          "shp", "-o", str(target)], ours_env)
            folder = work / "peer"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            start = time.perf_counter()
            wall, cpu, rss = timed(["ogr2ogr", "-f", "ESRI Shapefile",
                                    str(folder / "groenvakken.shp"), pg, "-sql", sql,
                                    "-nln", "groenvakken", "-lco", "ENCODING=UTF-8"], peer_env)
            zip_start = time.process_time()
            zip_shapefile(folder, "groenvakken", "README", work / "peer.zip")
            peer = (time.perf_counter() - start, cpu + time.process_time() - zip_start, rss)
            inside = in_process(engine, work)
            startup = timed([sys.executable, "-m", "app", "export", "--help"], ours_env)[0]
            if run:
                ours_runs.append(ours)
                peer_runs.append(peer)
                inside_runs.append(inside)
                startup_runs.append(startup)
            print(f"run {run}{' (warm-up)' if not run else ''}: ours {ours[0]:.2f} s, "
                  f"ogr2ogr + zip {peer[0]:.2f} s, ours in-process {inside:.2f} s, "
                  f"`kaart export --help` {startup:.2f} s", flush=True)
        ours_count = pyogrio.read_info(f"/vsizip/{work / 'ours.zip'}/groenvakken.shp")
        peer_count = pyogrio.read_info(f"/vsizip/{work / 'peer.zip'}/groenvakken.shp")
        assert ours_count["features"] == peer_count["features"] == total, (ours_count, total)
        sizes = ((work / "ours.zip").stat().st_size, (work / "peer.zip").stat().st_size)
        small = timed([sys.executable, "-m", "app", "export", "groenvakken", "--formaat", "shp",
                       "--wijk", "WK990103", "-o", str(work / "wijk.zip")], ours_env)
        small_count = pyogrio.read_info(f"/vsizip/{work / 'wijk.zip'}/groenvakken.shp")
    finally:
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)
    report(args.output, total, ours_runs, peer_runs, sizes, statistics.median(inside_runs),
           statistics.median(startup_runs), (small_count["features"], small[2]))


def in_process(engine: object, work: Path) -> float:
    """Seconds of the export alone inside this process (no start-up), as the web page runs it."""
    from app.services.export import bestanden as export

    with engine.connect() as conn:  # type: ignore[attr-defined]
        with conn.begin():
            request, _ = export.parse(["groenvakken"], "shp", None, [],
                                      export.gemeente_code(conn, None))
            assert request is not None
            start = time.perf_counter()
            export.write(conn, request, work / "inside.zip", stats=export.plan(conn, request))
            return time.perf_counter() - start


def report(output: Path, total: int, ours: list[tuple[float, float, int]],
           peer: list[tuple[float, float, int]], sizes: tuple[int, int], inside: float,
           startup: float, small: tuple[int, int]) -> None:
    med = [statistics.median(r[0] for r in runs) for runs in (ours, peer)]
    best = [min(r[0] for r in runs) for runs in (ours, peer)]
    cpu = [statistics.median(r[1] for r in runs) for runs in (ours, peer)]
    rss = [max(r[2] for r in runs) for runs in (ours, peer)]
    ratio = med[0] / med[1]
    verdict = "meets" if ratio <= TARGET else "misses"
    lines = [
        "## Export: zipped shapefile of the groenvakken",
        "",
        f"`kaart export groenvakken --formaat shp` against `ogr2ogr -f \"ESRI Shapefile\"` "
        f"(GDAL {gdal_version()}) plus the same zip step, on the same {total:,} groenvakken "
        f"of `kaart_bench`, {len(ours)} alternating runs after a warm-up "
        f"({platform.machine()}, {os.cpu_count()} CPUs, shared). "
        "Wall time is the whole command as a user runs it; CPU is the client process "
        "(PostgreSQL's work is the same for both). Made by `bench/export_bench.py`.",
        "",
        "| | median wall | best wall | CPU (client) | peak memory | zip size |",
        "|---|---:|---:|---:|---:|---:|",
        f"| kaart export | {med[0]:.2f} s | {best[0]:.2f} s | {cpu[0]:.2f} s | {rss[0]} MB | "
        f"{sizes[0] / 1e6:.1f} MB |",
        f"| ogr2ogr + zip | {med[1]:.2f} s | {best[1]:.2f} s | {cpu[1]:.2f} s | {rss[1]} MB | "
        f"{sizes[1] / 1e6:.1f} MB |",
        "",
        f"Ratio of the medians: **{ratio:.2f}×** ogr2ogr's time; the target is at most "
        f"{TARGET}× — it {verdict} it. The export itself, timed inside a running Python "
        f"process in the same rounds (as the web page runs it), takes {inside:.2f} s (median): "
        f"**{inside / med[1]:.2f}×** ogr2ogr + zip. The rest of the command's time is fixed "
        "cost, the same for 50 or 500,000 plots: Python starting `kaart` "
        f"(`kaart export --help`: {startup:.2f} s), then importing what the export needs "
        "(pyogrio, which also imports geopandas, pandas, pyproj and pyarrow when they are "
        "installed, about 0.6 s; SQLAlchemy; Alembic for the schema check) and connecting. "
        "Our zip is smaller because the dBase text "
        "fields are as wide as their longest value (PostGIS measures them in the same pass "
        "that counts the rows for the progress bar); ogr2ogr gives computed text columns "
        "GDAL's default width of 80.",
        "",
        f"Memory stays flat: the same command for one wijk ({small[0]:,} groenvakken) peaks at "
        f"{small[1]} MB, for all {total:,} at {rss[0]} MB (rows arrive in batches of 10,000 "
        "from a server-side cursor and go to GDAL batch by batch).",
        "",
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"written to {output}")


def gdal_version() -> str:
    out = subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True).stdout
    return out.split(",")[0].replace("GDAL ", "").strip()


if __name__ == "__main__":
    main()
