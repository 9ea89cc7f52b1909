"""Photos for the onderhoud log: checked by content, re-encoded without metadata, stored on disk.

An upload is never stored as sent. Its type is decided by its bytes (magic number, then Pillow's
own detection), animations and decompression bombs are refused, and what we keep is re-encoded
from the pixels alone: no EXIF, no GPS, no XMP, no ICC profile, no comments. So whatever the file
smuggled in (a location, a polyglot HTML payload) does not survive, and the served bytes are
always a plain JPEG, PNG or WebP image.

Memory is bounded before anything is decoded: the size in the header is checked against the
pixel and side limits, JPEGs are decoded at a reduced scale, every image is scaled down to its
stored size before any copy is made, and only a few photos are decoded at once (photo_jobs).
A disk that is full or not writable gives a Dutch answer (StorageFull, Unavailable), never a 500.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageCms, ImageOps
from sqlmodel import Session, func, select

from app.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    TooLarge,
    Unavailable,
    UnsupportedMedia,
)
from app.models import Foto, Onderhoud
from app.services.zelfbeheer import fotos_jobs as photo_jobs
from app.services.zelfbeheer.fotos_opslag import EXTENSION, NO_PHOTO, PhotoStore

__all__ = ["EXTENSION", "NO_PHOTO", "PhotoLimits", "PhotoStore", "ProcessedPhoto", "add_photos",
           "process_upload", "sniff"]

MAX_BYTES = 10_000_000
MAX_PIXELS = 40_000_000
MAX_DIMENSION = 12_000  # longest side of an upload
MAX_SIDE = 2048  # longest side of what we store
THUMB_SIDE = 400
_STRIP = 64  # output rows reduced at a time
MAX_PER_ONDERHOUD = 5

MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

WRONG_TYPE = "Alleen JPEG-, PNG- of WebP-foto's"
NOT_AN_IMAGE = "Dit bestand is geen geldige afbeelding"
ANIMATED = "Bewegende afbeeldingen kunnen niet; kies een gewone foto"
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class PhotoLimits:
    """What one upload may be, and how many this process decodes at once (from the settings)."""

    max_bytes: int = MAX_BYTES
    max_pixels: int = MAX_PIXELS
    max_side: int = MAX_DIMENSION
    jobs: int = photo_jobs.JOBS


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


def process_upload(data: bytes, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
                   max_side: int = MAX_DIMENSION, jobs: int = photo_jobs.JOBS) -> ProcessedPhoto:
    """Check one upload and return it re-encoded from pixels, at most 2048 px, with thumbnail."""
    if len(data) > max_bytes:
        raise TooLarge(f"De foto is groter dan {max_bytes // 1_000_000} MB")
    fmt = sniff(data)
    if fmt is None:
        raise UnsupportedMedia(WRONG_TYPE)
    with _as_image_errors(max_pixels):
        img = Image.open(BytesIO(data), formats=[fmt])  # reads the header only
        if img.format != fmt:
            raise UnsupportedMedia(WRONG_TYPE)
        if getattr(img, "is_animated", False) or getattr(img, "n_frames", 1) > 1:
            raise InvalidInput(ANIMATED)
        if img.width * img.height > max_pixels:
            raise TooLarge(_too_many_pixels(max_pixels))
        if max(img.size) > max_side:
            raise TooLarge(f"De foto is te breed of te hoog (hoogstens {max_side} pixels)")
    return photo_jobs.run(lambda: _processed(img, fmt, max_pixels), jobs)


def _processed(img: Image.Image, fmt: str, max_pixels: int) -> ProcessedPhoto:
    """Decode small, then encode the photo and its thumbnail (on a photo thread)."""
    with _as_image_errors(max_pixels):
        try:
            clean = _decode_small(img, fmt)
        finally:
            img.close()  # the decoded pixels go before the thread hands memory back
    thumb = clean.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(data=_encode(clean, fmt), mime=MIME[fmt], width=clean.width,
                          height=clean.height, thumbnail=_encode(thumb, "WEBP", quality=75))


def _too_many_pixels(max_pixels: int) -> str:
    return f"De foto heeft te veel pixels (maximaal {max_pixels // 1_000_000} megapixel)"


@contextmanager
def _as_image_errors(max_pixels: int) -> Iterator[None]:
    """Pillow's failures as Dutch domain errors: a bomb is too large, anything else no image."""
    try:
        yield
    except DomainError:
        raise
    except Image.DecompressionBombError:
        raise TooLarge(_too_many_pixels(max_pixels)) from None
    except MemoryError:  # the server is short of memory right now, not the photo's fault
        raise Unavailable(photo_jobs.BUSY) from None
    except Exception:  # any decoder failure (truncated, corrupt, odd mode) means: not an image
        raise InvalidInput(NOT_AN_IMAGE) from None


