"""Nabijheid over de weg: walking distances for every address and category, the incremental
recompute after one new voorziening, isochrones and the gap finder — beside the same pgRouting
call in pgbench as the ceiling.

    .venv/bin/python bench/bereik_bench.py [--adressen 50000] [--isochronen 40]

Uses its own database `kaart_bench_bereik` (the demo gemeente; with --adressen N the demo town
is replaced by a generated one of about N addresses, as `kaart demo generate --adressen N`
does). Steps, all in one run:
1. all: the graph, the attachments and every doel from scratch (tables emptied first), --keer
   times (3); the median and the per-doel times of the last run;
2. incremental: one new published voorziening (zorg, at an address), then bijwerken — which
   recomputes only zorg — five times, each rolled back;
3. ceiling of one doel: the one pgr_drivingDistance call of that doel (its virtual sources
   copied into a plain table) in `pgbench -c 1`: how much of a doel's time is the routing;
4. isochrones: GET /bereik.geojson at our app (one uvicorn worker, bench/ourapp.py) from each
   of --isochronen published voorzieningen, one client, sequentially; beside the isochrone
   statement our code sends (routing, street parts, bands; captured) in `pgbench -c 1`;
5. the gap finder for the wijk with the most woonadressen (zorg, 10 minutes).
Writes bench/.work/bereik[-N].md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from common import log, our_app  # noqa: E402
from workloads import Recorder, render  # noqa: E402
from zoeken_bench import pct, run_pgbench  # noqa: E402

DB_NAME = "kaart_bench_bereik"
G = "GM9901"
LEEG = ("TRUNCATE adres_afstand, afstand_stand, adres_aansluiting, netwerk_stand, "
        "netwerk_rand")


def prepare(adressen: int) -> str:
    from sqlalchemy import create_engine, make_url, text

    from app import db, migrate
    from app.config import Settings
    from app.services.demo import laden as demo

    name = DB_NAME if not adressen else f"{DB_NAME}_{adressen}"
    url = db.prepare(Settings(), database=name)
    admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    db.ensure_database(admin, name)
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM adres")).scalar_one()
    if n == 0:
        log(f"database {name}: loading the demo gemeente")
        demo.load(url)
        if adressen:
            log(f"database {name}: generating a town of about {adressen:,} addresses")
            demo.generate_geografie(url, adressen)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return url


def alles(url: str, keer: int) -> tuple[list[float], float, dict[str, int], dict[str, int]]:
    """Everything from scratch, `keer` times: seconds per run, graph seconds, ms per doel."""
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.services.bereikbaarheid import afstanden, netwerk

    engine = create_engine(url)
    runs: list[float] = []
    graaf = 0.0
    doelen: dict[str, int] = {}
    with engine.connect() as conn:
        size = {"adressen": int(conn.execute(text("SELECT count(*) FROM adres")).scalar_one()),
                "straten": int(conn.execute(text("SELECT count(*) FROM straat")).scalar_one())}
    for _ in range(keer):
        with engine.begin() as conn:
            conn.exec_driver_sql(LEEG)
        with Session(engine) as session:
            started = time.perf_counter()
            session.execute(text("SET LOCAL jit = off"))
            netwerk.bijwerken(session, G)
            graaf = time.perf_counter() - started
            verslag = afstanden.bijwerken(session, G)
            session.commit()
            runs.append(time.perf_counter() - started)
            doelen = verslag.doelen
    engine.dispose()
    return runs, graaf, doelen, size


def incrementeel(url: str) -> list[float]:
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.services.bereikbaarheid import afstanden

    engine = create_engine(url)
    out = []
    for i in range(5):
        with Session(engine) as session:
            session.execute(text("""
                INSERT INTO voorziening (gemeente_code, naam, categorie_id, status, geometrie)
                SELECT c.gemeente_code, 'Nieuwe huisarts', c.id, 'gepubliceerd', a.geometrie
                  FROM categorie c, adres a
                 WHERE c.gemeente_code = :g AND c.code = 'zorg' AND a.gemeente_code = :g
                 ORDER BY a.identificatie OFFSET :i * 997 LIMIT 1"""), {"g": G, "i": i})
            started = time.perf_counter()
            verslag = afstanden.bijwerken(session, G)
            out.append(time.perf_counter() - started)
            assert set(verslag.doelen) == {"zorg"}, verslag
            session.rollback()
    engine.dispose()
    return out


def ceiling_script(url: str) -> str:
    """The Dijkstra of doel 'zorg' as our code sends it, its sources in a plain table."""
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.services.bereikbaarheid import afstanden, netwerk
    from app.services.bereikbaarheid import afstanden_sql as q

    engine = create_engine(url)
    with Session(engine) as session:
        p = afstanden._params(G, netwerk.gemeenten(session, G))
        session.execute(q.TIJDELIJK_SQL)
        session.execute(q.BRONNEN_VOORZIENING_SQL, {**p, "doel": "zorg"})
        session.execute(q.VIRT_VOORZIENING_SQL)
        session.execute(text("DROP TABLE IF EXISTS bench_virt"))
        session.execute(text("CREATE TABLE bench_virt AS SELECT * FROM _virt"))
        session.commit()
    engine.dispose()
    sql = q.DIJKSTRA_SQL.text.replace("INSERT INTO _knoopafstand (knoop, kosten)\n", "")
    sql = "SELECT count(*) FROM (" + sql.replace("FROM _virt v", "FROM bench_virt v") + ") d"
    return render(sql, p)


def isochronen(url: str, n: int, logdir: Path) -> tuple[list[float], list[str]]:
    """Our app's latencies (ms) for n isochrones, and the SQL our code sends for them."""
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.services import bereikbaarheid

    engine = create_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(text("""SELECT id FROM voorziening WHERE status = 'gepubliceerd'
                                   ORDER BY id LIMIT :n"""), {"n": n}).scalars().all()
    scripts: list[str] = []
    with Session(engine) as session:
        for vid in ids[:10]:
            lon, lat = bereikbaarheid.voorziening_plek(session, G, vid) or (0.0, 0.0)
            recorder = Recorder(session)
            bereikbaarheid.isochroon_geojson(recorder, lon, lat,  # type: ignore[arg-type]
                                             bereikbaarheid.profiel("lopen"), 4.5)
            scripts += [render(sql, params) for sql, params in recorder.statements
                        if "pgr_drivingDistance" in sql]
        session.rollback()
    engine.dispose()
    with our_app(url, logdir / "bereik-server.log") as base:
        for vid in ids[:3]:  # warm-up
            urllib.request.urlopen(f"{base}/bereik.geojson?voorziening={vid}").read()
        ms = []
        for vid in ids:
            started = time.perf_counter()
            with urllib.request.urlopen(f"{base}/bereik.geojson?voorziening={vid}",
                                        timeout=30) as r:
                r.read()
            ms.append((time.perf_counter() - started) * 1000)
    return ms, scripts


