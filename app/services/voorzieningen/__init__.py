"""Voorzieningen and categories: map data, fields, writes and proposals."""

from app.services.voorzieningen.categorieen import (
    KLEUR,
    MIN_CONTRAST,
    contrast_waarschuwing,
    verwijderen,
)
from app.services.voorzieningen.categorieen import (
    aanmaken as categorie_aanmaken,
)
from app.services.voorzieningen.categorieen import (
    controleer as categorie_controleer,
)
from app.services.voorzieningen.categorieen import (
    lijst as categorie_lijst,
)
from app.services.voorzieningen.categorieen import (
    ophalen as categorie_ophalen,
)
from app.services.voorzieningen.categorieen import (
    wijzigen as categorie_wijzigen,
)
from app.services.voorzieningen.dubbel import (
    Controle,
    in_de_buurt,
)
from app.services.voorzieningen.kaart import (
    ZOEK_MAX,
    CategorieTelling,
    Filter,
    alle_rijen,
    categorie_tellingen,
    kaart_geojson,
)
from app.services.voorzieningen.kaart import (
    lijst as kaart_lijst,
)
from app.services.voorzieningen.paneel import (
    voorziening_paneel,
)
from app.services.voorzieningen.velden import (
    TEKSTVELDEN,
    Invoer,
    controleer,
)
from app.services.voorzieningen.voorstellen import (
    GEEN_RECHT,
    MAX_TOELICHTING,
    accepteren,
    afwijzen,
    bijwerken,
    indienen,
    mag_bijwerken,
    mijn,
    wachtrij,
)
from app.services.voorzieningen.voorstellen import (
    formulierwaarden as voorstel_formulierwaarden,
)
from app.services.voorzieningen.voorstellen import (
    ophalen as voorstel_ophalen,
)
from app.services.voorzieningen.writes import (
    LIJST_MAX,
    STATUS_LABEL,
    gecontroleerd,
    status_zetten,
)
from app.services.voorzieningen.writes import (
    aanmaken as voorziening_aanmaken,
)
from app.services.voorzieningen.writes import (
    categorieen as voorziening_categorieen,
)
from app.services.voorzieningen.writes import (
    formulierwaarden as voorziening_formulierwaarden,
)
from app.services.voorzieningen.writes import (
    lijst as voorziening_lijst,
)
from app.services.voorzieningen.writes import (
    ophalen as voorziening_ophalen,
)
from app.services.voorzieningen.writes import (
    wijzigen as voorziening_wijzigen,
)

__all__ = [
    "CategorieTelling",
    "Controle",
    "Filter",
    "GEEN_RECHT",
    "Invoer",
    "KLEUR",
    "LIJST_MAX",
    "MAX_TOELICHTING",
    "MIN_CONTRAST",
    "STATUS_LABEL",
    "TEKSTVELDEN",
    "ZOEK_MAX",
    "accepteren",
    "afwijzen",
    "alle_rijen",
    "bijwerken",
    "categorie_aanmaken",
    "categorie_controleer",
    "categorie_lijst",
    "categorie_ophalen",
    "categorie_tellingen",
    "categorie_wijzigen",
    "contrast_waarschuwing",
    "controleer",
    "gecontroleerd",
    "in_de_buurt",
    "indienen",
    "kaart_geojson",
    "kaart_lijst",
    "mag_bijwerken",
    "mijn",
    "status_zetten",
    "verwijderen",
    "voorstel_formulierwaarden",
    "voorstel_ophalen",
    "voorziening_aanmaken",
    "voorziening_categorieen",
    "voorziening_formulierwaarden",
    "voorziening_lijst",
    "voorziening_ophalen",
    "voorziening_paneel",
    "voorziening_wijzigen",
    "wachtrij",
]
