"""The gemeente, its wijken and dorpen, their figures and comparison."""

from app.services.gebieden.gemeente import (
    GebiedRegel,
    boundaries_geojson,
    current_gemeente,
    extent_latlon,
    gemeente_van,
    groenvak_bounds,
    overview,
    search,
)
from app.services.gebieden.groen import (
    GroenTelling,
    groen_per_gebied,
)
from app.services.gebieden.kengetallen import (
    DREMPELS_M,
    alle_kengetallen,
    categorie_bestaat,
    gebied_kengetallen,
    witte_vlekken_geojson,
)
from app.services.gebieden.pagina import (
    GebiedPagina,
    gebied_pagina,
)
from app.services.gebieden.vergelijking import (
    MAAT_LABELS,
    Kolom,
    Waarde,
    csv_tekst,
    kolommen,
    sorteer,
)

__all__ = [
    "DREMPELS_M",
    "GebiedPagina",
    "GebiedRegel",
    "GroenTelling",
    "Kolom",
    "MAAT_LABELS",
    "Waarde",
    "alle_kengetallen",
    "boundaries_geojson",
    "categorie_bestaat",
    "csv_tekst",
    "current_gemeente",
    "extent_latlon",
    "gebied_kengetallen",
    "gebied_pagina",
    "gemeente_van",
    "groen_per_gebied",
    "groenvak_bounds",
    "kolommen",
    "overview",
    "search",
    "sorteer",
    "witte_vlekken_geojson",
]
