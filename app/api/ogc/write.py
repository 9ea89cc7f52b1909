"""OGC API – Features Part 4 routes: writes by API clients with a key (role medewerker)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.api.common import SessionDep, problem
from app.api.ogc.features import base, collection_for
from app.errors import InvalidInput, TooLarge, UnsupportedMedia
from app.geo.collections import Collection
from app.models import ApiSleutel
from app.services import accounts, features

router = APIRouter(tags=["features"])

MAX_BODY = 2_000_000
JSON_TYPES = {"application/geo+json", "application/json"}
PATCH_TYPES = {"application/merge-patch+json", *JSON_TYPES}
ITEMS_ALLOW = "GET, HEAD, POST, OPTIONS"
ITEM_ALLOW = "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"
READ_ONLY = "GET, HEAD, OPTIONS"


async def json_body(request: Request) -> object:
    """The request's JSON, size- and type-checked before anything touches the database.

    Not read at all for a read-only collection: the route answers 405 for those, whatever the
    body; an unknown collection is a 404 before the body matters."""
    if not collection_for(request.path_params["collection_id"]).writable:
        return None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    allowed = PATCH_TYPES if request.method == "PATCH" else JSON_TYPES
    if media not in allowed:
        raise UnsupportedMedia(f"Content-Type moet {' of '.join(sorted(allowed))} zijn.")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise TooLarge(f"Het verzoek is groter dan {MAX_BODY // 1_000_000} MB.")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("De body is geen geldige JSON.") from None


Body = Annotated[object, Depends(json_body)]
ContentCrs = Annotated[str | None, Header(alias="Content-Crs")]
ApiKey = Annotated[str | None, Header(alias="X-Api-Key")]


def _writable(collection_id: str) -> Collection | Response:
    """The collection, or a 405 for the read-only ones."""
    c = collection_for(collection_id)
    if not c.writable:
        refused = problem(405, f"Collectie {c.id} is alleen-lezen.")
        refused.headers["Allow"] = READ_ONLY
        return refused
    return c


@router.post("/v1/collections/{collection_id}/items", include_in_schema=False)
def create_item(collection_id: str, request: Request, session: SessionDep, body: Body,
                api_key: ApiKey = None, content_crs: ContentCrs = None) -> Response:
    c = _writable(collection_id)
    if isinstance(c, Response):
        return c
    key = accounts.apikey_authenticate(session, api_key)
    fid = features.create(session, key, c, body, features.content_srid(content_crs))
    session.commit()
    location = f"{base(request)}/collections/{c.id}/items/{fid}"
    return Response(status_code=201, headers={"Location": location})


def _change(collection_id: str, feature_id: str, session: Session, api_key: str | None,
            action: Callable[[ApiSleutel, Collection, int], None]) -> Response:
    c = _writable(collection_id)
    if isinstance(c, Response):
        return c
    key = accounts.apikey_authenticate(session, api_key)
    if not feature_id.isdigit() or len(feature_id) > 12:
        return problem(404, f"Object '{feature_id}' bestaat niet in {c.id}.")
    action(key, c, int(feature_id))
    session.commit()
    return Response(status_code=204)


@router.put("/v1/collections/{collection_id}/items/{feature_id}", include_in_schema=False)
def replace_item(collection_id: str, feature_id: str, session: SessionDep, body: Body,
                 api_key: ApiKey = None, content_crs: ContentCrs = None) -> Response:
    srid = features.content_srid(content_crs)
    return _change(collection_id, feature_id, session, api_key, lambda k, c, fid:
                   features.update(session, k, c, fid, body, srid, partial=False))


@router.patch("/v1/collections/{collection_id}/items/{feature_id}", include_in_schema=False)
def patch_item(collection_id: str, feature_id: str, session: SessionDep, body: Body,
               api_key: ApiKey = None, content_crs: ContentCrs = None) -> Response:
    srid = features.content_srid(content_crs)
    return _change(collection_id, feature_id, session, api_key, lambda k, c, fid:
                   features.update(session, k, c, fid, body, srid, partial=True))


@router.delete("/v1/collections/{collection_id}/items/{feature_id}", include_in_schema=False)
def delete_item(collection_id: str, feature_id: str, session: SessionDep,
                api_key: ApiKey = None) -> Response:
    return _change(collection_id, feature_id, session, api_key, lambda k, c, fid:
                   features.delete(session, k, c, fid))


@router.options("/v1/collections/{collection_id}/items", include_in_schema=False)
def items_options(collection_id: str) -> Response:
    c = collection_for(collection_id)
    return Response(status_code=204, headers={"Allow": ITEMS_ALLOW if c.writable else READ_ONLY})


@router.options("/v1/collections/{collection_id}/items/{feature_id}", include_in_schema=False)
def item_options(collection_id: str, feature_id: str) -> Response:
    c = collection_for(collection_id)
    return Response(status_code=204, headers={"Allow": ITEM_ALLOW if c.writable else READ_ONLY})
