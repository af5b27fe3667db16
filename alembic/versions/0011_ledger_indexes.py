"""ledger_indexes

Revision ID: 0011
Revises: 0010

Journal lines indexed by company, account (or partner), date, entry and line: the order a
ledger section's pages read them in, so a page walks the index from its cursor and stops at
its end. The account index replaces the one on company, account and date, its prefix.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('journal_line', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_line_company_account_date')
        batch_op.create_index('ix_journal_line_company_account_position', ['company_id', 'account_id', 'date', 'entry_id', 'id'], unique=False)
        batch_op.create_index('ix_journal_line_company_partner_position', ['company_id', 'partner_id', 'date', 'entry_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('journal_line', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_line_company_partner_position')
        batch_op.drop_index('ix_journal_line_company_account_position')
        batch_op.create_index('ix_journal_line_company_account_date', ['company_id', 'account_id', 'date'], unique=False)
