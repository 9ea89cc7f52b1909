"""Geo helpers: CRS, SQL that builds GeoJSON, file import/export, folium maps."""
