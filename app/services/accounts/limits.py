"""Rate limits in the database (table login_poging), so every app process sees the same count.

Three counters, none of which lets a stranger lock a resident out:
- per (address, IP) pair: 5 failures in 15 minutes refuse that pair only; the owner logging in
  from elsewhere is not affected;
- per address, from any IP: after 10 failures (since the last success, within a day) every
  further attempt waits 1 s, then 2, 4, ... at most 10 minutes after the last failure. Guessing
  from many addresses slows to a crawl, while the owner waits seconds, not a quarter of an hour;
- per IP: a high threshold (100 failures in 15 minutes) against one source trying a password on
  many addresses. Residents behind one shared address produce nowhere near that many, and
  behind our own proxy KAART_TRUSTED_PROXIES gives each its own address.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, or_, select

from app.errors import Forbidden
from app.models import LoginPoging
from app.models.base import now

WINDOW = timedelta(minutes=15)
MAX_FAILED_PER_PAIR = 5
MAX_FAILED_PER_IP = 100
FREE_FAILURES_PER_EMAIL = 10
FIRST_DELAY = timedelta(seconds=1)
MAX_DELAY = timedelta(minutes=10)
MAIL_WINDOW = timedelta(hours=1)
MAX_MAILS_PER_ADDRESS = 5
KEEP = timedelta(days=1)


class TooManyAttempts(Forbidden):
    """Login refused for a while; `retry_after` is in seconds (for the Retry-After header)."""

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        wait = "1 minuut" if minutes == 1 else f"{minutes} minuten"
        super().__init__(message or f"Te veel mislukte pogingen om in te loggen. Wacht {wait} "
                         "en probeer het dan opnieuw, of vraag een nieuw wachtwoord aan.")


def _address(email: str) -> str:
    return email.strip().lower()


def email_key(email: str) -> str:
    """Per account, from any IP: the exponential delay."""
    return f"email:{_address(email)}"[:300]


def pair_key(email: str, ip: str) -> str:
    """Per account and IP: the lock-out that only hits the one guessing."""
    return f"pair:{_address(email)}|{ip}"[:300]


def ip_key(ip: str) -> str:
    """Per IP: one source trying a password on many accounts."""
    return f"ip:{ip}"[:300]


def _failures(session: Session, key: str, window: timedelta,
              since_success: bool) -> tuple[int, datetime | None, datetime | None]:
    """Failures in the window (after the last success when asked): count, oldest, newest."""
    start = now() - window
    if since_success:
        last_ok = session.exec(select(func.max(LoginPoging.op)).where(
            LoginPoging.sleutel == key, col(LoginPoging.gelukt).is_(True),
            col(LoginPoging.op) > start)).one()
        start = max(start, last_ok) if last_ok else start
    count, oldest, newest = session.exec(
        select(func.count(), func.min(LoginPoging.op), func.max(LoginPoging.op)).where(
            LoginPoging.sleutel == key, col(LoginPoging.gelukt).is_(False),
            col(LoginPoging.op) > start)).one()
    return int(count), oldest, newest


def _seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - now()).total_seconds()))


def delay_after(failures: int) -> timedelta:
    """The wait after the last failure of an address: doubling per failure, capped."""
    if failures < FREE_FAILURES_PER_EMAIL:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES_PER_EMAIL, 30)  # 2**30 s is far past the cap
    return min(MAX_DELAY, FIRST_DELAY * (1 << doublings))


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return "1 seconde" if seconds == 1 else f"{seconds} seconden"
    return f"{math.ceil(seconds / 60)} minuten"


def check_login_allowed(session: Session, email: str, ip: str) -> None:
    """Raise TooManyAttempts before we even look at the password."""
    for key, limit, since_success in ((pair_key(email, ip), MAX_FAILED_PER_PAIR, True),
                                      (ip_key(ip), MAX_FAILED_PER_IP, False)):
        count, oldest, _ = _failures(session, key, WINDOW, since_success)
        if count >= limit and oldest is not None:
            raise TooManyAttempts(_seconds_until(oldest + WINDOW))
    count, _, newest = _failures(session, email_key(email), KEEP, since_success=True)
    delay = delay_after(count)
    if delay and newest is not None and newest + delay > now():
        wait = _seconds_until(newest + delay)
        raise TooManyAttempts(wait, "Er is vaak een verkeerd wachtwoord gebruikt voor dit "
                              f"e-mailadres. Probeer het over {_wait_text(wait)} opnieuw.")


def record_login(session: Session, email: str, ip: str, gelukt: bool) -> None:
    """Count an attempt; old rows of these keys go, so the table stays small."""
    keys = [email_key(email), pair_key(email, ip)]
    if not gelukt:
        keys.append(ip_key(ip))
    session.execute(delete(LoginPoging).where(col(LoginPoging.sleutel).in_(keys),
                                              col(LoginPoging.op) < now() - KEEP))
    for key in keys:
        session.add(LoginPoging(sleutel=key, gelukt=gelukt))
    session.flush()


def mail_allowed(session: Session, email: str) -> bool:
    """At most a few account mails per address per hour, so nobody can flood an inbox."""
    key = f"mail:{_address(email)}"[:300]
    sent = session.exec(select(func.count()).where(
        LoginPoging.sleutel == key, col(LoginPoging.op) > now() - MAIL_WINDOW)).one()
    if sent >= MAX_MAILS_PER_ADDRESS:
        return False
    session.add(LoginPoging(sleutel=key, gelukt=True))
    return True


def forget_address(session: Session, email: str) -> None:
    """Deleting an account also deletes the counters that name its e-mail address."""
    lower = _address(email)
    session.execute(delete(LoginPoging).where(or_(
        col(LoginPoging.sleutel).in_([f"email:{lower}", f"mail:{lower}"]),
        col(LoginPoging.sleutel).startswith(f"pair:{lower}|", autoescape=True))))


def purge(session: Session) -> None:
    """For a daily job: counters older than a day serve no limit any more."""
    session.execute(delete(LoginPoging).where(col(LoginPoging.op) < now() - KEEP))
