"""Zelfbeheer pages: the map of groenvakken, residents' actions, photos."""

from app.api.zelfbeheer import acties, fotos, kaart, uitnodiging

public_router = kaart.router  # the map and plot panels, for everyone
# residents' actions (login), the invitation page (public) and the log's photos
routers = (acties.router, uitnodiging.router, fotos.router)
na_inloggen = uitnodiging.na_inloggen  # completes "Doe mee" right after logging in

__all__ = [
    "na_inloggen",
    "public_router",
    "routers",
]
