"""Photos for the onderhoud log: checked by content, re-encoded without metadata, stored on disk.

An upload is never stored as sent. Its type is decided by its bytes (magic number, then Pillow's
own detection), animations and decompression bombs are refused, and what we keep is re-encoded
from the pixels alone: no EXIF, no GPS, no XMP, no ICC profile, no comments. So whatever the file
smuggled in (a location, a polyglot HTML payload) does not survive, and the served bytes are
always a plain JPEG, PNG or WebP image.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageCms, ImageOps
from sqlmodel import Session, func, select

from app.errors import InvalidInput, NotFound, TooLarge, UnsupportedMedia
from app.models import Foto, Onderhoud

MAX_BYTES = 10_000_000
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
THUMB_SIDE = 400
MAX_PER_ONDERHOUD = 5

MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSION = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
THUMB_MIME = "image/webp"
KEY = re.compile(r"[0-9a-f]{32}")

WRONG_TYPE = "Alleen JPEG-, PNG- of WebP-foto's"
NOT_AN_IMAGE = "Dit bestand is geen geldige afbeelding"
ANIMATED = "Bewegende afbeeldingen kunnen niet; kies een gewone foto"
NO_PHOTO = "Deze foto bestaat niet (meer)."
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class ProcessedPhoto:
    """A checked photo as it will be stored: clean bytes plus the facts the foto row needs."""

    data: bytes
    mime: str
    width: int
    height: int
    thumbnail: bytes

    @property
    def extension(self) -> str:
        """The file extension that matches the mime type, never the client's filename."""
        return EXTENSION[self.mime]


def sniff(data: bytes) -> str | None:
    """The Pillow format the magic number announces, so no other decoder ever sees the bytes."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def process_upload(data: bytes, max_bytes: int = MAX_BYTES,
                   max_pixels: int = MAX_PIXELS) -> ProcessedPhoto:
    """Check one upload and return it re-encoded from pixels, at most 2048 px, with thumbnail."""
    if len(data) > max_bytes:
        raise TooLarge(f"De foto is groter dan {max_bytes // 1_000_000} MB")
    fmt = sniff(data)
    if fmt is None:
        raise UnsupportedMedia(WRONG_TYPE)
    too_many_pixels = f"De foto heeft te veel pixels (maximaal {max_pixels // 1_000_000} megapixel)"
    try:
        img = Image.open(BytesIO(data), formats=[fmt])
        if img.format != fmt:
            raise UnsupportedMedia(WRONG_TYPE)
        if getattr(img, "is_animated", False) or getattr(img, "n_frames", 1) > 1:
            raise InvalidInput(ANIMATED)
        if img.width * img.height > max_pixels:
            raise TooLarge(too_many_pixels)
        if fmt == "JPEG":
            img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode big JPEGs at a reduced scale
        img.load()
        clean = _clean_pixels(_upright(img), fmt, img.info.get("icc_profile"))
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise TooLarge(too_many_pixels) from None
    except Exception:  # any decoder failure (truncated, corrupt, odd mode) means: not an image
        raise InvalidInput(NOT_AN_IMAGE) from None
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = clean.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(data=_encode(clean, fmt), mime=MIME[fmt], width=clean.width,
                          height=clean.height, thumbnail=_encode(thumb, "WEBP", quality=75))


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a broken EXIF block is ignored rather than refused."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:
        return img


def _clean_pixels(img: Image.Image, fmt: str, icc: bytes | None) -> Image.Image:
    """8-bit RGB(A) in sRGB, rebuilt from raw pixels so no metadata can come along."""
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    target = "RGBA" if has_alpha and fmt != "JPEG" else "RGB"
    if img.mode.startswith("I") or img.mode == "F":  # 16-bit or float greys: scale, don't clip
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if img.mode != "CMYK" or not icc:
        img = img.convert(target)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(icc))
            converted = ImageCms.profileToProfile(img, source, _SRGB, outputMode=target)
            if converted is not None:
                img = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: keep the pixels as they are
    img = img.convert(target)
    return Image.frombytes(img.mode, img.size, img.tobytes())


def _encode(img: Image.Image, fmt: str, quality: int = 85) -> bytes:
    """Encode without passing any metadata (exif, icc_profile, xmp, pnginfo) to the encoder."""
    out = BytesIO()
    if fmt == "JPEG":
        img.save(out, "JPEG", quality=quality, optimize=True)
    elif fmt == "PNG":
        img.save(out, "PNG", compress_level=6)
    else:
        img.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


class PhotoStore:
    """Photo files under one root, named by a random key that is the only way to reach them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, photo: ProcessedPhoto) -> str:
        """Write the photo and its thumbnail atomically; return the new unguessable key."""
        key = secrets.token_hex(16)
        folder = self.root / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        main = folder / f"{key}.{photo.extension}"
        _write_atomically(main, photo.data)
        try:
            _write_atomically(folder / f"{key}-thumb.webp", photo.thumbnail)
        except BaseException:
            main.unlink(missing_ok=True)
            raise
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
        """Remove the photo and thumbnail; files already gone are fine."""
        folder = self._folder(key)
        for ext in EXTENSION.values():
            (folder / f"{key}.{ext}").unlink(missing_ok=True)
        (folder / f"{key}-thumb.webp").unlink(missing_ok=True)

    def _folder(self, key: str) -> Path:
        """Only keys we could have made (32 lowercase hex) ever become a path."""
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise NotFound(NO_PHOTO)
        return self.root / key[:2]


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
        Path(tmp).unlink(missing_ok=True)
        raise


