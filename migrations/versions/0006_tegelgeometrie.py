"""A stored Web Mercator copy of the geometry of every tiled layer, with its GiST index.

Revision ID: 0006
Revises: 0005
"""

from pathlib import Path

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("groenvak", "voorziening", "gebied")


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP INDEX IF EXISTS {table}_geometrie_3857_idx")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS geometrie_3857")
