"""The geography of daily life: addresses, streets, buildings, water and land use."""

from app.services.geografie.laden import LAGEN, Laag, laad

__all__ = ["LAGEN", "Laag", "laad"]
