"""Background jobs started from a page (an import, a large export): each runs in a daemon
thread while the page polls its progress under a random job id.

Job state lives in memory, in one process: the page that polls must reach the process that
runs the job. The web import and export therefore need a single uvicorn worker, which is what
`kaart serve` (and the Dockerfile's CMD, `python -m app serve`) runs: `uvicorn.run` is given
the app object, so it serves from one process.

A registry forgets its oldest finished jobs when it holds more than `keep`, and (when
`keep_seconds` is set) finished jobs older than that. `cleanup(job)` frees what a job holds
(e.g. its temp folder): it is called when the job is forgotten, refused, or failed, and for
every job when the registry is closed at shutdown. A failed job is freed again when it is
forgotten, so `cleanup` must be safe to call twice.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from app.errors import Conflict, DomainError

log = logging.getLogger("kaart.achtergrond")
UNEXPECTED = "Er ging onverwacht iets mis. De fout staat in het log."
BUSY = "Er lopen al te veel taken. Probeer het over een minuut opnieuw."

R = TypeVar("R")
Advance = Callable[[int], None]  # the progress callback: n more items done
Work = Callable[[Advance], Any]  # runs in the thread; returns the job's result


@dataclass(kw_only=True)
class Job(Generic[R]):
    """One job's state, read by the polling page. Subclasses add what their page shows."""

    gemeente: str
    owner: int | None = None  # when set, only this user sees the job
    id: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    status: str = "bezig"  # bezig, klaar, mislukt
    done: int = 0
    total: int | None = None
    error: str | None = None
    result: R | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def percent(self) -> int:
        if self.status != "bezig":
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    @property
    def label(self) -> str:
        """How the log names this job."""
        return self.id[:6]

    def advance(self, n: int = 1) -> None:
        self.done += n


J = TypeVar("J", bound=Job[Any])


class Jobs(Generic[J]):
    """The jobs of one kind in this process."""

    def __init__(self, name: str, *, keep: int = 20, keep_seconds: float | None = None,
                 max_running: int | None = None, busy: str = BUSY,
                 unexpected: str = UNEXPECTED, cleanup: Callable[[J], None] | None = None,
                 logger: logging.Logger = log) -> None:
        self._name, self._keep, self._keep_seconds = name, keep, keep_seconds
        self._max_running, self._busy, self._unexpected = max_running, busy, unexpected
        self._cleanup, self._log = cleanup, logger
        self._jobs: OrderedDict[str, J] = OrderedDict()
        self._lock = threading.Lock()
        self._closed = False

    def get(self, job_id: str, gemeente: str, owner: int | None = None) -> J | None:
        """The job, if it belongs to this gemeente (and, if it has an owner, to this user)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.gemeente != gemeente:
            return None
        return job if job.owner is None or job.owner == owner else None

    def start(self, job: J, work: Work) -> J:
        """Run `work(job.advance)` in a daemon thread; its return value becomes the result.
        Refused with Conflict(busy) when `max_running` jobs are still running."""
        with self._lock:
            forgotten = self._forget_old()
            running = sum(j.status == "bezig" for j in self._jobs.values())
            refused = self._max_running is not None and running >= self._max_running
            if not refused:
                self._jobs[job.id] = job
        for old in forgotten:
            self._free(old)
        if refused:
            self._free(job)
            raise Conflict(self._busy)
        threading.Thread(target=self._run, args=(job, work), name=f"{self._name}-{job.id[:6]}",
                         daemon=True).start()
        return job

    def _forget_old(self) -> list[J]:
        """Drop the oldest finished jobs beyond `keep` (counting the one about to start) and
        those older than `keep_seconds`; the caller frees them outside the lock."""
        now = time.monotonic()
        finished = [k for k, j in self._jobs.items() if j.status != "bezig"]
        too_many = max(0, len(self._jobs) + 1 - self._keep)
        expired = self._keep_seconds
        return [self._jobs.pop(key) for index, key in enumerate(finished)
                if index < too_many or (expired is not None
                                        and now - self._jobs[key].started > expired)]

    def _run(self, job: J, work: Work) -> None:
        status, error = "klaar", None
        try:
            job.result = work(job.advance)
        except DomainError as exc:
            status, error = "mislukt", str(exc)
        except Exception:
            self._log.exception("%s %s mislukt", self._name, job.label)
            status, error = "mislukt", self._unexpected
        with self._lock:
            job.error, job.status = error, status
            closed = self._closed
            if closed:
                self._jobs.pop(job.id, None)
        if status == "mislukt" or closed:
            self._free(job)

    def _free(self, job: J) -> None:
        if self._cleanup is not None:
            try:
                self._cleanup(job)
            except Exception:
                self._log.exception("opruimen van %s %s mislukt", self._name, job.label)

    def close(self) -> None:
        """At shutdown: forget and free every finished job; running ones free themselves
        when they end."""
        with self._lock:
            self._closed = True
            finished = [self._jobs.pop(k) for k, j in list(self._jobs.items())
                        if j.status != "bezig"]
        for job in finished:
            self._free(job)
