"""Writes to the features of the open API: validation, audit, versions."""

from app.services.features.store import (
    check_geometry,
    insert,
    snapshot,
)
from app.services.features.store import (
    update as store_update,
)
from app.services.features.writes import (
    WRITABLE,
    content_srid,
    create,
    delete,
    update,
)

__all__ = [
    "WRITABLE",
    "check_geometry",
    "content_srid",
    "create",
    "delete",
    "insert",
    "snapshot",
    "store_update",
    "update",
]
