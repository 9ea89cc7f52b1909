"""Audit rows, written in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.models import AuditLog


def record(session: Session, gemeente_code: str, *, actor: str, actie: str, object_type: str,
           object_id: str, voor: dict[str, Any] | None = None, na: dict[str, Any] | None = None,
           gebruiker_id: int | None = None) -> None:
    """Add one audit row; the caller's commit makes it permanent together with the change."""
    session.add(AuditLog(gemeente_code=gemeente_code, gebruiker_id=gebruiker_id, actor=actor,
                         actie=actie, object_type=object_type, object_id=object_id, voor=voor,
                         na=na))
