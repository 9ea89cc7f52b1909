"""`kaart import gebieden|groenvakken|voorzieningen FILE`: one transaction per import, a
progress bar, a summary, and the report CSV of every repaired, skipped or vervallen row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.config import get_settings
from app.errors import DomainError, SetupError

if TYPE_CHECKING:  # the import services load GDAL; `kaart --help` should not wait for that
    from sqlalchemy import Connection

    from app.services.importeren import ImportRapport, Progress

    Work = Callable[[Connection, Progress, int], ImportRapport]

app = typer.Typer(help="Bestanden importeren: gebieden, groenvakken, voorzieningen.",
                  no_args_is_help=True)

Bestand = Annotated[Path, typer.Argument(help="Shapefile (.zip of .shp), GeoPackage, GeoJSON "
                                              "of CSV", show_default=False)]
Crs = Annotated[str | None, typer.Option(help="Coördinatenstelsel als het bestand het niet "
                                              "vermeldt, bijv. EPSG:28992")]
Gemeente = Annotated[str | None, typer.Option(help="Gemeentecode, bijv. GM0828")]
Laag = Annotated[str | None, typer.Option(help="Laag in het bestand (bij meerdere lagen)")]
Rapport = Annotated[Path | None, typer.Option(help="Pad van het importrapport (CSV); standaard "
                                                   "import-<laag>-<tijd>.csv")]


def _run(laag: str, rapport_pad: Path | None, work: Work) -> None:
    """Migrate, run `work(conn, progress, max_bytes)` in one transaction, print and save.
    Errors become one Dutch line on stderr and exit code 2, and nothing is written."""
    from sqlalchemy import create_engine

    from app import db, migrate
    from app.progress import bar

    settings = get_settings()
    try:
        url = db.prepare(settings)
        migrate.upgrade(url)
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                rapport = work(conn, bar, settings.import_max_mb * 1_000_000)
        finally:
            engine.dispose()
    except (SetupError, DomainError) as exc:
        typer.secho(f"kaart: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    pad = rapport_pad or Path(f"import-{laag}-{datetime.now():%Y%m%d-%H%M%S}.csv")
    rapport.write_csv(pad)
    typer.echo(rapport.summary())
    typer.echo(f"Importrapport ({len(rapport.regels)} regels): {pad}")


@app.command("gebieden")
def gebieden(bestand: Bestand, gemeente: Gemeente = None,
             dorpen: Annotated[str, typer.Option(help="Wijkcodes die dorpen zijn, "
                                                      "bijv. WK082801,WK082805")] = "",
             dorpen_bestand: Annotated[Path | None, typer.Option(
                 help="Bestand met dorpen (naam + vlak); wijken erin worden dorp")] = None,
             crs: Crs = None, rapport: Rapport = None) -> None:
    """De CBS Wijk- en buurtkaart: gemeente, wijken, dorpen en buurten."""
    from app.services.importeren import GebiedOpties, importeer_gebieden

    opties = GebiedOpties(gemeente=gemeente, crs=crs, dorpen_bestand=dorpen_bestand,
                          dorpen=tuple(c.strip() for c in dorpen.split(",") if c.strip()))
    _run("gebieden", rapport,
                   lambda conn, progress, mx: importeer_gebieden(conn, bestand, opties, mx,
                                                                 progress))


@app.command("groenvakken")
def groenvakken(bestand: Bestand,
                id_veld: Annotated[str, typer.Option(help="Veld met het id uit het "
                                                          "beheersysteem")],
                soort_veld: Annotated[str | None, typer.Option(help="Veld met de soort")] = None,
                naam_veld: Annotated[str | None, typer.Option(help="Veld met de naam")] = None,
                laag: Laag = None, crs: Crs = None, gemeente: Gemeente = None,
                rapport: Rapport = None) -> None:
    """Groenvakken bijwerken op id; verdwenen vakken worden vervallen, nooit verwijderd."""
    from app.services.importeren import GroenvakOpties, importeer_groenvakken

    opties = GroenvakOpties(id_veld=id_veld, soort_veld=soort_veld, naam_veld=naam_veld,
                            laag=laag, crs=crs, gemeente=gemeente or get_settings().gemeente)
    _run("groenvakken", rapport,
                   lambda conn, progress, mx: importeer_groenvakken(conn, bestand, opties, mx,
                                                                    progress))


@app.command("voorzieningen")
def voorzieningen(bestand: Bestand,
                  id_veld: Annotated[str, typer.Option(help="Veld met het id")] = "id",
                  naam_veld: Annotated[str, typer.Option(help="Veld met de naam")] = "naam",
                  categorie_veld: Annotated[str, typer.Option(help="Veld met de categorie")]
                  = "categorie",
                  categorie_map: Annotated[Path | None, typer.Option(
                      help="CSV met kolommen bron,categorie")] = None,
                  laag: Laag = None, crs: Crs = None, gemeente: Gemeente = None,
                  rapport: Rapport = None) -> None:
    """Voorzieningen bijwerken op id; de categorie via een indeling (bron,categorie)."""
    from app.services.importeren import VoorzieningOpties, importeer_voorzieningen

    opties = VoorzieningOpties(id_veld=id_veld, naam_veld=naam_veld,
                               categorie_veld=categorie_veld, categorie_map=categorie_map,
                               laag=laag, crs=crs, gemeente=gemeente or get_settings().gemeente)
    _run("voorzieningen", rapport,
                   lambda conn, progress, mx: importeer_voorzieningen(conn, bestand, opties, mx,
                                                                      progress))
