"""Shared by the export tests: a plot of two parts with a non-ASCII name in wijk WK990103, an
active adoptie on it whose group keeps its name private, and a resident with a known name and
e-mail in that group; plus the expected rows, read from the tables with plain SQL."""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.services.accounts.gebruikers import create_user
from app.services.export import bestanden as export

GEMEENTE = "GM9901"
WIJK = "WK990103"
NAAM = "Bloemenperk Ĳsselweg"
GROEP = "Groep Verborgen Linde"
BEWONER_NAAM = "Bewoner A"
BEWONER_EMAIL = "bewoner-a.export@example.org"


@dataclass(frozen=True)
class Plot:
    groenvak_id: int
    adoptie_id: int
    area: float  # m², by PostGIS


def make_plot(session: Session) -> Plot:
    """Two squares (10 × 10 m and 6 × 6 m, 30 m apart) at a point inside the wijk."""
    user = create_user(session, GEMEENTE, BEWONER_EMAIL, "bewoner", BEWONER_NAAM, None, "test")
    groenvak_id = int(session.execute(text("""
        INSERT INTO groenvak (gemeente_code, extern_id, naam, soort, geometrie)
        SELECT :g, 'EXPORT-1', :naam, 'bloemenperk', ST_Multi(ST_Union(
                   ST_MakeEnvelope(ST_X(p), ST_Y(p), ST_X(p) + 10, ST_Y(p) + 10, 28992),
                   ST_MakeEnvelope(ST_X(p) + 40, ST_Y(p), ST_X(p) + 46, ST_Y(p) + 6, 28992)))
          FROM (SELECT ST_PointOnSurface(geometrie) AS p FROM gebied
                 WHERE gemeente_code = :g AND code = :wijk) x
        RETURNING id"""), {"g": GEMEENTE, "naam": NAAM, "wijk": WIJK}).scalar_one())
    adoptie_id = int(session.execute(text("""
        INSERT INTO adoptie (gemeente_code, groenvak_id, status, groepsnaam, groepsnaam_openbaar,
                             motivatie, startdatum)
        VALUES (:g, :gv, 'actief', :groep, false, 'Geheime motivatie van de groep', '2025-03-01')
        RETURNING id"""), {"g": GEMEENTE, "gv": groenvak_id, "groep": GROEP}).scalar_one())
    session.execute(text("""INSERT INTO deelname (gemeente_code, adoptie_id, gebruiker_id, rol)
                            VALUES (:g, :a, :u, 'trekker')"""),
                    {"g": GEMEENTE, "a": adoptie_id, "u": user.id})
    session.flush()
    wijk, area = session.execute(text("""SELECT w.code, ST_Area(g.geometrie) FROM groenvak g
        JOIN gebied w ON w.id = g.wijk_id WHERE g.id = :id"""), {"id": groenvak_id}).one()
    assert wijk == WIJK
    return Plot(groenvak_id, adoptie_id, float(area))


def expected_groenvakken(session: Session, wijk: str = WIJK) -> dict[int, dict[str, Any]]:
    """What the groenvakken export must hold, from the tables and the status view."""
    rows = session.execute(text("""
        SELECT g.id, g.extern_id, g.naam, g.soort, g.zelfbeheer_mogelijk, s.status,
               s.openbare_groepsnaam, w.code AS wijk, ST_Area(g.geometrie) AS area,
               ST_NumGeometries(g.geometrie) AS parts
          FROM groenvak g JOIN groenvak_status s ON s.groenvak_id = g.id
          JOIN gebied w ON w.id = g.wijk_id
         WHERE g.gemeente_code = :g AND g.vervallen_op IS NULL AND w.code = :wijk"""),
        {"g": GEMEENTE, "wijk": wijk}).mappings().all()
    return {int(r["id"]): dict(r) for r in rows}


def run_export(session: Session, lagen: list[str], formaat: str, target: Path,
               wijk: str | None = WIJK, statussen: tuple[str, ...] = ()) -> dict[str, int]:
    request, fouten = export.parse(lagen, formaat, wijk, list(statussen), GEMEENTE)
    assert request is not None, fouten
    return export.write(session.connection(), request, target, batch_size=100)


def ogrinfo(*args: str) -> str:
    """GDAL's own ogrinfo (gdal-bin), as a GIS user would run it."""
    proc = subprocess.run(["ogrinfo", "-ro", *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def file_texts(path: Path) -> list[bytes]:
    """The bytes of a file, or of every member of a zip."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            return [z.read(name) for name in z.namelist()]
    return [path.read_bytes()]
