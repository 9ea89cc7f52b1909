"""The published layers: what each OGC API collection and vector-tile layer shows, as SQL.

One registry serves the items, the queryables, CQL2 filters and the tiles, so a property is
public in exactly one place. Residents' names and e-mail are in none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Prop:
    """A public property: its SQL expression (over the aliases in FROM) and JSON Schema type."""

    sql: str
    type: str  # JSON Schema: string, integer, number, boolean
    title: str
    format: str | None = None  # e.g. date-time, date, uri
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Collection:
    """One layer: `t` is the main table's alias; t.id is the featureId; t.geometrie RD New."""

    id: str
    title: str
    description: str
    geometry_type: str  # GeoJSON type of the stored geometry
    from_sql: str
    where_sql: str
    props: dict[str, Prop]
    laag: str  # the laag_versie row whose version moves when this layer changes
    temporal: str | None = None  # property name used for `datetime`
    filters: tuple[str, ...] = ()  # simple property filters offered as query parameters
    writable: bool = False
    tile_props: tuple[str, ...] = field(default=())  # properties carried in vector tiles
    base_sql: str = ""  # the main table alone (`<table> t`): paging and counting without joins
    tiles: bool = True  # offered as vector tiles (needs t.geometrie_3857 and one laag version)


GEBIED_PROPS = {
    "code": Prop("t.code", "string", "CBS-code"),
    "naam": Prop("t.naam", "string", "Naam"),
    "inwoners": Prop("t.inwoners", "integer", "Aantal inwoners"),
    "oppervlakte_m2": Prop("round(t.oppervlakte_m2::numeric, 1)", "number",
                           "Oppervlakte in m² (RD New)"),
    "gemeente": Prop("t.gemeente_code", "string", "CBS-code van de gemeente"),
}

GEBIED_FROM = "gebied t LEFT JOIN gebied p ON p.id = t.parent_id"


def _gebieden(soort: str, title: str, description: str) -> Collection:
    props = dict(GEBIED_PROPS)
    if soort == "buurt":
        props["wijk"] = Prop("p.code", "string", "CBS-code van de wijk of het dorp")
    return Collection(
        id=f"{soort}en", title=title, description=description, geometry_type="MultiPolygon",
        from_sql=GEBIED_FROM, base_sql="gebied t", where_sql=f"t.soort = '{soort}'", props=props,
        laag="gebieden",
        filters=("gemeente", "code", *(("wijk",) if soort == "buurt" else ())),
        tile_props=("code", "naam"))


VOORZIENING_STATUS = ("voorgesteld", "gepubliceerd", "afgewezen", "gearchiveerd")
GROENVAK_SOORTEN = ("gras", "heesters", "bloemenperk", "boomspiegel", "haag", "bosplantsoen",
                    "moestuin", "overig")
GROENVAK_STATUS = ("beschikbaar", "aangevraagd", "in_zelfbeheer", "niet_beschikbaar")

# Where a voorziening or groenvak lies (set by the database's spatial join) and when it changed.
PLACE_JOINS = "LEFT JOIN gebied w ON w.id = t.wijk_id LEFT JOIN gebied b ON b.id = t.buurt_id"
PLACE_PROPS = {
    "wijk": Prop("w.code", "string", "CBS-code van de wijk of het dorp"),
    "buurt": Prop("b.code", "string", "CBS-code van de buurt"),
    "gemeente": Prop("t.gemeente_code", "string", "CBS-code van de gemeente"),
    "gewijzigd_op": Prop("t.gewijzigd_op", "string", "Laatst gewijzigd", format="date-time"),
}

