"""bank_statements

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 12:18:08.726949

Bank statements imported from bank files, and their lines: signed amounts, the partner as
named in the file, a per-journal import key against duplicates, the state of each line and
the payment or entry recording it once reconciled.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bank_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('currency_id', sa.Integer(), nullable=False),
    sa.Column('balance_start', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('balance_end', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('lines_total', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_bank_statement_company_id_company')),
    sa.ForeignKeyConstraint(['currency_id'], ['currency.id'], name=op.f('fk_bank_statement_currency_id_currency')),
    sa.ForeignKeyConstraint(['journal_id'], ['journal.id'], name=op.f('fk_bank_statement_journal_id_journal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statement')),
    sa.UniqueConstraint('company_id', 'idempotency_key', name=op.f('uq_bank_statement_company_id_idempotency_key')),
    sa.UniqueConstraint('journal_id', 'name', name=op.f('uq_bank_statement_journal_id_name'))
    )
    with op.batch_alter_table('bank_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_statement_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_journal_id'), ['journal_id'], unique=False)

    op.create_table('bank_statement_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('currency_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=400), nullable=False),
    sa.Column('partner_name', sa.String(length=200), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('transaction_id', sa.String(length=100), nullable=True),
    sa.Column('import_key', sa.String(length=120), nullable=False),
    sa.Column('state', sa.Enum('open', 'reconciled', name='statementlinestate', native_enum=False, length=32), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_bank_statement_line_company_id_company')),
    sa.ForeignKeyConstraint(['currency_id'], ['currency.id'], name=op.f('fk_bank_statement_line_currency_id_currency')),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'], name=op.f('fk_bank_statement_line_entry_id_journal_entry')),
    sa.ForeignKeyConstraint(['journal_id'], ['journal.id'], name=op.f('fk_bank_statement_line_journal_id_journal')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_bank_statement_line_partner_id_partner')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_bank_statement_line_payment_id_payment')),
    sa.ForeignKeyConstraint(['statement_id'], ['bank_statement.id'], name=op.f('fk_bank_statement_line_statement_id_bank_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statement_line')),
    sa.UniqueConstraint('journal_id', 'import_key', name=op.f('uq_bank_statement_line_journal_id_import_key'))
    )
    with op.batch_alter_table('bank_statement_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_statement_line_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_line_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_line_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_line_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_line_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_line_statement_id'), ['statement_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bank_statement_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_statement_line_statement_id'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_line_state'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_line_payment_id'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_line_partner_id'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_line_entry_id'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_line_company_id'))

    op.drop_table('bank_statement_line')
    with op.batch_alter_table('bank_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_statement_journal_id'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_date'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_company_id'))

    op.drop_table('bank_statement')
