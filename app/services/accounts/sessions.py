"""Server-side login sessions: the cookie holds a random value, the database its SHA-256."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from app.models import Gebruiker, Sessie
from app.models.base import now
from app.services.accounts.tokens import digest, new_secret

LIFETIME = timedelta(days=14)
# Sliding expiry without a write on every request: touch the row at most this often.
TOUCH_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class LoadedSession:
    """A valid session, its user, and whether the expiry moved (so the cookie should too)."""

    sessie: Sessie
    gebruiker: Gebruiker
    refreshed: bool


def create_session(session: Session, user: Gebruiker) -> tuple[Sessie, str]:
    """A new session after login; returns the cookie value, which is never stored."""
    assert user.id is not None
    session.execute(delete(Sessie).where(col(Sessie.gebruiker_id) == user.id,
                                         col(Sessie.verloopt_op) < now()))
    plain = new_secret()
    moment = now()
    sessie = Sessie(id=digest(plain), gemeente_code=user.gemeente_code, gebruiker_id=user.id,
                    csrf_token=secrets.token_urlsafe(32), aangemaakt_op=moment,
                    laatst_gezien_op=moment, verloopt_op=moment + LIFETIME)
    session.add(sessie)
    session.flush()
    return sessie, plain


def load_session(session: Session, cookie_value: str) -> LoadedSession | None:
    """The session behind a cookie when it is valid and its account active; slides expiry."""
    if not cookie_value or len(cookie_value) > 100:
        return None
    row = session.exec(select(Sessie, Gebruiker)
                       .join(Gebruiker, col(Gebruiker.id) == Sessie.gebruiker_id)
                       .where(Sessie.id == digest(cookie_value),
                              col(Sessie.verloopt_op) > now(),
                              col(Gebruiker.actief).is_(True))).first()
    if row is None:
        return None
    sessie, gebruiker = row
    moment = now()
    refreshed = moment - sessie.laatst_gezien_op >= TOUCH_AFTER
    if refreshed:
        sessie.laatst_gezien_op = moment
        sessie.verloopt_op = moment + LIFETIME
        session.add(sessie)
    return LoadedSession(sessie, gebruiker, refreshed)


def end_session(session: Session, cookie_value: str) -> None:
    """Log out: the row goes, so a copied cookie is worthless from now on."""
    if cookie_value:
        session.execute(delete(Sessie).where(col(Sessie.id) == digest(cookie_value)))


def end_all_sessions(session: Session, gebruiker_id: int) -> None:
    """After a password reset or deletion every device has to log in again."""
    session.execute(delete(Sessie).where(col(Sessie.gebruiker_id) == gebruiker_id))
