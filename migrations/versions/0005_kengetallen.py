"""Bebouwde kom and the cache of figures per wijk/dorp, with how it learns of changes.

Revision ID: 0005
Revises: 0004
"""

from pathlib import Path

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for table in ("adoptie", "deelname", "onderhoud"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_kengetal_vuil ON {table}")
    op.execute("DROP FUNCTION IF EXISTS kaart_kengetal_vuil_groep()")
    op.execute("DROP FUNCTION IF EXISTS kaart_kengetal_vuil_adoptie()")
    op.execute("DROP TRIGGER IF EXISTS bebouwde_kom_laag ON bebouwde_kom")
    op.execute("DELETE FROM laag_versie WHERE laag = 'bebouwde_kom'")
    op.execute("DROP TABLE IF EXISTS kengetal_vuil")
    op.execute("DROP TABLE IF EXISTS kengetal_cache")
    op.execute("DROP TABLE IF EXISTS bebouwde_kom")
