"""The geography of daily life: addresses, streets, buildings, water and land use."""

from app.services.geografie.laden import LAGEN, Laag, laad
from app.services.geografie.plaatsnamen import (
    Adres,
    adres_bij_groenvak,
    adres_bij_punt,
    adres_bij_voorziening,
    plaats_groenvakken,
)

__all__ = ["LAGEN", "Adres", "Laag", "adres_bij_groenvak", "adres_bij_punt",
           "adres_bij_voorziening", "laad", "plaats_groenvakken"]
