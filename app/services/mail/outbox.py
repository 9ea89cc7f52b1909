"""Mail goes to the outbox in the transaction of the change; a worker sends it after commit.

Delivery is at-least-once: a mail is marked sent in the transaction that holds its row lock,
so a crash between the SMTP server's "250" and that commit can send one mail twice (with the
same Message-ID, so mail clients fold the copies). Nothing is ever deleted from the outbox.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from threading import Event
from typing import Literal, Protocol

from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from app.models import MailOutbox

log = logging.getLogger("kaart.mail")

QUEUED = "kaart_mail_queued"  # session.info flag: wake the worker after this commit
MAX_ATTEMPTS = 10
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)
DEFAULT_AFZENDER = "Voorzieningenkaart <noreply@localhost>"

Security = Literal["starttls", "ssl", "none"]


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver; None instead of this means development: write to the log."""

    host: str
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    security: Security = "starttls"
    afzender: str = DEFAULT_AFZENDER
    timeout: float = 20.0

    def __post_init__(self) -> None:
        if self.security not in ("starttls", "ssl", "none"):
            raise ValueError(f"KAART_SMTP_SECURITY moet starttls, ssl of none zijn, "
                             f"niet {self.security!r}.")


class OutboxRow(Protocol):
    """The columns of a claimed mail_outbox row that sending reads."""

    id: int
    aan: str
    onderwerp: str
    tekst: str
    html: str | None
    pogingen: int
    aangemaakt_op: datetime


@dataclass
class SendReport:
    """What one pass did, for the worker's log and `kaart mail send`."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        """One Dutch line for the command line."""
        return (f"{self.sent} verzonden, {self.retrying} later opnieuw, "
                f"{self.failed} definitief mislukt.")


def enqueue(session: Session, gemeente_code: str, aan: str, onderwerp: str, tekst: str,
            html: str | None = None) -> MailOutbox:
    """Queue one mail; nothing is sent until the caller's transaction commits."""
    mail = MailOutbox(gemeente_code=gemeente_code, aan=aan, onderwerp=onderwerp, tekst=tekst,
                      html=html)
    session.add(mail)
    session.info[QUEUED] = True
    return mail


def smtp_settings(settings: object) -> SmtpSettings | None:
    """Read the KAART_SMTP_* settings; an empty host means development (mail to the log)."""
    host = (getattr(settings, "smtp_host", "") or "").strip()
    if not host:
        return None
    password = getattr(settings, "smtp_password", "") or ""
    if hasattr(password, "get_secret_value"):
        password = password.get_secret_value()
    return SmtpSettings(host=host, port=int(getattr(settings, "smtp_port", 587) or 587),
                        user=getattr(settings, "smtp_user", "") or "", password=password,
                        security=getattr(settings, "smtp_security", "starttls") or "starttls",
                        afzender=getattr(settings, "mail_afzender", "") or DEFAULT_AFZENDER)


def backoff(pogingen: int) -> timedelta:
    """Wait 1, 2, 4 … minutes after the n-th failure, never more than 6 hours."""
    return min(FIRST_DELAY * (1 << max(pogingen - 1, 0)), MAX_DELAY)


def build_message(row: OutboxRow, afzender: str, now: datetime) -> EmailMessage:
    """A proper UTF-8 mail; the Message-ID is stable per outbox row so a resend is recognisable."""
    domain = parseaddr(afzender)[1].rpartition("@")[2] or "localhost"
    msg = EmailMessage()
    msg["From"] = afzender
    msg["To"] = row.aan
    msg["Subject"] = row.onderwerp
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<outbox-{row.id}.{int(row.aangemaakt_op.timestamp())}@{domain}>"
    msg.set_content(row.tekst, cte="quoted-printable")
    if row.html:
        msg.add_alternative(row.html, subtype="html", cte="quoted-printable")
    return msg


