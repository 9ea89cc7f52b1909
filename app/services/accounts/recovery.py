"""Password reset and e-mail change: both go through a one-time link by e-mail."""

from __future__ import annotations

from sqlmodel import Session

from app.errors import Conflict
from app.models import Gebruiker
from app.models.base import now
from app.services.accounts import (
    limits as auth_limits,
)
from app.services.accounts import (
    mails as auth_mails,
)
from app.services.accounts import (
    sessions as auth_sessions,
)
from app.services.accounts import (
    tokens as auth_tokens,
)
from app.services.accounts.auth import FieldError, actor, check_email, set_password
from app.services.accounts.gebruikers import find_by_email
from app.services.audit import record


def request_password_reset(session: Session, gemeente_code: str, email: str,
                           site_url: str) -> str | None:
    """Mail a reset link when the account exists; the caller shows the same answer either way
    (no account enumeration). Returns the token for tests and the CLI."""
    email = check_email(email)
    user = find_by_email(session, gemeente_code, email)
    if user is None or user.id is None or not user.actief:
        return None
    if not auth_limits.mail_allowed(session, email):
        return None
    token = auth_tokens.issue(session, gemeente_code, "wachtwoord", user.id)
    auth_mails.send(session, gemeente_code, user.email, "wachtwoord", site_url, token)
    record(session, gemeente_code, actor=actor(user), actie="wachtwoord_herstel_aangevraagd",
           object_type="gebruiker", object_id=str(user.id), gebruiker_id=user.id)
    return token


def reset_link_valid(session: Session, gemeente_code: str, token: str) -> bool:
    """Whether to show the new-password form or the 'link expired' page."""
    return auth_tokens.find_valid(session, gemeente_code, "wachtwoord", token) is not None


def reset_password(session: Session, gemeente_code: str, token: str, password: str,
                   site_url: str) -> Gebruiker:
    """Set a new password (a weak one keeps the link usable); logs out every device."""
    found = auth_tokens.find_valid(session, gemeente_code, "wachtwoord", token)
    user = session.get(Gebruiker, found.gebruiker_id) if found else None
    if user is None or user.id is None or not user.actief:
        raise auth_tokens.InvalidLink()
    set_password(session, user, password)
    auth_tokens.consume(session, gemeente_code, "wachtwoord", token)
    if user.email_geverifieerd_op is None:
        user.email_geverifieerd_op = now()  # the link reached the mailbox: that proves it
    auth_sessions.end_all_sessions(session, user.id)
    auth_tokens.drop_unused(session, user.id, "wachtwoord")
    auth_mails.send(session, gemeente_code, user.email, "wachtwoord_gewijzigd", site_url)
    record(session, gemeente_code, actor=actor(user), actie="wachtwoord_hersteld",
           object_type="gebruiker", object_id=str(user.id), gebruiker_id=user.id)
    return user


def request_email_change(session: Session, user: Gebruiker, nieuw_email: str,
                         site_url: str) -> str | None:
    """Mail a confirmation link to the new address; nothing changes until it is clicked.
    The caller asks for the password first (auth.confirm_password)."""
    assert user.id is not None
    nieuw_email = check_email(nieuw_email, field="nieuw_email")
    if nieuw_email.lower() == user.email.lower():
        raise FieldError("nieuw_email", "Dit is al uw e-mailadres.")
    if not auth_limits.mail_allowed(session, nieuw_email):
        return None
    record(session, user.gemeente_code, actor=actor(user), actie="email_wijziging_aangevraagd",
           object_type="gebruiker", object_id=str(user.id), gebruiker_id=user.id)
    if find_by_email(session, user.gemeente_code, nieuw_email) is not None:
        # Tell the owner of that address, not the person asking: no account enumeration.
        auth_mails.send(session, user.gemeente_code, nieuw_email, "bestaat_al", site_url)
        return None
    token = auth_tokens.issue(session, user.gemeente_code, "email_wijziging", user.id,
                              nieuw_email=nieuw_email)
    auth_mails.send(session, user.gemeente_code, nieuw_email, "email_wijziging", site_url, token)
    return token


def confirm_email_change(session: Session, gemeente_code: str, token: str,
                         site_url: str) -> Gebruiker:
    """The link reached the new mailbox: switch, and tell the old address it happened."""
    row = auth_tokens.consume(session, gemeente_code, "email_wijziging", token)
    user = session.get(Gebruiker, row.gebruiker_id)
    if user is None or user.id is None or not user.actief or not row.nieuw_email:
        raise auth_tokens.InvalidLink()
    taken = find_by_email(session, gemeente_code, row.nieuw_email)
    if taken is not None and taken.id != user.id:
        raise Conflict("Dit e-mailadres is inmiddels in gebruik bij een ander account.")
    oud = user.email
    user.email = row.nieuw_email
    user.email_geverifieerd_op = now()
    session.add(user)
    # Reset links went to the old address; they should not outlive the change.
    auth_tokens.drop_unused(session, user.id, "wachtwoord")
    auth_mails.send(session, gemeente_code, oud, "email_gewijzigd", site_url)
    record(session, gemeente_code, actor=actor(user), actie="email_gewijzigd",
           object_type="gebruiker", object_id=str(user.id), gebruiker_id=user.id)
    return user
