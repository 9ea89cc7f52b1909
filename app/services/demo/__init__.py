"""The demo gemeente: load it, or generate large synthetic sets."""

from app.services.demo.laden import (
    ADRESSEN_PER_GROENVAK,
    generate,
    generate_geografie,
    load,
)

__all__ = [
    "ADRESSEN_PER_GROENVAK",
    "generate",
    "generate_geografie",
    "load",
]
