"""Zelfbeheer van groen: adopties, groups, maintenance log, photos, staff dossier."""

from app.services.zelfbeheer.adopties import (
    aanvragen,
    beeindigen,
    beoordelen,
    geschiktheid_zetten,
    intrekken,
)
from app.services.zelfbeheer.dossier import (
    adoptie_dossier,
    groenvak_feiten,
    groenvakken_lijst,
    tellingen,
)
from app.services.zelfbeheer.fotos import (
    PhotoLimits,
    add_photos,
)
from app.services.zelfbeheer.fotos_opslag import (
    EXTENSION,
    NO_PHOTO,
    PhotoStore,
)
from app.services.zelfbeheer.groepen import (
    aansluiten_beslissen,
    aansluiten_vragen,
    trekker_overdragen,
    uitnodigen,
    verlaten,
)
from app.services.zelfbeheer.kern import (
    adoptie_ophalen,
    deelname_ophalen,
    groenvak_ophalen,
    mail,
)
from app.services.zelfbeheer.onderhoud import (
    UITKOMSTEN,
    onderhoud_toevoegen,
    schouw_vastleggen,
)
from app.services.zelfbeheer.overzicht import (
    adopties_per_gebied,
    groenvak_paneel,
    mijn_groen,
)
from app.services.zelfbeheer.uitnodigingen import (
    Plek,
    Uitnodiging,
    aantal,
    nog_nodig,
    plek_van,
    uitnodiging_accepteren,
    uitnodiging_bekijken,
    uitnodiging_weigeren,
)
from app.services.zelfbeheer.wachtrij import (
    WACHTEND,
    Uitkomst,
    WachtrijKaart,
    bulk_beoordelen,
    wachtrij,
    wachtrij_kaart,
)

__all__ = [
    "EXTENSION",
    "NO_PHOTO",
    "PhotoLimits",
    "PhotoStore",
    "Plek",
    "UITKOMSTEN",
    "Uitkomst",
    "Uitnodiging",
    "WACHTEND",
    "WachtrijKaart",
    "aansluiten_beslissen",
    "aantal",
    "aansluiten_vragen",
    "aanvragen",
    "add_photos",
    "adoptie_dossier",
    "adoptie_ophalen",
    "adopties_per_gebied",
    "beeindigen",
    "beoordelen",
    "bulk_beoordelen",
    "deelname_ophalen",
    "geschiktheid_zetten",
    "groenvak_feiten",
    "groenvak_ophalen",
    "groenvakken_lijst",
    "groenvak_paneel",
    "intrekken",
    "mail",
    "mijn_groen",
    "nog_nodig",
    "onderhoud_toevoegen",
    "plek_van",
    "schouw_vastleggen",
    "tellingen",
    "trekker_overdragen",
    "uitnodigen",
    "uitnodiging_accepteren",
    "uitnodiging_bekijken",
    "uitnodiging_weigeren",
    "verlaten",
    "wachtrij",
    "wachtrij_kaart",
]
