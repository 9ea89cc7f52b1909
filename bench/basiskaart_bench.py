"""Our own basemap tiles, cold: p50/p95 at the app beside the same SQL in pgbench (ceiling).

Uses its own database `kaart_bench_basiskaart` with the demo gemeente (`kaart demo load`: its
addresses, streets, buildings, water and terrein), so it does not need bench/run.py's 50,000
groenvakken. Takes the --tiles z14–z17 tiles with the most buildings per zoom (the heaviest
of the town), starts our app with the tile cache off (bench/ourapp.py,
BENCH_TILE_CACHE=off, one uvicorn worker) and requests each tile --rounds times in turn, one at
a time on loopback, without ETags: every request renders the tile in PostGIS. Then pgbench
runs the very SQL the app sends (app.geo.basiskaart.tile_sql with literal parameters), one
script per tile, one client, for the same number of transactions. Writes
bench/.work/basiskaart.md.

    .venv/bin/python bench/basiskaart_bench.py [--tiles 40] [--rounds 3]

With --adressen N it runs on the large town `kaart_bench_stad` instead (common.prepare_town:
`kaart demo generate --adressen N`, made once, shared with the search benchmark).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from common import TOWN_DB, our_app, plain_url, prepare_town  # noqa: E402
from pages_bench import pct  # noqa: E402

DB_NAME = "kaart_bench_basiskaart"
READ_POOL = "-c max_parallel_workers_per_gather=0 -c jit=off"  # as app.db.make_read_engine
ZOOMS = (14, 15, 16, 17)
DENSEST_TILES = """
SELECT floor((ST_X(c) + :o) / :size)::int AS x, floor((:o - ST_Y(c)) / :size)::int AS y
  FROM pand, LATERAL ST_Centroid(geometrie_3857) c
 GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT :limit
"""


def find_pgbench() -> str:
    """pgbench on PATH or from Debian's PostgreSQL packages (the newest); no wrk needed."""
    found = shutil.which("pgbench") or next(iter(sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pgbench"),
        key=lambda p: int(re.sub(r"\D", "", p.parent.parent.name) or 0), reverse=True)), None)
    if not found:
        raise SystemExit("pgbench is missing: it comes with PostgreSQL")
    return str(found)


def log(message: str) -> None:
    print(f"[basiskaart] {message}", flush=True)


