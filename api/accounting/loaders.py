"""Batched reads of the ledger: partner balances, invoices of partners, payments of
invoices. One statement per batch, however many parents ask."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased
from strawberry.dataloader import DataLoader

from api.context import Info
from api.loaders import grouped
from domain.accounting.models import (
    INVOICE_TYPES,
    EntryState,
    JournalEntry,
    JournalLine,
    LineKind,
    PartialReconcile,
    Payment,
)


def partner_balances(info: Info) -> DataLoader[int, Decimal]:
    """What each partner owes us (positive) or we owe them (negative), still open."""
    context = info.context

    async def load(keys: Sequence[int]) -> list[Decimal]:
        rows = await context.session.execute(
            select(JournalLine.partner_id, func.sum(JournalLine.amount_residual))
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(
                JournalLine.company_id == context.company_id,
                JournalLine.partner_id.in_(keys),
                JournalLine.kind == LineKind.PAYMENT_TERM,
                JournalEntry.state == EntryState.POSTED,
            )
            .group_by(JournalLine.partner_id)
        )
        found = {partner: Decimal(total or 0) for partner, total in rows}
        return [found.get(key, Decimal(0)) for key in keys]

    return context.loaders.get("accounting.partner_balance", lambda: DataLoader(load_fn=load))


def partner_invoices(info: Info) -> DataLoader[int, list[JournalEntry]]:
    context = info.context

    async def load(keys: Sequence[int]) -> list[list[JournalEntry]]:
        rows = await context.session.scalars(
            select(JournalEntry)
            .where(
                JournalEntry.company_id == context.company_id,
                JournalEntry.partner_id.in_(keys),
                JournalEntry.move_type.in_(INVOICE_TYPES),
            )
            .order_by(JournalEntry.date, JournalEntry.id)
        )
        return grouped(((row.partner_id or 0, row) for row in rows), keys)

    return context.loaders.get("accounting.partner_invoices", lambda: DataLoader(load_fn=load))


def invoice_payments(info: Info) -> DataLoader[int, list[Payment]]:
    """Payments matched with each invoice's lines."""
    context = info.context

    async def load(keys: Sequence[int]) -> list[list[Payment]]:
        own = aliased(JournalLine)
        other = aliased(JournalLine)
        rows = await context.session.execute(
            select(own.entry_id, Payment)
            .join(
                PartialReconcile,
                or_(
                    PartialReconcile.debit_line_id == own.id,
                    PartialReconcile.credit_line_id == own.id,
                ),
            )
            .join(
                other,
                and_(
                    other.id != own.id,
                    or_(
                        PartialReconcile.debit_line_id == other.id,
                        PartialReconcile.credit_line_id == other.id,
                    ),
                ),
            )
            .join(Payment, Payment.entry_id == other.entry_id)
            .where(own.entry_id.in_(keys), Payment.company_id == context.company_id)
            .distinct()
            .order_by(own.entry_id, Payment.id)
        )
        return grouped(rows, keys)

    return context.loaders.get("accounting.invoice_payments", lambda: DataLoader(load_fn=load))
