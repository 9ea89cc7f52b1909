"""The distinct street names of the addresses (kept by triggers), so an address search
matches names before it looks up numbers; and the (gemeente, straatnaam, huisnummer) index.

Revision ID: 0014
Revises: 0013
"""

from pathlib import Path

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TRIGGERS = ("adres_straatnamen_erbij", "adres_straatnamen_anders", "adres_straatnamen_weg",
            "adres_straatnamen_leeg")


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON adres")
    op.execute("DROP FUNCTION IF EXISTS kaart_adres_straatnamen()")
    op.execute("DROP INDEX IF EXISTS adres_straat_nummer_idx")
    op.execute("DROP TABLE IF EXISTS adres_straatnaam")
