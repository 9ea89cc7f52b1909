"""Residents propose a voorziening or a change; the shared form."""

from app.api.voorstellen.formulier import (
    Formulier,
    context,
    invoer,
    toon,
)
from app.api.voorstellen.routes import (
    router,
)

__all__ = [
    "Formulier",
    "context",
    "invoer",
    "router",
    "toon",
]
