"""sale_invoice_status

Revision ID: 0008
Revises: 0005

Each sales order's invoice status (nothing, to invoice, invoiced, upselling), kept with its
lines' quantities to invoice so orders to invoice can be listed with an index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sale_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "invoice_status",
                sa.Enum(
                    "nothing",
                    "to_invoice",
                    "invoiced",
                    "upselling",
                    name="invoicestatus",
                    native_enum=False,
                    length=32,
                ),
                server_default="nothing",
                nullable=False,
            )
        )
        batch_op.create_index(
            batch_op.f("ix_sale_order_invoice_status"), ["invoice_status"], unique=False
        )
    # Orders confirmed before: to invoice when a line has something to invoice, invoiced
    # when every line is invoiced in full.
    op.execute(
        "UPDATE sale_order SET invoice_status = CASE"
        " WHEN EXISTS (SELECT 1 FROM sale_order_line l WHERE l.order_id = sale_order.id"
        " AND l.qty_to_invoice <> 0) THEN 'to_invoice'"
        " WHEN NOT EXISTS (SELECT 1 FROM sale_order_line l WHERE l.order_id = sale_order.id"
        " AND l.qty_invoiced < l.quantity) THEN 'invoiced'"
        " ELSE 'nothing' END"
        " WHERE state IN ('sale', 'done')"
    )


def downgrade() -> None:
    with op.batch_alter_table("sale_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sale_order_invoice_status"))
        batch_op.drop_column("invoice_status")
