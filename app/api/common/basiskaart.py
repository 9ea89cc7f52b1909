"""Which basemap a page gets: the configured one, or, with none configured, our own where the
gemeente has streets loaded and PDOK's elsewhere. The page's CSP then allows just that one."""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session

from app.config import EIGEN, PDOK_BRT, Settings
from app.services.geografie import heeft_straten


def kaart_settings(request: Request, session: Session, settings: Settings,
                   gemeente_code: str) -> Settings:
    """Settings whose basemap_url is what this page draws; an explicit setting always wins."""
    if not settings.basiskaart_automatisch:
        return settings
    url = EIGEN if heeft_straten(session, gemeente_code) else PDOK_BRT
    request.state.basemap_url = url  # read by SecurityPolicy for this response
    return settings.met_basiskaart(url)
