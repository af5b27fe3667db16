"""origins

Revision ID: 0014
Revises: 0012

Pickings, moves and invoice lines record the document they were made for as an origin
(kind + ID) instead of a sales column: `sale_order_id` becomes ('sale.order', id) and
`sale_line_id` ('sale.line', id). The free-text `origin` of pickings and moves, the source
document's name, is renamed `origin_name`.

The columns are added, dropped and renamed in place (SQLite 3.35 and later alter them
natively), so no table is copied: a batch copy of `stock_picking` or `stock_move` would drop
a table other rows reference, which SQLite refuses with foreign keys on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, old column, origin kind) of every reference that becomes an origin.
REFERENCES = (
    ("stock_picking", "sale_order_id", "sale.order"),
    ("stock_move", "sale_line_id", "sale.line"),
    ("invoice_line", "sale_line_id", "sale.line"),
)
#: Tables whose free-text `origin` is renamed `origin_name`.
NAMED = ("stock_picking", "stock_move")


def upgrade() -> None:
    for table, column, kind in REFERENCES:
        op.add_column(table, sa.Column("origin_kind", sa.String(length=32), nullable=True))
        op.add_column(table, sa.Column("origin_id", sa.Integer(), nullable=True))
        op.execute(
            sa.text(
                f"UPDATE {table} SET origin_kind = :kind, origin_id = {column}"
                f" WHERE {column} IS NOT NULL"
            ).bindparams(kind=kind)
        )
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_column(table, column)
        op.create_index(f"ix_{table}_origin", table, ["origin_kind", "origin_id"])
    for table in NAMED:
        op.alter_column(table, "origin", new_column_name="origin_name")


def downgrade() -> None:
    for table in NAMED:
        op.alter_column(table, "origin_name", new_column_name="origin")
    for table, column, kind in REFERENCES:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        # Origins of other kinds had no column before; they are lost.
        op.execute(
            sa.text(
                f"UPDATE {table} SET {column} = origin_id WHERE origin_kind = :kind"
            ).bindparams(kind=kind)
        )
        op.create_index(f"ix_{table}_{column}", table, [column])
        op.drop_index(f"ix_{table}_origin", table_name=table)
        op.drop_column(table, "origin_id")
        op.drop_column(table, "origin_kind")
