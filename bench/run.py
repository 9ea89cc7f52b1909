"""Benchmark: our OGC API against tipg, pygeoapi and raw SQL in pgbench, on one database.

    /work/main/.venv/bin/python bench/run.py [--duration 10] [--quick]

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
import gzip
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "kaart_bench"
GENERATED = 50_000  # `kaart demo generate --groenvakken 50000`
N_BBOXES = 120  # pgbench takes at most 128 scripts, and each bbox is one script
N_IDS = 120
N_Z15 = 120
BBOX_HALF = (0.003, 0.002)  # degrees lon/lat: about 400 m x 450 m at 52.3° N
MIN_MATCHED = 100
DENSE_Z13 = 5_000  # a z13 tile with at least this many groenvakken counts as dense
TARGETS = {  # workload -> (peer, minimum ratio ours/peer)
    "items": [("tipg", 2.0), ("pgbench", 0.5)],
    "feature": [("tipg", 1.0)],
    "tiles_z15": [("tipg", 1.5)],
    "tiles_z13": [("tipg", 3.0)],
}
GZIP = "Accept-Encoding: gzip"
QUIET_WAIT = 20.0  # seconds, at most, waiting for other work on the machine to stop
NOISY = 0.10  # other processes using more than this share of the CPUs during a run
WARM_CACHE_WARMUP = 5.0  # seconds: every worker renders every tile of a list at least once
START = time.monotonic()


# --------------------------------------------------------------------------- small helpers

def log(message: str) -> None:
    print(f"[{time.monotonic() - START:6.0f}s] {message}", flush=True)


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_quiet(cmd: list[str], what: str, **kwargs: Any) -> str:
    """Run a command; on failure show its last lines and stop with a clear message."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        fail(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


# --------------------------------------------------------------------------- CPU accounting

CLK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rfind(")") + 2:].split()  # fields from 3 (state) on


def group_cpu(pgid: int) -> float:
    """CPU seconds of a process group: live members plus the children they reaped."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields and int(fields[2]) == pgid:  # field 5: pgrp
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / CLK


def tree_cpu(root_pid: int | None) -> float | None:
    """CPU seconds of the postmaster and its children (exited backends land in its cutime)."""
    if root_pid is None:
        return None
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        fields = _stat(pid)
        if not fields:
            continue
        if pid == root_pid:
            total += sum(int(v) for v in fields[11:15])
        elif int(fields[1]) == root_pid:  # field 4: ppid
            total += sum(int(v) for v in fields[11:13])
    return total / CLK


# --------------------------------------------------------------------------- tools and machine

def find_tools() -> dict[str, str]:
    wrk = shutil.which("wrk")
    if not wrk:
        fail("wrk is missing: install Debian's package with `apt-get install -y wrk` "
             "(as root, after `apt-get update`), then run this again.")
    pgbench = shutil.which("pgbench")
    if not pgbench:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"),
                       key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)])
        pgbench = str(found[-1]) if found else None
    if not pgbench:
        fail("pgbench is missing: it comes with PostgreSQL (`apt-get install -y postgresql`).")
    return {"wrk": wrk, "pgbench": str(pgbench)}


def machine_info(tools: dict[str, str], engine: Any) -> dict[str, str]:
    from sqlalchemy import text

    cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    with engine.connect() as conn:
        pg = conn.execute(text("SHOW server_version")).scalar_one()
        postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
        geos = conn.execute(text("SELECT postgis_geos_version()")).scalar_one()
        proj = conn.execute(text("SELECT postgis_proj_version()")).scalar_one()
        settings = dict(conn.execute(text(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'jit', 'max_parallel_workers_per_gather')")).all())
    wrk_version = subprocess.run([tools["wrk"], "-v"], capture_output=True, text=True)
    wrk_v = (wrk_version.stdout + wrk_version.stderr).strip().splitlines()
    pgbench_v = run_quiet([tools["pgbench"], "--version"], "pgbench --version").strip()
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
        "ram": f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "unknown",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": str(pg).split(" ")[0],
        "postgis": f"{postgis} (GEOS {str(geos).split('-')[0]}, PROJ {proj})",
        "pg_settings": ", ".join(f"{k}={v}" for k, v in sorted(settings.items())),
        "wrk": wrk_v[0] if wrk_v else "wrk",
        "pgbench": pgbench_v,
        "commit": our_commit(),
    }


def our_commit() -> str:
    """HEAD's commit, read from .git without running git."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            path = git / ref
            if path.is_file():
                return path.read_text().strip()[:12] + f" ({ref.rsplit('/', 1)[-1]})"
            packed = (git / "packed-refs").read_text()
            match = re.search(rf"^([0-9a-f]{{40}}) {re.escape(ref)}$", packed, re.M)
            return match.group(1)[:12] if match else "unknown"
        return head[:12]
    except OSError:
        return "unknown"


def package_version(python: Path, package: str) -> str:
    out = subprocess.run([str(python), "-c", "import importlib.metadata as m, sys; "
                          f"print(m.version({package!r}))"], capture_output=True, text=True)
    return out.stdout.strip() or "?"


# --------------------------------------------------------------------------- database

