"""The ledger's rules: chart per company, balanced posting, gap-free numbers, lock date,
frozen posted entries and reversals."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.accounting import chart, ledger
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import Account, EntryState, Journal, JournalEntry, JournalType
from tests.accounting_factories import DAY, account, journal_id, lines_of, reload
from tests.conftest import Db, postgres_only


async def _entry(db: Db, debit: str, credit: str, date: dt.date = DAY, post: bool = True) -> int:
    bank = await account(db, "bank")
    equity = await account(db, "equity")
    misc = await journal_id(db, JournalType.GENERAL)

    async def create(uow):  # type: ignore[no-untyped-def]
        entry = await ledger.create_entry(
            uow,
            db.company_id,
            journal_id=misc,
            date=date,
            lines=[
                {"account_id": bank.id, "debit": Decimal(debit)},
                {"account_id": equity.id, "credit": Decimal(credit)},
            ],
        )
        if post:
            await ledger.post_entry(uow, db.company_id, entry.id)
        return entry.id

    return await db.run(create)


async def test_every_company_gets_the_chart_and_journals(db: Db) -> None:
    accounts = await db.scalar(
        select(func.count()).select_from(Account).where(Account.company_id == db.company_id)
    )
    assert accounts == len(chart.CHART_TEMPLATE) == 17
    async with db.sessions() as session:
        codes = set(
            await session.scalars(select(Journal.code).where(Journal.company_id == db.company_id))
        )
    assert codes == {"INV", "BILL", "BNK", "CSH", "MISC", "STJ"}
    receivable = await account(db, "receivable")
    assert receivable.reconcile and receivable.code == "1100"


async def test_posting_numbers_gap_free_per_journal_and_year(db: Db) -> None:
    first = await _entry(db, "100.00", "100.00")
    second = await _entry(db, "50.00", "50.00")
    next_year = await _entry(db, "10.00", "10.00", dt.date(2027, 1, 2))
    numbers = [(await reload(db, entry)).number for entry in (first, second, next_year)]
    assert numbers == ["MISC/2026/00001", "MISC/2026/00002", "MISC/2027/00001"]


async def test_unbalanced_entry_is_refused_and_takes_no_number(db: Db) -> None:
    with pytest.raises(AccountingError) as refused:
        await _entry(db, "100.00", "99.99")
    assert refused.value.code is AccountingErrorCode.UNBALANCED
    # The refused posting rolled back: the next entry still gets number 1.
    entry = await _entry(db, "1.00", "1.00")
    assert (await reload(db, entry)).number == "MISC/2026/00001"


async def test_lock_date_refuses_postings_on_or_before_it(db: Db) -> None:
    await db.run(lambda uow: chart.set_lock_date(uow, db.company_id, DAY))
    draft = await _entry(db, "5.00", "5.00", post=False)
    with pytest.raises(AccountingError) as refused:
        await db.run(lambda uow: ledger.post_entry(uow, db.company_id, draft))
    assert refused.value.code is AccountingErrorCode.LOCKED_PERIOD
    later = await _entry(db, "5.00", "5.00", DAY + dt.timedelta(days=1))
    assert (await reload(db, later)).state is EntryState.POSTED


async def test_posted_entries_are_frozen(db: Db) -> None:
    entry_id = await _entry(db, "20.00", "20.00")
    with pytest.raises(AccountingError) as twice:
        await db.run(lambda uow: ledger.post_entry(uow, db.company_id, entry_id))
    assert twice.value.code is AccountingErrorCode.INVALID_TRANSITION
    with pytest.raises(AccountingError) as cancel:
        await db.run(lambda uow: ledger.cancel_entry(uow, db.company_id, entry_id))
    assert cancel.value.code is AccountingErrorCode.POSTED
    bank = await account(db, "bank")

    async def add(uow):  # type: ignore[no-untyped-def]
        entry = await ledger.get_entry(uow, db.company_id, entry_id)
        await ledger.add_lines(uow, entry, [{"account_id": bank.id, "debit": Decimal(1)}], None)  # type: ignore[arg-type]

    with pytest.raises(AccountingError) as change:
        await db.run(add)
    assert change.value.code is AccountingErrorCode.POSTED


async def test_reversal_mirrors_a_posted_entry(db: Db) -> None:
    entry_id = await _entry(db, "75.00", "75.00")
    reversal = await db.run(lambda uow: ledger.reverse_entry(uow, db.company_id, entry_id))
    assert reversal.number == "MISC/2026/00002"
    assert reversal.reversed_entry_id == entry_id
    assert [line[:3] for line in await lines_of(db, reversal.id)] == [
        ("1000", "0.00", "75.00"),
        ("3000", "75.00", "0.00"),
    ]
    with pytest.raises(AccountingError) as twice:
        await db.run(lambda uow: ledger.reverse_entry(uow, db.company_id, entry_id))
    assert twice.value.code is AccountingErrorCode.INVALID_TRANSITION
    assert str(twice.value) == "MISC/2026/00001 is reversed already by MISC/2026/00002."


async def test_draft_can_be_cancelled(db: Db) -> None:
    draft = await _entry(db, "5.00", "5.00", post=False)
    cancelled = await db.run(lambda uow: ledger.cancel_entry(uow, db.company_id, draft))
    assert cancelled.state is EntryState.CANCEL
    assert cancelled.number is None
    assert await db.scalar(select(func.count()).select_from(JournalEntry)) == 1


@postgres_only
async def test_concurrent_postings_of_one_invoice_post_it_once(db: Db) -> None:
    from tests.accounting_factories import invoice
    from tests.stock import make_customer

    customer = await make_customer(db)
    draft = await invoice(db, customer, [("1", "10.00", [])], post=False)

    async def post() -> str:
        try:
            entry = await db.run(lambda uow: ledger.post_entry(uow, db.company_id, draft.id))
            return entry.number or ""
        except AccountingError as error:
            return error.code.name

    results = await asyncio.gather(*(post() for _ in range(8)))
    assert sorted(results) == ["INV/2026/00001"] + ["INVALID_TRANSITION"] * 7
    numbered = await db.scalar(
        select(func.count()).select_from(JournalEntry).where(JournalEntry.number.is_not(None))
    )
    assert numbered == 1
