"""Rate limits in the database (table login_poging), so every app process sees the same count."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from app.errors import Forbidden
from app.models import LoginPoging
from app.models.base import now

WINDOW = timedelta(minutes=15)
MAX_FAILED_PER_EMAIL = 5
MAX_FAILED_PER_IP = 20
MAIL_WINDOW = timedelta(hours=1)
MAX_MAILS_PER_ADDRESS = 5
KEEP = timedelta(days=1)


class TooManyAttempts(Forbidden):
    """Login refused for a while; `retry_after` is in seconds (for the Retry-After header)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        wait = "1 minuut" if minutes == 1 else f"{minutes} minuten"
        super().__init__(f"Te veel mislukte pogingen om in te loggen. Wacht {wait} en probeer "
                         "het dan opnieuw, of vraag een nieuw wachtwoord aan.")


def email_key(email: str) -> str:
    """Per account: stops guessing one password."""
    return f"email:{email.strip().lower()}"[:300]


def ip_key(ip: str) -> str:
    """Per address: stops trying one password on many accounts."""
    return f"ip:{ip}"[:300]


def _failures(session: Session, key: str,
              since_success: bool) -> tuple[int, datetime | None]:
    """Failed attempts in the window (after the last success when asked) and the oldest one."""
    start = now() - WINDOW
    if since_success:
        last_ok = session.exec(select(func.max(LoginPoging.op)).where(
            LoginPoging.sleutel == key, col(LoginPoging.gelukt).is_(True),
            col(LoginPoging.op) > start)).one()
        start = max(start, last_ok) if last_ok else start
    count, oldest = session.exec(select(func.count(), func.min(LoginPoging.op)).where(
        LoginPoging.sleutel == key, col(LoginPoging.gelukt).is_(False),
        col(LoginPoging.op) > start)).one()
    return int(count), oldest


def check_login_allowed(session: Session, email: str, ip: str) -> None:
    """Raise TooManyAttempts before we even look at the password."""
    for key, limit, since_success in ((email_key(email), MAX_FAILED_PER_EMAIL, True),
                                      (ip_key(ip), MAX_FAILED_PER_IP, False)):
        count, oldest = _failures(session, key, since_success)
        if count >= limit and oldest is not None:
            free_at = oldest + WINDOW
            raise TooManyAttempts(max(1, math.ceil((free_at - now()).total_seconds())))


def record_login(session: Session, email: str, ip: str, gelukt: bool) -> None:
    """Count an attempt; old rows of this account go, so the table stays small."""
    keys = [email_key(email)] if gelukt else [email_key(email), ip_key(ip)]
    session.execute(delete(LoginPoging).where(col(LoginPoging.sleutel).in_(keys),
                                              col(LoginPoging.op) < now() - KEEP))
    for key in keys:
        session.add(LoginPoging(sleutel=key, gelukt=gelukt))
    session.flush()


def mail_allowed(session: Session, email: str) -> bool:
    """At most a few account mails per address per hour, so nobody can flood an inbox."""
    key = f"mail:{email.strip().lower()}"[:300]
    sent = session.exec(select(func.count()).where(
        LoginPoging.sleutel == key, col(LoginPoging.op) > now() - MAIL_WINDOW)).one()
    if sent >= MAX_MAILS_PER_ADDRESS:
        return False
    session.add(LoginPoging(sleutel=key, gelukt=True))
    return True


def forget_address(session: Session, email: str) -> None:
    """Deleting an account also deletes the counters that name its e-mail address."""
    lower = email.strip().lower()
    session.execute(delete(LoginPoging).where(
        col(LoginPoging.sleutel).in_([f"email:{lower}", f"mail:{lower}"])))


def purge(session: Session) -> None:
    """For a daily job: counters older than a day serve no limit any more."""
    session.execute(delete(LoginPoging).where(col(LoginPoging.op) < now() - KEEP))
