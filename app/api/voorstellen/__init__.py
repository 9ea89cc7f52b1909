"""Residents propose a voorziening or a change; the shared form."""

from app.api.voorstellen.routes import (
    router,
)

__all__ = [
    "router",
]
