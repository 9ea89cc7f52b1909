"""Geo helpers: CRS, SQL that builds GeoJSON, file import/export, map descriptions for Leaflet."""
