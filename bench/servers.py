"""The servers under test: peer venvs, starting ours, tipg and pygeoapi, checking their
answers before timing."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import BENCH, ROOT, fail, group_cpu, log, run_quiet
from workloads import Captured, Workload, paths_for

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
