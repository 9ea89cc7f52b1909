"""Opening an uploaded or given file: size, emptiness, zip contents and type are checked
before GDAL sees it, so every bad file gets its own Dutch message and nothing is written."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType

from app.services.importeren.rapport import ImportFout

SOORTEN = {".zip": "Shapefile (zip)", ".shp": "Shapefile", ".gpkg": "GeoPackage",
           ".geojson": "GeoJSON", ".json": "GeoJSON", ".csv": "CSV"}
# Where a zip is unpacked: the running job's folder, so what a killed process leaves behind
# is swept with that job (app.services.jobs.folders); None: the system's temp folder.
_WERKMAP: ContextVar[Path | None] = ContextVar("werkmap", default=None)
ONDERSTEUND = ("Gebruik een Shapefile (.zip of .shp), GeoPackage (.gpkg), GeoJSON (.geojson) "
               "of CSV (.csv).")


@contextmanager
def werkmap(pad: Path | None) -> Iterator[None]:
    """Unpack zips under `pad` while this block runs (in this thread)."""
    token = _WERKMAP.set(pad)
    try:
        yield
    finally:
        _WERKMAP.reset(token)


def tijdelijke_map() -> Path | None:
    """Where temporary files of this import go (the job's folder; None: the system's)."""
    return _WERKMAP.get()


def mb(n: int) -> str:
    """Bytes as megabytes the way people say it."""
    return f"{n / 1_000_000:.1f}".replace(".", ",")


@dataclass
class Bron:
    """A file ready for GDAL: `pad` is what pyogrio opens (the folder of an unpacked zip)."""

    pad: Path
    naam: str
    soort: str  # a key of SOORTEN
    _tmp: Path | None = field(default=None, repr=False)

    def __enter__(self) -> Bron:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def open_bron(pad: Path, max_bytes: int, naam: str | None = None,
              soorten: Mapping[str, str] | None = None, uitleg: str = ONDERSTEUND) -> Bron:
    """Check the file and unpack a zip; the caller closes the Bron (a context manager)."""
    naam = naam or pad.name
    if not pad.is_file():
        raise ImportFout(f"Het bestand {naam} bestaat niet.")
    size = pad.stat().st_size
    if size == 0:
        raise ImportFout(f"Het bestand {naam} is leeg.")
    if size > max_bytes:
        raise ImportFout(f"Het bestand {naam} is {mb(size)} MB; de grens is "
                         f"{mb(max_bytes)} MB.")
    suffix = Path(naam).suffix.lower()
    if suffix not in (soorten or SOORTEN):
        raise ImportFout(f"Het bestandstype van {naam} wordt niet ondersteund. {uitleg}")
    if suffix == ".zip":
        return _unzip(pad, naam, max_bytes)
    if suffix == ".shp":
        _shapefile_compleet(pad, naam)
    return Bron(pad, naam, suffix)


def _shapefile_compleet(pad: Path, naam: str) -> None:
    """A .shp alone is not a Shapefile: the attributes live in the .dbf beside it."""
    if not any(pad.with_suffix(s).is_file() for s in (".dbf", ".DBF")):
        raise ImportFout(f"Bij {naam} ontbreekt het .dbf-bestand met de gegevens; lever de "
                         "Shapefile als zip met .shp, .shx, .dbf en .prj.")


def _unzip(pad: Path, naam: str, max_bytes: int) -> Bron:
    """Unpack only Shapefile parts, flat, never outside our temporary folder."""
    if not zipfile.is_zipfile(pad):
        raise ImportFout(f"Het bestand {naam} is geen geldig zip-bestand.")
    try:
        with zipfile.ZipFile(pad) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()
                       and not PurePosixPath(m.filename).name.startswith(".")
                       and "__MACOSX" not in m.filename]
            if sum(m.file_size for m in members) > max_bytes:
                raise ImportFout(f"De inhoud van {naam} is uitgepakt groter dan de grens van "
                                 f"{mb(max_bytes)} MB.")
            stems = {PurePosixPath(m.filename).name.lower() for m in members}
            shp = sorted(s for s in stems if s.endswith(".shp"))
            if not shp:
                raise ImportFout(f"Het zip-bestand {naam} bevat geen .shp-bestand.")
            for s in shp:
                if s[:-4] + ".dbf" not in stems:
                    raise ImportFout(f"Het zip-bestand {naam} bevat geen .dbf-bestand bij {s}.")
            tmp = Path(tempfile.mkdtemp(prefix="kaart-import-", dir=_WERKMAP.get()))
            try:
                for m in members:
                    target = tmp / PurePosixPath(m.filename).name
                    if target.suffix.lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                        with archive.open(m) as src, target.open("wb") as dst:
                            shutil.copyfileobj(src, dst)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFout(f"Het zip-bestand {naam} is beschadigd en kan niet worden uitgepakt."
                         ) from exc
    return Bron(tmp, naam, ".zip", tmp)
