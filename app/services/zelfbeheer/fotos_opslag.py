"""The file store of onderhoud photos: one folder, files named by unguessable keys.

Writes go through a temp file, fsync and rename, so readers never see half a photo. When the disk
is full or cannot be written, the error becomes a Dutch answer (StorageFull: 507, Unavailable: 503)
and whatever was written for that photo is removed again.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from app.errors import NotFound, StorageFull, Unavailable

__all__ = ["DISK_BROKEN", "DISK_FULL", "EXTENSION", "NO_PHOTO", "THUMB_MIME", "PhotoStore"]

EXTENSION = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
THUMB_MIME = "image/webp"
KEY = re.compile(r"[0-9a-f]{32}")
NO_PHOTO = "Deze foto bestaat niet (meer)."
DISK_FULL = ("De foto's kunnen nu niet worden opgeslagen: de opslag van de server is vol. "
             "Probeer het later opnieuw, of voeg het onderhoud toe zonder foto's.")
DISK_BROKEN = ("De foto's kunnen nu niet worden opgeslagen door een storing bij de opslag van de "
               "server. Probeer het later opnieuw, of voeg het onderhoud toe zonder foto's.")

log = logging.getLogger(__name__)


class Storable(Protocol):
    """What the store needs of a photo (services.photos.ProcessedPhoto is one)."""

    @property
    def data(self) -> bytes: ...

    @property
    def thumbnail(self) -> bytes: ...

    @property
    def extension(self) -> str: ...


class PhotoStore:
    """Photo files under one root, named by a random key that is the only way to reach them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, photo: Storable) -> str:
        """Write the photo and its thumbnail atomically; return the new unguessable key.

        A disk that is full (StorageFull) or cannot be written (Unavailable) is a Dutch answer
        for the user and a line in the log for the administrator; nothing is left behind.
        """
        key = secrets.token_hex(16)
        folder = self.root / key[:2]
        main = folder / f"{key}.{photo.extension}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(main, photo.data)
            try:
                _write_atomically(folder / f"{key}-thumb.webp", photo.thumbnail)
            except BaseException:
                _remove(main)
                raise
        except OSError as exc:
            raise _storage_error(exc, self.root) from exc
        return key

    def open(self, key: str, thumb: bool = False) -> tuple[Path, str]:
        """The file and its mime type; NotFound for a malformed or unknown key (no traversal)."""
        folder = self._folder(key)
        if thumb:
            candidates = [(folder / f"{key}-thumb.webp", THUMB_MIME)]
        else:
            candidates = [(folder / f"{key}.{ext}", mime) for mime, ext in EXTENSION.items()]
        for path, mime in candidates:
            if path.is_file():
                return path, mime
        raise NotFound(NO_PHOTO)

    def delete(self, key: str) -> None:
        """Remove the photo and thumbnail; files already gone (or a disk in trouble) are fine."""
        folder = self._folder(key)
        for ext in EXTENSION.values():
            _remove(folder / f"{key}.{ext}")
        _remove(folder / f"{key}-thumb.webp")

    def _folder(self, key: str) -> Path:
        """Only keys we could have made (32 lowercase hex) ever become a path."""
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise NotFound(NO_PHOTO)
        return self.root / key[:2]


def _storage_error(exc: OSError, root: Path) -> Unavailable:
    """The Dutch answer for a failed write; the details go to the log, not to the user."""
    log.error("Foto opslaan in %s mislukt: %s", root, exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(DISK_FULL)
    return Unavailable(DISK_BROKEN)


def _remove(path: Path) -> None:
    """Unlink while cleaning up; a failure here must not hide the error being handled."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("Foto %s opruimen mislukt: %s", path, exc)


def _write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: readers never see half a photo."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        _remove(Path(tmp))
        raise
