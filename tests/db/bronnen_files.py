"""Files in the layout of the real sources, made in the test: a BAG GeoPackage (PDOK), an NWB
Wegvakken Shapefile and an OpenStreetMap extract (.osm.pbf)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import osmium
from shapely.geometry import LineString, MultiPolygon, Point, box

RD = "EPSG:28992"
X, Y = 232_000.0, 476_000.0  # inside the demo gemeente GM9901
IN_GEBRUIK = "Verblijfsobject in gebruik"


def vbo(i: int, **anders: object) -> dict[str, object]:
    rij: dict[str, object] = {
        "identificatie": f"99010100000{i:05d}", "status": IN_GEBRUIK,
        "gebruiksdoel": "woonfunctie", "oppervlakte": 80 + i,
        "openbare_ruimte_naam": "Dorpsstraat", "huisnummer": i, "huisletter": None,
        "toevoeging": None, "postcode": "9901AB", "woonplaats_naam": "Testdorp",
        "pand_identificatie": f"99011000000{i:05d}", "geometry": Point(X + 10 * i, Y)}
    rij.update(anders)
    return rij


def bag_gpkg(folder: Path, crs: str = RD, zonder: str | None = None,
             pand_als_punt: bool = False) -> Path:
    """5 verblijfsobjecten: 3 in gebruik (one also a shop, one with 'niet ingemeten'), one
    'Verblijfsobject gevormd' and one 'ingetrokken'; 3 panden, one 'Pand gesloopt'."""
    rijen = [vbo(1), vbo(2, gebruiksdoel="woonfunctie,winkelfunctie", huisletter="a"),
             vbo(3, status="Verblijfsobject in gebruik (niet ingemeten)", postcode="9901 ab"),
             vbo(4, status="Verblijfsobject gevormd"),
             vbo(5, status="Verblijfsobject ingetrokken")]
    panden = [{"identificatie": f"99011000000{i:05d}", "bouwjaar": 1930 + i,
               "status": "Pand gesloopt" if i == 3 else "Pand in gebruik",
               "geometry": MultiPolygon([box(X + 10 * i - 4, Y - 4, X + 10 * i + 4, Y + 4)])}
              for i in (1, 2, 3)]
    vbo_frame = gpd.GeoDataFrame(rijen, crs=RD).to_crs(crs)
    pand_frame = gpd.GeoDataFrame(panden, crs=RD).to_crs(crs)
    if zonder:
        vbo_frame = vbo_frame.drop(columns=[zonder])
    if pand_als_punt:
        pand_frame = pand_frame.set_geometry(pand_frame.centroid)
    path = folder / "bag-light.gpkg"
    vbo_frame.to_file(path, layer="verblijfsobject", engine="pyogrio")
    pand_frame.to_file(path, layer="pand", engine="pyogrio")
    return path


def wegvak(wvk: int, beg: int, end: int, punten: list[tuple[float, float]], naam: str | None,
           sub: str = "HR", beheer: str = "G", gme: int = 9901) -> dict[str, object]:
    return {"WVK_ID": wvk, "JTE_ID_BEG": beg, "JTE_ID_END": end, "STT_NAAM": naam,
            "WPSNAAM": "TESTDORP", "GME_ID": gme, "WEGBEHSRT": beheer, "BAANSUBSRT": sub,
            "geometry": LineString([(X + a, Y + b) for a, b in punten])}


def nwb_shp(folder: Path, crs: str = RD, zonder: str | None = None) -> Path:
    """Four road segments around junctions 10, 20, 30 whose ends are a few cm apart (as
    digitised), one cycle path, and one segment of another gemeente."""
    rijen = [wegvak(1, 10, 20, [(0, 0), (100, 0)], "Dorpsstraat"),
             wegvak(2, 20, 30, [(100.03, 0.02), (100, 100)], "Kerkweg", beheer="P"),
             wegvak(3, 20, 40, [(99.98, -0.04), (200, 0)], None, sub="FP"),
             wegvak(4, 30, 10, [(100.02, 99.97), (0, 100), (0.01, 0.03)], "Brink", sub="VP"),
             wegvak(5, 50, 60, [(900, 900), (950, 900)], "Elders", gme=1234)]
    path = folder / "Wegvakken.shp"
    frame = gpd.GeoDataFrame(rijen, crs=RD).to_crs(crs)
    frame.drop(columns=[zonder] if zonder else []).to_file(path, engine="pyogrio")
    return path


def osm_pbf(folder: Path) -> Path:
    """A village in WGS84: two streets that cross at a shared node (so 4 segments), a named
    footway, a house with an address, a shop node with an address, a pond and a park."""
    path = folder / "dorp.osm.pbf"
    lon, lat = 6.90, 53.27
    d = 0.001
    nodes = {1: (lon, lat), 2: (lon + d, lat), 3: (lon + 2 * d, lat), 4: (lon + d, lat - d),
             5: (lon + d, lat + d), 6: (lon + 3 * d, lat)}
    kader = {100: (lon, lat + 2 * d), 101: (lon + 0.0002, lat + 2 * d),
             102: (lon + 0.0002, lat + 2 * d + 0.0002), 103: (lon, lat + 2 * d + 0.0002),
             110: (lon + 2 * d, lat + 2 * d), 111: (lon + 3 * d, lat + 2 * d),
             112: (lon + 3 * d, lat + 3 * d), 113: (lon + 2 * d, lat + 3 * d),
             120: (lon - 2 * d, lat - 2 * d), 121: (lon - d, lat - 2 * d),
             122: (lon - d, lat - d), 123: (lon - 2 * d, lat - d)}
    with osmium.SimpleWriter(str(path)) as w:
        for i, loc in {**nodes, **kader}.items():
            w.add_node(osmium.osm.mutable.Node(id=i, location=loc, tags={}))
        w.add_node(osmium.osm.mutable.Node(id=200, location=(lon + 0.0005, lat + 0.0005), tags={
            "shop": "bakery", "addr:street": "Dorpsstraat", "addr:housenumber": "7b",
            "addr:postcode": "9901 AC", "addr:city": "Testdorp"}))
        w.add_way(osmium.osm.mutable.Way(id=1000, nodes=[1, 2, 3], tags={
            "highway": "residential", "name": "Dorpsstraat"}))
        w.add_way(osmium.osm.mutable.Way(id=1001, nodes=[4, 2, 5], tags={
            "highway": "primary", "name": "Hoofdweg"}))
        w.add_way(osmium.osm.mutable.Way(id=1002, nodes=[3, 6], tags={"highway": "footway"}))
        w.add_way(osmium.osm.mutable.Way(id=1003, nodes=[100, 101, 102, 103, 100], tags={
            "building": "house", "addr:street": "Dorpsstraat", "addr:housenumber": "3",
            "addr:postcode": "9901AC", "addr:city": "Testdorp", "ref:bag": "9901100000000042"}))
        w.add_way(osmium.osm.mutable.Way(id=1004, nodes=[110, 111, 112, 113, 110], tags={
            "natural": "water", "water": "pond", "name": "Dorpsvijver"}))
        w.add_way(osmium.osm.mutable.Way(id=1005, nodes=[120, 121, 122, 123, 120], tags={
            "leisure": "park", "name": "Dorpspark"}))
    return path


def bgt_gpkg(folder: Path, zonder: str | None = None) -> Path:
    """A BGT download (GeoPackage) of begroeidterreindeel: five current objects and one that
    ended (eindRegistratie filled)."""
    woorden = [("gras- en kruidachtigen", None), ("groenvoorziening", "heesters"),
               ("groenvoorziening", None), ("struiken", "waardeOnbekend"),
               ("bosplantsoen", None), ("gras- en kruidachtigen", None)]
    rijen = [{"lokaalID": f"G0000.bgt{i}", "fysiekVoorkomen": f,
              "plus-fysiekVoorkomen": p,
              "eindRegistratie": "2020-01-01T00:00:00" if i == 5 else None,
              "geometry": box(X + 300 + 20 * i, Y + 300, X + 310 + 20 * i, Y + 310)}
             for i, (f, p) in enumerate(woorden)]
    frame = gpd.GeoDataFrame(rijen, crs=RD)
    path = folder / "bgt_begroeidterreindeel.gpkg"
    frame.drop(columns=[zonder] if zonder else []).to_file(
        path, layer="begroeidterreindeel", engine="pyogrio")
    return path


BGT_GML_KOP = """<?xml version="1.0" encoding="UTF-8"?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/"
 xmlns:gml="http://www.opengis.net/gml/3.2">
