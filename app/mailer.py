"""The background worker that empties the mail outbox after commit, one per app process.

Several processes may each run one: send_due claims rows with SKIP LOCKED. A commit whose
session queued mail (services.mail.enqueue) wakes every running worker at once, so a mail
leaves within moments instead of at the next poll.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from app.services.mail import QUEUED, SendReport, SmtpSettings, send_due

log = logging.getLogger("kaart.mail")

_running: set[MailWorker] = set()
_running_lock = threading.Lock()


class MailWorker:
    """Runs send_due in a daemon thread: every `interval` seconds, and at once on notify()."""

    def __init__(self, engine: Engine, smtp: SmtpSettings | None, interval: float = 5.0,
                 batch: int = 50) -> None:
        self.engine = engine
        self.smtp = smtp
        self.interval = interval
        self.batch = batch
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0

    @property
    def running(self) -> bool:
        """True while the thread is alive (for health checks and tests)."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread; the first pass sends what was left over from before a restart."""
        if self.running:
            return
        if self.smtp is None:
            log.warning("KAART_SMTP_HOST is leeg: mail wordt niet verstuurd maar gelogd "
                        "(ontwikkelmodus).")
        _install_commit_hook()
        self._stopping.clear()
        self._wake.set()
        self._thread = threading.Thread(target=self._run, name="kaart-mail", daemon=True)
        self._thread.start()
        with _running_lock:
            _running.add(self)

    def notify(self) -> None:
        """Wake the worker now: a commit just put mail in the outbox."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the mail in hand, then end; waits at most `timeout` (one SMTP timeout)."""
        with _running_lock:
            _running.discard(self)
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        self._wake.set()
        thread.join(timeout)
        if thread.is_alive():
            log.warning("Mailworker stopte niet binnen %s s; de mail in behandeling blijft "
                        "in de outbox en gaat bij de volgende start alsnog.", timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            report = self._pass()
            handled = report.sent + report.retrying + report.failed if report else 0
            if handled < self.batch:  # a full batch means more may be waiting: go on
                self._wake.wait(self.interval)

    def _pass(self) -> SendReport | None:
        """One send_due; a lost database is logged and retried, it never ends the thread."""
        try:
            report = send_due(self.engine, self.smtp, batch=self.batch, stop=self._stopping)
        except Exception as exc:  # the database may be down; try again next interval
            self._failures += 1
            log.warning("Mailworker: outbox niet te lezen (%s): %s", type(exc).__name__, exc,
                        exc_info=self._failures == 1)
            return None
        self._failures = 0
        if report.sent or report.retrying or report.failed:
            log.info("Mailworker: %s", report.summary())
        return report


def _after_commit(session: Session) -> None:
    """Wake the workers when the committed transaction queued mail."""
    if not session.info.pop(QUEUED, False):
        return
    with _running_lock:
        workers = list(_running)
    for worker in workers:
        worker.notify()


def _install_commit_hook() -> None:
    """Listen once per process, on every Session (sqlmodel's included)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
