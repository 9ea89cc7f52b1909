"""Layer versions for caches; adopties touch their groenvak.

Revision ID: 0002
Revises: 0001
"""

from pathlib import Path

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS adoptie_raakt_groenvak ON adoptie")
    for table in ("gebied", "voorziening", "categorie", "groenvak"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_laag ON {table}")
    op.execute("DROP FUNCTION IF EXISTS kaart_adoptie_raakt_groenvak()")
    op.execute("DROP FUNCTION IF EXISTS kaart_laag_gewijzigd()")
    op.execute("DROP TABLE IF EXISTS laag_versie")
