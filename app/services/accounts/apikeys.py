"""API keys for systems that write: shown once, stored only as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlmodel import Session, col, create_engine, select

from app.errors import InvalidInput, Unauthorized
from app.models import ApiSleutel
from app.services.audit import record
from app.services.gebieden import current_gemeente

KEY_ROLES = ("medewerker", "beheerder")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, gemeente_code: str, naam: str, rol: str,
               actor: str) -> tuple[ApiSleutel, str]:
    """A new key; the plain text is returned once and never stored."""
    if rol not in KEY_ROLES:
        raise InvalidInput(f"Onbekende rol '{rol}' voor een API-sleutel; kies uit "
                           f"{', '.join(KEY_ROLES)}.")
    if not naam.strip():
        raise InvalidInput("Geef de sleutel een naam (bijv. het systeem dat hem gebruikt).")
    prefix = secrets.token_hex(4)
    plain = f"vk_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiSleutel(gemeente_code=gemeente_code, naam=naam.strip(), prefix=prefix,
                     sleutel_hash=_digest(plain), rol=rol)
    session.add(key)
    session.flush()
    record(session, gemeente_code, actor=actor, actie="aangemaakt", object_type="api_sleutel",
           object_id=str(key.id), na={"naam": key.naam, "rol": rol, "prefix": prefix})
    return key, plain


def authenticate(session: Session, header: str | None) -> ApiSleutel:
    """The active key behind an X-Api-Key header, or 401."""
    if not header:
        raise Unauthorized("Schrijven vraagt een API-sleutel in de header X-Api-Key.")
    key = session.exec(select(ApiSleutel).where(ApiSleutel.sleutel_hash == _digest(header),
                                                col(ApiSleutel.ingetrokken_op).is_(None))).first()
    if key is None:
        raise Unauthorized("Deze API-sleutel is onbekend of ingetrokken.")
    key.laatst_gebruikt_op = datetime.now(UTC)
    return key


def create_from_cli(url: str, naam: str, rol: str, gemeente_code: str | None) -> str:
    """`kaart apikey`: one transaction; returns the key's plain text."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            gemeente = current_gemeente(session, gemeente_code)
            _, plain = create_key(session, gemeente.code, naam, rol, actor="cli")
            session.commit()
            return plain
    finally:
        engine.dispose()
