"""Serving onderhoud photos: only re-encoded images, with headers that forbid anything else.

Who may see a photo: anyone who has its link. The onderhoud log is public ("visible to
neighbours"), so its photos are too; the keys are 128 random bits, so a photo can only be found
through the log that shows it, never by guessing or counting. A photo whose row is gone (deleted
entry, adoptie removed) is not served even if its file is still on disk.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from sqlmodel import select

from app.api.common import SessionDep
from app.errors import NotFound
from app.models import Foto
from app.services.zelfbeheer import EXTENSION, NO_PHOTO, PhotoLimits, PhotoStore

router = APIRouter(tags=["foto's"])

# A key's bytes never change, so browsers may keep them; "private" keeps shared caches (proxies,
# CDNs) from holding on to a photo after a member deletes it.
CACHE_CONTROL = "private, max-age=86400, immutable"
# Even if a browser were tricked into rendering the file as a document, it could run nothing.
CSP = "default-src 'none'; img-src 'self'; sandbox"


def photo_store(request: Request) -> PhotoStore:
    """The app's store (tests set app.state.photo_store), else the one the settings point at."""
    store: PhotoStore | None = getattr(request.app.state, "photo_store", None)
    if store is not None:
        return store
    settings = request.app.state.settings
    root: Path = getattr(settings, "upload_dir", None) or settings.data_dir / "uploads"
    return PhotoStore(root)


def photo_limits(request: Request) -> PhotoLimits:
    """Pixel, side and concurrency limits of photo uploads, from the settings."""
    settings = request.app.state.settings
    return PhotoLimits(max_pixels=settings.photo_max_megapixels * 1_000_000,
                       max_side=settings.photo_max_side, jobs=settings.photo_jobs)


def _serve(request: Request, session: SessionDep, key: str, thumb: bool) -> FileResponse:
    """The file under its own mime type with nosniff, a sandboxing CSP and an inline filename."""
    path, mime = photo_store(request).open(key, thumb=thumb)
    if session.exec(select(Foto.id).where(Foto.opslag_sleutel == key)).first() is None:
        raise NotFound(NO_PHOTO)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Content-Disposition": f'inline; filename="foto.{EXTENSION[mime]}"',
        "Cache-Control": CACHE_CONTROL,
    }
    return FileResponse(path, media_type=mime, headers=headers)


@router.get("/fotos/{key}", response_class=FileResponse)
def foto(request: Request, session: SessionDep, key: str) -> FileResponse:
    """One photo at most 2048 px on its long side."""
    return _serve(request, session, key, thumb=False)


@router.get("/fotos/{key}/thumb", response_class=FileResponse)
def foto_thumb(request: Request, session: SessionDep, key: str) -> FileResponse:
    """The 400 px WebP thumbnail of a photo."""
    return _serve(request, session, key, thumb=True)
