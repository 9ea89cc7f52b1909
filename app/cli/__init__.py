"""The `kaart` command."""

from app.cli.kaart import (
    main,
)

__all__ = [
    "main",
]
