"""Running a job: its work in this thread (the CLI) or a daemon thread (the web app), a
heartbeat thread that writes its progress to the taak table every second, and the end recorded
there. When the process dies, the heartbeat stops and readers mark the job afgebroken."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine

from app.errors import DomainError
from app.services.jobs import store

log = logging.getLogger("kaart.taken")
UNEXPECTED = "Er ging onverwacht iets mis. De fout staat in het log."
STOPPED = "De taak is afgebroken: het proces dat hem uitvoerde werd gestopt."

T = TypeVar("T")


class Progress:
    """How far the work is; read by the heartbeat thread."""

    def __init__(self, total: int | None = None) -> None:
        self.done = 0
        self.total = total

    def advance(self, n: int = 1) -> None:
        self.done += n


def heartbeat_interval(stil_s: float) -> float:
    """Often enough for the page's progress bar, and well within the stale limit."""
    return min(1.0, stil_s / 4)


def run(engine: Engine, job_id: str, work: Callable[[Progress], T],
        to_json: Callable[[T], dict[str, Any]], *, stil_s: float,
        on_end: Callable[[str], None] | None = None, unexpected: str = UNEXPECTED,
        logger: logging.Logger = log, reraise: bool = False) -> T | None:
    """Run `work` here with a heartbeat; record klaar (with `to_json(result)`), mislukt or
    afgebroken. With `reraise`, the work's exception is raised again after it is recorded."""
    progress = Progress()
    stop = threading.Event()
    store.beat(engine, job_id, 0, None)

    def beat() -> None:
        while not stop.wait(heartbeat_interval(stil_s)):
            try:
                store.beat(engine, job_id, progress.done, progress.total)
            except Exception:  # the database is away for a moment: the next beat may work
                logger.warning("hartslag van taak %s mislukt", job_id[:6], exc_info=True)

    beater = threading.Thread(target=beat, name=f"hartslag-{job_id[:6]}", daemon=True)
    beater.start()
    status, error = "mislukt", unexpected
    result: dict[str, Any] | None = None
    raised: BaseException | None = None
    try:
        value = work(progress)
        status, result, error = "klaar", to_json(value), ""
        return value
    except DomainError as exc:
        error, raised = str(exc), exc
    except Exception as exc:
        logger.exception("taak %s mislukt", job_id[:6])
        raised = exc
    except BaseException as exc:  # Ctrl+C or the process being told to stop
        status, error, raised = "afgebroken", STOPPED, exc
    finally:
        stop.set()
        beater.join()
        try:
            store.finish(engine, job_id, status, result, error or None, progress.done,
                         progress.total)
        except Exception:
            logger.exception("einde van taak %s niet vastgelegd", job_id[:6])
        if on_end is not None:
            try:
                on_end(status)
            except Exception:
                logger.exception("opruimen na taak %s mislukt", job_id[:6])
    if raised is not None and (reraise or not isinstance(raised, Exception)):
        raise raised
    return None


class Runner:
    """The jobs this process runs in daemon threads; at shutdown it records them afgebroken."""

    def __init__(self, engine: Engine, stil_s: float) -> None:
        self._engine, self._stil_s = engine, stil_s
        self._running: set[str] = set()
        self._lock = threading.Lock()

    def start(self, job_id: str, work: Callable[[Progress], T],
              to_json: Callable[[T], dict[str, Any]], *,
              on_end: Callable[[str], None] | None = None, unexpected: str = UNEXPECTED,
              logger: logging.Logger = log) -> None:
        """Run the job in a daemon thread."""
        def target() -> None:
            try:
                run(self._engine, job_id, work, to_json, stil_s=self._stil_s, on_end=on_end,
                    unexpected=unexpected, logger=logger)
            finally:
                with self._lock:
                    self._running.discard(job_id)

        with self._lock:
            self._running.add(job_id)
        store.beat(self._engine, job_id, 0, None)  # bezig from the first page on
        threading.Thread(target=target, name=f"taak-{job_id[:6]}", daemon=True).start()

    def close(self) -> None:
        """At shutdown: the daemon threads die with the process; say so in their rows now
        rather than after the heartbeat goes stale."""
        with self._lock:
            running = list(self._running)
        for job_id in running:
            try:
                store.finish(self._engine, job_id, "afgebroken", error=STOPPED)
            except Exception:
                log.exception("taak %s niet als afgebroken vastgelegd", job_id[:6])
