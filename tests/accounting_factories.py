"""Ledger records built through the accounting services and commands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.accounting import invoices, ledger
from domain.accounting.chart import journal_of_type, role_account
from domain.accounting.commands import RegisterPayment
from domain.accounting.models import (
    Account,
    JournalEntry,
    JournalLine,
    JournalType,
    MoveType,
    Payment,
    PaymentTerm,
    PaymentType,
)
from domain.catalog import services as catalog
from domain.catalog.models import TaxUse
from domain.core.uow import UnitOfWork
from tests.conftest import Db

DAY = dt.date(2026, 3, 1)


async def account(db: Db, role: str) -> Account:
    return await db.run(lambda uow: role_account(uow, db.company_id, role))


async def journal_id(db: Db, journal_type: JournalType) -> int:
    return (await db.run(lambda uow: journal_of_type(uow, db.company_id, journal_type))).id


async def term_id(db: Db, name: str) -> int:
    found = await db.scalar(
        select(PaymentTerm.id).where(
            PaymentTerm.company_id == db.company_id, PaymentTerm.name == name
        )
    )
    assert found is not None
    return int(found)


async def tax(db: Db, name: str, amount: str, use: TaxUse = TaxUse.SALE, **extra: Any) -> int:
    created = await db.run(
        lambda uow: catalog.create_tax(
            uow,
            db.company_id,
            {"name": name, "amount": Decimal(amount), "type_tax_use": use, **extra},
        )
    )
    return created.id


async def invoice(
    db: Db,
    partner_id: int,
    lines: list[tuple[str, str, list[int]]],
    *,
    move_type: MoveType = MoveType.OUT_INVOICE,
    term: int | None = None,
    date: dt.date = DAY,
    post: bool = True,
    currency: str | None = None,
) -> JournalEntry:
    """An invoice of (quantity, price, tax ids) lines, posted by default."""

    async def create(uow: UnitOfWork) -> JournalEntry:
        entry = await invoices.create_invoice(
            uow,
            db.company_id,
            move_type=move_type,
            partner_id=partner_id,
            date=date,
            payment_term_id=term,
            currency=currency,
            lines=[
                {
                    "name": f"Line {index + 1}",
                    "quantity": Decimal(qty),
                    "price_unit": Decimal(price),
                    "tax_ids": taxes,
                }
                for index, (qty, price, taxes) in enumerate(lines)
            ],
        )
        if post:
            await ledger.post_entry(uow, db.company_id, entry.id)
        return entry

    return await db.run(create)


async def pay(
    db: Db,
    partner_id: int,
    amount: str,
    invoice_ids: list[int],
    *,
    payment_type: PaymentType = PaymentType.INBOUND,
    date: dt.date = DAY,
    key: str | None = None,
    currency: str | None = None,
) -> Payment:
    bank = await journal_id(db, JournalType.BANK)
    return await db.dispatch(
        RegisterPayment(
            company_id=db.company_id,
            idempotency_key=key,
            payment_type=payment_type,
            partner_id=partner_id,
            amount=Decimal(amount),
            journal_id=bank,
            date=date,
            invoice_ids=tuple(invoice_ids),
            currency=currency,
        )
    )


async def reload(db: Db, entry_id: int) -> JournalEntry:
    async with db.sessions() as session:
        entry = await session.get(JournalEntry, entry_id)
    assert entry is not None
    return entry


async def lines_of(db: Db, entry_id: int) -> list[tuple[str, str, str, dt.date | None]]:
    """(account code, debit, credit, due date) per line, in order."""
    async with db.sessions() as session:
        rows = await session.execute(
            select(Account.code, JournalLine.debit, JournalLine.credit, JournalLine.date_maturity)
            .join(Account, Account.id == JournalLine.account_id)
            .where(JournalLine.entry_id == entry_id)
            .order_by(JournalLine.sequence, JournalLine.id)
        )
        return [(code, f"{debit:.2f}", f"{credit:.2f}", due) for code, debit, credit, due in rows]
