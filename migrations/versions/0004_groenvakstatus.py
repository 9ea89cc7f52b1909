"""The groenvak status rule as one SQL function, used by the view, the API and the tiles.

Revision ID: 0004
Revises: 0003
"""

from pathlib import Path

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VIEW_0001 = """
CREATE OR REPLACE VIEW groenvak_status AS
SELECT g.id AS groenvak_id,
       CASE WHEN NOT g.zelfbeheer_mogelijk OR g.vervallen_op IS NOT NULL THEN 'niet_beschikbaar'
            WHEN a.status = 'actief' THEN 'in_zelfbeheer'
            WHEN a.status IN ('concept', 'aangevraagd') THEN 'aangevraagd'
            ELSE 'beschikbaar' END AS status,
       a.id AS adoptie_id,
       CASE WHEN a.groepsnaam_openbaar THEN a.groepsnaam END AS openbare_groepsnaam
  FROM groenvak g
  LEFT JOIN adoptie a ON a.groenvak_id = g.id AND a.status IN ('concept', 'aangevraagd', 'actief')
"""


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    op.execute(VIEW_0001)
    op.execute("DROP FUNCTION IF EXISTS kaart_groenvak_status(boolean, date, text)")
