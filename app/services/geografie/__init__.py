"""The geography of daily life: addresses, streets, buildings, water and land use."""

from app.services.geografie.laden import LAGEN, Laag, laad
from app.services.geografie.zoeken import (
    MAX_LIMIT,
    MAX_QUERY,
    GroenvakDichtbij,
    Zoekresultaat,
    adres_punt,
    groenvakken_dichtbij,
    zoek,
)

__all__ = [
    "LAGEN",
    "MAX_LIMIT",
    "MAX_QUERY",
    "GroenvakDichtbij",
    "Laag",
    "Zoekresultaat",
    "adres_punt",
    "groenvakken_dichtbij",
    "laad",
    "zoek",
]
