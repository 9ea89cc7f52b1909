"""Queryables (OGC API – Features Part 3) as JSON Schema, from the collection registry."""

from __future__ import annotations

from app.geo.collections import Collection

GEOMETRY_FORMAT = {"Point": "geometry-point", "LineString": "geometry-linestring",
                   "MultiPolygon": "geometry-multipolygon"}


def queryables(c: Collection, url: str) -> dict[str, object]:
    """Every public property can be filtered on, plus the geometry."""
    props: dict[str, object] = {
        "geometry": {"title": "Geometrie", "format": GEOMETRY_FORMAT[c.geometry_type],
                     "x-ogc-role": "primary-geometry"}}
    for name, p in c.props.items():
        schema: dict[str, object] = {"title": p.title, "type": p.type}
        if p.format:
            schema["format"] = p.format
        if p.enum:
            schema["enum"] = list(p.enum)
        props[name] = schema
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": url,
            "type": "object", "title": c.title, "properties": props,
            "additionalProperties": False}
