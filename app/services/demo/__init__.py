"""The demo gemeente: load it, or generate large synthetic sets."""

from app.services.demo.laden import (
    generate,
    load,
)

__all__ = [
    "generate",
    "load",
]