def prepare_database() -> str:
    """The bench database with the demo gemeente and 50,000 generated groenvakken."""
    from sqlalchemy import create_engine, text

    from app import db, migrate
    from app.config import Settings
    from app.errors import SetupError

    try:
        url = db.prepare(Settings(), database=DB_NAME)
        migrate.upgrade(url)
    except SetupError as exc:
        fail(str(exc))
    engine = create_engine(url)
    counts = """SELECT count(*) FILTER (WHERE extern_id LIKE 'GEN%'),
                       count(*) FILTER (WHERE extern_id NOT LIKE 'GEN%') FROM groenvak"""
    with engine.connect() as conn:
        generated, demo = conn.execute(text(counts)).one()
    env = {**os.environ, "DATABASE_URL": url}
    if demo == 0:
        log(f"database {DB_NAME}: loading the demo gemeente (kaart demo load)")
        run_quiet([sys.executable, "-m", "app", "demo", "load"], "kaart demo load", env=env,
                  cwd=ROOT)
    if generated != GENERATED:
        log(f"database {DB_NAME}: generating {GENERATED:,} groenvakken (kaart demo generate)")
        run_quiet([sys.executable, "-m", "app", "demo", "generate", "--groenvakken",
                   str(GENERATED)], "kaart demo generate", env=env, cwd=ROOT)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE groenvak, adoptie, gebied, laag_versie")
    engine.dispose()
    return url


def plain_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def postmaster_pid(engine: Any) -> int | None:
    """The local cluster's postmaster, to count PostgreSQL's CPU; None if not readable."""
    from sqlalchemy import text

    try:
        with engine.connect() as conn:
            data_dir = conn.execute(text("SHOW data_directory")).scalar_one()
        return int(Path(data_dir, "postmaster.pid").read_text().splitlines()[0])
    except Exception:  # noqa: BLE001 - a remote database: CPU is simply not reported
        return None


# --------------------------------------------------------------------------- workloads

@dataclass
class Workload:
    key: str
    title: str
    kind: str  # items, feature, tiles
    params: list[Any]  # bboxes, ids or (z, x, y)
    headers: list[str]
    note: str = ""


def lonlat_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return x, y


