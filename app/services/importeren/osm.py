"""An OpenStreetMap extract (.osm.pbf, read with osmium) → straat, adres, pand, water, terrein.

What becomes what is in the tables below (HIGHWAY, WONEN, WATER): a one-line fix. Ways with
highway=* are split at every node they share with another way, so the streets are noded.
OSM does not know BAG gebruiksdoelen: an address gets woonfunctie when it lies in (or is) a
building tagged as a home (WONEN), otherwise 'overige gebruiksfunctie'. OSM has no BAG ids
for addresses: identificatie is made from the OSM id as 9, a type digit (1 node, 2 way,
3 relation) and 14 digits, so it cannot be mistaken for a real one (no gemeente code starts
with 9); a building with ref:bag keeps its BAG id. Only layers the extract has are replaced."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import osmium
import shapely
from sqlalchemy import Connection

from app.progress import silent
from app.services.importeren import geobron
from app.services.importeren.algemeen import MAX_BYTES, Progress, gemeente_code
from app.services.importeren.bestand import open_bron
from app.services.importeren.rapport import ImportFout, ImportRapport

HIGHWAY = {"motorway": "hoofdweg", "trunk": "hoofdweg", "primary": "hoofdweg",
           "secondary": "hoofdweg", "tertiary": "straat", "unclassified": "straat",
           "residential": "straat", "living_street": "erf", "service": "overig",
           "pedestrian": "voetpad", "footway": "voetpad", "path": "voetpad",
           "steps": "voetpad", "cycleway": "fietspad", "track": "landweg"}
NIET_GEBOUWD = ("proposed", "construction", "abandoned", "razed", "platform", "raceway")
WONEN = ("house", "residential", "apartments", "detached", "semidetached_house", "terrace",
         "bungalow")
WATER = {"pond": "vijver", "lake": "plas", "reservoir": "plas", "basin": "vijver",
         "canal": "kanaal", "river": "rivier", "stream": "beek", "ditch": "sloot",
         "drain": "sloot", "moat": "gracht"}
HUISNUMMER = re.compile(r"^(\d{1,5})\s*([A-Za-z])?(?:\s*[-/ ]\s*([A-Za-z0-9]{1,4}))?$")
TYPE = {"n": 1, "w": 2, "r": 3}
WGS84 = "EPSG:4326"
SOORT = {".pbf": "OpenStreetMap (.osm.pbf)"}


@dataclass(frozen=True)
class OsmOpties:
    gemeente: str | None = None


def importeer_osm(conn: Connection, pad: Path, opties: OsmOpties = OsmOpties(),
                  max_bytes: int = MAX_BYTES, progress: Progress = silent,
                  naam: str | None = None) -> ImportRapport:
    """Everything on `conn` in the caller's transaction: on an exception nothing is kept."""
    gemeente = gemeente_code(conn, opties.gemeente)
    with open_bron(pad, max_bytes, naam, SOORT, "Gebruik een OpenStreetMap-extract "
                   "(.osm.pbf).") as bron:
        lezer = _lees(bron.pad, bron.naam)
    rapport = ImportRapport("OpenStreetMap", bron.naam, gelezen=lezer.gelezen)
    with progress("OpenStreetMap importeren", 2) as advance:
        panden = _frame(lezer.panden)
        frames = {"straat": _frame(lezer.straten), "pand": panden,
                  "adres": _adressen(_frame(lezer.adressen), panden, rapport),
                  "water": _frame(lezer.water), "terrein": _frame(lezer.terrein)}
        frames = {k: (geobron.vlakken(f, "extern_id" if "extern_id" in f else "identificatie",
                                      rapport) if k in ("pand", "water", "terrein") else f)
                  for k, f in frames.items() if len(f)}
        if "pand" in frames:
            frames["pand"] = frames["pand"].drop(columns=["building"])
        if not frames:
            raise ImportFout(f"Het bestand {bron.naam} bevat geen wegen, adressen, gebouwen, "
                             "water of parken.")
        advance(1)
        geobron.opslaan(conn, gemeente, frames, rapport)
        advance(1)
    return rapport


@dataclass
class _Lezer:
    gelezen: int = 0
    straten: list[dict[str, object]] | None = None
    adressen: list[dict[str, object]] | None = None
    panden: list[dict[str, object]] | None = None
    water: list[dict[str, object]] | None = None
    terrein: list[dict[str, object]] | None = None


def _lees(pad: Path, naam: str) -> _Lezer:
    lezer = _Lezer(0, [], [], [], [], [])
    assert lezer.adressen is not None and lezer.panden is not None
    assert lezer.water is not None and lezer.terrein is not None
    wegen: list[tuple[int, dict[str, str], list[int], list[tuple[float, float]]]] = []
    wkb = osmium.geom.WKBFactory()
    try:
        for o in osmium.FileProcessor(str(pad)).with_locations().with_areas():
            lezer.gelezen += 1
            tags = {t.k: t.v for t in o.tags} if not isinstance(o, osmium.osm.Changeset) else {}
            if isinstance(o, osmium.osm.Node) and "addr:housenumber" in tags:
                lezer.adressen.append({**_adres(tags, f"n{o.id}"), "building": None,
                                       "geometry": shapely.Point(o.location.lon,
                                                                 o.location.lat)})
            elif (isinstance(o, osmium.osm.Way) and tags.get("highway")
                  and tags["highway"] not in NIET_GEBOUWD):
                nodes = [(n.ref, (n.location.lon, n.location.lat)) for n in o.nodes
                         if n.location.valid()]
                wegen.append((o.id, tags, [r for r, _ in nodes], [c for _, c in nodes]))
            elif isinstance(o, osmium.osm.Area):
                oid = f"{'w' if o.from_way() else 'r'}{o.orig_id()}"
                _vlak(lezer, tags, oid, shapely.from_wkb(wkb.create_multipolygon(o)))
    except RuntimeError as exc:
        raise ImportFout(f"Het bestand {naam} is geen leesbaar OpenStreetMap-extract "
                         f"(.osm.pbf) of is beschadigd: {str(exc).splitlines()[0]}") from exc
    lezer.straten = _splits(wegen)
    return lezer


