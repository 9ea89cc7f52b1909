"""Staff pages: adopties, voorzieningen, categories, proposals, import, export."""

from app.api.beheer import (
    categorieen,
    downloads,
    export,
    gaten,
    routes,
    voorstellen,
    voorzieningen,
)

routers = (routes.router, export.router, downloads.router, voorzieningen.router,
           categorieen.router, voorstellen.router, gaten.router)

__all__ = [
    "routers",
]
