"""command_idempotency

Revision ID: 0015
Revises: 0014

Payments and bank statements no longer keep an idempotency key of their own: the dispatcher's
idempotency records answer a retried command for every use case.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("payment", "bank_statement")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"uq_{table}_company_id_idempotency_key"), type_="unique"
            )
            batch_op.drop_column("idempotency_key")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("idempotency_key", sa.String(length=120), nullable=True))
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_company_id_idempotency_key"),
                ["company_id", "idempotency_key"],
            )
