"""Each job's files (an uploaded import, an unpacked zip, a finished export) live in a folder
named after the job, under the upload folder every process of this installation shares. A
folder goes when its job ends; the sweep removes what a killed process left behind."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from sqlalchemy import Engine, text

from app.config import Settings

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{10,40}$")
KEEP_S = 3600  # a finished job that keeps its folder (an export, an unconfirmed proef): 1 hour
# A folder without a row: an upload being checked, or (when several databases share the
# folder by mistake) another database's job; removed only after a day.
GRACE_S = 86_400


def root(settings: Settings) -> Path:
    """Where job folders live: KAART_UPLOAD_DIR (default data_dir/uploads) / taken."""
    return (settings.upload_dir or settings.data_dir / "uploads") / "taken"


def folder(settings: Settings, job_id: str, create: bool = True) -> Path:
    """The job's folder (made when asked)."""
    if not JOB_ID.match(job_id):
        raise ValueError(f"not a job id: {job_id!r}")
    path = root(settings) / job_id
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def remove(settings: Settings, job_id: str) -> None:
    shutil.rmtree(folder(settings, job_id, create=False), ignore_errors=True)


def sweep(engine: Engine, settings: Settings, keep_s: float = KEEP_S,
          grace_s: float = GRACE_S) -> list[str]:
    """Remove the folders of jobs that ended (mislukt, afgebroken, or klaar without
    `bewaren`, or with it but longer than `keep_s` ago) and of rows that do not exist."""
    base = root(settings)
    if not base.is_dir():
        return []
    names = [p.name for p in base.iterdir() if p.is_dir() and JOB_ID.match(p.name)]
    if not names:
        return []
    with engine.connect() as conn:
        keep = set(conn.execute(text("""
            SELECT id FROM taak WHERE id = ANY(:ids)
               AND (status IN ('wachtend', 'bezig')
                    OR (status = 'klaar' AND (parameters ->> 'bewaren')::boolean
                        AND bijgewerkt_op > now() - make_interval(secs => :keep)))"""),
                                {"ids": names, "keep": keep_s}).scalars())
        known = set(conn.execute(text("SELECT id FROM taak WHERE id = ANY(:ids)"),
                                 {"ids": names}).scalars())
    removed = []
    now = time.time()
    for name in names:
        path = base / name
        if name in keep:
            continue
        if name not in known:
            try:
                if now - path.stat().st_mtime < grace_s:
                    continue
            except OSError:
                continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(name)
    return removed
