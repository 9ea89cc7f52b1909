"""Leaflet maps described as data; static/js/kaartbasis.js draws them.

The page carries the map as one element with its description in `data-kaart` (JSON, escaped
as an attribute): basemap, GeoJSON layers with style, hover and tooltip fields, the view.
No inline script, so the Content-Security-Policy needs no 'unsafe-inline', and tooltips are
built from text nodes, so a name never becomes HTML. (folium rendered an inline script per
map and built its tooltips with innerHTML from the data.)"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.config import EIGEN

BASISKAART_TILES = "/v1/tiles/basiskaart/WebMercatorQuad/{z}/{y}/{x}"  # app/api/ogc/basiskaart.py
# Area outlines are near-black (dorp dashed, see SOORT_STREEP) so that colour on a map always
# means a groenvak's status (app/api/common/labels.py); tests/unit/test_kleuren.py checks it.
SOORT_KLEUR = {"wijk": "#1a1a1a", "dorp": "#1a1a1a", "buurt": "#d9d9d9"}
SOORT_STREEP = {"dorp": "8 5"}
MAP_NAME = "vkKaart"  # the map's global JS name, for page scripts that add layers


@dataclass(frozen=True)
class MapParts:
    """The element a page embeds (its map description inside) and the map's JS name."""

    html: Markup
    name: str


def layer(name: str, data: object, style: dict[str, object], *, colour_by: str | None = None,
          colours: dict[str, str] | None = None, dashes: dict[str, str] | None = None,
          hover: dict[str, object] | None = None,
          tooltip: Sequence[tuple[str, str]] = (), interactive: bool = True,
          points: dict[str, object] | None = None) -> dict[str, object]:
    """One GeoJSON layer: `tooltip` lists (property, label); `points` draws circle markers."""
    spec: dict[str, object] = {"name": name, "data": data, "style": style,
                            "interactive": interactive}
    if colour_by:
        spec |= {"colourBy": colour_by, "colours": colours or {}, "dashes": dashes or {}}
    if hover:
        spec["hover"] = hover
    if tooltip:
        spec["tooltip"] = [list(pair) for pair in tooltip]
    if points:
        spec["points"] = points
    return spec


def map_parts(layers: Sequence[dict[str, object]], basemap_url: str, attributie: str, *,
              bounds: tuple[float, float, float, float] | None = None,
              fit: dict[str, object] | None = None, max_zoom: int | None = None,
              tile_max_zoom: int = 19) -> MapParts:
    """The map element; `bounds` is south, west, north, east; `fit` are fitBounds options."""
    config: dict[str, object] = {"name": MAP_NAME, "layers": list(layers)}
    if basemap_url == EIGEN:  # drawn on a canvas by static/js/basiskaart.js, below the layers
        config["basemap"] = {"vector": BASISKAART_TILES, "attribution": attributie,
                             "maxZoom": tile_max_zoom, "maxDataZoom": 18}
    elif basemap_url:
        config["basemap"] = {"url": basemap_url, "attribution": attributie,
                             "maxZoom": tile_max_zoom, "maxNativeZoom": 19}
    if max_zoom is not None:
        config["maxZoom"] = max_zoom
    if bounds:
        south, west, north, east = bounds
        config["bounds"] = [[south, west], [north, east]]
        config["fit"] = fit or {}
    html = Markup('<div class="kaart__leaflet" id="{}" data-kaart="{}"></div>').format(
        MAP_NAME, json.dumps(config, ensure_ascii=False, separators=(",", ":")))
    return MapParts(html=html, name=MAP_NAME)


def gebieden_map(geojson: str, bounds: tuple[float, float, float, float] | None,
                 basemap_url: str, attributie: str, fill: float = 0.08) -> MapParts:
    """Wijk and dorp boundaries with their names as tooltips; `fill=0` draws only the lines
    (the areas then leave clicks to the layers below, such as the groenvakken)."""
    style: dict[str, object] = {"weight": 2, "fillOpacity": fill} if fill else {"weight": 2,
                                                                                "fill": False}
    gebieden = layer(f"{MAP_NAME}Gebieden", json.loads(geojson), style, colour_by="soort",
                     colours=SOORT_KLEUR, dashes=SOORT_STREEP,
                     hover={"weight": 4, "fillOpacity": fill + 0.1} if fill else {"weight": 4},
                     tooltip=[("naam", "Naam"), ("soort", "Soort")])
    return map_parts([gebieden], basemap_url, attributie, bounds=bounds)
