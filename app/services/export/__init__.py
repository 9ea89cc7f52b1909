"""Exports to Shapefile, GeoPackage, GeoJSON and CSV, direct or as a job."""

from app.services.export.bestanden import (
    FORMATEN,
    ExportRequest,
    check_wijk,
    file_name,
    gemeente_code,
    parse,
    plan,
    write,
)
from app.services.export.jobs import (
    DIRECT_MAX,
    ExportJob,
    get,
    start,
)
from app.services.export.lagen import (
    ALLES,
    GROENVAKKEN,
    LAYERS,
)

__all__ = [
    "ALLES",
    "DIRECT_MAX",
    "ExportJob",
    "ExportRequest",
    "FORMATEN",
    "GROENVAKKEN",
    "LAYERS",
    "check_wijk",
    "file_name",
    "gemeente_code",
    "get",
    "parse",
    "plan",
    "start",
    "write",
]