VOORZIENINGEN = Collection(
    id="voorzieningen", title="Voorzieningen",
    description="Voorzieningen en maatschappelijke initiatieven (gepubliceerd).",
    geometry_type="Point",
    from_sql=f"voorziening t JOIN categorie c ON c.id = t.categorie_id {PLACE_JOINS}",
    base_sql="voorziening t",
    where_sql="t.status = 'gepubliceerd'",
    props={
        "naam": Prop("t.naam", "string", "Naam"),
        "categorie": Prop("c.code", "string", "Categorie (code)"),
        "categorie_naam": Prop("c.naam", "string", "Categorie"),
        "initiatief": Prop("c.is_initiatief", "boolean", "Maatschappelijk initiatief"),
        "omschrijving": Prop("t.omschrijving", "string", "Omschrijving"),
        "adres": Prop("t.adres", "string", "Adres"),
        "postcode": Prop("t.postcode", "string", "Postcode"),
        "plaats": Prop("t.plaats", "string", "Plaats"),
        "telefoon": Prop("t.telefoon", "string", "Telefoon"),
        "email": Prop("t.email", "string", "E-mail van de voorziening", format="email"),
        "website": Prop("t.website", "string", "Website", format="uri"),
        "openingstijden": Prop("t.openingstijden", "string", "Openingstijden"),
        "bron": Prop("t.bron", "string", "Bron"),
        "laatst_gecontroleerd": Prop("t.laatst_gecontroleerd", "string", "Laatst gecontroleerd",
                                     format="date"),
        **PLACE_PROPS,
    },
    laag="voorzieningen", temporal="gewijzigd_op",
    filters=("gemeente", "categorie", "wijk", "buurt"), writable=True,
    tile_props=("naam", "categorie"))

GROENVAKKEN = Collection(
    id="groenvakken", title="Groenvakken",
    description="Openbaar groen met de status van zelfbeheer. Persoonsgegevens staan er nooit "
                "in; de groepsnaam alleen als de groep daarvoor koos.",
    geometry_type="MultiPolygon",
    # the open adoptie (at most one, by the partial unique index) gives status and group name
    from_sql="groenvak t LEFT JOIN adoptie a ON a.groenvak_id = t.id "
             f"AND a.status IN ('concept', 'aangevraagd', 'actief') {PLACE_JOINS}",
    base_sql="groenvak t",
    where_sql="t.vervallen_op IS NULL",
    props={
        "extern_id": Prop("t.extern_id", "string", "Id in het beheersysteem"),
        "naam": Prop("t.naam", "string", "Naam"),
        "plaatsnaam": Prop("t.plaatsnaam", "string",
                           "Naam naar de plek (straat en huisnummers ernaast), uniek per gemeente"),
        "soort": Prop("t.soort", "string", "Soort groen", enum=GROENVAK_SOORTEN),
        "oppervlakte_m2": Prop("round(t.oppervlakte_m2::numeric, 1)", "number",
                               "Oppervlakte in m² (RD New)"),
        "zelfbeheer_mogelijk": Prop("t.zelfbeheer_mogelijk", "boolean",
                                    "Geschikt voor zelfbeheer"),
        "status": Prop("kaart_groenvak_status(t.zelfbeheer_mogelijk, t.vervallen_op, a.status)",
                       "string", "Status zelfbeheer", enum=GROENVAK_STATUS),
        "groepsnaam": Prop("CASE WHEN a.groepsnaam_openbaar THEN a.groepsnaam END", "string",
                           "Groepsnaam (indien openbaar)"),
        **PLACE_PROPS,
    },
    laag="groenvakken", temporal="gewijzigd_op",
    filters=("gemeente", "soort", "status", "wijk", "buurt"), writable=True,
    tile_props=("soort", "status"))

STRAAT_SOORTEN = ("hoofdweg", "laan", "straat", "landweg", "erf", "fietspad", "voetpad",
                  "overig")
WATER_SOORTEN = ("singel", "gracht", "vaart", "kanaal", "sloot", "vijver", "plas", "beek",
                 "rivier", "overig")
TERREIN_SOORTEN = ("park", "sport", "agrarisch", "begraafplaats", "volkstuin", "bos", "plein",
                   "speelterrein", "bedrijventerrein", "overig")
AREA = Prop("round(t.oppervlakte_m2::numeric, 1)", "number", "Oppervlakte in m² (RD New)")

