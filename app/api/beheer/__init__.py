"""Staff pages: adopties, voorzieningen, categories, proposals, import, export."""

from app.api.beheer import categorieen, downloads, export, routes, voorstellen, voorzieningen

routers = (routes.router, export.router, downloads.router, voorzieningen.router,
           categorieen.router, voorstellen.router)

__all__ = [
    "routers",
]
