"""The map of one wijk or dorp: its boundary and its voorzieningen, one layer per category."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import folium

from app.geo.maps import SOORT_KLEUR, MapParts, _base_map, _parts


@dataclass(frozen=True)
class Punt:
    """One voorziening on the map."""

    id: int
    naam: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Laag:
    """One category: its points as circle markers in its colour."""

    code: str
    naam: str
    kleur: str
    punten: Sequence[Punt]


def gebied_map(grens_geojson: str, soort: str, bounds: tuple[float, float, float, float],
               lagen: Sequence[Laag], basemap_url: str,
               attributie: str) -> tuple[MapParts, dict[str, str]]:
    """The map and, per category code, the JS name of its layer (for the page's checkboxes)."""
    m = _base_map(basemap_url, attributie)
    folium.GeoJson(
        {"type": "Feature", "geometry": json.loads(grens_geojson), "properties": {}},
        name="Grens", interactive=False,
        style_function=lambda _: {"color": SOORT_KLEUR.get(soort, "#1d5c8c"), "weight": 3,
                                  "fillOpacity": 0.04},
    ).add_to(m)
    namen: dict[str, str] = {}
    for laag in lagen:
        groep = folium.FeatureGroup(name=laag.naam)
        if laag.punten:
            folium.GeoJson(
                {"type": "FeatureCollection", "features": [
                    {"type": "Feature", "id": p.id,
                     "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                     "properties": {"id": p.id, "naam": p.naam, "categorie": laag.naam}}
                    for p in laag.punten]},
                marker=folium.CircleMarker(radius=7, weight=2, fill=True),
                style_function=lambda _, k=laag.kleur: {"color": "#ffffff", "fillColor": k,
                                                        "fillOpacity": 0.95, "weight": 2},
                tooltip=folium.GeoJsonTooltip(fields=["naam", "categorie"],
                                              aliases=["Naam", "Categorie"]),
            ).add_to(groep)
        groep.add_to(m)
        namen[laag.code] = groep.get_name()
    south, west, north, east = bounds
    m.fit_bounds([[south, west], [north, east]])
    return _parts(m), namen
