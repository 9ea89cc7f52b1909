"""Staff pages: adopties, voorzieningen, categories, proposals, import, export."""

from app.api.beheer.categorieen import (
    router as categorieen_router,
)
from app.api.beheer.downloads import (
    router as downloads_router,
)
from app.api.beheer.export import (
    router as export_router,
)
from app.api.beheer.routes import (
    router as routes_router,
)
from app.api.beheer.voorstellen import (
    router as voorstellen_router,
)
from app.api.beheer.voorzieningen import (
    router as voorzieningen_router,
)

__all__ = [
    "categorieen_router",
    "downloads_router",
    "export_router",
    "routes_router",
    "voorstellen_router",
    "voorzieningen_router",
]
