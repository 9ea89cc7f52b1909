"""Mail goes to the outbox in the transaction of the change; a worker sends it after commit."""

from __future__ import annotations

from sqlmodel import Session

from app.models import MailOutbox


def enqueue(session: Session, gemeente_code: str, aan: str, onderwerp: str, tekst: str,
            html: str | None = None) -> MailOutbox:
    """Queue one mail; nothing is sent until the caller's transaction commits."""
    mail = MailOutbox(gemeente_code=gemeente_code, aan=aan, onderwerp=onderwerp, tekst=tekst,
                      html=html)
    session.add(mail)
    return mail
