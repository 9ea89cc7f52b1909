"""Zelfbeheer pages: the map of groenvakken, residents' actions, photos."""

from app.api.zelfbeheer.acties import (
    router as acties_router,
)
from app.api.zelfbeheer.fotos import (
    router as fotos_router,
)
from app.api.zelfbeheer.kaart import (
    router as kaart_router,
)

__all__ = [
    "acties_router",
    "fotos_router",
    "kaart_router",
]
