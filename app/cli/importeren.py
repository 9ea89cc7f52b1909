"""`kaart import gebieden|groenvakken|voorzieningen FILE`: one transaction per import, a
progress bar, a summary, and the report CSV of every repaired, skipped or vervallen row.
`--proef` runs the same import and rolls it back. Each run is recorded in the taak table."""

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

    from app.services.importeren import Bereik, ImportRapport, Progress

    Work = Callable[[Connection, Progress, int], ImportRapport]

app = typer.Typer(help="Bestanden importeren: gebieden, groenvakken, voorzieningen, BAG, NWB, "
                       "OpenStreetMap, BGT.",
                  no_args_is_help=True)

Bestand = Annotated[Path, typer.Argument(help="Shapefile (.zip of .shp), GeoPackage, GeoJSON "
                                              "of CSV", show_default=False)]
Crs = Annotated[str | None, typer.Option(help="Coördinatenstelsel als het bestand het niet "
                                              "vermeldt, bijv. EPSG:28992")]
Gemeente = Annotated[str | None, typer.Option(help="Gemeentecode, bijv. GM0828")]
Laag = Annotated[str | None, typer.Option(help="Laag in het bestand (bij meerdere lagen)")]
Rapport = Annotated[Path | None, typer.Option(help="Pad van het importrapport (CSV); standaard "
                                                   "import-<laag>-<tijd>.csv")]
Proef = Annotated[bool, typer.Option("--proef", help="Alleen laten zien wat de import zou doen "
                                                     "(aantallen, rapport); er verandert niets")]
MAX_ADOPTIES = 50  # lines of affected adopties on the terminal; all of them are in the report


