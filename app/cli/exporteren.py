"""`kaart export LAAG… --formaat shp|gpkg|geojson|csv [--wijk CODE] [--status S] -o FILE`.

One read-only, repeatable-read transaction, so every layer of a GeoPackage shows the same
moment; a progress bar; the file appears only when it is complete."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.config import get_settings
from app.errors import DomainError, SetupError

HELP = (
    "Exporteer lagen voor GIS-programma's.\n\n"
    "LAAG: gebieden, voorzieningen, groenvakken of adopties; meerdere lagen (of 'alles') "
    "alleen in één GeoPackage.\n\n"
    "Shapefile (zip met .shp .shx .dbf .prj .cpg en README.txt met de volledige veldnamen), "
    "GeoPackage en CSV (WKT plus x/y van een punt op het vlak) zijn in RD New (EPSG:28992). "
    "GeoJSON volgt RFC 7946 en is dus in WGS 84 (lengte/breedte, CRS84).\n\n"
    "Persoonsgegevens van bewoners staan nooit in een export; een groepsnaam alleen als de "
    "groep die openbaar maakte.")


def export(lagen: Annotated[list[str], typer.Argument(
               help="gebieden, voorzieningen, groenvakken, adopties of alles",
               show_default=False)],
           formaat: Annotated[str, typer.Option("--formaat", "-f",
                                                help="shp, gpkg, geojson of csv")],
           wijk: Annotated[str | None, typer.Option(help="Alleen deze wijk of dit dorp "
                                                         "(CBS-code, bijv. WK082801)")] = None,
           status: Annotated[list[str] | None, typer.Option(
               help="Alleen deze status (groenvakken of adopties); mag vaker")] = None,
           uitvoer: Annotated[Path | None, typer.Option(
               "--uitvoer", "-o", help="Bestand; standaard <laag>[-<wijk>].<extensie> hier")]
           = None,
           gemeente: Annotated[str | None, typer.Option(help="Gemeentecode, bijv. GM0828")]
           = None) -> None:
    """Exporteer lagen voor GIS-programma's (help: HELP hieronder)."""
    try:
        _export(lagen, formaat, wijk, status or [], uitvoer, gemeente)
    except (SetupError, DomainError) as exc:
        typer.secho(f"kaart: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None


export.__doc__ = HELP



def _export(lagen: list[str], formaat: str, wijk: str | None, statussen: list[str],
            uitvoer: Path | None, gemeente: str | None) -> None:
    from sqlalchemy import create_engine

    from app import db, migrate
    from app.errors import InvalidInput
    from app.progress import bar
    from app.services import export as service

    settings = get_settings()
    url = db.prepare(settings)
    migrate.upgrade(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                code = service.gemeente_code(conn, gemeente or settings.gemeente)
                request, fouten = service.parse(lagen, formaat, wijk, statussen, code)
                if request is None:
                    raise InvalidInput(" ".join(fouten.values()))
                service.check_wijk(conn, request.selection)
                stats = service.plan(conn, request)
                target = uitvoer or Path(service.file_name(request))
                with bar(f"Export naar {target.name}",
                         sum(s.count for s in stats.values())) as advance:
                    counts = service.write(conn, request, target, advance, stats=stats)
    finally:
        engine.dispose()
    for laag, aantal in counts.items():
        typer.echo(f"{laag}: {aantal} objecten")
    typer.echo(f"Geschreven: {target} ({target.stat().st_size / 1_000_000:.1f} MB)")
