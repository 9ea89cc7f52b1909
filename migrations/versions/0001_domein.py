"""The domain model of DOMAIN.md, its constraints and spatial-join triggers.

Revision ID: 0001
Revises:
"""

from pathlib import Path

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

VIEWS = ["groenvak_status"]
TABLES = ["audit_log", "mail_outbox", "api_sleutel", "voorstel", "schouw", "foto", "onderhoud",
          "deelname", "adoptie", "groenvak", "voorziening", "gebruiker", "categorie", "gebied",
          "gemeente"]
FUNCTIONS = ["kaart_plaats_in_gebied", "kaart_gebied_gewijzigd", "kaart_gewijzigd_op"]


def upgrade() -> None:
    sql = Path(__file__).with_suffix(".sql").read_text()
    op.get_bind().exec_driver_sql(sql)


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {function}() CASCADE")