# Addresses are public BAG data: no person lives in this table, only numbers and streets.
ADRESSEN = Collection(
    id="adressen", title="Adressen",
    description="Adressen zoals in de BAG: straat, huisnummer, postcode en woonplaats, met het "
                "gebruiksdoel. Openbare gegevens; er staan geen personen in.",
    geometry_type="Point", from_sql=f"adres t {PLACE_JOINS}", base_sql="adres t",
    where_sql="true",
    props={
        "identificatie": Prop("t.identificatie", "string", "Identificatie (nummeraanduiding)"),
        "straatnaam": Prop("t.straatnaam", "string", "Straat"),
        "huisnummer": Prop("t.huisnummer", "integer", "Huisnummer"),
        "huisletter": Prop("t.huisletter", "string", "Huisletter"),
        "toevoeging": Prop("t.toevoeging", "string", "Huisnummertoevoeging"),
        "postcode": Prop("t.postcode", "string", "Postcode"),
        "woonplaats": Prop("t.woonplaats", "string", "Woonplaats"),
        "gebruiksdoel": Prop("array_to_string(t.gebruiksdoel, ',')", "string",
                             "Gebruiksdoel (BAG); meer dan één gescheiden door komma's"),
        "woonfunctie": Prop("t.woonfunctie", "boolean", "Woning"),
        "pand": Prop("t.pand_identificatie", "string", "Identificatie van het pand"),
        **PLACE_PROPS,
    },
    laag="adressen", temporal="gewijzigd_op",
    filters=("gemeente", "postcode", "huisnummer", "woonplaats", "wijk", "buurt"),
    tile_props=("huisnummer", "postcode"))

STRATEN = Collection(
    id="straten", title="Straten en paden",
    description="Wegen, straten, fietspaden en voetpaden als lijnen. Lijnen raken elkaar alleen "
                "in hun eindpunten: elke kruising is een knoop, zodat het netwerk routeerbaar is.",
    geometry_type="LineString", from_sql=f"straat t {PLACE_JOINS}", base_sql="straat t",
    where_sql="true",
    props={
        "extern_id": Prop("t.extern_id", "string", "Id in de bronregistratie"),
        "naam": Prop("t.naam", "string", "Naam"),
        "soort": Prop("t.soort", "string", "Soort weg of pad", enum=STRAAT_SOORTEN),
        "woonplaats": Prop("t.woonplaats", "string", "Woonplaats"),
        "lengte_m": Prop("round(t.lengte_m::numeric, 1)", "number", "Lengte in m (RD New)"),
        **PLACE_PROPS,
    },
    laag="straten", temporal="gewijzigd_op",
    filters=("gemeente", "naam", "soort", "woonplaats", "wijk", "buurt"),
    tile_props=("naam", "soort"))


def _vlakken(id_: str, title: str, description: str, table: str, laag: str,
             props: dict[str, Prop], filters: tuple[str, ...],
             tile_props: tuple[str, ...]) -> Collection:
    """A read-only polygon layer of the geography (panden, water, terrein)."""
    return Collection(
        id=id_, title=title, description=description, geometry_type="MultiPolygon",
        from_sql=f"{table} t {PLACE_JOINS}", base_sql=f"{table} t", where_sql="true",
        props={**props, "oppervlakte_m2": AREA, **PLACE_PROPS}, laag=laag,
        temporal="gewijzigd_op", filters=("gemeente", *filters, "wijk", "buurt"),
        tile_props=tile_props)


PANDEN = _vlakken(
    "panden", "Panden", "Gebouwen (zoals in de BAG) met hun bouwjaar.", "pand", "panden",
    {"identificatie": Prop("t.identificatie", "string", "Identificatie (pand)"),
     "bouwjaar": Prop("t.bouwjaar", "integer", "Bouwjaar")}, ("bouwjaar",), ("bouwjaar",))
WATER = _vlakken(
    "water", "Water", "Singels, vaarten, sloten en vijvers.", "water", "water",
    {"extern_id": Prop("t.extern_id", "string", "Id in de bronregistratie"),
     "naam": Prop("t.naam", "string", "Naam"),
     "soort": Prop("t.soort", "string", "Soort water", enum=WATER_SOORTEN)},
    ("soort",), ("naam", "soort"))
