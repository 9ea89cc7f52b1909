"""Public pages: overview, wijk/dorp pages, the map of voorzieningen, comparison."""

from app.api.site.getallen import (
    install,
)
from app.api.site.kaart import (
    router as kaart_router,
)
from app.api.site.pages import (
    router as pages_router,
)
from app.api.site.vergelijking import (
    router as vergelijking_router,
)
from app.api.site.wijken import (
    router as wijken_router,
)

__all__ = [
    "install",
    "kaart_router",
    "pages_router",
    "vergelijking_router",
    "wijken_router",
]
