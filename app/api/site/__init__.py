"""Public pages: overview, wijk/dorp pages, the map of voorzieningen, comparison."""

from app.api.site import bereik, kaart, pages, vergelijking, wijken, zoeken
from app.api.site.getallen import install

routers = (pages.router, wijken.router, kaart.router, vergelijking.router, zoeken.router,
           bereik.router)

__all__ = [
    "install",
    "routers",
]
