"""The town search under load: GET /v1/zoeken at our app, beside the same SQL in pgbench.

A fixed list of queries (full addresses with letter or addition, postcode + number with and
without space, bare postcodes, street prefixes, typos in street and place names, groenvak
codes), picked from the demo gemeente by SQL in a fixed order. Our app (bench/ourapp.py, one
uvicorn worker) is loaded by 8 concurrent Python clients on loopback for --duration seconds;
the ceiling is the SQL our search sends for each query (captured by running
app.services.geografie.zoek on a recording session), under `pgbench -M prepared -c 8 -j 1`.
Reports p50/p95 and requests/s. Uses its own database `kaart_bench_zoeken` (the demo
gemeente, about 35,000 addresses), or with --adressen N the large town `kaart_bench_stad`
(common.prepare_town). Writes bench/.work/zoeken.md (zoeken-N.md).

    .venv/bin/python bench/zoeken_bench.py [--duration 10] [--adressen 500000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from common import TOWN_DB, log, our_app, prepare_town  # noqa: E402
from workloads import Recorder, render  # noqa: E402

DB_NAME = "kaart_bench_zoeken"
CLIENTS = 8

# (kind, SQL giving query texts); fixed order, so every run asks the same
QUERIES = [
    ("adres", "SELECT straatnaam || ' ' || huisnummer || coalesce(huisletter, '') || "
              "coalesce('-' || toevoeging, '') FROM adres ORDER BY identificatie "
              "OFFSET 7 LIMIT 12"),
    ("postcode+nummer", "SELECT replace(lower(postcode), ' ', '') || ' ' || huisnummer "
                        "FROM adres ORDER BY identificatie DESC LIMIT 6"),
    ("postcode+nummer", "SELECT postcode || ' ' || huisnummer FROM adres "
                        "ORDER BY identificatie OFFSET 3000 LIMIT 6"),
    ("postcode", "SELECT DISTINCT postcode FROM adres ORDER BY postcode LIMIT 6"),
    ("prefix", "SELECT DISTINCT left(naam, 5) FROM straat ORDER BY 1 LIMIT 8"),
    ("typo", "SELECT DISTINCT left(naam, length(naam) / 2) || substr(naam, length(naam) / 2 + 2)"
             " FROM straat WHERE length(naam) >= 8 ORDER BY 1 LIMIT 8"),
    ("typo", "SELECT left(naam, 3) || substr(naam, 5) FROM gebied WHERE length(naam) >= 7 "
             "ORDER BY code LIMIT 4"),
    ("groenvak", "SELECT extern_id FROM groenvak ORDER BY extern_id OFFSET 100 LIMIT 4"),
]


def prepare(adressen: int = 0) -> tuple[str, str, list[str]]:
    """The database (the demo, or with `adressen` the large town) and the fixed queries."""
    from sqlalchemy import create_engine, make_url, text

    from app import db, migrate
    from app.config import Settings
    from app.services.demo import laden as demo

    if adressen:
        url = prepare_town(adressen)
        engine = create_engine(url)
        with engine.connect() as conn:
            gemeente = conn.execute(text("SELECT code FROM gemeente ORDER BY code")).scalar_one()
            queries = [q for _, sql in QUERIES for q in conn.execute(text(sql)).scalars()]
        engine.dispose()
        return url, gemeente, queries
    url = db.prepare(Settings(), database=DB_NAME)
    admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    db.ensure_database(admin, DB_NAME)  # also on a server given by DATABASE_URL
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        empty = conn.execute(text("SELECT count(*) FROM adres")).scalar_one() == 0
    if empty:  # outside the connection above: its open transaction would block the load
        log(f"database {DB_NAME}: loading the demo gemeente")
        demo.load(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE adres, straat, gebied, groenvak, voorziening")
        gemeente = conn.execute(text("SELECT code FROM gemeente ORDER BY code")).scalar_one()
        queries = [q for _, sql in QUERIES for q in conn.execute(text(sql)).scalars()]
    engine.dispose()
    return url, gemeente, queries


def capture(url: str, gemeente: str, queries: list[str]) -> list[str]:
    """The one statement our search sends per query, with its parameters written in."""
    from sqlalchemy import create_engine
    from sqlmodel import Session

    from app.services import geografie

    engine = create_engine(url)
    scripts = []
    with Session(engine) as session:
        for q in queries:
            recorder = Recorder(session)
            geografie.zoek(recorder, gemeente, q)  # type: ignore[arg-type]
            scripts += [render(sql, params) for sql, params in recorder.statements]
    engine.dispose()
    return scripts


def find_pgbench() -> str:
    found = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if not found:
        raise SystemExit("pgbench is missing: it comes with PostgreSQL.")
    return str(found)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_app(base: str, queries: list[str], duration: float) -> tuple[list[float], int]:
    """CLIENTS threads cycling through the queries; latencies in ms, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def client(offset: int) -> None:
        i = offset
        mine = []
        while time.perf_counter() < stop:
            url = f"{base}/v1/zoeken?q={urllib.parse.quote(queries[i % len(queries)])}"
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as r:
                    r.read()
                mine.append((time.perf_counter() - started) * 1000)
            except OSError:
                errors[0] += 1
            i += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k * 7,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def run_pgbench(url: str, scripts: list[str], duration: float, folder: Path,
                clients: int = CLIENTS) -> list[float]:
    u = urllib.parse.urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*"):
        old.unlink()
    files = []
    for i, sql in enumerate(scripts):
        path = folder / f"{i:03d}.sql"
        path.write_text(sql + ";\n")
        files += ["-f", str(path)]
    env = {**os.environ, "PGPASSWORD": urllib.parse.unquote(u.password or "")}
    subprocess.run([find_pgbench(), "-n", "-M", "prepared", "-c", str(clients), "-j", "1",
                    "-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432),
                    "-U", urllib.parse.unquote(u.username or ""), *files,
                    "-T", str(max(1, round(duration))), "-l", "--log-prefix",
                    str(folder / "log"), u.path.lstrip("/")],
                   capture_output=True, text=True, env=env, cwd=folder, check=True)
    return [int(line.split()[2]) / 1000 for path in folder.glob("log*")
            for line in path.read_text().splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--adressen", type=int, default=0,
                        help=f"run on {TOWN_DB}, a town of this many addresses (0: the demo)")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    args.output = args.output or BENCH / ".work" / (
        f"zoeken-{args.adressen}.md" if args.adressen else "zoeken.md")
    url, gemeente, queries = prepare(args.adressen)
    with __import__("sqlalchemy").create_engine(url).connect() as conn:
        size = conn.exec_driver_sql("SELECT (SELECT count(*) FROM adres), "
                                    "(SELECT count(DISTINCT naam) FROM straat)").one()
    where = (f"`{TOWN_DB}` (a generated town: {size[0]:,} addresses, {size[1]:,} street names)"
             if args.adressen else f"`{DB_NAME}` (the demo gemeente: {size[0]:,} addresses, "
             f"{size[1]:,} street names)")
    scripts = capture(url, gemeente, queries)
    with our_app(url, args.output.parent / "zoeken-server.log") as base:
        load_app(base, queries, 2)  # warm-up
        app_ms, errors = load_app(base, queries, args.duration)
    sql_ms = run_pgbench(url, scripts, args.duration, args.output.parent / "pgbench-zoeken")

    def row(label: str, values: list[float]) -> str:
        return (f"| {label} | {len(values) / args.duration:,.0f} | {pct(values, 0.5):,.1f} ms "
                f"| {pct(values, 0.95):,.1f} ms |")

    report = f"""## Town search (`/v1/zoeken`)

Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/zoeken_bench.py` on {where},
{len(queries)} fixed queries (full addresses, postcode + number, bare postcodes,
street prefixes, typos, groenvak codes), {CLIENTS} concurrent clients, {args.duration:g} s.
Our app: one uvicorn worker, Python clients on loopback ({errors} errors). Ceiling: the same
one SQL statement per query in `pgbench -M prepared -c {CLIENTS} -j 1`.

| | requests/s | p50 | p95 |
|---|---:|---:|---:|
{row('our app, GET /v1/zoeken', app_ms)}
{row('pgbench, the same SQL', sql_ms)}

Ratio app/ceiling in requests/s: {len(app_ms) / max(len(sql_ms), 1):.2f}.
"""
    args.output.write_text(report)
    log(f"app p50 {pct(app_ms, 0.5):.1f} ms p95 {pct(app_ms, 0.95):.1f} ms; "
        f"pgbench p50 {pct(sql_ms, 0.5):.1f} ms p95 {pct(sql_ms, 0.95):.1f} ms -> {args.output}")


if __name__ == "__main__":
    main()
