"""Search without accents or case: an IMMUTABLE unaccent wrapper, a stored copy of each
searched name through it, and the trigram indexes on those copies.

Revision ID: 0012
Revises: 0011
"""

from pathlib import Path

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NEW = (("adres", "straatnaam_zoek"), ("straat", "naam_zoek"), ("gebied", "naam_zoek"),
       ("groenvak", "naam_zoek"), ("voorziening", "naam_zoek"))  # their indexes go with them
OLD = (("adres_straatnaam_trgm_idx", "adres", "straatnaam"),
       ("straat_naam_trgm_idx", "straat", "naam"),
       ("gebied_naam_trgm_idx", "gebied", "naam"),
       ("groenvak_naam_trgm_idx", "groenvak", "naam"),
       ("voorziening_naam_trgm_idx", "voorziening", "naam"))


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for table, column in NEW:
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
    op.execute("DROP FUNCTION IF EXISTS kaart_zoektekst(text)")
    for index, table, column in OLD:
        op.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
                   f"USING gin ({column} gin_trgm_ops)")
    op.execute("""DO $$ BEGIN
        ALTER FUNCTION similarity_op(text, text) COST 1;
        ALTER FUNCTION word_similarity_op(text, text) COST 1;
        ALTER FUNCTION word_similarity_commutator_op(text, text) COST 1;
    EXCEPTION WHEN insufficient_privilege THEN NULL; END $$""")
    # unaccent stays, like pg_trgm in 0008: other schemas may use it, and it holds no data of ours
