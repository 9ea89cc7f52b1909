"""Accounts: creation with argon2 password hashes; roles bewoner, medewerker, beheerder."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from sqlalchemy import func
from sqlmodel import Session, create_engine, select

from app.errors import Conflict, InvalidInput
from app.models import Gebruiker
from app.models.gebruiker import ROLLEN
from app.services.audit import record
from app.services.gebieden import current_gemeente

hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """argon2id with the library's current recommended parameters."""
    return hasher.hash(password)


def new_password() -> str:
    """A random password for accounts made by staff or the demo (shown once)."""
    return secrets.token_urlsafe(12)


def find_by_email(session: Session, gemeente_code: str, email: str) -> Gebruiker | None:
    """E-mail addresses are unique per gemeente, case-insensitively."""
    return session.exec(select(Gebruiker).where(
        Gebruiker.gemeente_code == gemeente_code,
        func.lower(Gebruiker.email) == email.strip().lower())).first()


def create_user(session: Session, gemeente_code: str, email: str, rol: str, naam: str,
                password: str | None, actor: str) -> Gebruiker:
    """Create an account; staff accounts count as verified, they are made by an admin."""
    email = email.strip()
    if rol not in ROLLEN:
        raise InvalidInput(f"Onbekende rol '{rol}'; kies uit {', '.join(ROLLEN)}.")
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput(f"'{email}' is geen geldig e-mailadres.")
    if find_by_email(session, gemeente_code, email):
        raise Conflict(f"Er bestaat al een account met e-mailadres {email}.")
    user = Gebruiker(gemeente_code=gemeente_code, email=email, naam=naam, rol=rol,
                     wachtwoord_hash=hash_password(password) if password else None)
    if rol != "bewoner":
        user.email_geverifieerd_op = user.aangemaakt_op
    session.add(user)
    session.flush()
    record(session, gemeente_code, actor=actor, actie="aangemaakt", object_type="gebruiker",
           object_id=str(user.id), na={"rol": rol})
    return user


def create_from_cli(url: str, email: str, rol: str, naam: str, gemeente_code: str | None) -> str:
    """`kaart createuser`: one transaction; returns the generated password. The account is
    verified (also a bewoner's), so it can log in with that password."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            gemeente = current_gemeente(session, gemeente_code)
            password = new_password()
            user = create_user(session, gemeente.code, email, rol, naam, password, actor="cli")
            # whoever runs the CLI vouches for the address: a resident can log in at once
            user.email_geverifieerd_op = user.aangemaakt_op
            session.commit()
            return password
    finally:
        engine.dispose()
