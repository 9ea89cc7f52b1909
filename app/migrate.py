"""Run Alembic from code, so `kaart` and the tests migrate the same way."""

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import DBAPIError, OperationalError

from app.config import PROJECT_DIR
from app.db import explain_connection_error
from app.errors import SetupError


def alembic_config(url: str) -> Config:
    """Alembic configured for one database URL."""
    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to `revision`; clear messages for the usual setup faults."""
    try:
        command.upgrade(alembic_config(url), revision)
    except OperationalError as exc:
        raise SetupError(explain_connection_error(exc, url)) from None
    except DBAPIError as exc:
        if "postgis" in str(exc.orig).lower() and "extension" in str(exc.orig).lower():
            raise SetupError(
                "PostGIS ontbreekt op de databaseserver: installeer het pakket postgresql-postgis "
                "daar, of laat de beheerder `CREATE EXTENSION postgis` uitvoeren."
            ) from None
        raise


def downgrade(url: str, revision: str = "base") -> None:
    """Take the schema back to `revision` (tests go to base and up again)."""
    command.downgrade(alembic_config(url), revision)