def gaten(url: str) -> tuple[float, int, str]:
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.services import bereikbaarheid

    engine = create_engine(url)
    with Session(engine) as session:
        wijk = session.execute(text("""
            SELECT w.code FROM gebied w JOIN adres a ON a.wijk_id = w.id AND a.woonfunctie
             GROUP BY w.code ORDER BY count(*) DESC LIMIT 1""")).scalar_one()
        started = time.perf_counter()
        rapport = bereikbaarheid.beste_plekken(session, G, wijk, "zorg", 10)
        took = time.perf_counter() - started
        session.rollback()
    engine.dispose()
    return took, rapport.kandidaten, wijk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adressen", type=int, default=0)
    parser.add_argument("--isochronen", type=int, default=40)
    parser.add_argument("--keer", type=int, default=3, help="runs of the whole computation")
    args = parser.parse_args()
    work = BENCH / ".work"
    work.mkdir(exist_ok=True)
    url = prepare(args.adressen)
    runs, graaf, doelen, size = alles(url, args.keer)
    log(f"all: {[round(r, 1) for r in runs]} s (graph {graaf:.1f} s) for {size}")
    incr = incrementeel(url)
    log(f"incremental: {[round(r, 2) for r in incr]} s")
    plafond_ms = run_pgbench(url, [ceiling_script(url)], 10, work / "pgbench-bereik-dijkstra",
                             clients=1)
    iso_ms, iso_sql = isochronen(url, args.isochronen, work)
    iso_pg = run_pgbench(url, iso_sql, 10, work / "pgbench-bereik-iso", clients=1)
    gap_s, kandidaten, wijk = gaten(url)
    zorg = doelen.get("zorg", 0)
    dijkstra = statistics.median(plafond_ms)
    naam = f"bereik-{args.adressen}" if args.adressen else "bereik"
    grootte = f"{size['adressen']:,} addresses, {size['straten']:,} streets"
    iso = f"{pct(iso_ms, .5):.0f} / {pct(iso_ms, .95):.0f} ms"
    report = f"""## Nabijheid over de weg ({grootte})

Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/bereik_bench.py{
    f' --adressen {args.adressen}' if args.adressen else ''}` on its own database.

| what | figure |
|---|---:|
| all categories and green, from scratch (median of {args.keer}) | {statistics.median(runs):.1f} s |
| of which the graph and the attachment of every address | {graaf:.1f} s |
| per doel (last run; {len(doelen)} doelen) | {min(doelen.values())}–{max(doelen.values())} ms |
| one new voorziening: recompute its category (median of 5) | {statistics.median(incr):.2f} s |
| ceiling: zorg's one pgr_drivingDistance call in pgbench (median) | {dijkstra:.0f} ms |
| zorg in our code (sources, routing, every address written) | {zorg} ms |
| isochrone at the app, p50 / p95 ({len(iso_ms)} voorzieningen, 1 client) | {iso} |
| the same SQL in pgbench, p50 / p95 | {pct(iso_pg, .5):.0f} / {pct(iso_pg, .95):.0f} ms |
| gap finder, {wijk}, zorg, 10 minutes ({kandidaten} candidates) | {gap_s:.1f} s |

Ratio routing / whole doel: {dijkstra / max(zorg, 1):.2f} (the rest is attaching the sources
and writing the addresses' distances). Ratio isochrone SQL / app at p95:
{pct(iso_pg, .95) / max(pct(iso_ms, .95), 0.001):.2f}.
"""
    (work / f"{naam}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
