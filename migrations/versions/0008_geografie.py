"""Addresses, streets, buildings, water and land use per gemeente, placed in wijk and buurt.

Revision ID: 0008
Revises: 0007
"""

from pathlib import Path

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("terrein", "water", "pand", "straat", "adres")
LAGEN = ("adressen", "straten", "panden", "water", "terrein")


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS gebied_plaatst_geografie_opnieuw ON gebied")
    op.execute("DROP FUNCTION IF EXISTS kaart_gebied_gewijzigd_geografie()")
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    op.execute("DROP FUNCTION IF EXISTS kaart_plaats_geografie()")
    op.execute("DELETE FROM laag_versie WHERE laag IN ({})".format(
        ", ".join(f"'{laag}'" for laag in LAGEN)))
    # pg_trgm stays: other schemas may use it, and it holds no data of ours
