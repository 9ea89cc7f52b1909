"""The `kaart` command: serve, db, demo, mail, createuser, apikey."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer
from pydantic import ValidationError

from app.cli.exporteren import export as export_command
from app.cli.importeren import app as import_app
from app.config import Settings, get_settings
from app.errors import DomainError, SetupError

if TYPE_CHECKING:  # rich is imported only when a bar is shown
    from app.progress import Advance

app = typer.Typer(help="Voorzieningenkaart: beheer en demo.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_app = typer.Typer(help="De database: starten, stoppen, status, migreren.", no_args_is_help=True)
demo_app = typer.Typer(help="De demogemeente laden of grote testsets maken.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
mail_app = typer.Typer(help="De uitgaande mail (outbox).", no_args_is_help=True)
app.add_typer(mail_app, name="mail")
app.add_typer(import_app, name="import")
app.command("export")(export_command)

P = ParamSpec("P")
R = TypeVar("R")


def clear_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Setup and domain errors become one line on stderr and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (SetupError, DomainError) as exc:
            typer.secho(f"kaart: {exc}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
        except ValidationError as exc:  # a setting from the environment that makes no sense
            reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
            typer.secho(f"kaart: {reasons}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None

    return wrapper


def _ready_url(settings: Settings) -> str:
    """Start the local cluster if we manage it, migrate, and return the URL."""
    from app import db, migrate

    url = db.prepare(settings)
    migrate.upgrade(url)
    return url


@app.command()
@clear_errors
def serve(host: str = typer.Option(None, help="Adres (standaard KAART_HOST)"),
          port: int = typer.Option(None, help="Poort (standaard KAART_PORT)")) -> None:
    """Migreer de database en serveer de site en de API."""
    import uvicorn

    from app.main import create_app

    settings = get_settings()
    # the default allowed host (and so the links in mail) follows --host/--port
    settings = settings.model_copy(update={"host": host or settings.host,
                                           "port": port or settings.port})
    _ready_url(settings)
    # our own loggers (kaart.*: mail in development mode, the mail worker) next to uvicorn's
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(levelname)s:     %(name)s: %(message)s")
    typer.echo(f"Voorzieningenkaart op http://{settings.host}:{settings.port}")
    where = "KAART_PUBLIC_URL" if settings.public_url else "eerste van KAART_ALLOWED_HOSTS"
    typer.echo(f"Openbaar adres voor links in e-mail: {settings.mail_url} ({where})")
    # proxy headers are read by the app itself (app.api.common.hosts), trusting
    # KAART_TRUSTED_PROXIES
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level=settings.log_level, proxy_headers=False,
                workers=1)  # one process per `kaart serve`; jobs live in the taak table


@db_app.command("start")
@clear_errors
def db_start() -> None:
    """Start de lokale PostGIS-database (alleen zonder DATABASE_URL)."""
    from app import cluster, db

    settings = get_settings()
    if settings.database_url:
        typer.echo("DATABASE_URL is gezet: er wordt geen lokale database gestart.")
        return
    local = cluster.cluster_for(settings)
    started = cluster.start(local)
    db.prepare(settings, start_local=False)
    state = "gestart" if started else "draaide al"
    typer.echo(f"Lokale database {state} op 127.0.0.1:{local.port} (data in {local.pgdata}).")


@db_app.command("stop")
@clear_errors
def db_stop() -> None:
    """Stop de lokale database netjes."""
    from app import cluster

    settings = get_settings()
    if settings.database_url:
        typer.echo("DATABASE_URL is gezet: er is geen lokale database om te stoppen.")
        return
    stopped = cluster.stop(cluster.cluster_for(settings))
    typer.echo("Lokale database gestopt." if stopped else "Lokale database draaide niet.")


@db_app.command("status")
@clear_errors
def db_status() -> None:
    """Laat zien welke database gebruikt wordt en of hij bereikbaar is."""
    from sqlalchemy.engine import make_url

    from app import cluster, db

    settings = get_settings()
    if settings.managed_db:
        local = cluster.cluster_for(settings)
        if not cluster.is_running(local):
            typer.echo(f"Lokale database gestopt (data in {local.pgdata}).")
            raise typer.Exit(1)
    url = db.database_url(settings)
    engine = db.make_engine(url)
    try:
        versions = db.server_versions(engine)
    finally:
        engine.dispose()
    where = make_url(url).render_as_string(hide_password=True)
    typer.echo(f"Database {where}: PostgreSQL {versions['postgresql']}, "
               f"PostGIS {versions['postgis'] or 'nog niet geïnstalleerd (kaart db migrate)'}.")


@db_app.command("migrate")
@clear_errors
def db_migrate() -> None:
    """Breng het databaseschema naar de nieuwste versie."""
    _ready_url(get_settings())
    typer.echo("Databaseschema is bijgewerkt.")


@demo_app.command("load")
@clear_errors
def demo_load() -> None:
    """Laad de demogemeente (idempotent); maakt een demobewoner en -medewerker aan."""
    from app.services import demo

    settings = get_settings()
    url = _ready_url(settings)
    report = demo.load(url, progress=_progress)
    typer.echo(report.summary())


@demo_app.command("generate")
@clear_errors
def demo_generate(groenvakken: int = typer.Option(50_000, min=1, max=5_000_000,
                                                  help="Aantal groenvakken"),
                  adressen: int | None = typer.Option(
                      None, min=0, max=1_000_000,
                      help="Aantal adressen van de grotere stad (standaard 7 per groenvak; "
                           "0: de stad van de demo blijven)"),
                  seed: int = typer.Option(1, help="Zaad voor de toevalsgenerator")) -> None:
    """Voeg een grote synthetische set groenvakken toe aan de demogemeente en maak de stad
    evenredig groter: meer straten en adressen (voor benchmarks)."""
    from app.services import demo

    url = _ready_url(get_settings())
    added = demo.generate(url, groenvakken, seed=seed, progress=_progress)
    typer.echo(f"{added} groenvakken toegevoegd (extern_id GEN…); oude GEN-set vervangen.")
    target = demo.ADRESSEN_PER_GROENVAK * groenvakken if adressen is None else adressen
    if target:
        changed = demo.generate_geografie(url, target, progress=_progress)
        typer.echo(f"Stad van {changed['adressen']} adressen en {changed['straten']} straten "
                   "gemaakt; kaart demo load zet de demostad terug.")


@app.command()
@clear_errors
def createuser(email: str = typer.Option(..., help="E-mailadres (inlognaam)"),
               rol: str = typer.Option("medewerker", help="bewoner, medewerker of beheerder"),
               naam: str = typer.Option("", help="Naam (alleen zichtbaar voor de gemeente)"),
               gemeente: str = typer.Option(None, help="Gemeentecode, bijv. GM9901")) -> None:
    """Maak een account aan; het wachtwoord wordt eenmalig getoond."""
    from app.services import accounts

    settings = get_settings()
    url = _ready_url(settings)
    password = accounts.create_from_cli(url, email=email, rol=rol, naam=naam,
                                        gemeente_code=gemeente or settings.gemeente)
    typer.echo(f"Account {email} ({rol}) aangemaakt. Wachtwoord (wordt niet opnieuw getoond): "
               f"{password}")


@app.command()
@clear_errors
def apikey(naam: str = typer.Option(..., help="Naam, bijv. het systeem dat de sleutel gebruikt"),
           rol: str = typer.Option("medewerker", help="medewerker of beheerder"),
           gemeente: str = typer.Option(None, help="Gemeentecode, bijv. GM9901")) -> None:
    """Maak een API-sleutel om te schrijven via /v1; de sleutel wordt eenmalig getoond."""
    from app.services import accounts

    settings = get_settings()
    plain = accounts.apikey_create_from_cli(_ready_url(settings), naam=naam, rol=rol,
                                            gemeente_code=gemeente or settings.gemeente)
    typer.echo(f"API-sleutel '{naam}' ({rol}) aangemaakt. Sleutel (wordt niet opnieuw getoond):")
    typer.echo(plain)


@mail_app.command("send")
@clear_errors
def mail_send(batch: int = typer.Option(500, min=1,
                                        help="Hoogstens zoveel mails per keer")) -> None:
    """Verstuur de mail die klaarstaat, één keer (bijvoorbeeld vanuit cron)."""
    from app import db
    from app.services import mail

    settings = get_settings()
    engine = db.make_engine(_ready_url(settings))
    try:
        report = mail.send_due(engine, mail.smtp_settings(settings), batch=batch)
    finally:
        engine.dispose()
    typer.echo(report.summary())
    if report.retrying or report.failed:
        raise typer.Exit(1)


def _progress(description: str, total: int | None) -> AbstractContextManager[Advance]:
    """A rich progress bar for long work; services call advance() on it."""
    from app.progress import bar

    return bar(description, total)


def main() -> None:
    """Console-script entry point."""
    import sys

    from app.cli.importeren import join_bereik

    app(args=join_bereik(sys.argv[1:]))