def add_photos(session: Session, store: PhotoStore, onderhoud: Onderhoud,
               files: Sequence[bytes]) -> list[Foto]:
    """Check every file first, then store and insert all; one bad file stores nothing.

    The onderhoud row is locked so two uploads at once cannot pass the limit of five together.
    The rows are flushed, not committed: the caller commits (and, should that commit fail, calls
    store.delete for the returned keys). A failing flush removes the written files here.
    """
    if not files:
        return []
    if onderhoud.id is None:
        raise NotFound("Dit onderhoudsmoment bestaat niet.")
    locked = session.exec(select(Onderhoud.id).where(
        Onderhoud.id == onderhoud.id, Onderhoud.gemeente_code == onderhoud.gemeente_code)
        .with_for_update()).first()
    if locked is None:
        raise NotFound("Dit onderhoudsmoment bestaat niet.")
    existing = session.exec(select(func.count()).select_from(Foto)
                            .where(Foto.onderhoud_id == onderhoud.id)).one()
    if existing + len(files) > MAX_PER_ONDERHOUD:
        room = max(MAX_PER_ONDERHOUD - existing, 0)
        raise InvalidInput(f"Maximaal {MAX_PER_ONDERHOUD} foto's per onderhoudsmoment; "
                           f"er kunnen er nog {room} bij.")
    processed = [_process_numbered(i, data, len(files)) for i, data in enumerate(files, 1)]
    keys: list[str] = []
    try:
        fotos = []
        for photo in processed:
            keys.append(store.save(photo))
            fotos.append(Foto(gemeente_code=onderhoud.gemeente_code, onderhoud_id=onderhoud.id,
                              opslag_sleutel=keys[-1], mime=photo.mime, bytes=len(photo.data),
                              breedte=photo.width, hoogte=photo.height))
        session.add_all(fotos)
        session.flush()
    except BaseException:
        for key in keys:
            store.delete(key)
        raise
    return fotos


def _process_numbered(number: int, data: bytes, total: int) -> ProcessedPhoto:
    """process_upload, naming the file in the message when several were sent."""
    try:
        return process_upload(data)
    except InvalidInput as exc:
        if total == 1:
            raise
        raise type(exc)(f"Foto {number}: {exc}") from None
