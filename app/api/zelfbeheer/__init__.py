"""Zelfbeheer pages: the map of groenvakken, residents' actions, photos."""

from app.api.zelfbeheer import acties, fotos, kaart

public_router = kaart.router  # the map and plot panels, for everyone
routers = (acties.router, fotos.router)  # residents' actions (login) and the log's photos

__all__ = [
    "public_router",
    "routers",
]
