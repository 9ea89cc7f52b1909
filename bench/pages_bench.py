"""Server time of the largest wijk page (most groenvakken), after its first request.

Target (issue): with 50,000 groenvakken and 2,000 voorzieningen, the page answers in under
300 ms server time after its first request. Uses `kaart_bench` in the local cluster (made by
bench/run.py: demo gemeente + 50,000 generated groenvakken); adds synthetic published
voorzieningen (`GENV…`, points in the bebouwde kom, categories in turn) until there are 2,000;
starts our app (bench/ourapp.py, one uvicorn worker) and times N sequential GETs on loopback,
reading the handler's own `Server-Timing` too. Writes bench/.work/pages.md.

    .venv/bin/python bench/pages_bench.py [--requests 50]
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from common import our_app  # noqa: E402

DB_NAME = "kaart_bench"
VOORZIENINGEN = 2_000

ADD_VOORZIENINGEN = """
INSERT INTO voorziening (gemeente_code, extern_id, naam, categorie_id, bron, geometrie)
SELECT :g, 'GENV' || lpad(p.n::text, 5, '0'), 'Synthetische voorziening ' || p.n, c.id,
       'benchmark', p.geom
  FROM (SELECT d.geom, row_number() OVER () + :start AS n
          FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Union(geometrie), :aantal,
                                                  9901 + :start))).geom
                  FROM bebouwde_kom WHERE gemeente_code = :g) d) p
  JOIN (SELECT id, row_number() OVER (ORDER BY volgorde, id) - 1 AS k,
               count(*) OVER () AS totaal
          FROM categorie WHERE gemeente_code = :g) c ON c.k = p.n % c.totaal
"""

LARGEST_WIJK = """
SELECT w.code, w.naam, count(g.id) AS groenvakken,
       (SELECT count(*) FROM voorziening v
         WHERE v.wijk_id = w.id AND v.status = 'gepubliceerd') AS voorzieningen
  FROM gebied w JOIN groenvak g ON g.wijk_id = w.id AND g.vervallen_op IS NULL
 WHERE w.soort = 'wijk'
 GROUP BY w.id ORDER BY count(g.id) DESC LIMIT 1
"""


def log(message: str) -> None:
    print(f"[pages] {message}", flush=True)


def prepare() -> tuple[str, dict[str, object]]:
    """Migrate kaart_bench, load the kom (demo load is idempotent), top up voorzieningen."""
    from sqlalchemy import create_engine, text

    from app import db, migrate
    from app.config import Settings
    from app.services.demo import laden as demo

    url = db.prepare(Settings(), database=DB_NAME)
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        groenvakken = conn.execute(text("SELECT count(*) FROM groenvak")).scalar_one()
        kom = conn.execute(text("SELECT count(*) FROM bebouwde_kom")).scalar_one()
    if groenvakken < 50_000:
        raise SystemExit(f"{DB_NAME} has {groenvakken} groenvakken; run bench/run.py first "
                         "(it generates 50,000)")
    if kom == 0:
        log("loading the bebouwde kom (kaart demo load)")
        demo.load(url)
    with engine.begin() as conn:
        gemeente = conn.execute(text("SELECT code FROM gemeente ORDER BY code")).scalar_one()
        for _ in range(5):  # ST_GeneratePoints may give a point less than asked
            count = conn.execute(text("SELECT count(*) FROM voorziening WHERE status = "
                                      "'gepubliceerd'")).scalar_one()
            if count >= VOORZIENINGEN:
                break
            log(f"adding {VOORZIENINGEN - count} synthetic voorzieningen")
            start = conn.execute(text("SELECT count(*) FROM voorziening WHERE extern_id "
                                      "LIKE 'GENV%'")).scalar_one()
            conn.execute(text(ADD_VOORZIENINGEN), {"g": gemeente, "aantal": VOORZIENINGEN - count,
                                                   "start": start})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE voorziening, groenvak, adoptie, gebied")
        row = conn.execute(text(LARGEST_WIJK)).one()
        totals = conn.execute(text("""SELECT (SELECT count(*) FROM groenvak),
            (SELECT count(*) FROM voorziening WHERE status = 'gepubliceerd')""")).one()
    engine.dispose()
    return url, {"code": row.code, "naam": row.naam, "groenvakken": row.groenvakken,
                 "voorzieningen": row.voorzieningen, "alle_groenvakken": totals[0],
                 "alle_voorzieningen": totals[1]}


def get(url: str) -> tuple[float, float | None, int, int]:
    """Client time (ms), server time from Server-Timing (ms), status, bytes."""
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={
            "Accept": "text/html", "Accept-Encoding": "identity"}), timeout=60) as response:
        body = response.read()
        timing = response.headers.get("Server-Timing", "")
        status = response.status
    elapsed = (time.perf_counter() - started) * 1000
    server = float(timing.split("dur=")[1]) if "dur=" in timing else None
    return elapsed, server, status, len(body)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--output", type=Path, default=BENCH / ".work" / "pages.md")
    args = parser.parse_args()

    url, wijk = prepare()
    with our_app(url, args.output.parent / "pages-server.log") as base:
        page = f"{base}/wijken/{wijk['code']}"
        log(f"largest wijk {wijk['naam']} ({wijk['code']}): {wijk['groenvakken']} groenvakken")
        # make the figures stale, so the first request really computes them
        from sqlalchemy import create_engine, text
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM kengetal_cache"))
        engine.dispose()
        first = get(page)
        client, server = [], []
        for _ in range(args.requests):
            c, s, status, size = get(page)
            assert status == 200, status
            client.append(c)
            if s is not None:
                server.append(s)
        vlek = [get(f"{page}/witte-vlekken?categorie=zorg&drempel=400")[0] for _ in range(10)]
    p50_server, p95_server = pct(server, 0.5), pct(server, 0.95)

    def row(label: str, values: list[float]) -> str:
        return (f"| {label} | {pct(values, 0.5):,.1f} ms | {pct(values, 0.95):,.1f} ms "
                f"| {max(values):,.1f} ms |")

    verdict = "met" if p95_server < 300 else "NOT met"
    report = f"""## Wijk page: server time of the largest wijk

Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/pages_bench.py` on `{DB_NAME}`
({wijk['alle_groenvakken']:,} groenvakken, {wijk['alle_voorzieningen']:,} published
voorzieningen), one uvicorn worker, sequential requests on loopback.

Largest wijk (most groenvakken): **{wijk['naam']}** (`{wijk['code']}`),
{wijk['groenvakken']:,} groenvakken, {wijk['voorzieningen']:,} voorzieningen,
{size:,} bytes of HTML.

| measurement | p50 | p95 | max |
|---|---:|---:|---:|
{row('server time (`Server-Timing` of the handler)', server)}
{row('client time (whole request, loopback)', client)}
{row('witte vlekken zorg 400 m (client, 10 requests)', vlek)}

First request (figures computed and cached): {first[0]:,.0f} ms client,
{first[1] or 0:,.0f} ms server; then {args.requests} requests.

Target: under 300 ms server time after the first request: **{verdict}** (p95
{p95_server:,.1f} ms). The page then loads its groenvakken itself from `/v1` (when the map is
zoomed in); those requests are not counted here.
"""
    args.output.write_text(report)
    log(f"server p50 {p50_server:.1f} ms, p95 {p95_server:.1f} ms -> {args.output}")


if __name__ == "__main__":
    main()
