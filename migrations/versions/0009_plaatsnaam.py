"""A human name for every groenvak, after its place: the street and house numbers it faces,
a crossing, a named terrein (``groenvak.plaatsnaam``), kept right by triggers.

Revision ID: 0009
Revises: 0008
"""

from pathlib import Path

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS groenvak_plaatsnaam ON groenvak")
    op.execute("DROP FUNCTION IF EXISTS kaart_groenvak_plaatsnaam()")
    op.execute("DROP FUNCTION IF EXISTS kaart_plaats_groenvakken(varchar)")
    op.execute("DROP FUNCTION IF EXISTS kaart_plaatsnaam_uniek(varchar, text, integer)")
    op.execute("DROP FUNCTION IF EXISTS kaart_plaatsnaam_basis(geometry, varchar, text)")
    op.execute("ALTER TABLE groenvak DROP COLUMN IF EXISTS plaatsnaam, "
               "DROP COLUMN IF EXISTS plaatsnaam_basis")
