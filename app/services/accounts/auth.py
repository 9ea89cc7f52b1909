"""Resident accounts: register, verify the e-mail address, log in; the password rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from app.errors import Forbidden, InvalidInput
from app.models import Gebruiker
from app.models.base import now
from app.services.accounts import limits as auth_limits
from app.services.accounts import mails as auth_mails
from app.services.accounts import tokens as auth_tokens
from app.services.accounts.gebruikers import find_by_email, hash_password, hasher
from app.services.audit import record

MIN_PASSWORD = 12
MAX_PASSWORD = 1000  # argon2 copes, but nobody needs more and it bounds the work per request
MAX_NAAM = 100
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FieldError(InvalidInput):
    """A message that belongs next to one form field; `field` is the input's name."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class LoginFailed(InvalidInput):
    """Wrong e-mail or password: one message for both, so nobody learns which accounts exist."""

    def __init__(self) -> None:
        super().__init__("Het e-mailadres of het wachtwoord klopt niet.")


class EmailNotVerified(Forbidden):
    """Right password, but the address was never confirmed; the page offers a new link."""

    def __init__(self) -> None:
        super().__init__("U heeft uw e-mailadres nog niet bevestigd. Klik op de link in de mail "
                         "die wij u stuurden, of vraag hieronder een nieuwe link aan.")


@dataclass(frozen=True)
class Registration:
    """The new (or still unconfirmed) account and its link; both None when the address was
    already in use, and its owner got a mail about that instead."""

    gebruiker: Gebruiker | None
    token: str | None


def actor(user: Gebruiker) -> str:
    """How a resident appears in the audit log: by id, never by name or address."""
    return f"gebruiker:{user.id}"


