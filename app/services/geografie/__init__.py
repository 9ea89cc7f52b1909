"""The geography of daily life: addresses, streets, buildings, water and land use."""

from app.services.geografie.laden import LAGEN, Laag, heeft_straten, laad
from app.services.geografie.plaatsnamen import (
    Adres,
    adres_bij_groenvak,
    adres_bij_punt,
    adres_bij_voorziening,
    plaats_groenvakken,
)
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
    "Adres",
    "GroenvakDichtbij",
    "Laag",
    "Zoekresultaat",
    "adres_bij_groenvak",
    "adres_bij_punt",
    "adres_bij_voorziening",
    "adres_punt",
    "groenvakken_dichtbij",
    "heeft_straten",
    "laad",
    "plaats_groenvakken",
    "zoek",
]
