"""The map of one wijk or dorp: its boundary and its voorzieningen, one layer per category."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from app.geo.maps import MAP_NAME, SOORT_KLEUR, SOORT_STREEP, MapParts, layer, map_parts


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
    grens = layer(f"{MAP_NAME}Grens", {"type": "Feature", "geometry": json.loads(grens_geojson),
                                       "properties": {}},
                  {"color": SOORT_KLEUR.get(soort, SOORT_KLEUR["wijk"]), "weight": 3,
                   "fillOpacity": 0.04, "dashArray": SOORT_STREEP.get(soort)},
                  interactive=False)
    layers = [grens]
    namen: dict[str, str] = {}
    for i, laag in enumerate(lagen):
        name = f"{MAP_NAME}Laag{i}"
        layers.append(layer(
            name, {"type": "FeatureCollection", "features": [
                {"type": "Feature", "id": p.id,
                 "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                 "properties": {"id": p.id, "naam": p.naam, "categorie": laag.naam}}
                for p in laag.punten]},
            {"color": "#ffffff", "fillColor": laag.kleur, "fillOpacity": 0.95, "weight": 2},
            tooltip=[("naam", "Naam"), ("categorie", "Categorie")], points={"radius": 7}))
        namen[laag.code] = name
    return map_parts(layers, basemap_url, attributie, bounds=bounds), namen
