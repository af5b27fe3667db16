"""multi_currency

Revision ID: 0009
Revises: 0008

Currency rates per company and date; journal lines keep their open amount in their own
currency; matches keep each side's share in its currency and the exchange difference entry
they booked.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=20, scale=6)


def upgrade() -> None:
    op.create_table(
        "currency_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=24, scale=12), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_currency_rate_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["currency_id"], ["currency.id"], name=op.f("fk_currency_rate_currency_id_currency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_currency_rate")),
        sa.UniqueConstraint(
            "company_id",
            "currency_id",
            "date",
            name=op.f("uq_currency_rate_company_id_currency_id_date"),
        ),
    )
    with op.batch_alter_table("currency_rate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_currency_rate_company_id"), ["company_id"], unique=False
        )

    with op.batch_alter_table("journal_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("amount_residual_currency", MONEY, nullable=False, server_default="0")
        )
    # Every line so far is in the company's currency.
    op.execute("UPDATE journal_line SET amount_residual_currency = amount_residual")

    with op.batch_alter_table("partial_reconcile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("debit_amount_currency", MONEY, nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("credit_amount_currency", MONEY, nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("exchange_entry_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_partial_reconcile_exchange_entry_id_journal_entry"),
            "journal_entry",
            ["exchange_entry_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_partial_reconcile_exchange_entry_id"),
            ["exchange_entry_id"],
            unique=False,
        )
        batch_op.add_column(sa.Column("exchange_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_partial_reconcile_exchange_of_id_partial_reconcile"),
            "partial_reconcile",
            ["exchange_of_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_partial_reconcile_exchange_of_id"), ["exchange_of_id"], unique=False
        )
    op.execute(
        "UPDATE partial_reconcile SET debit_amount_currency = amount, "
        "credit_amount_currency = amount"
    )


def downgrade() -> None:
    with op.batch_alter_table("partial_reconcile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partial_reconcile_exchange_of_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_partial_reconcile_exchange_of_id_partial_reconcile"),
            type_="foreignkey",
        )
        batch_op.drop_column("exchange_of_id")
        batch_op.drop_index(batch_op.f("ix_partial_reconcile_exchange_entry_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_partial_reconcile_exchange_entry_id_journal_entry"),
            type_="foreignkey",
        )
        batch_op.drop_column("exchange_entry_id")
        batch_op.drop_column("credit_amount_currency")
        batch_op.drop_column("debit_amount_currency")
    with op.batch_alter_table("journal_line", schema=None) as batch_op:
        batch_op.drop_column("amount_residual_currency")
    with op.batch_alter_table("currency_rate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_currency_rate_company_id"))
    op.drop_table("currency_rate")
