"""Search without accents or case: an IMMUTABLE unaccent wrapper and trigram indexes on it.

Revision ID: 0012
Revises: 0010
"""

from pathlib import Path

from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

NEW = ("adres_straatnaam_zoek_idx", "straat_naam_zoek_idx", "gebied_naam_zoek_idx",
       "groenvak_naam_zoek_idx", "voorziening_naam_zoek_idx")
OLD = (("adres_straatnaam_trgm_idx", "adres", "straatnaam"),
       ("straat_naam_trgm_idx", "straat", "naam"),
       ("gebied_naam_trgm_idx", "gebied", "naam"),
       ("groenvak_naam_trgm_idx", "groenvak", "naam"),
       ("voorziening_naam_trgm_idx", "voorziening", "naam"))


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for index in NEW:
        op.execute(f"DROP INDEX IF EXISTS {index}")
    op.execute("DROP FUNCTION IF EXISTS kaart_zoektekst(text)")
    for index, table, column in OLD:
        op.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
                   f"USING gin ({column} gin_trgm_ops)")
    # unaccent stays, like pg_trgm in 0008: other schemas may use it, and it holds no data of ours
