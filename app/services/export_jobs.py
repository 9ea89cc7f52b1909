"""Large exports started from the Beheer page run in a background thread on their own
connection; the page polls their progress, then downloads the file. Files are removed when
their job is forgotten (after `keep_seconds`, or when there are more than `keep` jobs)."""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from app.errors import Conflict, DomainError
from app.services import export
from app.services.export import ExportRequest
from app.services.export_query import Stats

log = logging.getLogger("kaart.export")
DIRECT_MAX = 10_000  # features: up to this many, the page downloads at once, without a job
BATCH = 5_000  # rows per batch in a job: the bar moves often enough on a large layer
UNEXPECTED = "Er ging onverwacht iets mis. De fout staat in het log."


@dataclass
class ExportJob:
    """One export's state, read by the polling page."""

    id: str
    gemeente: str
    owner: int
    request: ExportRequest
    total: int
    folder: Path
    file_name: str
    status: str = "bezig"  # bezig, klaar, mislukt
    done: int = 0
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    @property
    def percent(self) -> int:
        if self.status != "bezig":
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    @property
    def path(self) -> Path:
        return self.folder / self.file_name

    def advance(self, n: int) -> None:
        self.done += n


class ExportJobs:
    """The export jobs of this process."""

    def __init__(self, engine: Engine, max_running: int = 2, keep: int = 20,
                 keep_seconds: float = 3600.0) -> None:
        self._engine = engine
        self._jobs: OrderedDict[str, ExportJob] = OrderedDict()
        self._lock = threading.Lock()
        self._max_running, self._keep, self._keep_seconds = max_running, keep, keep_seconds

    def get(self, job_id: str, gemeente: str, owner: int) -> ExportJob | None:
        """Only the medewerker who started a job sees it."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.gemeente != gemeente or job.owner != owner:
            return None
        return job

    def start(self, request: ExportRequest, owner: int, stats: dict[str, Stats]) -> ExportJob:
        """Run the export in a thread; at most `max_running` at once (the CPUs are few)."""
        folder = Path(tempfile.mkdtemp(prefix="kaart-export-"))
        job = ExportJob(secrets.token_urlsafe(16), request.selection.gemeente, owner, request,
                        sum(s.count for s in stats.values()), folder, export.file_name(request))
        with self._lock:
            self._forget_old()
            if sum(j.status == "bezig" for j in self._jobs.values()) >= self._max_running:
                shutil.rmtree(folder, ignore_errors=True)
                raise Conflict("Er lopen al twee exports. Probeer het over een minuut opnieuw.")
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, stats), name=f"export-{job.id[:6]}",
                         daemon=True).start()
        return job

    def _forget_old(self) -> None:
        now = time.monotonic()
        finished = [k for k, j in self._jobs.items() if j.status != "bezig"]
        too_many = max(0, len(self._jobs) - self._keep)
        for index, key in enumerate(finished):
            if index < too_many or now - self._jobs[key].started > self._keep_seconds:
                shutil.rmtree(self._jobs.pop(key).folder, ignore_errors=True)

    def _run(self, job: ExportJob, stats: dict[str, Stats]) -> None:
        try:
            with self._engine.connect() as conn:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                    job.counts = export.write(conn, job.request, job.path, job.advance, BATCH,
                                              stats)
            job.status = "klaar"
        except DomainError as exc:
            job.error, job.status = str(exc), "mislukt"
        except Exception:
            log.exception("export %s mislukt", job.file_name)
            job.error, job.status = UNEXPECTED, "mislukt"
        if job.status == "mislukt":
            shutil.rmtree(job.folder, ignore_errors=True)

    def close(self) -> None:
        """Remove every finished job's file (at shutdown)."""
        with self._lock:
            for key in [k for k, j in self._jobs.items() if j.status != "bezig"]:
                shutil.rmtree(self._jobs.pop(key).folder, ignore_errors=True)
