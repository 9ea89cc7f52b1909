"""Load and measurement: wrk and pgbench runs, CPU per request, waiting for a quiet machine."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from common import BENCH, CLK, QUIET_WAIT, log, tree_cpu
from servers import Server

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