class _Transport:
    """One SMTP connection per pass: opened on first use, dropped after any error."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp
        self.conn: smtplib.SMTP | None = None
        self.unreachable = False

    def send(self, msg: EmailMessage) -> None:
        """Send on the open connection; a failed connect marks the server unreachable."""
        if self.conn is None:
            try:
                self.conn = self._connect()
            except (OSError, smtplib.SMTPException):
                self.unreachable = True
                raise
        try:
            self.conn.send_message(msg)
        except BaseException:
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        """TLS (checked against the system CAs) comes before login, so only "none" sends it bare."""
        smtp = self.smtp
        conn: smtplib.SMTP
        if smtp.security == "ssl":
            conn = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        try:
            if smtp.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
            if smtp.user:
                conn.login(smtp.user, smtp.password)
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        """Say QUIT politely; a connection that is already broken is just closed."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()


CLAIM = text("""
    SELECT id, aan, onderwerp, tekst, html, pogingen, aangemaakt_op FROM mail_outbox
    WHERE status = 'wachtend' AND volgende_poging_op <= :now
    ORDER BY volgende_poging_op, id LIMIT 1 FOR UPDATE SKIP LOCKED""")
MARK_SENT = text("""UPDATE mail_outbox SET status = 'verzonden', verzonden_op = :now,
                    pogingen = pogingen + 1 WHERE id = :id""")
MARK_FAILED = text("""UPDATE mail_outbox SET status = :status, pogingen = :pogingen,
                      laatste_fout = :fout, volgende_poging_op = :volgende WHERE id = :id""")


def send_due(engine: Engine, smtp: SmtpSettings | None, now: datetime | None = None,
             batch: int = 50, *, stop: Event | None = None) -> SendReport:
    """Send up to `batch` due mails, each in its own short transaction holding the row lock.

    FOR UPDATE SKIP LOCKED lets workers in several processes share the outbox without sending
    a mail twice; a mail already committed as sent is never picked up again after a crash.
    """
    report = SendReport()
    transport = _Transport(smtp) if smtp else None
    try:
        for _ in range(batch):
            if stop is not None and stop.is_set():
                break
            moment = now or datetime.now(UTC)
            with engine.begin() as conn:
                row = conn.execute(CLAIM, {"now": moment}).one_or_none()
                if row is None:
                    break
                _send_one(conn, row, smtp, transport, moment, report)
            if transport is not None and transport.unreachable:
                break  # the server is down: the rest waits for the next pass
    finally:
        if transport is not None:
            transport.close()
    return report


def _send_one(conn: Connection, row: OutboxRow, smtp: SmtpSettings | None,
              transport: _Transport | None, now: datetime, report: SendReport) -> None:
    """Deliver one claimed row and record the outcome in the same transaction."""
    try:
        msg = build_message(row, smtp.afzender if smtp else DEFAULT_AFZENDER, now)
        if transport is None:
            log.info("Mail (ontwikkeling, niet echt verzonden) aan %s: %s\n%s",
                     row.aan, row.onderwerp, row.tekst)
        else:
            transport.send(msg)
    except Exception as exc:  # every failure is recorded on the row, none is lost
        pogingen = row.pogingen + 1
        final = pogingen >= MAX_ATTEMPTS or _permanent(exc)
        conn.execute(MARK_FAILED, {"id": row.id, "pogingen": pogingen,
                                   "status": "mislukt" if final else "wachtend",
                                   "fout": _describe(exc, smtp),
                                   "volgende": now + backoff(pogingen)})
        if final:
            report.failed += 1
            log.error("Mail %s aan %s definitief mislukt na %s pogingen: %s",
                      row.id, row.aan, pogingen, _describe(exc, smtp))
        else:
            report.retrying += 1
            log.warning("Mail %s niet verzonden (poging %s), later opnieuw: %s",
                        row.id, pogingen, _describe(exc, smtp))
        return
    conn.execute(MARK_SENT, {"id": row.id, "now": now})
    report.sent += 1


def _permanent(exc: Exception) -> bool:
    """A 5xx for the recipient or the content, or an unbuildable mail, will not get better."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return isinstance(exc, ValueError)  # e.g. a line break in a header


def _describe(exc: Exception, smtp: SmtpSettings | None) -> str:
    """A short error text for laatste_fout that never contains the SMTP password."""
    message = f"{type(exc).__name__}: {exc}"
    if smtp and smtp.password:
        message = message.replace(smtp.password, "***")
    return message[:500]