"""
BGT_GML_OBJECT = """<ogr:featureMember><ogr:begroeidterreindeel gml:id="b{i}">
<ogr:geometrie><gml:Surface srsName="urn:ogc:def:crs:EPSG::28992"><gml:patches>
<gml:PolygonPatch><gml:exterior><gml:Ring><gml:curveMember><gml:Curve><gml:segments>
<gml:LineStringSegment><gml:posList>{x0} {y0} {x1} {y0} {x1} {y1}</gml:posList>
</gml:LineStringSegment><gml:Arc><gml:posList>{x1} {y1} {xm} {ym} {x0} {y1}</gml:posList>
</gml:Arc><gml:LineStringSegment><gml:posList>{x0} {y1} {x0} {y0}</gml:posList>
</gml:LineStringSegment></gml:segments></gml:Curve></gml:curveMember></gml:Ring></gml:exterior>
</gml:PolygonPatch></gml:patches></gml:Surface></ogr:geometrie>
<ogr:identificatie><ogr:NEN3610ID><ogr:namespace>NL.IMGeo</ogr:namespace>
<ogr:lokaalID>G0000.gml{i}</ogr:lokaalID></ogr:NEN3610ID></ogr:identificatie>
{eind}<ogr:bgt-fysiekVoorkomen>{fysiek}</ogr:bgt-fysiekVoorkomen>
<ogr:plus-fysiekVoorkomen>{plus}</ogr:plus-fysiekVoorkomen>
</ogr:begroeidterreindeel></ogr:featureMember>
"""


def bgt_gml(folder: Path) -> Path:
    """A BGT as GML: nested lokaalID, bgt-/plus-fysiekVoorkomen, a surface with an arc (GDAL
    strokes it); the third object has ended. (The wrapper is GDAL's own FeatureCollection,
    not PDOK's CityGML one.)"""
    objecten = [("gras- en kruidachtigen", "waardeOnbekend", ""),
                ("groenvoorziening", "bosplantsoen", ""),
                ("struiken", "waardeOnbekend", "<ogr:eindRegistratie>2021-01-01T00:00:00"
                                               "</ogr:eindRegistratie>\n")]
    tekst = BGT_GML_KOP
    for i, (fysiek, plus, eind) in enumerate(objecten):
        x0, y0 = X + 600 + 20 * i, Y + 600
        tekst += BGT_GML_OBJECT.format(i=i, fysiek=fysiek, plus=plus, eind=eind, x0=x0, y0=y0,
                                       x1=x0 + 10, y1=y0 + 10, xm=x0 + 5, ym=y0 + 12)
    path = folder / "bgt_begroeidterreindeel.gml"
    path.write_text(tekst + "</ogr:FeatureCollection>\n", encoding="utf-8")
    return path


BGT_CITYGML_OBJECT = """  <cityObjectMember>
    <imgeo:BegroeidTerreindeel gml:id="b{i}">
      <imgeo:identificatie><imgeo:NEN3610ID><imgeo:namespace>NL.IMGeo</imgeo:namespace>
        <imgeo:lokaalID>G0000.city{i}</imgeo:lokaalID></imgeo:NEN3610ID></imgeo:identificatie>
      <imgeo:tijdstipRegistratie>2020-01-01T00:00:00</imgeo:tijdstipRegistratie>
{eind}      <imgeo:bronhouder>G0000</imgeo:bronhouder>
      <imgeo:bgt-status codeSpace="http://www.geostandaarden.nl/imgeo/def/2.1#Status">bestaand</imgeo:bgt-status>
      <imgeo:class codeSpace="http://www.geostandaarden.nl/imgeo/def/2.1#FysiekVoorkomenBegroeidTerrein">{fysiek}</imgeo:class>
      <imgeo:plus-fysiekVoorkomen codeSpace="http://www.geostandaarden.nl/imgeo/def/2.1#FysiekVoorkomenBegroeidTerreinPlus">{plus}</imgeo:plus-fysiekVoorkomen>
      <imgeo:begroeidTerreindeelOpTalud>false</imgeo:begroeidTerreindeelOpTalud>
      <imgeo:geometrie2dBegroeidTerreindeel><gml:Polygon srsName="urn:ogc:def:crs:EPSG::28992">
        <gml:exterior><gml:LinearRing><gml:posList srsDimension="2">{x0} {y0} {x1} {y0} {x1} {y1}
          {x0} {y1} {x0} {y0}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>
      </imgeo:geometrie2dBegroeidTerreindeel>
    </imgeo:BegroeidTerreindeel>
  </cityObjectMember>
"""


def bgt_citygml(folder: Path) -> Path:
    """A BGT as PDOK's download gives it: a CityGML CityModel of imgeo:BegroeidTerreindeel,
    the BGT fysiekVoorkomen as imgeo:class, the finer IMGeo word as plus-fysiekVoorkomen; the
    third object has ended."""
    objecten = [("gras- en kruidachtigen", "waardeOnbekend", ""),
                ("groenvoorziening", "heesters", ""),
                ("struiken", "waardeOnbekend", "      <imgeo:eindRegistratie>2021-01-01T00:00:00"
                                               "</imgeo:eindRegistratie>\n")]
    tekst = ('<?xml version="1.0" encoding="UTF-8"?>\n<CityModel '
             'xmlns="http://www.opengis.net/citygml/2.0" '
             'xmlns:imgeo="http://www.geostandaarden.nl/imgeo/2.1" '
             'xmlns:gml="http://www.opengis.net/gml">\n')
    for i, (fysiek, plus, eind) in enumerate(objecten):
        x0, y0 = X + 700 + 20 * i, Y + 700
        tekst += BGT_CITYGML_OBJECT.format(i=i, fysiek=fysiek, plus=plus, eind=eind, x0=x0,
                                           y0=y0, x1=x0 + 10, y1=y0 + 10)
    path = folder / "bgt_begroeidterreindeel.gml"
    path.write_text(tekst + "</CityModel>\n", encoding="utf-8")
    return path
