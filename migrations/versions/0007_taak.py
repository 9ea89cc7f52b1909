"""Background jobs (imports, exports) in a table of their own: state, progress, result and the
heartbeat of the process that runs them, so every process can answer for every job.

Revision ID: 0007
Revises: 0006
"""

from pathlib import Path

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS taak")
