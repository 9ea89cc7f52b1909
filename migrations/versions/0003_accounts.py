"""Sessions, one-time tokens and login attempts for resident accounts.

Revision ID: 0003
Revises: 0002
"""

from pathlib import Path

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for table in ("login_poging", "token", "sessie"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
