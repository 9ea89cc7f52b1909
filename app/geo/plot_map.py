"""A small folium map of one groenvak, so staff judge a request with the plot in view."""

from __future__ import annotations

import json

import folium
from markupsafe import Markup

from app.geo.maps import MapParts

PLOT_KLEUR = "#b35900"


def groenvak_map(geojson: str, basemap_url: str, attributie: str) -> MapParts:
    """The plot's outline over the basemap, zoomed to it; Leaflet comes from static/vendor."""
    m = folium.Map(tiles=None, prefer_canvas=False, max_zoom=20)
    m.default_js = []  # no CDN: the page loads vendored Leaflet itself
    m.default_css = []
    if basemap_url:
        folium.TileLayer(tiles=basemap_url, attr=attributie, name="Achtergrondkaart",
                         max_zoom=20, max_native_zoom=19).add_to(m)
    geometrie = json.loads(geojson)
    folium.GeoJson(geometrie, name="Groenvak",
                   style_function=lambda _: {"color": PLOT_KLEUR, "weight": 3,
                                             "fillOpacity": 0.25}).add_to(m)
    south, west, north, east = _bounds(geometrie)
    m.fit_bounds([[south, west], [north, east]], padding=(30, 30), max_zoom=20)
    figure = m.get_root()
    if not isinstance(figure, folium.Figure):  # always true for a Map; typed as Element
        raise RuntimeError("folium map is not inside a Figure")
    figure.render()
    script = (figure.script.render()
              + f"\nL.control.scale({{imperial: false}}).addTo({m.get_name()});")
    if "https://cdn" in script or "//code.jquery" in script:
        raise RuntimeError("folium tried to load an asset from a CDN")
    return MapParts(html=Markup(figure.html.render()), script=Markup(script), name=m.get_name())


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
