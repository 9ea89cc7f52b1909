"""One-time links by e-mail: the link holds a random secret, the database only its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from app.errors import InvalidInput
from app.models import Token
from app.models.base import now

LIFETIME: dict[str, timedelta] = {
    "verificatie": timedelta(hours=48),
    "wachtwoord": timedelta(hours=1),
    "email_wijziging": timedelta(hours=24),
}

GELDIGHEID = {"verificatie": "48 uur", "wachtwoord": "1 uur", "email_wijziging": "24 uur"}


class InvalidLink(InvalidInput):
    """The link is unknown, used or expired; the same message for all three, on purpose."""

    def __init__(self) -> None:
        super().__init__("Deze link is ongeldig, al gebruikt of verlopen. Vraag een nieuwe aan.")


def new_secret() -> str:
    """32 random bytes, URL-safe: for links and session cookies."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """SHA-256 hex: a stolen database copy holds no usable link or cookie."""
    return hashlib.sha256(value.encode()).hexdigest()


def issue(session: Session, gemeente_code: str, soort: str, gebruiker_id: int,
          nieuw_email: str | None = None) -> str:
    """A fresh token; older unused ones of the same kind stop working, so only the last mail
    counts."""
    session.execute(delete(Token).where(col(Token.gebruiker_id) == gebruiker_id,
                                        col(Token.soort) == soort,
                                        col(Token.gebruikt_op).is_(None)))
    plain = new_secret()
    session.add(Token(gemeente_code=gemeente_code, soort=soort, token_hash=digest(plain),
                      gebruiker_id=gebruiker_id, nieuw_email=nieuw_email,
                      verloopt_op=now() + LIFETIME[soort]))
    session.flush()
    return plain


def find_valid(session: Session, gemeente_code: str, soort: str, plain: str) -> Token | None:
    """The unused, unexpired token behind a link, without using it (to show a form first)."""
    if not plain or len(plain) > 100:
        return None
    return session.exec(select(Token).where(
        Token.token_hash == digest(plain), Token.soort == soort,
        Token.gemeente_code == gemeente_code, col(Token.gebruikt_op).is_(None),
        col(Token.verloopt_op) > now()).with_for_update()).first()


def consume(session: Session, gemeente_code: str, soort: str, plain: str) -> Token:
    """Use a token once; the row lock makes a double click count once."""
    token = find_valid(session, gemeente_code, soort, plain)
    if token is None or token.gebruiker_id is None:
        raise InvalidLink()
    token.gebruikt_op = now()
    session.add(token)
    return token


def drop_unused(session: Session, gebruiker_id: int, soort: str | None = None) -> None:
    """Links sent earlier stop working (after a reset, an e-mail change or a deletion)."""
    query = delete(Token).where(col(Token.gebruiker_id) == gebruiker_id)
    if soort:
        query = query.where(col(Token.soort) == soort, col(Token.gebruikt_op).is_(None))
    session.execute(query)
