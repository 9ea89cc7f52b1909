"""The layers staff can export: the OGC API's public properties plus the adopties.

Gebieden, voorzieningen and groenvakken take their properties from app.geo.collections, so a
property is public in exactly one place; the adopties layer (not in the OGC API) is defined
here, with the group's name only when it chose to show it and never a resident's name or e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.geo.collections import COLLECTIONS, GROENVAK_SOORTEN, GROENVAK_STATUS, PLACE_PROPS, Prop
from app.workflow import STATUSSEN


@dataclass(frozen=True)
class ExportLayer:
    """One exported layer: SQL over the aliases in `from_sql`, one row per feature."""

    name: str
    title: str
    geometry_type: str  # MultiPolygon or Point, as stored (RD New)
    from_sql: str
    where_sql: str
    geometry_sql: str
    props: dict[str, Prop]  # `id` first: the featureId of the OGC API
    wijk_sql: str  # the `wijk` filter (psycopg parameter %(wijk)s): where it lies
    status_sql: str | None = None  # compared with the `statussen` filter, if any
    statuses: tuple[str, ...] = ()
    status_uitleg: tuple[tuple[str, str], ...] = ()  # value -> meaning, for the README


ID = Prop("t.id", "integer", "Id (hetzelfde als in de API)")

_BUURTEN = COLLECTIONS["buurten"]
GEBIEDEN = ExportLayer(
    name="gebieden", title="Wijken, dorpen en buurten", geometry_type="MultiPolygon",
    from_sql=_BUURTEN.from_sql, where_sql="t.soort IN ('wijk', 'dorp', 'buurt')",
    geometry_sql="t.geometrie",
    props={"id": ID,
           "soort": Prop("t.soort", "string", "Soort gebied: wijk, dorp of buurt",
                         enum=("wijk", "dorp", "buurt")),
           **_BUURTEN.props},
    wijk_sql="(t.code = %(wijk)s AND t.soort IN ('wijk', 'dorp') OR p.code = %(wijk)s)")

_VOORZIENINGEN = COLLECTIONS["voorzieningen"]
VOORZIENINGEN = ExportLayer(
    name="voorzieningen", title=_VOORZIENINGEN.title, geometry_type="Point",
    from_sql=_VOORZIENINGEN.from_sql, where_sql=_VOORZIENINGEN.where_sql,
    geometry_sql="t.geometrie", props={"id": ID, **_VOORZIENINGEN.props},
    wijk_sql="w.code = %(wijk)s")

_GROENVAKKEN = COLLECTIONS["groenvakken"]
GROENVAKKEN = ExportLayer(
    name="groenvakken", title=_GROENVAKKEN.title, geometry_type="MultiPolygon",
    from_sql=_GROENVAKKEN.from_sql, where_sql=_GROENVAKKEN.where_sql,
    geometry_sql="t.geometrie", props={"id": ID, **_GROENVAKKEN.props},
    wijk_sql="w.code = %(wijk)s",
    status_sql=_GROENVAKKEN.props["status"].sql, statuses=GROENVAK_STATUS,
    status_uitleg=(
        ("beschikbaar", "geschikt voor zelfbeheer en nog door niemand aangevraagd"),
        ("aangevraagd", "een groep heeft zelfbeheer aangevraagd (of verzamelt nog huishoudens)"),
        ("in_zelfbeheer", "bewoners onderhouden het groenvak onder een overeenkomst"),
        ("niet_beschikbaar", "niet geschikt voor zelfbeheer"),
    ))

ADOPTIE_STATUS_UITLEG = (
    ("concept", "de groep verzamelt nog huishoudens"),
    ("aangevraagd", "wacht op een besluit van de gemeente"),
    ("actief", "de overeenkomst loopt"),
    ("afgewezen", "de gemeente heeft de aanvraag afgewezen"),
    ("ingetrokken", "de groep heeft de aanvraag ingetrokken"),
    ("beeindigd", "de overeenkomst is beëindigd"),
)

# The adoptie with its groenvak's outline and place; the group appears as a count of its
# active members, and by name only when it chose so. No table with people is joined.
ADOPTIES = ExportLayer(
    name="adopties", title="Adopties (zelfbeheer)", geometry_type="MultiPolygon",
    from_sql="adoptie t JOIN groenvak g ON g.id = t.groenvak_id "
             "LEFT JOIN gebied w ON w.id = g.wijk_id LEFT JOIN gebied b ON b.id = g.buurt_id",
    where_sql="true", geometry_sql="g.geometrie",
    props={
        "id": Prop("t.id", "integer", "Id van de adoptie"),
        "groenvak_id": Prop("g.id", "integer", "Id van het groenvak (zoals in de API)"),
        "groenvak_extern_id": Prop("g.extern_id", "string",
                                   "Id van het groenvak in het beheersysteem"),
        "soort": Prop("g.soort", "string", "Soort groen", enum=GROENVAK_SOORTEN),
        "oppervlakte_m2": Prop("round(g.oppervlakte_m2::numeric, 1)", "number",
                               "Oppervlakte van het groenvak in m² (RD New)"),
        "status": Prop("t.status", "string", "Status van de adoptie", enum=STATUSSEN),
        "startdatum": Prop("t.startdatum", "string", "Begin van de overeenkomst", format="date"),
        "einddatum": Prop("t.einddatum", "string", "Einde van de overeenkomst", format="date"),
        "groepsnaam": Prop("CASE WHEN t.groepsnaam_openbaar THEN t.groepsnaam END", "string",
                           "Groepsnaam (indien openbaar)"),
        "aantal_deelnemers": Prop(
            "(SELECT count(*) FROM deelname d WHERE d.adoptie_id = t.id "
            "AND d.status = 'actief')", "integer", "Aantal actieve deelnemers (huishoudens)"),
        **PLACE_PROPS,
    },
    wijk_sql="w.code = %(wijk)s", status_sql="t.status", statuses=STATUSSEN,
    status_uitleg=ADOPTIE_STATUS_UITLEG)

LAYERS: dict[str, ExportLayer] = {layer.name: layer for layer in
                                  (GEBIEDEN, VOORZIENINGEN, GROENVAKKEN, ADOPTIES)}
ALLES = "alles"  # every layer, in one GeoPackage