def _decode_small(img: Image.Image, fmt: str) -> Image.Image:
    """Decode and scale to at most 2048 px at once, so no full-size copy is ever made."""
    icc = img.info.get("icc_profile")
    if fmt == "JPEG":
        img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # the decoder itself skips to 1/2, 1/4 or 1/8
    img.load()
    return _clean_pixels(_upright(_shrink(_scalable(img, fmt))), fmt, icc)


def _shrink(img: Image.Image) -> Image.Image:
    """At most MAX_SIDE px: a whole-factor box reduction, strip by strip, then Lanczos.

    Pillow's own reduce/resize first copy a transparent image in full (to premultiply alpha);
    reducing a strip at a time gives the same pixels while only a strip is ever copied.
    """
    factor = max(img.size) // MAX_SIDE
    if factor >= 2:
        width, height = img.size
        mode = "I" if img.mode.startswith("I;") else img.mode  # reduce() has no 16-bit modes
        out = Image.new(mode, (-(-width // factor), -(-height // factor)))
        rows = factor * _STRIP
        for top in range(0, height, rows):
            strip = img.crop((0, top, width, min(top + rows, height))).convert(mode)
            out.paste(strip.reduce(factor), (0, top // factor))
        out.info = dict(img.info)  # EXIF orientation and ICC profile are still needed
        img.close()
        img = out
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)  # in place: frees the big one
    return img


def _scalable(img: Image.Image, fmt: str) -> Image.Image:
    """Palette, 1-bit and keyed-transparency images as RGB(A), which scale without artefacts."""
    if img.mode not in ("P", "PA", "1") and "transparency" not in img.info:
        return img
    converted = img.convert(_target(img, fmt))
    img.close()  # let the decoded original go before scaling
    return converted


def _target(img: Image.Image, fmt: str) -> str:
    """RGBA when the image is transparent (JPEG never is), else RGB."""
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    return "RGBA" if has_alpha and fmt != "JPEG" else "RGB"


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a broken EXIF block is ignored rather than refused."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:
        return img


def _clean_pixels(img: Image.Image, fmt: str, icc: bytes | None) -> Image.Image:
    """8-bit RGB(A) in sRGB, rebuilt from raw pixels so no metadata can come along."""
    target = _target(img, fmt)
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


def add_photos(session: Session, store: PhotoStore, onderhoud: Onderhoud,
               files: Sequence[bytes], limits: PhotoLimits | None = None) -> list[Foto]:
    """Check every file first, then store and insert all; one bad file stores nothing.

    The photos are decoded before the onderhoud row is locked (decoding may wait for a free job),
    then the row is locked and the count checked again, so two uploads at once cannot pass the
    limit of five together. Files are written before their rows exist, so no row ever points to
    a missing file. The rows are flushed, not committed: the caller commits (and, should that
    commit fail, calls store.delete for the returned keys). A failing flush removes the files.
    """
    if not files:
        return []
    if onderhoud.id is None:
        raise NotFound("Dit onderhoudsmoment bestaat niet.")
    _check_room(session, onderhoud, len(files))
    processed = [_process_numbered(i, data, len(files), limits or PhotoLimits())
                 for i, data in enumerate(files, 1)]
    locked = session.exec(select(Onderhoud.id).where(
        Onderhoud.id == onderhoud.id, Onderhoud.gemeente_code == onderhoud.gemeente_code)
        .with_for_update()).first()
    if locked is None:
        raise NotFound("Dit onderhoudsmoment bestaat niet.")
    _check_room(session, onderhoud, len(files))
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


def _check_room(session: Session, onderhoud: Onderhoud, adding: int) -> None:
    """At most five photos per log entry."""
    existing = session.exec(select(func.count()).select_from(Foto)
                            .where(Foto.onderhoud_id == onderhoud.id)).one()
    if existing + adding > MAX_PER_ONDERHOUD:
        room = max(MAX_PER_ONDERHOUD - existing, 0)
        raise InvalidInput(f"Maximaal {MAX_PER_ONDERHOUD} foto's per onderhoudsmoment; "
                           f"er kunnen er nog {room} bij.")


def _process_numbered(number: int, data: bytes, total: int,
                      limits: PhotoLimits) -> ProcessedPhoto:
    """process_upload, naming the file in the message when several were sent."""
    try:
        return process_upload(data, limits.max_bytes, limits.max_pixels, limits.max_side,
                              limits.jobs)
    except InvalidInput as exc:
        if total == 1:
            raise
        raise type(exc)(f"Foto {number}: {exc}") from None
