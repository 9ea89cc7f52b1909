"""Large exports started from the Beheer page run as background jobs (app.services.achtergrond)
on their own read-only connection; the page polls their progress, then downloads the file.
Only the medewerker who started a job sees it; at most two run at once (the CPUs are few).
Files live in a temp folder that is removed when the job is forgotten (after an hour, or when
there are more than 20 jobs), when it fails, and at shutdown."""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app.services import export
from app.services.achtergrond import Advance, Job, Jobs
from app.services.export import ExportRequest
from app.services.export_query import Stats

log = logging.getLogger("kaart.export")
DIRECT_MAX = 10_000  # features: up to this many, the page downloads at once, without a job
BATCH = 5_000  # rows per batch in a job: the bar moves often enough on a large layer
UNEXPECTED = "Er ging onverwacht iets mis. De fout staat in het log."
BUSY = "Er lopen al twee exports. Probeer het over een minuut opnieuw."


@dataclass(kw_only=True)
class ExportJob(Job[dict[str, int]]):
    """One export; its result is the number of features per layer."""

    request: ExportRequest
    folder: Path
    file_name: str

    @property
    def path(self) -> Path:
        return self.folder / self.file_name

    @property
    def label(self) -> str:
        return self.file_name


def _remove_folder(job: ExportJob) -> None:
    shutil.rmtree(job.folder, ignore_errors=True)


ExportJobs = Jobs[ExportJob]


def new_jobs(max_running: int = 2, keep: int = 20,
             keep_seconds: float = 3600.0) -> ExportJobs:
    """The export jobs of this process."""
    return Jobs("export", keep=keep, keep_seconds=keep_seconds, max_running=max_running,
                busy=BUSY, unexpected=UNEXPECTED, cleanup=_remove_folder, logger=log)


def start(jobs: ExportJobs, engine: Engine, request: ExportRequest, owner: int,
          stats: dict[str, Stats]) -> ExportJob:
    """Write the export in a background job, in one REPEATABLE READ, read-only transaction;
    Conflict when two already run."""
    job = ExportJob(gemeente=request.selection.gemeente, owner=owner, request=request,
                    total=sum(s.count for s in stats.values()),
                    folder=Path(tempfile.mkdtemp(prefix="kaart-export-")),
                    file_name=export.file_name(request))

    def work(advance: Advance) -> dict[str, int]:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                return export.write(conn, request, job.path, advance, BATCH, stats)

    return jobs.start(job, work)