def prepare() -> str:
    """Migrate the database and load the demo town once; VACUUM ANALYZE the geography."""
    from sqlalchemy import create_engine, make_url, text

    from app import db, migrate
    from app.config import Settings
    from app.services.demo import laden as demo

    url = db.prepare(Settings(), database=DB_NAME)
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # on a server of DATABASE_URL, make it the first time
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                        {"n": DB_NAME}).first() is None:
            conn.exec_driver_sql(f'CREATE DATABASE "{DB_NAME}"')
    admin.dispose()
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        empty = conn.execute(text("SELECT count(*) FROM straat")).scalar_one() == 0
    if empty:  # outside the connection above, whose open transaction would block the load
        log("loading the demo gemeente")
        demo.load(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE adres, straat, pand, water, terrein, laag_versie")
    engine.dispose()
    return url


def tiles_per_zoom(url: str, limit: int) -> dict[int, list[tuple[int, int]]]:
    """The `limit` tiles with the most buildings per zoom: the heaviest tiles of the town."""
    from sqlalchemy import create_engine, text

    from app.geo.tiles import ORIGIN

    engine = create_engine(url)
    out: dict[int, list[tuple[int, int]]] = {}
    with engine.connect() as conn:
        for z in ZOOMS:
            out[z] = [(int(r[0]), int(r[1])) for r in conn.execute(text(DENSEST_TILES), {
                "o": ORIGIN, "size": 2 * ORIGIN / 2**z, "limit": limit})]
    engine.dispose()
    return out


def get(url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(
            url, headers={"Accept-Encoding": "gzip"}), timeout=60) as response:
        body = response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status, len(body)


def literal_sql(z: int, x: int, y: int) -> str:
    """The app's statement for one tile with its parameters written in as literals."""
    from app.geo import basiskaart

    sql = basiskaart.tile_sql()
    for name, value in basiskaart._params(z, x, y).items():
        text = ("ARRAY[" + ",".join(f"'{v}'" for v in value) + "]::text[]"
                if isinstance(value, list) else repr(value))
        sql = re.sub(rf"(?<!:):{name}\b", text, sql)
    return " ".join(sql.split()) + ";\n"


def pgbench(tool: str, url: str, tiles: list[tuple[int, int, int]], transactions: int
            ) -> list[float]:
    """Latencies (ms) of pgbench running the tile statements, one client."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, (z, x, y) in enumerate(tiles):
            path = Path(tmp, f"t{i}.sql")
            path.write_text(literal_sql(z, x, y))
            files += ["-f", str(path)]
        subprocess.run([tool, "-n", "-M", "prepared", "-c", "1", "-j", "1", "-t",
                        str(transactions), "-l", "--log-prefix", str(Path(tmp, "log")), *files,
                        plain_url(url)], check=True, capture_output=True, cwd=tmp,
                       env={**os.environ, "PGOPTIONS": READ_POOL})
        latencies = []
        for log_file in Path(tmp).glob("log*"):
            for line in log_file.read_text().splitlines():
                latencies.append(int(line.split()[2]) / 1000)  # microseconds
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=int, default=40, help="tiles per zoom, at most")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--adressen", type=int, default=0,
                        help=f"run on {TOWN_DB}, a town of this many addresses (0: the demo)")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    args.output = args.output or BENCH / ".work" / (
        f"basiskaart-{args.adressen}.md" if args.adressen else "basiskaart.md")
    pgbench_tool = find_pgbench()
    url = prepare_town(args.adressen) if args.adressen else prepare()
    with __import__("sqlalchemy").create_engine(url).connect() as conn:
        size = conn.exec_driver_sql("SELECT (SELECT count(*) FROM adres), (SELECT count(*) "
                                    "FROM pand), (SELECT count(*) FROM straat)").one()
    town = "a generated town" if args.adressen else "the demo gemeente"
    where = (f"`{TOWN_DB if args.adressen else DB_NAME}` ({town}: {size[0]:,} addresses, "
             f"{size[1]:,} buildings, {size[2]:,} street segments)")
    per_zoom = tiles_per_zoom(url, args.tiles)
    app: dict[int, list[float]] = {}
    sizes: dict[int, list[int]] = {}
    with our_app(url, args.output.parent / "basiskaart-server.log",
                 BENCH_TILE_CACHE="off") as server:
        base = f"{server}/v1/tiles/basiskaart/WebMercatorQuad"
        for z, tiles in per_zoom.items():
            get(f"{base}/{z}/{tiles[0][1]}/{tiles[0][0]}")  # warm the connection and plans
            app[z], sizes[z] = [], []
            for _ in range(args.rounds):
                for x, y in tiles:
                    ms, status, size = get(f"{base}/{z}/{y}/{x}")
                    assert status in (200, 204), status
                    app[z].append(ms)
                    sizes[z].append(size)
            log(f"z{z}: {len(tiles)} tiles, app p95 {pct(app[z], 0.95):.1f} ms")
    rows = []
    for z, tiles in per_zoom.items():
        ceiling = pgbench(pgbench_tool, url, [(z, x, y) for x, y in tiles],
                          len(tiles) * args.rounds)
        rows.append(f"| {z} | {len(tiles)} | {pct(app[z], 0.5):,.1f} | {pct(app[z], 0.95):,.1f}"
                    f" | {pct(ceiling, 0.5):,.1f} | {pct(ceiling, 0.95):,.1f} | "
                    f"{sum(sizes[z]) / len(sizes[z]) / 1024:,.1f} |")
        log(f"z{z}: pgbench p95 {pct(ceiling, 0.95):.1f} ms")
    report = f"""## Basemap tiles, cold (`/v1/tiles/basiskaart`)

Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/basiskaart_bench.py` on {where}, one
uvicorn worker with the tile cache off, sequential requests on loopback
with `Accept-Encoding: gzip`, {args.rounds} rounds over the {args.tiles} tiles with the most
buildings per zoom. Ceiling: the same statement in `pgbench -M prepared -c 1`, without JIT and
parallel plans as on the app's read pool (with them, each tile costs about 10 ms more here).

| zoom | tiles | app p50 ms | app p95 ms | pgbench p50 ms | pgbench p95 ms | gzipped KiB |
|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}
"""
    args.output.write_text(report)
    log(f"-> {args.output}")


if __name__ == "__main__":
    main()
