"""The signing key (KAART_SECRET_KEY): when not set, generated once and kept in the data dir,
so every worker process and every restart signs with the same key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from app.errors import SetupError

FILE_NAME = "secret-key"


def load_or_create(path: Path) -> str:
    """Read the key, or create it atomically (0600) so two starting workers agree on one."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(tmp, path)  # fails when another process won the race: use its key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    key = path.read_text().strip()
    if not key:
        raise SetupError(f"{path} is leeg: verwijder het bestand of zet KAART_SECRET_KEY.")
    return key
