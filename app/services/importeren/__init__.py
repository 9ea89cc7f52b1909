"""File imports: gebieden (CBS Wijk- en buurtkaart), groenvakken and voorzieningen.

Each import reads the file with pyogrio, COPYs it into a staging table and does the geometry
work (transform, NL extent, validity) and the upsert set-based in PostGIS, all on the caller's
connection and transaction: when anything fails, nothing is kept. `taken` runs them as jobs,
guarded, and as a proef (rolled back).
"""

from app.services.importeren.algemeen import (
    MAX_BYTES,
    Progress,
)
from app.services.importeren.bag import (
    BagOpties,
    importeer_bag,
)
from app.services.importeren.bestand import (
    mb,
    open_bron,
    werkmap,
)
from app.services.importeren.bgt import (
    BgtOpties,
    importeer_bgt,
)
from app.services.importeren.gebieden import (
    GebiedOpties,
    importeer_gebieden,
)
from app.services.importeren.groenvakken import (
    GroenvakOpties,
    importeer_groenvakken,
)
from app.services.importeren.loading import (
    upsert_bebouwde_kom,
    upsert_categorieen,
    upsert_gebieden,
    upsert_groenvakken,
    upsert_voorzieningen,
)
from app.services.importeren.nwb import (
    NwbOpties,
    importeer_nwb,
)
from app.services.importeren.osm import (
    OsmOpties,
    importeer_osm,
)
from app.services.importeren.rapport import (
    Geraakt,
    ImportFout,
    ImportRapport,
    Regel,
)
from app.services.importeren.taken import (
    KIND,
    ImportTaak,
    bevestig,
    controleer_bestand,
    lees,
    start,
    uitvoeren,
    voortgang,
)
from app.services.importeren.vervallen import (
    Bereik,
    lees_bereik,
)
from app.services.importeren.voorzieningen import (
    VoorzieningOpties,
    importeer_voorzieningen,
)

__all__ = [
    "BagOpties",
    "Bereik",
    "BgtOpties",
    "GebiedOpties",
    "Geraakt",
    "GroenvakOpties",
    "ImportFout",
    "ImportRapport",
    "ImportTaak",
    "KIND",
    "MAX_BYTES",
    "NwbOpties",
    "OsmOpties",
    "Progress",
    "Regel",
    "VoorzieningOpties",
    "bevestig",
    "controleer_bestand",
    "importeer_bag",
    "importeer_bgt",
    "importeer_gebieden",
    "importeer_groenvakken",
    "importeer_nwb",
    "importeer_osm",
    "importeer_voorzieningen",
    "lees",
    "lees_bereik",
    "mb",
    "open_bron",
    "start",
    "uitvoeren",
    "upsert_bebouwde_kom",
    "upsert_categorieen",
    "upsert_gebieden",
    "upsert_groenvakken",
    "upsert_voorzieningen",
    "voortgang",
    "werkmap",
]
