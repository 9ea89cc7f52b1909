"""A small map of one groenvak, so staff judge a request with the plot in view."""

from __future__ import annotations

import json

from app.geo.maps import MAP_NAME, MapParts, layer, map_parts

PLOT_KLEUR = "#b35900"


def groenvak_map(geojson: str, basemap_url: str, attributie: str) -> MapParts:
    """The plot's outline over the basemap, zoomed to it; drawn by static/js/kaartbasis.js."""
    geometrie = json.loads(geojson)
    plot = layer(f"{MAP_NAME}Groenvak", geometrie,
                 {"color": PLOT_KLEUR, "weight": 3, "fillOpacity": 0.25})
    return map_parts([plot], basemap_url, attributie, bounds=_bounds(geometrie),
                     fit={"padding": [30, 30], "maxZoom": 20}, max_zoom=20, tile_max_zoom=20)


def _bounds(geometrie: dict[str, object]) -> tuple[float, float, float, float]:
    """South, west, north, east of a (Multi)Polygon in lon/lat."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(node: object) -> None:
        if isinstance(node, list) and node and isinstance(node[0], int | float):
            xs.append(float(node[0]))
            ys.append(float(node[1]))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(geometrie.get("coordinates"))
    if not xs:
        raise ValueError("geometry without coordinates")
    return min(ys), min(xs), max(ys), max(xs)
