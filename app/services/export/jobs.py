"""Large exports started from the Beheer page run as jobs (app.services.jobs) on their own
read-only connection; the page polls their progress, then downloads the file. Only the
medewerker who started a job sees it; at most two run at once, across all processes (the CPUs
are few). The file lives in the job's folder for an hour (then the sweep removes it); a
failed or broken-off job's folder goes at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.config import Settings
from app.services import jobs
from app.services.export import bestanden as export
from app.services.export.bestanden import ExportRequest
from app.services.export.query import Selection, Stats

log = logging.getLogger("kaart.export")
KIND = "export"
APP_NAME = "kaart-export"
DIRECT_MAX = 10_000  # features: up to this many, the page downloads at once, without a job
BATCH = 5_000  # rows per batch in a job: the bar moves often enough on a large layer
MAX_RUNNING = 2
UNEXPECTED = "Er ging onverwacht iets mis. De fout staat in het log."
BUSY = "Er lopen al twee exports. Probeer het over een minuut opnieuw."


def request_json(request: ExportRequest) -> dict[str, object]:
    s = request.selection
    return {"lagen": list(request.lagen), "formaat": request.formaat, "gemeente": s.gemeente,
            "wijk": s.wijk, "statussen": list(s.statussen)}


def request_from(data: dict[str, Any]) -> ExportRequest:
    return ExportRequest(tuple(data["lagen"]), data["formaat"], Selection(
        data["gemeente"], data["wijk"], tuple(data["statussen"])))


@dataclass(frozen=True)
class ExportJob:
    """What the export page shows of a job row; `result` is the number of features per layer."""

    id: str
    status: str
    percent: int
    done: int
    total: int | None
    result: dict[str, int] | None
    error: str | None
    request: ExportRequest
    file_name: str
    folder: Path

    @property
    def path(self) -> Path:
        return self.folder / self.file_name


def start(runner: jobs.Runner, engine: Engine, settings: Settings, request: ExportRequest,
          owner: int, stats: dict[str, Stats]) -> str:
    """Write the export in a background job, in one REPEATABLE READ, read-only transaction;
    Conflict when two already run."""
    total = sum(s.count for s in stats.values())
    file_name = export.file_name(request)
    job_id = jobs.create(engine, KIND, gemeente=request.selection.gemeente, owner=owner,
                         params={"request": request_json(request), "file_name": file_name,
                                 "bewaren": True},
                         total=total, limit=MAX_RUNNING, busy=BUSY, stil_s=settings.taak_stil_s)
    path = jobs.folders.folder(settings, job_id) / file_name

    def work(progress: jobs.Progress) -> dict[str, int]:
        progress.total = total
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                conn.exec_driver_sql(f"SET LOCAL application_name = '{APP_NAME}'")
                return export.write(conn, request, path, progress.advance, BATCH, stats)

    def on_end(status: str) -> None:
        if status != "klaar":
            jobs.folders.remove(settings, job_id)

    runner.start(job_id, work, dict, on_end=on_end, unexpected=UNEXPECTED, logger=log)
    return job_id


def get(engine: Engine, settings: Settings, job_id: str, gemeente: str,
        owner: int) -> ExportJob | None:
    """The export job of this user, from any process; a stale one reads afgebroken."""
    if not jobs.folders.JOB_ID.match(job_id):
        return None
    row = jobs.get(engine, job_id, stil_s=settings.taak_stil_s, soort=KIND, gemeente=gemeente,
                   owner=owner)
    if row is None:
        return None
    if row.status == "afgebroken":
        jobs.folders.remove(settings, job_id)
    return ExportJob(row.id, row.status, row.percent, row.done, row.total, row.result,
                     row.error, request_from(row.params["request"]), row.params["file_name"],
                     jobs.folders.folder(settings, job_id, create=False))
