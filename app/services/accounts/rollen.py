"""Who may act: the role checks every service makes first, and who the audit log names.

Services check again what the routes already checked (defence in depth); voorzieningen,
zelfbeheer and the staff dossier all ask the same questions here.
"""

from __future__ import annotations

from app.errors import Forbidden
from app.models import Gebruiker

STAFF = frozenset({"medewerker", "beheerder"})
SYSTEEM = "systeem"


def actor_of(user: Gebruiker | None) -> str:
    """The audit log's actor: a user id, never a name (the log holds no personal data)."""
    return f"gebruiker:{user.id}" if user is not None else SYSTEEM


def require_user(user: Gebruiker | None) -> Gebruiker:
    """Anonymous visitors and blocked accounts change nothing."""
    if user is None or not user.actief:
        raise Forbidden("Log in om dit te doen.")
    return user


def require_staff(user: Gebruiker | None, gemeente_code: str) -> Gebruiker:
    """Staff act only within their own gemeente."""
    user = require_user(user)
    if user.rol not in STAFF or user.gemeente_code != gemeente_code:
        raise Forbidden("Alleen medewerkers van deze gemeente mogen dit.")
    return user
