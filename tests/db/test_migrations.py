"""The migration chain goes from empty to head and back to base, and matches the models."""

from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)
from app import migrate
from app.config import Settings
from tests.conftest import fresh_database


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        names = set(inspect(engine).get_table_names()) - {"spatial_ref_sys", "alembic_version"}
    finally:
        engine.dispose()
    return names


def test_upgrade_downgrade_upgrade(settings: Settings) -> None:
    url = fresh_database(settings, "kaart_test_migraties")
    assert _tables(url) == set()
    migrate.upgrade(url)
    assert _tables(url) == set(SQLModel.metadata.tables)
    migrate.downgrade(url, "base")
    assert _tables(url) == set()
    migrate.upgrade(url)
    assert _tables(url) == set(SQLModel.metadata.tables)


def test_models_mirror_the_migrated_schema(engine) -> None:  # type: ignore[no-untyped-def]
    inspector = inspect(engine)
    for name, table in SQLModel.metadata.tables.items():
        reflected = {c["name"]: c for c in inspector.get_columns(name)}
        assert set(reflected) == set(table.columns.keys()), name
        for column in table.columns:
            if column.primary_key or column.computed is not None:
                continue
            assert reflected[column.name]["nullable"] == column.nullable, (name, column.name)