def check_email(email: str, field: str = "email") -> str:
    """A usable address (the database checks the same shape), stripped."""
    email = email.strip()
    if not email:
        raise FieldError(field, "Vul uw e-mailadres in.")
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise FieldError(field, "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
    return email


def check_naam(naam: str) -> str:
    """A name for the group and the gemeente to address the resident by; never public."""
    naam = " ".join(naam.split())
    if not naam:
        raise FieldError("naam", "Vul uw naam in.")
    if len(naam) > MAX_NAAM:
        raise FieldError("naam", f"Uw naam mag hoogstens {MAX_NAAM} tekens lang zijn.")
    return naam


def check_password_policy(password: str, email: str, field: str = "wachtwoord") -> None:
    """Length beats complexity rules (NCSC advice); the address itself is a known guess."""
    if not password:
        raise FieldError(field, "Vul een wachtwoord in.")
    if len(password) < MIN_PASSWORD:
        raise FieldError(field, f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens.")
    if len(password) > MAX_PASSWORD:
        raise FieldError(field, f"Een wachtwoord mag hoogstens {MAX_PASSWORD} tekens lang zijn.")
    if password.strip().lower() == email.strip().lower():
        raise FieldError(field, "Uw wachtwoord mag niet hetzelfde zijn als uw e-mailadres.")


@cache
def _dummy_hash() -> str:
    """Checking a password against this takes as long as a real check: no timing leak."""
    return hash_password("geen-echt-wachtwoord")


def password_matches(user: Gebruiker | None, password: str) -> bool:
    """argon2 verify; an unknown account or one without a password costs the same time."""
    stored = user.wachtwoord_hash if user and user.wachtwoord_hash else None
    try:
        return hasher.verify(stored or _dummy_hash(), password[:MAX_PASSWORD]) and bool(stored)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, user: Gebruiker, password: str) -> None:
    """Store a new argon2 hash after the policy check."""
    check_password_policy(password, user.email)
    user.wachtwoord_hash = hash_password(password)
    session.add(user)


def register(session: Session, gemeente_code: str, email: str, password: str, naam: str,
             site_url: str, volgende: str = "") -> Registration:
    """A bewoner account that can log in after the e-mail link; answers the same for a taken
    address, so the form does not reveal who has an account."""
    naam = check_naam(naam)
    email = check_email(email)
    check_password_policy(password, email)
    existing = find_by_email(session, gemeente_code, email)
    if existing is not None and (existing.email_geverifieerd_op or not existing.actief):
        hash_password(password)  # as slow as a real registration: the timing tells nothing
        if auth_limits.mail_allowed(session, email):
            auth_mails.send(session, gemeente_code, existing.email, "bestaat_al", site_url)
        return Registration(None, None)
    if existing is not None:
        # Never confirmed: the newest registration wins, so nobody can claim an address first
        # and take over the account once its owner clicks the link.
        user, actie = existing, "registratie_herhaald"
        user.naam = naam
        user.wachtwoord_hash = hash_password(password)
    else:
        user, actie = Gebruiker(gemeente_code=gemeente_code, email=email, naam=naam,
                                rol="bewoner", wachtwoord_hash=hash_password(password)), \
            "geregistreerd"
    session.add(user)
    session.flush()
    assert user.id is not None
    record(session, gemeente_code, actor=actor(user), actie=actie, object_type="gebruiker",
           object_id=str(user.id), na={"rol": user.rol}, gebruiker_id=user.id)
    token = auth_tokens.issue(session, gemeente_code, "verificatie", user.id)
    if auth_limits.mail_allowed(session, email):
        auth_mails.send(session, gemeente_code, user.email, "verificatie", site_url, token,
                        volgende=volgende)
    return Registration(user, token)


def resend_verification(session: Session, gemeente_code: str, email: str,
                        site_url: str) -> str | None:
    """A new link for an unconfirmed account; silent otherwise (same answer for everyone)."""
    email = check_email(email)
    user = find_by_email(session, gemeente_code, email)
    if user is None or user.id is None or not user.actief or user.email_geverifieerd_op:
        return None
    if not auth_limits.mail_allowed(session, email):
        return None
    token = auth_tokens.issue(session, gemeente_code, "verificatie", user.id)
    auth_mails.send(session, gemeente_code, user.email, "verificatie", site_url, token)
    return token


def verify_email(session: Session, gemeente_code: str, token: str) -> Gebruiker:
    """The link in the mail proves the address; from now on the account can log in."""
    row = auth_tokens.consume(session, gemeente_code, "verificatie", token)
    user = session.get(Gebruiker, row.gebruiker_id)
    if user is None or not user.actief:
        raise auth_tokens.InvalidLink()
    if user.email_geverifieerd_op is None:
        user.email_geverifieerd_op = now()
        session.add(user)
        record(session, gemeente_code, actor=actor(user), actie="email_bevestigd",
               object_type="gebruiker", object_id=str(user.id), gebruiker_id=user.id)
    return user


def authenticate(session: Session, gemeente_code: str, email: str, password: str,
                 ip: str) -> Gebruiker:
    """Check a login. Failures are recorded in the session: the caller commits them even when
    this raises, or the rate limit would never count."""
    auth_limits.check_login_allowed(session, email, ip)
    user = find_by_email(session, gemeente_code, email) if email.strip() else None
    if not password_matches(user, password) or user is None or not user.actief:
        auth_limits.record_login(session, email, ip, gelukt=False)
        raise LoginFailed()
    if user.email_geverifieerd_op is None:
        raise EmailNotVerified()
    auth_limits.record_login(session, email, ip, gelukt=True)
    assert user.wachtwoord_hash is not None
    if hasher.check_needs_rehash(user.wachtwoord_hash):
        user.wachtwoord_hash = hash_password(password)
    user.laatst_ingelogd_op = now()
    session.add(user)
    return user


def confirm_password(session: Session, user: Gebruiker, password: str, ip: str,
                     field: str = "wachtwoord") -> None:
    """Ask the password again before risky changes; counts toward the login limit (commit
    on failure too)."""
    auth_limits.check_login_allowed(session, user.email, ip)
    if not password_matches(user, password):
        auth_limits.record_login(session, user.email, ip, gelukt=False)
        raise FieldError(field, "Het wachtwoord klopt niet.")
