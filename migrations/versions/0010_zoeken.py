"""Indexes for the town search: trigrams on gebied, groenvak and voorziening names.

Revision ID: 0010
Revises: 0009
"""

from pathlib import Path

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = ("gebied_naam_trgm_idx", "groenvak_naam_trgm_idx", "groenvak_extern_id_upper_idx",
           "voorziening_naam_trgm_idx")


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for index in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
