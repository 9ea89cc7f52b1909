"""Benchmark: our OGC API against tipg, pygeoapi and raw SQL in pgbench, on one database.

    .venv/bin/python bench/run.py [--duration 10] [--quick]

One command does everything, in one run, and writes docs/performance.md (with --quick, a short
smoke run, bench/.work/performance-quick.md unless --output says otherwise):

1. creates and fills the bench database (`kaart_bench`: the demo gemeente plus 50,000
   generated groenvakken), if needed, and ANALYZEs it;
2. creates bench/.venvs/tipg and bench/.venvs/pygeoapi from the pinned requirements files;
3. derives the workloads from the data, deterministically: bboxes of about 400 x 450 m around
   sampled groenvakken (each matching at least 100), feature ids spread over the table, every
   z15 tile with at least 100 groenvakken, and the densest z13 tiles;
4. captures the exact SQL our app sends for those requests (by running app.geo.features and
   app.geo.tiles against a recording session) and writes it as pgbench scripts;
5. starts each server alone on its own loopback port with the same number of uvicorn workers,
   checks its answers (same ids for the bbox pages, tiles that decode), then runs wrk against
   it for each workload, cycling through the distinct requests (warm-up first, not counted);
6. runs pgbench with the captured SQL and the same number of clients, as the ceiling;
7. writes the report: machine, method, requests/s with p50/p99 latency, ratios and targets.

Only the standard library and the project's own venv are used here; load goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    DB_NAME,
    GZIP,
    ROOT,
    START,
    WARM_CACHE_WARMUP,
    find_tools,
    fmt,
    free_port,
    log,
    machine_info,
    package_version,
    plain_url,
    postmaster_pid,
    prepare_database,
    run_quiet,
)
from load import Result, run_pgbench, run_wrk
from report import other_benchmarks, summary_text, write_report
from servers import Server, check_server, ensure_venv, pygeoapi_config, uvicorn_cmd
from workloads import Workload, capture_sql, derive_workloads, paths_for

# --------------------------------------------------------------------------- main



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds per timed run (default 10)")
    parser.add_argument("--warmup", type=float, default=None,
                        help="seconds of untimed warm-up before each run (default duration/4, "
                             "at least 2)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 3 s per run, 1 s warm-up, report to bench/.work/")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn workers per server (default 1: with 2, wrk's connections "
                             "split unevenly between them; see bench/README.md)")
    parser.add_argument("--connections", type=int, default=8,
                        help="concurrent connections (wrk) and clients (pgbench)")
    parser.add_argument("--output", type=Path, default=None,
                        help="report path (default docs/performance.md)")
    parser.add_argument("--api-only", action="store_true",
                        help="skip the wijk page, export and import benchmarks")
    args = parser.parse_args()
    if args.quick:
        args.duration = 3.0 if args.duration == 10.0 else args.duration
        args.warmup = 1.0 if args.warmup is None else args.warmup
    warmup = args.warmup if args.warmup is not None else max(2.0, args.duration / 4)
    output = args.output or (BENCH / ".work" / "performance-quick.md" if args.quick
                             else ROOT / "docs" / "performance.md")

    tools = find_tools()
    log(f"database {DB_NAME}: checking")
    url = prepare_database()
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    pg_pid = postmaster_pid(engine)
    tipg_py = ensure_venv("tipg", "import tipg.main, uvicorn, uvloop, httptools")
    pga_py = ensure_venv("pygeoapi", "import pygeoapi.provider.sql, starlette, psycopg2, "
                                     "uvicorn, uvloop, httptools")
    info = machine_info(tools, engine)
    with engine.connect() as conn:
        table_rows = conn.execute(text("SELECT count(*) FROM groenvak")).scalar_one()
    engine.dispose()

    log("deriving the workloads from the data")
    bboxes, ids, tiles15, tiles13, stats = derive_workloads(url)
    workloads = [
        Workload("items", "Items: bbox + limit=100", "items", bboxes, [GZIP]),
        Workload("items_identity", "Items: bbox + limit=100, without compression", "items",
                 bboxes, []),
        Workload("feature", "One feature by id", "feature", ids, [GZIP]),
        Workload("tiles_z15", "Vector tiles z15", "tiles", tiles15, [GZIP]),
        Workload("tiles_z13", "Vector tiles, dense z13", "tiles", tiles13, [GZIP]),
    ]
    log(f"  {len(bboxes)} bboxes, {len(ids)} ids, {len(tiles15)} z15 tiles, "
        f"{len(tiles13)} dense z13 tiles")
    log("capturing our app's SQL for pgbench")
    captured = capture_sql(url, bboxes, ids, {"tiles_z15": tiles15, "tiles_z13": tiles13})

    workdir = BENCH / ".work"
    workdir.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="run-", dir=workdir))
    plain = plain_url(url)
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("TIPG_", "PYGEOAPI_", "KAART_", "DATABASE_URL"))}

    def our_server(cache: bool) -> Server:
        port = free_port()
        env = {**base_env, "DATABASE_URL": url, "KAART_LOG_LEVEL": "warning",
               "BENCH_TILE_CACHE": "on" if cache else "off", "PYTHONPATH": str(ROOT)}
        return Server("ours" if cache else "ours (tile cache off)",
                      uvicorn_cmd(Path(sys.executable), "ourapp:create", port, args.workers,
                                  factory=True, app_dir=BENCH),
                      env, ROOT, port, "/v1/collections/groenvakken/items?limit=1",
                      tmp / ("ours.log" if cache else "ours-nocache.log"))

    tipg_port = free_port()
    tipg = Server("tipg", uvicorn_cmd(tipg_py, "tipg.main:app", tipg_port, args.workers),
                  {**base_env, "DATABASE_URL": plain, "TIPG_NAME": "tipg",
                   "TIPG_DB_SCHEMAS": '["public"]', "TIPG_DB_TABLES": '["public.groenvak"]',
                   "TIPG_DB_EXCLUDE_FUNCTION_SCHEMAS": '["public"]'},
                  tmp, tipg_port, "/collections/public.groenvak/items?limit=1", tmp / "tipg.log")
    pga_port = free_port()
    pga_config = pygeoapi_config(tmp, plain, pga_port)
    openapi = tmp / "pygeoapi-openapi.yml"
    pga_env = {**base_env, "PYGEOAPI_CONFIG": str(pga_config), "PYGEOAPI_OPENAPI": str(openapi)}
    run_quiet([str(pga_py.parent / "pygeoapi"), "openapi", "generate", str(pga_config),
               "--output-file", str(openapi)], "pygeoapi openapi generate", env=pga_env, cwd=tmp)
    pygeoapi = Server("pygeoapi", uvicorn_cmd(pga_py, "pygeoapi.starlette_app:APP", pga_port,
                                              args.workers),
                      pga_env, tmp, pga_port, "/collections/groenvakken/items?limit=1&f=json",
                      tmp / "pygeoapi.log")

    results: dict[str, dict[str, Result]] = {w.key: {} for w in workloads}
    warm: dict[str, Result] = {}
    checks: dict[str, dict[str, Any]] = {}

    def timed(server: Server, peer: str, w: Workload, label: str, warm_up: float) -> Result:
        log(f"  {label}")
        r = run_wrk(tools, server, paths_for(peer, w.kind, w.params), w.headers, args.duration,
                    warm_up, args.connections, tmp, pg_pid, f"{peer}-{w.key}")
        log(f"    {fmt(r.rps)} req/s, p50 {fmt(r.p50_ms)} ms, p99 {fmt(r.p99_ms)} ms"
            + (f", {r.errors} errors" if r.errors else "")
            + (f", other processes {r.other_share:.0%} of the CPUs"
               if r.other_share is not None else "") + (f" {r.note}" if r.note else ""))
        return r

    ours, ours_cold = our_server(cache=True), our_server(cache=False)
    servers = {"ours": ours, "tipg": tipg, "pygeoapi": pygeoapi}
    pg_scripts = {"items": captured.items, "feature": captured.feature,
                  "tiles_z15": captured.tiles["tiles_z15"],
                  "tiles_z13": captured.tiles["tiles_z13"]}
    def measure(server: Server, peer: str, w: Workload, label: str, warm_up: float) -> Result:
        """Start the server alone (idle pools would hold PostgreSQL connections), check its
        answers the first time, run the workload, stop it."""
        server.start()
        try:
            if peer not in checks:
                log(f"  checking {server.name}'s answers")
                checks[peer] = check_server(peer, server, workloads, captured)
            return timed(server, peer, w, label, warm_up)
        finally:
            server.stop()

    try:
        # Every workload on each server in turn: peers compared in one table are measured
        # minutes apart, not a whole phase apart.
        for w in workloads:
            log(w.title)
            if w.kind == "tiles":
                results[w.key]["ours"] = measure(ours_cold, "ours", w, "ours, tile cache off",
                                                 warmup)
                # long enough for every worker to render every tile of the list once
                warm[w.key] = measure(ours, "ours", w, "ours, tile cache warm",
                                      max(warmup, WARM_CACHE_WARMUP))
            else:
                results[w.key]["ours"] = measure(ours, "ours", w, "ours", warmup)
            for peer in ("tipg", "pygeoapi"):
                results[w.key][peer] = measure(servers[peer], peer, w, peer, warmup)
            if w.key in pg_scripts:
                log("  pgbench (our SQL)")
                r = run_pgbench(tools, url, pg_scripts[w.key], args.duration, warmup,
                                args.connections, tmp, pg_pid, w.key)
                log(f"    {fmt(r.rps)} tx/s, p50 {fmt(r.p50_ms)} ms, p99 {fmt(r.p99_ms)} ms"
                    + (f" {r.note}" if r.note else ""))
                results[w.key]["pgbench"] = r
    finally:
        for server in (ours, ours_cold, tipg, pygeoapi):
            server.stop()

    versions = {"tipg": package_version(tipg_py, "tipg"),
                "pygeoapi": package_version(pga_py, "pygeoapi"),
                "uvicorn": package_version(Path(sys.executable), "uvicorn"),
                "fastapi": package_version(Path(sys.executable), "fastapi")}
    report = write_report(args, warmup, info, versions, table_rows, stats, workloads, results,
                          warm, checks, captured)
    if not args.api_only:
        report += other_benchmarks(tmp)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report)
    shutil.rmtree(tmp, ignore_errors=True)
    log(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output} "
        f"in {time.monotonic() - START:.0f}s")
    print()
    print(summary_text(workloads, results, warm))


if __name__ == "__main__":
    main()