def _id16(oid: str) -> str:
    return f"9{TYPE[oid[0]]}{int(oid[1:]):014d}"


def _adres(tags: dict[str, str], oid: str) -> dict[str, object]:
    m = HUISNUMMER.match(tags.get("addr:housenumber", "").strip())
    return {"identificatie": _id16(oid), "straatnaam": tags.get("addr:street"),
            "woonplaats": tags.get("addr:city"), "postcode": tags.get("addr:postcode"),
            "huisnummer": int(m.group(1)) if m else None,
            "huisletter": m.group(2) if m else None, "toevoeging": m.group(3) if m else None}


def _vlak(lezer: _Lezer, tags: dict[str, str], oid: str, geom: shapely.Geometry) -> None:
    assert lezer.panden is not None and lezer.adressen is not None
    assert lezer.water is not None and lezer.terrein is not None
    extern = f"osm:{ {'w': 'way', 'r': 'relation'}[oid[0]]}/{oid[1:]}"
    if tags.get("building", "no") != "no":
        ref = tags.get("ref:bag", "")
        identificatie = ref.zfill(16) if ref.isdigit() and len(ref) <= 16 else _id16(oid)
        jaar = tags.get("start_date", "")[:4]
        lezer.panden.append({"identificatie": identificatie, "building": tags["building"],
                             "bouwjaar": int(jaar) if jaar.isdigit() else None,
                             "geometry": geom})
        if "addr:housenumber" in tags:
            lezer.adressen.append({**_adres(tags, oid), "building": tags["building"],
                                   "geometry": shapely.point_on_surface(geom)})
    elif tags.get("natural") == "water":
        lezer.water.append({"extern_id": extern, "naam": tags.get("name"),
                            "soort": WATER.get(tags.get("water", ""), "overig"),
                            "geometry": geom})
    elif tags.get("leisure") == "park":
        lezer.terrein.append({"extern_id": extern, "naam": tags.get("name"), "soort": "park",
                              "geometry": geom})


def _splits(wegen: list[tuple[int, dict[str, str], list[int], list[tuple[float, float]]]]
            ) -> list[dict[str, object]]:
    """Each highway split at the nodes it shares with other ways (or with itself)."""
    gebruik = Counter(r for _, _, refs, _ in wegen for r in refs)
    out: list[dict[str, object]] = []
    for way_id, tags, refs, coords in wegen:
        soort = HIGHWAY.get(tags["highway"].removesuffix("_link"), "overig")
        naam = tags.get("name") or f"{soort.capitalize()} zonder naam"
        start, deel = 0, 1
        for i in range(1, len(refs)):
            if i == len(refs) - 1 or gebruik[refs[i]] > 1:
                if i > start:
                    out.append({"extern_id": f"osm:way/{way_id}/{deel}", "naam": naam,
                                "soort": soort, "woonplaats": tags.get("addr:city"),
                                "geometry": shapely.LineString(coords[start:i + 1])})
                    deel += 1
                start = i
    return out


def _frame(rijen: list[dict[str, object]] | None) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(rijen or [], geometry=[r["geometry"] for r in rijen or []],
                             crs=WGS84)
    return frame.to_crs(geobron.RD).reset_index(drop=True)


def _adressen(f: gpd.GeoDataFrame, panden: gpd.GeoDataFrame, rapport: ImportRapport
              ) -> gpd.GeoDataFrame:
    """Addresses with the building they lie in; skipped when the table would refuse them."""
    if not len(f):
        return f
    if len(panden):
        binnen = gpd.sjoin(f[["geometry"]], panden[["identificatie", "building", "geometry"]],
                           predicate="within", how="left")
        binnen = binnen[~binnen.index.duplicated(keep="first")]
        f["pand"] = binnen["identificatie"]
        f["building"] = f["building"].fillna(binnen["building"])
    else:
        f["pand"] = None
    f["gebruiksdoel"] = ["woonfunctie" if b in WONEN else "overige gebruiksfunctie"
                         for b in f["building"]]
    f["postcode"] = geobron.postcode(f["postcode"])
    for kolom in ("straatnaam", "woonplaats"):
        f[kolom] = geobron.tekst(f[kolom])
    for fout, reden in [(f["huisnummer"].isna(), "huisnummer is niet te lezen"),
                        (f["postcode"].isna(), "postcode ontbreekt of is ongeldig"),
                        (f["straatnaam"].isna() | f["woonplaats"].isna(),
                         "addr:street of addr:city ontbreekt")]:
        f = geobron.overslaan(f, fout.reindex(f.index, fill_value=False), "identificatie",
                              reden, rapport)
    f["huisnummer"] = f["huisnummer"].astype(int)
    f = geobron.dubbel(f, ["postcode", "huisnummer", "huisletter", "toevoeging"],
                       "identificatie", "dit adres staat er al", rapport)
    return f.drop(columns=["building"])