TERREIN = _vlakken(
    "terrein", "Terreinen", "Grondgebruik: parken, sportvelden, landbouwgrond, "
    "begraafplaatsen en volkstuinen.", "terrein", "terrein",
    {"extern_id": Prop("t.extern_id", "string", "Id in de bronregistratie"),
     "naam": Prop("t.naam", "string", "Naam"),
     "soort": Prop("t.soort", "string", "Soort terrein", enum=TERREIN_SOORTEN)},
    ("soort",), ("soort",))

AFSTAND_GEMETEN = ("over de weg", "hemelsbreed")


def _aandeel(column: str, title: str) -> Prop:
    return Prop(f"t.{column}", "number", f"{title} (aandeel 0..1; leeg bij hemelsbreed)")


# Figures per wijk or dorp and category from the cached kengetallen (the view `nabijheid`,
# migration 0012). The API brings that cache up to date before it reads this layer
# (app/api/ogc/freshness.py). No tiles: the figures follow several layers' versions.
NABIJHEID = Collection(
    id="nabijheid", title="Nabijheid per wijk en dorp",
    description="Per wijk of dorp en per categorie: hoe ver de woonadressen van de "
                "dichtstbijzijnde voorziening liggen, over de weg (lopend) of, als de gemeente "
                "geen stratennet heeft, hemelsbreed. Cijfers, geen personen.",
    geometry_type="MultiPolygon", from_sql="nabijheid t", base_sql="nabijheid t",
    where_sql="true",
    props={
        "wijk": Prop("t.wijk", "string", "CBS-code van de wijk of het dorp"),
        "wijk_naam": Prop("t.wijk_naam", "string", "Naam van de wijk of het dorp"),
        "categorie": Prop("t.categorie", "string", "Categorie (code)"),
        "categorie_naam": Prop("t.categorie_naam", "string", "Categorie"),
        "afstand_gemeten": Prop("t.afstand_gemeten", "string",
                                "Hoe de afstand is gemeten", enum=AFSTAND_GEMETEN),
        "gemiddelde_afstand_m": Prop("t.gemiddelde_afstand_m", "number",
                                     "Gemiddelde afstand tot de dichtstbijzijnde (m)"),
        "grootste_afstand_m": Prop("t.grootste_afstand_m", "number",
                                   "Grootste afstand tot de dichtstbijzijnde (m)"),
        "binnen_5_min": _aandeel("binnen_5_min", "Woonadressen binnen 5 minuten lopen"),
        "binnen_10_min": _aandeel("binnen_10_min", "Woonadressen binnen 10 minuten lopen"),
        "binnen_15_min": _aandeel("binnen_15_min", "Woonadressen binnen 15 minuten lopen"),
        "niet_bereikbaar": Prop("t.niet_bereikbaar", "integer",
                                "Woonadressen zonder weg naar een voorziening van deze "
                                "categorie (leeg bij hemelsbreed)"),
        "woonadressen": Prop("t.woonadressen", "integer",
                             "Woonadressen in het gebied (leeg bij hemelsbreed)"),
        "groen_300m": _aandeel("groen_300m", "Woonadressen binnen 300 m lopen van groen van "
                                             "minstens 0,5 ha"),
        "gemeente": Prop("t.gemeente_code", "string", "CBS-code van de gemeente"),
    },
    laag="voorzieningen", filters=("gemeente", "wijk", "categorie"), tiles=False)

COLLECTIONS: dict[str, Collection] = {c.id: c for c in [
    _gebieden("wijk", "Wijken", "Wijken volgens de CBS-indeling."),
    _gebieden("dorp", "Dorpen", "Dorpen (kernen) met hun buitengebied; in CBS-termen wijken."),
    _gebieden("buurt", "Buurten", "Buurten; elke buurt hoort bij één wijk of dorp."),
    VOORZIENINGEN,
    GROENVAKKEN,
    ADRESSEN,
    STRATEN,
    PANDEN,
    WATER,
    TERREIN,
    NABIJHEID,
]}