def _run(laag: str, bestand: Path, rapport_pad: Path | None, proef: bool,
         gemeente: str | None, work: Work) -> None:
    """Migrate, run `work(conn, progress, max_bytes)` as a job in one guarded transaction
    (rolled back for a proef), print and save. Errors become one Dutch line on stderr and
    exit code 2, and nothing is written."""
    from sqlalchemy import create_engine

    from app import db, migrate
    from app.progress import bar
    from app.services import jobs
    from app.services.importeren import KIND, ImportRapport, uitvoeren, voortgang

    settings = get_settings()
    try:
        url = db.prepare(settings)
        migrate.upgrade(url)
        engine = create_engine(url, pool_pre_ping=True)
        try:
            jobs.sweep(engine, settings)  # jobs and folders a killed run left behind
            job_id = jobs.create(engine, KIND, gemeente=gemeente, owner=None, params={
                "laag": laag, "bestand": bestand.name, "proef": proef, "bron": "kaart import"})
            map_ = jobs.folders.folder(settings, job_id)
            max_bytes = settings.import_max_mb * 1_000_000

            def job(progress: jobs.Progress) -> ImportRapport:
                return uitvoeren(engine, lambda conn: work(conn, voortgang(progress, bar),
                                                           max_bytes),
                                 proef=proef, timeout_s=settings.import_statement_timeout_s,
                                 map_=map_)

            rapport = jobs.run(engine, job_id, job, ImportRapport.to_json,
                               stil_s=settings.taak_stil_s, reraise=True,
                               on_end=lambda status: jobs.folders.remove(settings, job_id))
        finally:
            engine.dispose()
    except (SetupError, DomainError) as exc:
        typer.secho(f"kaart: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    assert rapport is not None
    soort = "proef" if proef else "import"
    pad = rapport_pad or Path(f"{soort}-{laag}-{datetime.now():%Y%m%d-%H%M%S}.csv")
    rapport.write_csv(pad)
    if proef:
        typer.echo("Proef: er is niets gewijzigd. Zo zou de import gaan:")
    typer.echo(rapport.summary())
    for a in rapport.adopties[:MAX_ADOPTIES]:
        gevolg = "groenvak vervalt" if a.vervalt else "overgeslagen, groenvak blijft"
        typer.echo(f"  lopende adoptie {a.adoptie} ({a.status}) op groenvak {a.groenvak}: "
                   f"{gevolg}")
    if len(rapport.adopties) > MAX_ADOPTIES:
        typer.echo(f"  … en {len(rapport.adopties) - MAX_ADOPTIES} meer (zie het rapport)")
    typer.echo(f"{soort.capitalize()}rapport ({len(rapport.regels)} regels): {pad}")


def _bereik(waarde: str | None) -> Bereik | None:
    """--vervallen-binnen, or one clear line and exit code 2."""
    from app.services.importeren import lees_bereik

    try:
        return lees_bereik(waarde)
    except DomainError as exc:
        typer.secho(f"kaart: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None


def join_bereik(args: list[str]) -> list[str]:
    """Let `--vervallen-binnen wijk WK082801` (two words, as people type it) be one value."""
    out: list[str] = []
    i = 0
    while i < len(args):
        out.append(args[i])
        if (args[i] == "--vervallen-binnen" and i + 2 < len(args)
                and args[i + 1].lower() in ("wijk", "bbox") and not args[i + 2].startswith("--")):
            out.append(f"{args[i + 1]} {args[i + 2]}")
            i += 3
            continue
        i += 1
    return out


@app.command("gebieden")
def gebieden(bestand: Bestand, gemeente: Gemeente = None,
             dorpen: Annotated[str, typer.Option(help="Wijkcodes die dorpen zijn, "
                                                      "bijv. WK082801,WK082805")] = "",
             dorpen_bestand: Annotated[Path | None, typer.Option(
                 help="Bestand met dorpen (naam + vlak); wijken erin worden dorp")] = None,
             crs: Crs = None, rapport: Rapport = None, proef: Proef = False) -> None:
    """De CBS Wijk- en buurtkaart: gemeente, wijken, dorpen en buurten."""
    from app.services.importeren import GebiedOpties, importeer_gebieden

    opties = GebiedOpties(gemeente=gemeente, crs=crs, dorpen_bestand=dorpen_bestand,
                          dorpen=tuple(c.strip() for c in dorpen.split(",") if c.strip()))
    _run("gebieden", bestand, rapport, proef, gemeente,
         lambda conn, progress, mx: importeer_gebieden(conn, bestand, opties, mx, progress))


@app.command("groenvakken")
def groenvakken(bestand: Bestand,
                id_veld: Annotated[str, typer.Option(help="Veld met het id uit het "
                                                          "beheersysteem")],
                soort_veld: Annotated[str | None, typer.Option(help="Veld met de soort")] = None,
                naam_veld: Annotated[str | None, typer.Option(help="Veld met de naam")] = None,
                laag: Laag = None, crs: Crs = None, gemeente: Gemeente = None,
                rapport: Rapport = None, proef: Proef = False,
                vervallen_binnen: Annotated[str | None, typer.Option(
                    help="Waar groenvakken die niet in het bestand staan vervallen: gemeente, "
                         "wijk CODE of bbox minx,miny,maxx,maxy (RD). Standaard: nergens")]
                = None,
                ook_met_adoptie: Annotated[bool, typer.Option(
                    "--ook-met-adoptie", help="Ook groenvakken met een lopende adoptie laten "
                                              "vervallen (anders overgeslagen)")] = False
                ) -> None:
    """Groenvakken bijwerken op id; vakken die niet in het bestand staan vervallen alleen
    binnen --vervallen-binnen (nooit verwijderd)."""
    from app.services.importeren import GroenvakOpties, importeer_groenvakken

    gemeente = gemeente or get_settings().gemeente
    opties = GroenvakOpties(id_veld=id_veld, soort_veld=soort_veld, naam_veld=naam_veld,
                            laag=laag, crs=crs, gemeente=gemeente,
                            vervallen_binnen=_bereik(vervallen_binnen),
                            ook_met_adoptie=ook_met_adoptie)
    _run("groenvakken", bestand, rapport, proef, gemeente,
         lambda conn, progress, mx: importeer_groenvakken(conn, bestand, opties, mx, progress))


@app.command("voorzieningen")
def voorzieningen(bestand: Bestand,
                  id_veld: Annotated[str, typer.Option(help="Veld met het id")] = "id",
                  naam_veld: Annotated[str, typer.Option(help="Veld met de naam")] = "naam",
                  categorie_veld: Annotated[str, typer.Option(help="Veld met de categorie")]
                  = "categorie",
                  categorie_map: Annotated[Path | None, typer.Option(
                      help="CSV met kolommen bron,categorie")] = None,
                  laag: Laag = None, crs: Crs = None, gemeente: Gemeente = None,
                  rapport: Rapport = None, proef: Proef = False) -> None:
    """Voorzieningen bijwerken op id; de categorie via een indeling (bron,categorie)."""
    from app.services.importeren import VoorzieningOpties, importeer_voorzieningen

    gemeente = gemeente or get_settings().gemeente
    opties = VoorzieningOpties(id_veld=id_veld, naam_veld=naam_veld,
                               categorie_veld=categorie_veld, categorie_map=categorie_map,
                               laag=laag, crs=crs, gemeente=gemeente)
    _run("voorzieningen", bestand, rapport, proef, gemeente,
         lambda conn, progress, mx: importeer_voorzieningen(conn, bestand, opties, mx,
                                                            progress))


BronBestand = Annotated[Path, typer.Argument(help="Het bestand van de bron", show_default=False)]


@app.command("bag")
def bag(bestand: BronBestand, gemeente: Gemeente = None, rapport: Rapport = None,
        proef: Proef = False) -> None:
    """De BAG als GeoPackage van PDOK: verblijfsobjecten in gebruik worden adressen, panden
    worden panden (beide lagen van de gemeente worden vervangen)."""
    from app.services.importeren import BagOpties, importeer_bag

    gemeente = gemeente or get_settings().gemeente
    opties = BagOpties(gemeente=gemeente)
    _run("bag", bestand, rapport, proef, gemeente,
         lambda conn, progress, mx: importeer_bag(conn, bestand, opties, mx, progress))


@app.command("nwb")
def nwb(bestand: BronBestand, gemeente_id: Annotated[int | None, typer.Option(
            help="Alleen wegvakken met deze GME_ID, bijv. 828")] = None,
        gemeente: Gemeente = None, rapport: Rapport = None, proef: Proef = False) -> None:
    """NWB Wegen (Wegvakken.shp of zip): de straten en paden van de gemeente, met de
    knooppunten als één punt."""
    from app.services.importeren import NwbOpties, importeer_nwb

    gemeente = gemeente or get_settings().gemeente
    opties = NwbOpties(gemeente=gemeente, gemeente_id=gemeente_id)
    _run("nwb", bestand, rapport, proef, gemeente,
         lambda conn, progress, mx: importeer_nwb(conn, bestand, opties, mx, progress))


@app.command("osm")
def osm(bestand: BronBestand, gemeente: Gemeente = None, rapport: Rapport = None,
        proef: Proef = False) -> None:
    """Een OpenStreetMap-extract (.osm.pbf): wegen, adressen, gebouwen, water en parken."""
    from app.services.importeren import OsmOpties, importeer_osm

    gemeente = gemeente or get_settings().gemeente
    opties = OsmOpties(gemeente=gemeente)
    _run("osm", bestand, rapport, proef, gemeente,
         lambda conn, progress, mx: importeer_osm(conn, bestand, opties, mx, progress))


@app.command("bgt")
def bgt(bestand: BronBestand, gemeente: Gemeente = None, rapport: Rapport = None,
        proef: Proef = False,
        vervallen_binnen: Annotated[str | None, typer.Option(
            help="Waar groenvakken die niet in het bestand staan vervallen (zoals bij "
                 "groenvakken). Standaard: nergens")] = None,
        ook_met_adoptie: Annotated[bool, typer.Option(
            "--ook-met-adoptie", help="Ook groenvakken met een lopende adoptie laten "
                                      "vervallen")] = False) -> None:
    """BGT begroeidterreindeel (GML of GeoPackage van PDOK) als groenvakken."""
    from app.services.importeren import BgtOpties, importeer_bgt

    gemeente = gemeente or get_settings().gemeente
    opties = BgtOpties(gemeente=gemeente, vervallen_binnen=_bereik(vervallen_binnen),
                       ook_met_adoptie=ook_met_adoptie)
    _run("bgt", bestand, rapport, proef, gemeente,
         lambda conn, progress, mx: importeer_bgt(conn, bestand, opties, mx, progress))