def derive_workloads(url: str) -> tuple[list[str], list[int], list[tuple[int, int, int]],
                                        list[tuple[int, int, int]], dict[str, Any]]:
    """Deterministic request lists from the data: bboxes, ids, z15 and dense z13 tiles."""
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.geo import crs, features
    from app.geo.collections import GROENVAKKEN

    engine = create_engine(url)
    with Session(engine) as session:
        rows = session.execute(text(
            "SELECT t.id, ST_X(p), ST_Y(p) FROM groenvak t, "
            "LATERAL ST_Transform(ST_PointOnSurface(t.geometrie), 4326) p "
            "WHERE t.vervallen_op IS NULL ORDER BY t.id")).all()
        stride = max(1, len(rows) // (N_BBOXES * 4))
        bboxes: list[str] = []
        matched: list[int] = []
        for _, lon, lat in rows[stride // 2::stride]:
            box = [round(lon - BBOX_HALF[0], 5), round(lat - BBOX_HALF[1], 5),
                   round(lon + BBOX_HALF[0], 5), round(lat + BBOX_HALF[1], 5)]
            q = features.FeatureQuery(collection=GROENVAKKEN, limit=100,
                                      bbox=crs.bbox_envelope(box, 4326))
            n = features.page(session, q).matched
            if n >= MIN_MATCHED:
                bboxes.append(",".join(f"{v:.5f}" for v in box))
                matched.append(n)
            if len(bboxes) == N_BBOXES:
                break
    engine.dispose()
    id_stride = max(1, len(rows) // N_IDS)
    ids = [row[0] for row in rows[id_stride // 2::id_stride]][:N_IDS]
    z15 = Counter(lonlat_tile(lon, lat, 15) for _, lon, lat in rows)
    z13 = Counter(lonlat_tile(lon, lat, 13) for _, lon, lat in rows)
    tiles15 = sorted((xy for xy, n in z15.items() if n >= 100), key=lambda t: (t[1], t[0]))
    dense = [xy for xy, n in z13.most_common() if n >= DENSE_Z13] or \
        [xy for xy, _ in z13.most_common(4)]
    stats = {
        "features": len(rows), "bbox_matched_min": min(matched), "bbox_matched_max": max(matched),
        "bbox_matched_median": sorted(matched)[len(matched) // 2],
        "z15_count": len(tiles15[:N_Z15]),
        "z15_features": sorted(z15[xy] for xy in tiles15[:N_Z15]),
        "z13_features": [z13[xy] for xy in dense],
    }
    return (bboxes, ids, [(15, x, y) for x, y in tiles15[:N_Z15]],
            [(13, x, y) for x, y in dense], stats)


# --------------------------------------------------------------------------- our SQL, captured

class Recorder:
    """A Session stand-in that runs every statement on a real session and keeps a copy."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.statements: list[tuple[str, dict[str, Any]]] = []

    def execute(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        self.statements.append((str(statement), dict(params or {})))
        return self.session.execute(statement, params)


PARAM = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")  # SQLAlchemy text()'s bind-parameter syntax


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def render(sql: str, params: dict[str, Any]) -> str:
    """The statement with its parameters as SQL literals, for pgbench."""
    return PARAM.sub(lambda m: literal(params[m.group(1)]), sql).strip()


@dataclass
class Captured:
    items: list[list[str]] = field(default_factory=list)  # per bbox: page SQL, count SQL
    reference: list[tuple[list[int], int]] = field(default_factory=list)  # ids, numberMatched
    feature: list[list[str]] = field(default_factory=list)
    tiles: dict[str, list[list[str]]] = field(default_factory=dict)
    explain: dict[str, str] = field(default_factory=dict)


def capture_sql(url: str, bboxes: list[str], ids: list[int],
                tile_sets: dict[str, list[tuple[int, int, int]]]) -> Captured:
    """Run our app's own query code for every request of every workload and keep its SQL."""
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from app.geo import crs, features, tiles
    from app.geo.collections import GROENVAKKEN as C

    out = Captured()
    engine = create_engine(url)
    with Session(engine) as session:
        for bbox in bboxes:
            rec = Recorder(session)
            q = features.FeatureQuery(collection=C, limit=100, srid=4326,
                                      bbox=crs.bbox_envelope([float(v) for v in bbox.split(",")],
                                                             4326))
            page = features.page(rec, q)  # type: ignore[arg-type]
            ids_ = [f["id"] for f in json.loads(f"[{page.features}]")]
            out.reference.append((ids_, page.matched))
            out.items.append([render(s, p) for s, p in rec.statements])
        for feature_id in ids:
            rec = Recorder(session)
            features.one(rec, C, feature_id, 4326)  # type: ignore[arg-type]
            out.feature.append([render(s, p) for s, p in rec.statements])
        cache = tiles.TileCache(max_bytes=0)  # never keeps a tile; the extent is cached
        version = tiles.layer_version(session, C)
        tiles.layer_extent(session, cache, C, None, version)
        for key, tile_list in tile_sets.items():
            out.tiles[key] = []
            for z, x, y in tile_list:
                rec = Recorder(session)
                version = tiles.layer_version(rec, C)  # type: ignore[arg-type]
                tiles.get_tile(rec, cache, C, z, x, y, None, version)  # type: ignore[arg-type]
                out.tiles[key].append([render(s, p) for s, p in rec.statements])
        for name, sql in zip(("page (with its count)",), out.items[0], strict=True):
            session.execute(text(sql))  # warm this backend's PROJ and catalogue caches
            plan = session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).scalars().all()
            out.explain[name] = "\n".join(plan)
        session.rollback()
    engine.dispose()
    return out


# --------------------------------------------------------------------------- peer venvs

def ensure_venv(name: str, packages_check: str) -> Path:
    """bench/.venvs/<name> with exactly bench/requirements-<name>.txt installed."""
    venv = BENCH / ".venvs" / name
    requirements = BENCH / f"requirements-{name}.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    marker = venv / ".requirements.sha256"
    python = venv / "bin" / "python"
    if marker.is_file() and marker.read_text().strip() == digest and python.is_file():
        return python
    base = shutil.which("python3") or getattr(sys, "_base_executable", sys.executable)
    log(f"creating {venv.relative_to(ROOT)} from {requirements.name} (a few minutes, once)")
    if venv.exists():
        shutil.rmtree(venv)
    run_quiet([base, "-m", "venv", str(venv)], f"python3 -m venv {venv}")
    run_quiet([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               "-r", str(requirements)], f"pip install -r {requirements.name}")
    run_quiet([str(python), "-c", packages_check], f"import check in {name}")
    marker.write_text(digest + "\n")
    return python


# --------------------------------------------------------------------------- servers

@dataclass
class Server:
    name: str
    cmd: list[str]
    env: dict[str, str]
    cwd: Path
    port: int
    ready_path: str
    logfile: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        handle = self.logfile.open("ab")
        self.proc = subprocess.Popen(self.cmd, env=self.env, cwd=self.cwd, stdout=handle,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        ok = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = "\n".join(self.logfile.read_text(errors="replace").splitlines()[-15:])
                fail(f"{self.name} exited while starting (exit {self.proc.returncode}):\n{tail}")
            status, _, _ = fetch(self.base + self.ready_path, timeout=30)
            ok = ok + 1 if status == 200 else 0
            if ok >= 4:  # a few in a row, so more than one worker is likely up
                return
            time.sleep(0.25)
        self.stop()
        fail(f"{self.name} did not become ready within {timeout:.0f}s; see {self.logfile}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def cpu(self) -> float:
        assert self.proc is not None
        return group_cpu(self.proc.pid)


def uvicorn_cmd(python: Path, app: str, port: int, workers: int, factory: bool = False,
                app_dir: Path | None = None) -> list[str]:
    cmd = [str(python), "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    if factory:
        cmd.append("--factory")
    if app_dir:
        cmd += ["--app-dir", str(app_dir)]
    return cmd


def pygeoapi_config(workdir: Path, url: str, port: int) -> Path:
    """pygeoapi's config: the groenvak table as features (PostgreSQL) and tiles (MVT)."""
    u = urllib.parse.urlsplit(url)
    data = {"host": u.hostname, "port": u.port or 5432, "dbname": u.path.lstrip("/"),
            "user": urllib.parse.unquote(u.username or ""),
            "password": urllib.parse.unquote(u.password or ""), "search_path": ["public"]}
    rd = "http://www.opengis.net/def/crs/EPSG/0/28992"
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    # The table's own attributes; not the stored Web Mercator copy (migration 0006), which
    # pygeoapi would otherwise serve as one more property.
    table = {"id_field": "id", "table": "groenvak", "geom_field": "geometrie",
             "storage_crs": rd,
             "properties": ["gemeente_code", "extern_id", "naam", "soort", "oppervlakte_m2",
                            "zelfbeheer_mogelijk", "vervallen_op", "wijk_id", "buurt_id",
                            "gewijzigd_op"]}
    config = {
        "server": {"bind": {"host": "127.0.0.1", "port": port},
                   "url": f"http://127.0.0.1:{port}",
                   "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8",
                   "gzip": False, "languages": ["en-US"], "pretty_print": False,
                   "limits": {"default_items": 10, "max_items": 10_000},
                   "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                           "attribution": "OpenStreetMap"}},
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "bench", "description": "bench", "keywords": ["bench"],
                               "keywords_type": "theme",
                               "terms_of_service": "https://example.org",
                               "url": "https://example.org"},
            "license": {"name": "CC-BY 4.0",
                        "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": "https://example.org"},
            "contact": {"name": "bench", "email": "bench@example.org"}},
        "resources": {"groenvakken": {
            "type": "collection", "title": "Groenvakken", "description": "Groenvakken",
            "keywords": ["groen"],
            "extents": {"spatial": {"bbox": [6.3, 52.1, 6.7, 52.4], "crs": crs84}},
            "providers": [
                {"type": "feature", "name": "PostgreSQL", "data": data, **table,
                 "crs": [crs84, rd]},
                {"type": "tile", "name": "MVT-postgresql", "data": data, **table,
                 "options": {"zoom": {"min": 0, "max": 22}},
                 "format": {"name": "pbf", "mimetype": "application/vnd.mapbox-vector-tile"}},
            ]}},
    }
    path = workdir / "pygeoapi-config.yml"
    path.write_text(json.dumps(config, indent=2))  # JSON is YAML
    return path


# --------------------------------------------------------------------------- HTTP checks

def fetch(url: str, timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            headers = {k.lower(): v for k, v in response.headers.items()}
            status = response.status
    except urllib.error.HTTPError as exc:
        return exc.code, {}, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, {}, b""
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return status, headers, body


def _varint(buf: memoryview, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _fields(buf: memoryview) -> Any:
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, i = _varint(buf, i)
            yield number, None
        elif wire == 2:
            n, i = _varint(buf, i)
            yield number, buf[i:i + n]
            i += n
        elif wire == 1:
            i += 8
            yield number, None
        elif wire == 5:
            i += 4
            yield number, None
        else:
            raise ValueError(f"protobuf wire type {wire}")


def mvt_feature_count(data: bytes) -> int:
    """Features in all layers of a Mapbox Vector Tile (Tile.layers = 3, Layer.features = 2)."""
    view = memoryview(data)
    return sum(1 for n, layer in _fields(view) if n == 3 for m, _ in _fields(layer) if m == 2)


# --------------------------------------------------------------------------- load

@dataclass
class Result:
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    errors: int = 0
    bytes_per_request: float | None = None
    app_cpu_ms: float | None = None  # server CPU per request
    db_cpu_ms: float | None = None  # PostgreSQL CPU per request
    other_share: float | None = None  # CPU share of the machine taken by other processes
    note: str = ""


class Meter:
    """CPU of the server, PostgreSQL, the load generator and everything else over a run."""

    def __init__(self, server: Server | None, pg_pid: int | None) -> None:
        self.server, self.pg_pid = server, pg_pid
        self.start = self._read()

    def _read(self) -> tuple[float, float | None, float, float, float]:
        children = os.times()
        return (self.server.cpu() if self.server else 0.0, tree_cpu(self.pg_pid),
                children.children_user + children.children_system, *machine_cpu())

    def stop(self) -> None:
        self.end = self._read()

    def apply(self, result: Result) -> None:
        end = self.end
        app, db, client = (end[i] - self.start[i] if end[i] is not None and
                           self.start[i] is not None else None for i in range(3))
        busy, total = end[3] - self.start[3], end[4] - self.start[4]
        n = result.requests
        if n and self.server:
            result.app_cpu_ms = (app or 0.0) * 1000 / n
        if n and db is not None:
            result.db_cpu_ms = db * 1000 / n
        if total > 0 and db is not None:
            result.other_share = max(0.0, busy - (app or 0.0) - db - (client or 0.0)) / total


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    total = sum(values[:8])  # guest time is already counted in user
    return (total - values[3] - values[4]) / CLK, total / CLK


def wait_quiet(limit: float = QUIET_WAIT) -> None:
    """Other work on this machine skews a run: wait (a while) until the CPUs are nearly idle."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        b0, t0 = machine_cpu()
        time.sleep(0.5)
        b1, t1 = machine_cpu()
        if t1 > t0 and (b1 - b0) / (t1 - t0) < 0.10:
            return


def wait_idle(server: Server | None, pg_pid: int | None, limit: float = 180.0) -> None:
    """Requests a client gave up on are still being served: wait until the CPU goes quiet."""
    deadline = time.monotonic() + limit
    quiet = 0
    while time.monotonic() < deadline:
        a0 = server.cpu() if server else 0.0
        d0 = tree_cpu(pg_pid) or 0.0
        time.sleep(0.5)
        a1 = server.cpu() if server else 0.0
        d1 = tree_cpu(pg_pid) or 0.0
        quiet = quiet + 1 if (a1 - a0) < 0.05 and (d1 - d0) < 0.05 else 0
        if quiet >= 2:
            return
    log("  (server still busy after waiting; going on)")


def run_wrk(tools: dict[str, str], server: Server, paths: list[str], headers: list[str],
            duration: float, warmup: float, connections: int, workdir: Path,
            pg_pid: int | None, tag: str) -> Result:
    paths_file = workdir / f"{tag}.paths"
    paths_file.write_text("\n".join(paths) + "\n")
    summary = workdir / f"{tag}.json"

    def wrk(seconds: float) -> subprocess.CompletedProcess[str]:
        cmd = [tools["wrk"], "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               "--timeout", "60s", "-s", str(BENCH / "cycle.lua"), server.base, "--",
               str(paths_file), *headers]
        return subprocess.run(cmd, capture_output=True, text=True,
                              env={**os.environ, "WRK_SUMMARY": str(summary)})

    if warmup > 0:
        wrk(warmup)
        wait_idle(server, pg_pid)
    wait_quiet()
    meter = Meter(server, pg_pid)
    proc = wrk(duration)
    meter.stop()
    wait_idle(server, pg_pid)
    if proc.returncode != 0 or not summary.is_file():
        return Result(note=f"wrk failed: {(proc.stdout + proc.stderr).strip()[-200:]}")
    s = json.loads(summary.read_text())
    summary.unlink()
    n = s["requests"]
    errors = (s["status_errors"] + s["timeouts"] + s["connect_errors"] + s["read_errors"]
              + s["write_errors"])
    seconds = s["duration_us"] / 1e6
    result = Result(rps=n / seconds if seconds else None, requests=n, errors=errors,
                    p50_ms=(s["p50_us"] or 0) / 1000 if n else None,
                    p99_ms=(s["p99_us"] or 0) / 1000 if n else None,
                    bytes_per_request=s["bytes"] / n if n else None,
                    note="" if n else f"(no request completed within {duration:g} s)")
    meter.apply(result)
    return result


def run_pgbench(tools: dict[str, str], url: str, scripts: list[list[str]], duration: float,
                warmup: float, clients: int, workdir: Path, pg_pid: int | None,
                tag: str) -> Result:
    """pgbench with one script per distinct request (chosen at random, equal weights)."""
    u = urllib.parse.urlsplit(url)
    folder = workdir / f"pgbench-{tag}"
    folder.mkdir(exist_ok=True)
    files = []
    for i, statements in enumerate(scripts):
        path = folder / f"{i:03d}.sql"
        path.write_text("".join(f"{sql};\n" for sql in statements))
        files += ["-f", str(path)]
    env = {**os.environ, "PGPASSWORD": urllib.parse.unquote(u.password or "")}
    base = [tools["pgbench"], "-n", "-M", "prepared", "-c", str(clients), "-j", "1",
            "-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432),
            "-U", urllib.parse.unquote(u.username or ""), *files]
    if warmup > 0:
        subprocess.run([*base, "-T", str(max(1, round(warmup))), u.path.lstrip("/")],
                       capture_output=True, text=True, env=env, cwd=folder)
        wait_idle(None, pg_pid)
    for old in folder.glob("log*"):
        old.unlink()
    wait_quiet()
    meter = Meter(None, pg_pid)
    proc = subprocess.run([*base, "-T", str(max(1, round(duration))), "-l", "--log-prefix",
                           str(folder / "log"), u.path.lstrip("/")],
                          capture_output=True, text=True, env=env, cwd=folder)
    meter.stop()
    if proc.returncode != 0:
        return Result(note="pgbench failed: " + (proc.stdout + proc.stderr).strip()[-300:])
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", proc.stdout)
    latencies = sorted(int(line.split()[2]) for path in folder.glob("log*")
                       for line in path.read_text().splitlines() if line.strip())
    failed = re.search(r"number of failed transactions: (\d+)", proc.stdout)
    n = len(latencies)
    result = Result(rps=float(tps.group(1)) if tps else None, requests=n,
                    errors=int(failed.group(1)) if failed else 0,
                    p50_ms=latencies[n // 2] / 1000 if n else None,
                    p99_ms=latencies[min(n - 1, int(n * 0.99))] / 1000 if n else None)
    meter.apply(result)
    return result


# --------------------------------------------------------------------------- main

PEERS = ("ours", "tipg", "pygeoapi")


def paths_for(peer: str, kind: str, params: list[Any]) -> list[str]:
    if kind == "items":
        return {
            "ours": [f"/v1/collections/groenvakken/items?bbox={b}&limit=100" for b in params],
            "tipg": [f"/collections/public.groenvak/items?bbox={b}&limit=100" for b in params],
            "pygeoapi": [f"/collections/groenvakken/items?bbox={b}&limit=100&f=json"
                         for b in params],
        }[peer]
    if kind == "feature":
        return {
            "ours": [f"/v1/collections/groenvakken/items/{i}" for i in params],
            "tipg": [f"/collections/public.groenvak/items/{i}" for i in params],
            "pygeoapi": [f"/collections/groenvakken/items/{i}?f=json" for i in params],
        }[peer]
    return {  # tiles; note tipg's z/x/y against the OGC z/row/col (z/y/x) of the others
        "ours": [f"/v1/collections/groenvakken/tiles/WebMercatorQuad/{z}/{y}/{x}"
                 for z, x, y in params],
        "tipg": [f"/collections/public.groenvak/tiles/WebMercatorQuad/{z}/{x}/{y}"
                 for z, x, y in params],
        "pygeoapi": [f"/collections/groenvakken/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
                     for z, x, y in params],
    }[peer]


def check_server(peer: str, server: Server, workloads: list[Workload],
                 captured: Captured) -> dict[str, Any]:
    """Before timing: do this server's answers hold the same features as ours?"""
    out: dict[str, Any] = {}
    items = next(w for w in workloads if w.kind == "items")
    same = overlap = 0
    matched: list[int] = []
    returned: list[int] = []
    bad: list[str] = []
    for path, (ref_ids, ref_matched) in zip(paths_for(peer, "items", items.params),
                                            captured.reference, strict=True):
        status, _, body = fetch(server.base + path)
        if status != 200:
            bad.append(f"{status} {path}")
            continue
        doc = json.loads(body)
        got = [int(f["id"]) for f in doc["features"]]
        returned.append(len(got))
        same += got == ref_ids
        overlap += len(set(got) & set(ref_ids))
        matched.append(int(doc.get("numberMatched", -1)) - ref_matched)
    n = len(captured.reference)
    out["items"] = {"same": same, "n": n, "overlap": overlap / max(1, n * 100),
                    "matched_diff": (min(matched), max(matched)) if matched else None,
                    "returned": (min(returned), max(returned)) if returned else None,
                    "bad": bad[:3], "failed": len(bad)}
    feature = next(w for w in workloads if w.kind == "feature")
    ok = 0
    for i, path in zip(feature.params[:20], paths_for(peer, "feature", feature.params[:20]),
                       strict=True):
        status, _, body = fetch(server.base + path)
        ok += status == 200 and int(json.loads(body).get("id", -1)) == i
    out["feature"] = {"ok": ok, "n": min(20, len(feature.params))}
    for w in workloads:
        if w.kind != "tiles" or w.key in out:
            continue
        sample = w.params if len(w.params) <= 8 else w.params[::len(w.params) // 8][:8]
        counts, sizes, statuses = [], [], Counter()
        for path in paths_for(peer, "tiles", sample):
            status, _, body = fetch(server.base + path, timeout=120)
            statuses[status] += 1
            if status == 200:
                counts.append(mvt_feature_count(body))
                sizes.append(len(body))
        out[w.key] = {"statuses": dict(statuses), "features": counts, "bytes": sizes,
                      "sample": len(sample)}
    return out


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


# --------------------------------------------------------------------------- other issues

OTHER_BENCHMARKS = [("pages_bench.py", "Wijk page"), ("export_bench.py", "Export"),
                    ("import_bench.py", "Import")]


def other_benchmarks(tmp: Path) -> str:
    """Run the wijk-page, export and import benchmarks (each its own script, also runnable
    alone) and return their reports, to be appended to this one."""
    parts = []
    for script, what in OTHER_BENCHMARKS:
        log(f"{what}: bench/{script}")
        fragment = tmp / f"{script}.md"
        subprocess.run([sys.executable, str(BENCH / script), "--output", str(fragment)],
                       cwd=ROOT, check=True)
        parts.append(fragment.read_text().strip())
    return "\n\n" + "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- report

def ratio(a: Result | None, b: Result | None) -> float | None:
    if a is None or b is None or not a.rps or not b.rps:
        return None
    return a.rps / b.rps


def target_cell(value: float | None, minimum: float) -> str:
    if value is None:
        return f"– (target ≥ {minimum:g})"
    return f"{value:.2f}× {'✓' if value >= minimum else '✗'} (target ≥ {minimum:g}×)"


def summary_text(workloads: list[Workload], results: dict[str, dict[str, Result]],
                 warm: dict[str, Result]) -> str:
    lines = ["workload                       ours     tipg pygeoapi  pgbench  ours/tipg"]
    for w in workloads:
        r = results[w.key]
        cells = [fmt(r[p].rps if p in r else None) for p in (*PEERS, "pgbench")]
        lines.append(f"{w.key:<26}" + "".join(f"{c:>9}" for c in cells)
                     + f"  {fmt(ratio(r.get('ours'), r.get('tipg')), 2):>9}")
        if w.key in warm:
            lines.append(f"{w.key + ' (warm cache)':<26}{fmt(warm[w.key].rps):>9}"
                         + " " * 27 + f"  {fmt(ratio(warm[w.key], r.get('tipg')), 2):>9}")
    return "\n".join(lines)


def write_report(args: argparse.Namespace, warmup: float, info: dict[str, str],
                 versions: dict[str, str], table_rows: int, stats: dict[str, Any],
                 workloads: list[Workload], results: dict[str, dict[str, Result]],
                 warm: dict[str, Result], checks: dict[str, dict[str, Any]],
                 captured: Captured) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cmd = "/work/main/.venv/bin/python bench/run.py" + (
        f" --duration {args.duration:g}" if args.duration != 10 else "") + (
        " --quick" if args.quick else "")
    o: list[str] = []
    w_ = o.append
    w_("# Performance: our OGC API against tipg, pygeoapi and the pgbench ceiling\n")
    w_(f"Generated by `{cmd}` on {now}; every figure below comes from that one run. "
       "Do not edit by hand: run the benchmark again (see `bench/README.md`).\n")
    w_("## Machine\n")
    w_("| | |\n|---|---|")
    for label, value in [
        ("CPUs (nproc)", info["nproc"]), ("CPU", info["cpu"]), ("RAM", info["ram"]),
        ("Kernel", info["kernel"]), ("PostgreSQL", info["postgresql"]),
        ("PostGIS", info["postgis"]), ("PostgreSQL settings", info["pg_settings"]),
        ("Our app", f"commit {info['commit']}, FastAPI {versions['fastapi']}, "
                    f"uvicorn {versions['uvicorn']}, Python {info['python']}"),
        ("tipg", versions["tipg"]), ("pygeoapi", versions["pygeoapi"]),
        ("Load", f"{info['wrk']}; {info['pgbench']}"),
    ]:
        w_(f"| {label} | {value} |")
    w_("")
    w_("## Method\n")
    w_(f"- **Data**: database `{DB_NAME}` with the demo gemeente (`kaart demo load`, 5,000 "
       f"groenvakken) plus `kaart demo generate --groenvakken {GENERATED}`: {table_rows:,} "
       "groenvakken in all, 50,000 of them generated (the demo plots were kept). All three "
       "servers read the same table `groenvak` (MultiPolygon, EPSG:28992, GiST index), "
       "VACUUM ANALYZEd before the run.")
    w_(f"- **Servers**: each on its own loopback port, as `uvicorn --workers "
       f"{args.workers} --no-access-log` (uvloop + httptools in every venv): ours via "
       "`bench/ourapp.py` (our `create_app()` unchanged); tipg (`tipg.main:app`, table "
       "`public.groenvak`, default settings); pygeoapi (`pygeoapi.starlette_app:APP`, "
       "provider `PostgreSQL` with `storage_crs` EPSG:28992 so it serves CRS84, and "
       "`MVT-postgresql` for tiles). tipg and pygeoapi come from PyPI in `bench/.venvs/` at the "
       "versions pinned in `bench/requirements-*.txt`. Each workload runs on each server in "
       "turn, so the figures in one table are minutes apart; a server runs alone, started "
       "for its workload and stopped after it. The machine has "
       f"{info['nproc']} CPUs, shared by the server, PostgreSQL and the load generator.")
    w_(f"- **Load**: `wrk -t1 -c{args.connections}` on 127.0.0.1 with `bench/cycle.lua`, "
       "cycling through a fixed list of distinct requests derived from the data: "
       f"{len(workloads[0].params)} bboxes of about 400 × 450 m around sampled groenvakken "
       f"(each matches {stats['bbox_matched_min']}–{stats['bbox_matched_max']} groenvakken, "
       f"median {stats['bbox_matched_median']}), {len(workloads[2].params)} feature ids spread "
       f"over the table, every z15 tile holding at least 100 groenvakken "
       f"({stats['z15_count']} tiles, {min(stats['z15_features'])}–"
       f"{max(stats['z15_features'])} each) and the dense z13 tiles (≥ {DENSE_Z13:,} "
       f"groenvakken: {', '.join(f'{n:,}' for n in stats['z13_features'])}). Requests send "
       f"`{GZIP}` like browsers, MapLibre and GDAL do; the items workload is also run without "
       f"it. Each run: {fmt(warmup, 0)} s warm-up (not counted), then {fmt(args.duration, 0)} "
       "s timed; between runs the script waits until server and database are idle again "
       "(requests a client gave up on are otherwise still being served).")
    w_(f"- **Ceiling**: `pgbench -M prepared -c {args.connections} -j 1`, one script per "
       "distinct request holding exactly the SQL our app sends for it (captured by running "
       "`app.geo.features.page()` / `one()` and `app.geo.tiles.get_tile()` on a recording "
       "session; items = page query + count query, tiles = layer version + tile query). It "
       "has no HTTP, no Python and no transaction/pre-ping round trips.")
    w_("- **Tile caches**: ours keeps rendered tiles in an in-process cache keyed by the layer "
       "version. *Cold* = the same server with that cache disabled (`BENCH_TILE_CACHE=off`: a "
       "0-byte `TileCache`, so every request renders in PostGIS), the figure the targets are "
       "judged on. *Warm* = the cache on, after a warm-up of at least "
       f"{WARM_CACHE_WARMUP:g} s that has every worker render every tile of the list. "
       "tipg and pygeoapi have no tile cache: they render every request.")
    w_("- **CPU per request**: CPU time of the server's processes and of PostgreSQL (postmaster "
       "and backends) during the timed run, divided by the requests served: where the work "
       "goes on a machine whose CPUs are all busy. *Other CPU* is the share of the machine's "
       "CPU time used during the run by anything but the server, PostgreSQL and the load "
       "generator (other people's work on a shared machine): before each timed run the script "
       f"waits up to {QUIET_WAIT:g} s for the machine to go quiet, and a row with more than "
       f"{NOISY:.0%} other CPU is marked ⚠ (its figure is lower than the machine can do).\n")

    w_("## Results\n")
    for w in workloads:
        r = results[w.key]
        w_(f"### {w.title}\n")
        w_("| server | requests/s | p50 ms | p99 ms | requests | errors | bytes/response "
           "| server CPU ms/req | PostgreSQL CPU ms/req | other CPU |")
        w_("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        rows: list[tuple[str, Result | None, str]] = []
        if w.kind == "tiles":
            rows.append(("ours, cache cold (off)", r.get("ours"), ""))
            rows.append(("ours, cache warm", warm.get(w.key), ""))
        else:
            rows.append(("ours", r.get("ours"), ""))
        rows.append(("tipg", r.get("tipg"), ""))
        rows.append(("pygeoapi", r.get("pygeoapi"), ""))
        if w.key != "items_identity":
            rows.append(("pgbench (our SQL, ceiling)", r.get("pgbench"), ""))
        for label, res, _ in rows:
            if res is None:
                w_(f"| {label} | n.v.t. | | | | | | | | |")
                continue
            bytes_cell = fmt(res.bytes_per_request, 0) if res.bytes_per_request else "–"
            other = "–" if res.other_share is None else (
                f"{res.other_share:.0%}" + (" ⚠" if res.other_share > NOISY else ""))
            w_(f"| {label} | {fmt(res.rps)} | {fmt(res.p50_ms)} | {fmt(res.p99_ms)} | "
               f"{res.requests:,} | {res.errors} | {bytes_cell} | {fmt(res.app_cpu_ms, 2)} | "
               f"{fmt(res.db_cpu_ms, 2)} | {other} |" + (f" {res.note}" if res.note else ""))
        w_("")
        target_key = "items" if w.key == "items_identity" else w.key
        targets = dict(TARGETS.get(target_key, []))
        lines = []
        ours_rows = [("ours (cache cold)", r.get("ours")), ("ours (cache warm)", warm.get(w.key))] \
            if w.kind == "tiles" else [("ours", r.get("ours"))]
        for label, res in ours_rows:
            for peer in ("tipg", "pygeoapi", "pgbench"):
                if peer == "pgbench" and w.key == "items_identity":
                    continue
                value = ratio(res, r.get(peer))
                if peer in targets:
                    cell = target_cell(value, targets[peer])
                else:
                    cell = f"{value:.2f}×" if value is not None else "–"
                lines.append(f"| {label} / {peer} | {cell} |")
        w_("| ratio | value |\n|---|---|")
        w_("\n".join(lines))
        w_("")

    w_("## Equal work? Checked before timing\n")
    w_("Items: each server's page for every bbox of the list (no compression), compared with "
       "the ids and `numberMatched` our app's own SQL gives for it.\n")
    w_("| server | features per page | pages with the same 100 ids, same order | id overlap "
       "| numberMatched − ours | failed requests | feature by id: right feature |")
    w_("|---|---:|---:|---:|---:|---:|---:|")
    for peer in PEERS:
        c = checks.get(peer)
        if not c:
            continue
        it, fe = c["items"], c["feature"]
        diff = it["matched_diff"]
        got = it["returned"]
        per_page = "–" if got is None else (f"{got[0]}" if got[0] == got[1]
                                            else f"{got[0]}–{got[1]}")
        w_(f"| {peer} | {per_page} | {it['same']}/{it['n']} | {it['overlap'] * 100:.1f} % | "
           f"{'–' if diff is None else f'{diff[0]:+d} … {diff[1]:+d}'} | {it['failed']} | "
           f"{fe['ok']}/{fe['n']} |")
    w_("")
    w_("All three order by id and return the first 100 matches, so they do the same work; "
       "where ids differ it is at the edge of the bbox. Ours and tipg intersect the "
       "groenvakken with the CRS84 bbox (ours turns the bbox polygon into RD New; tipg's "
       "CQL2 `S_INTERSECTS` does its own transform); pygeoapi transforms only the two corners "
       "to EPSG:28992 and intersects with that RD box, which is rotated against the CRS84 box "
       "at this longitude, so its matches differ more. The properties differ by design: ours "
       "publishes the registry's properties (with the zelfbeheer status and wijk/buurt codes, "
       "three joins); tipg and pygeoapi publish the table's raw columns.\n")
    w_("Tiles: a sample of each list fetched once per server; features counted in the MVT.\n")
    w_("| tiles | server | status codes | features per tile | bytes per tile (uncompressed) |")
    w_("|---|---|---|---|---|")
    for key, title in (("tiles_z15", "z15"), ("tiles_z13", "dense z13")):
        for peer in PEERS:
            c = checks.get(peer, {}).get(key)
            if not c:
                continue
            feats = c["features"]
            sizes = c["bytes"]
            w_(f"| {title} | {peer} | {', '.join(f'{k}×{v}' for k, v in c['statuses'].items())}"
               f" | {', '.join(f'{n:,}' for n in feats) or '–'} | "
               f"{fmt(sum(sizes) / len(sizes), 0) if sizes else '–'} |")
    w_("")
    w_("The tiles are not the same work, by design: below z15 ours simplifies to half a pixel "
       "and drops groenvakken smaller than a pixel, and carries two properties; tipg keeps at "
       "most 10,000 features per tile (`TIPG_MAX_FEATURES_PER_TILE`, its default: the densest "
       "z13 tile has more, so tipg's tile is incomplete and cheaper for it) with all columns; "
       "pygeoapi renders every feature with every column and no simplification.\n")

    w_("## Where our items time goes (measured in this run)\n")
    w_("EXPLAIN (ANALYZE, BUFFERS) of our two items statements for the first bbox of the list, "
       "on a warm backend:\n")
    for name, plan in captured.explain.items():
        execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
        w_(f"- {name} query: {execution.group(1) if execution else '?'} ms")
    w_("")
    for name, plan in captured.explain.items():
        w_(f"<details><summary>{name} query plan</summary>\n\n```\n{plan}\n```\n</details>\n")

    w_("## Notes\n")
    w_("- n.v.t. would mark a workload a server cannot do; all three do all workloads here "
       "(pygeoapi's tiles come from its `MVT-postgresql` provider). The pgbench ceiling is not "
       "run for the items workload without compression: compression is not SQL.")
    w_("- Loopback, one machine: the load generator and PostgreSQL take CPU from the server, "
       "as they would not in production. Ratios between servers measured in the same run are "
       "the figures to compare; absolute requests/s are this machine's. On a machine shared "
       "with other work, look at the other-CPU column before trusting a ratio, and run again "
       "when rows are marked ⚠.")
    w_("- wrk counts a response that is not 2xx/3xx as an error; a non-zero errors column "
       "means that row did not do the same work.")
    return "\n".join(o) + "\n"


if __name__ == "__main__":
    main()
