"""Layers derived from a cache: bring the cache up to date before a read serves them.

The collection `nabijheid` is a view over kengetal_cache, which the kengetallen service
recomputes lazily when a layer version moved (a voorziening added, a street changed). The
items routes call `bring_up_to_date` first, so the API never serves older figures than the
wijk pages do. Reads of /v1 run on the autocommit read engine, which must not write; the
recomputation then runs in a transaction of its own on the primary engine and commits before
the read, so the read sees it.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from sqlalchemy import text
from sqlmodel import Session

from app.geo.collections import NABIJHEID, Collection
from app.services.gebieden import alle_kengetallen

GEMEENTEN_SQL = text("""
SELECT DISTINCT gemeente_code FROM gebied
 WHERE soort IN ('wijk', 'dorp') AND (CAST(:gemeente AS text) IS NULL OR gemeente_code = :gemeente)
 ORDER BY gemeente_code
""")


def _kengetallen(request: Request, session: Session, gemeenten: list[str]) -> None:
    """The figures of every wijk and dorp of these gemeenten, recomputed where stale."""
    kmh = request.app.state.settings.loopsnelheid_kmh  # the same speed as the wijk pages
    for code in gemeenten:
        alle_kengetallen(session, code, loopsnelheid_kmh=kmh)


REFRESH: dict[str, Callable[[Request, Session, list[str]], None]] = {
    NABIJHEID.id: _kengetallen,
}


def bring_up_to_date(request: Request, session: Session, c: Collection,
                     gemeente: object = None) -> None:
    """Refresh what collection c is derived from, for one gemeente or (None) for all."""
    refresh = REFRESH.get(c.id)
    if refresh is None:
        return
    gemeenten = list(session.execute(GEMEENTEN_SQL, {"gemeente": gemeente}).scalars())
    if not gemeenten:
        return
    if session.get_bind() is not request.app.state.read_engine:
        refresh(request, session, gemeenten)  # a transactional session (tests share theirs)
        return
    with Session(request.app.state.engine) as writer:
        refresh(request, writer, gemeenten)
        writer.commit()
