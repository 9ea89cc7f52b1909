"""ETags and 304s: clients revalidate every time, so a changed groenvak status shows at once."""

from __future__ import annotations

import hashlib

from fastapi import Request
from fastapi.responses import Response

# Always revalidate: cheap with ETags, and an adoption's effect on a groenvak is never stale.
REVALIDATE = "public, max-age=0, must-revalidate"


def etag_for(*parts: bytes | str) -> str:
    """A strong ETag over the representation's bytes (or a version key)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
    return f'"{digest.hexdigest()}"'


def not_modified(request: Request, etag: str) -> bool:
    """True when the client's If-None-Match already names this ETag."""
    header = request.headers.get("if-none-match", "")
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates or "*" in candidates


def cached(request: Request, body: bytes, media_type: str, etag: str | None = None,
           cache_control: str = REVALIDATE, headers: dict[str, str] | None = None) -> Response:
    """The body with ETag and Cache-Control, or 304 Not Modified when the client has it."""
    etag = etag or etag_for(body)
    all_headers = {"ETag": etag, "Cache-Control": cache_control, **(headers or {})}
    if not_modified(request, etag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)
