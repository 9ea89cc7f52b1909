"""The street network as a graph for pgRouting: junctions, edges, where addresses join the
network, and the walking distance of every address to the nearest voorziening per category.

Revision ID: 0011
Revises: 0010
"""

from pathlib import Path

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().exec_driver_sql(Path(__file__).with_suffix(".sql").read_text())


def downgrade() -> None:
    for table in ("afstand_stand", "netwerk_stand", "adres_afstand", "adres_aansluiting",
                  "netwerk_rand", "knoop"):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    # pgrouting stays: other schemas may use it, and it holds no data of ours
