"""folium maps, pointed at vendored Leaflet and embedded in our own page layout."""

from __future__ import annotations

import json
from dataclasses import dataclass

import folium
from markupsafe import Markup

SOORT_KLEUR = {"wijk": "#1d5c8c", "dorp": "#2e7d32", "buurt": "#6b6b6b"}


@dataclass(frozen=True)
class MapParts:
    """The two pieces a page embeds: the map element and its script."""

    html: Markup
    script: Markup
    name: str  # the map's global JS variable, for page scripts that add layers


def _base_map(basemap_url: str, attributie: str) -> folium.Map:
    """A map without folium's CDN assets; the page loads Leaflet from static/vendor."""
    m = folium.Map(tiles=None, prefer_canvas=False)
    m.default_js = []
    m.default_css = []
    if basemap_url:
        folium.TileLayer(tiles=basemap_url, attr=attributie, name="Achtergrondkaart",
                         max_zoom=19, max_native_zoom=19).add_to(m)
    return m


def _parts(m: folium.Map) -> MapParts:
    """Render the map's element and script only; our base.html owns <head> and <body>."""
    figure = m.get_root()
    if not isinstance(figure, folium.Figure):  # always true for a Map; typed as Element
        raise RuntimeError("folium map is not inside a Figure")
    figure.render()
    scale = f"L.control.scale({{imperial: false}}).addTo({m.get_name()});"
    script = figure.script.render() + "\n" + scale
    if "https://cdn" in script or "//code.jquery" in script:
        raise RuntimeError("folium tried to load an asset from a CDN")
    return MapParts(html=Markup(figure.html.render()), script=Markup(script), name=m.get_name())


def gebieden_map(geojson: str, bounds: tuple[float, float, float, float] | None,
                 basemap_url: str, attributie: str, fill: float = 0.08) -> MapParts:
    """Wijk and dorp boundaries with their names as tooltips."""
    m = _base_map(basemap_url, attributie)
    folium.GeoJson(
        json.loads(geojson), name="Wijken en dorpen",
        style_function=lambda f: {"color": SOORT_KLEUR[f["properties"]["soort"]], "weight": 2,
                                  "fillOpacity": fill},
        highlight_function=lambda f: {"weight": 4, "fillOpacity": fill + 0.1},
        tooltip=folium.GeoJsonTooltip(fields=["naam", "soort"], aliases=["Naam", "Soort"]),
    ).add_to(m)
    if bounds:
        south, west, north, east = bounds
        m.fit_bounds([[south, west], [north, east]])
    return _parts(m)
