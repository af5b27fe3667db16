"""Bank statements: CSV import, duplicates, balances, refused values, partner names, matching
ranks, reconciliation by payment or against an account, automatic reconciliation, undoing, and
under concurrency one payment per line and chained balances."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from domain.accounting import ledger, statements
from domain.accounting.commands import ImportBankStatement
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import (
    BankStatement,
    BankStatementLine,
    JournalEntry,
    JournalLine,
    JournalType,
    MoveType,
    Payment,
    PaymentState,
    StatementLineState,
)
from domain.accounting.statements import MatchRank
from domain.core.dispatcher import IdempotencyConflict
from domain.core.errors import CoreErrorCode
from tests.accounting_factories import account, invoice, journal_id, lines_of, reload
from tests.conftest import Db, postgres_only
from tests.stock import make_customer

FILE = """Booking Date;Description;Debit;Credit;Counterparty;Transaction ID
2026-03-05;Payment INV/2026/00001;;230.00;azure interior;T-1
2026-03-06;Bank fee March;12.50;;;T-2
"""


async def _import(db: Db, csv_text: str, **extra: Any) -> BankStatement:
    bank = await journal_id(db, JournalType.BANK)
    return await db.run(
        lambda uow: statements.import_statement(
            uow,
            db.company_id,
            journal_id=bank,
            csv_text=csv_text,
            **extra,
        )
    )


async def _refused(db: Db, csv_text: str, **extra: Any) -> AccountingError:
    with pytest.raises(AccountingError) as refused:
        await _import(db, csv_text, **extra)
    return refused.value


async def _lines(db: Db, statement_id: int) -> list[BankStatementLine]:
    async with db.sessions() as session:
        return list(
            await session.scalars(
                select(BankStatementLine)
                .where(BankStatementLine.statement_id == statement_id)
                .order_by(BankStatementLine.sequence)
            )
        )


async def _count(db: Db, model: type) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)))


async def _candidates(db: Db, line_ids: list[int]) -> dict[int, list[tuple[str, MatchRank]]]:
    async with db.sessions() as session:
        found = await statements.match_candidates(session, db.company_id, line_ids)
        numbers = {
            candidate.invoice_id: (await reload(db, candidate.invoice_id)).number
            for candidates in found.values()
            for candidate in candidates
        }
    return {
        line_id: [(numbers[c.invoice_id] or "", c.rank) for c in found.get(line_id, [])]
        for line_id in line_ids
    }


async def _reconcile(db: Db, line_id: int, **choice: Any) -> BankStatementLine:
    return await db.run(
        lambda uow: statements.reconcile_statement_line(
            uow,
            db.company_id,
            line_id,
            **choice,
        )
    )


async def test_import_reads_aliases_signs_and_partners(db: Db) -> None:
    customer = await make_customer(db)
    statement = await _import(db, FILE, balance_start=Decimal("1000.00"))
    assert statement.name == "BNK/ST/2026/00001"
    assert statement.date.isoformat() == "2026-03-06"
    # 1000.00 + 230.00 − 12.50 = 1217.50.
    assert (statement.balance_start, statement.lines_total, statement.balance_end) == (
        Decimal("1000.00"),
        Decimal("217.50"),
        Decimal("1217.50"),
    )
    lines = await _lines(db, statement.id)
    assert [
        (line.amount, line.label, line.partner_name, line.partner_id, line.transaction_id)
        for line in lines
    ] == [
        (Decimal("230.00"), "Payment INV/2026/00001", "azure interior", customer, "T-1"),
        (Decimal("-12.50"), "Bank fee March", None, None, "T-2"),
    ]
    assert {line.state for line in lines} == {StatementLineState.OPEN}
    # The next statement starts where this one ended.
    following = await _import(db, "date,amount,memo\n2026-03-10,-17.50,Card\n")
    assert (following.name, following.balance_start, following.balance_end) == (
        "BNK/ST/2026/00002",
        Decimal("1217.50"),
        Decimal("1200.00"),
    )


async def test_amount_column_and_comma_separated_file(db: Db) -> None:
    statement = await _import(
        db,
        "Date,Amount,Label,Reference,Partner\n"
        '2026-03-02,99.90,"Order 42, thanks",RF18 5390,Nobody Known\n',
    )
    [line] = await _lines(db, statement.id)
    assert (line.amount, line.label, line.partner_id) == (
        Decimal("99.90"),
        "Order 42, thanks RF18 5390",
        None,
    )


@pytest.mark.parametrize(
    ("csv_text", "code", "field", "words"),
    [
        (
            FILE.replace(";12.50;", ";12,50;"),
            "INVALID",
            ["csv", "3", "debit"],
            "Line 3, column 'Debit'",
        ),
        (FILE.replace("2026-03-06", "06/03/2026"), "INVALID", ["csv", "3", "date"], "not a date"),
        (FILE.replace(";;230.00;", ";5.00;230.00;"), "INVALID", ["csv", "2", "credit"], "not both"),
        (FILE.replace(";;230.00;", ";;230.001;"), "INVALID", ["csv", "2", "credit"], "decimals"),
        (FILE.replace("T-2", "T-1"), "UNIQUE", ["csv", "3", "transaction_id"], "line 2 too"),
        ("Date;Text\n2026-03-01;x\n", "REQUIRED", ["csv"], "no amount column"),
        ("Amount\n1.00\n", "REQUIRED", ["csv"], "no date column"),
        ("Date,Amount\n", "REQUIRED", ["csv"], "no transactions"),
        ("Date,Amount\n2026-03-01,0.00\n", "REQUIRED", ["csv", "2", "amount"], "required"),
        # Beyond the 14 digits before the point that Numeric(20, 6) keeps.
        ("Date,Amount\n2026-03-01,1e30\n", "INVALID", ["csv", "2", "amount"], "too large"),
        (
            "Date,Amount\n2026-03-01,100000000000000.00\n",
            "INVALID",
            ["csv", "2", "amount"],
            "below 100000000000000",
        ),
        (
            'Date,Amount,Label\n2026-03-01,1.00,"' + "x" * 200_000 + '"\n',
            "INVALID",
            ["csv", "2"],
            "field larger than field limit",
        ),
        ("Date,Amount,Label\n2026-03-01,1.00,a\x00b\n", "INVALID", ["csv", "2", "label"], "NUL"),
        (
            "Date,Amount,Label\n2026-03-01,1.00,a\ud800b\n",
            "INVALID",
            ["csv", "2", "label"],
            "not valid Unicode",
        ),
        (
            "Date,Amount,Partner\n2026-03-01,1.00," + "P" * 201 + "\n",
            "INVALID",
            ["csv", "2", "partner"],
            "at most 200 characters",
        ),
    ],
)
async def test_bad_files_name_line_and_column_and_save_nothing(
    db: Db, csv_text: str, code: str, field: list[str], words: str
) -> None:
    error = await _refused(db, csv_text)
    assert (error.code.name, error.field) == (code, field)
    assert words in error.message
    assert await _count(db, BankStatement) == 0
    assert await _count(db, BankStatementLine) == 0


async def test_lines_may_end_with_cr_lf_or_cr(db: Db) -> None:
    for ending, day in (("\r\n", "01"), ("\r", "02")):
        statement = await _import(
            db, ending.join(["Date,Amount,Label", f"2026-03-{day},-3.20,Coffee", ""])
        )
        [line] = await _lines(db, statement.id)
        assert (line.date.isoformat(), line.amount) == (f"2026-03-{day}", Decimal("-3.20"))


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"reference": "R" * 201}, ["reference"], "at most 200 characters"),
        ({"reference": "March\x00"}, ["reference"], "NUL"),
        ({"balance_start": Decimal("NaN")}, ["balance_start"], "not an amount"),
        ({"balance_end": Decimal("Infinity")}, ["balance_end"], "not an amount"),
        ({"balance_start": Decimal("1e30")}, ["balance_start"], "not an amount"),
        # 99999999999900.00 + 230.00 − 12.50 = 100000000000117.50: one digit too many.
        (
            {"balance_start": Decimal("99999999999900.00")},
            ["balance_end"],
            "would be 100000000000117.50",
        ),
    ],
)
async def test_bad_statement_values_are_refused_by_field(
    db: Db, extra: dict[str, Any], field: list[str], words: str
) -> None:
    error = await _refused(db, FILE, **extra)
    assert (error.code, error.field) == (AccountingErrorCode.INVALID, field)
    assert words in error.message
    assert await _count(db, BankStatement) == 0


async def test_ending_balance_must_be_start_plus_lines(db: Db) -> None:
    error = await _refused(
        db, FILE, balance_start=Decimal("1000.00"), balance_end=Decimal("1230.00")
    )
    assert (error.code, error.field) == (AccountingErrorCode.INVALID, ["balance_end"])
    assert "1217.50" in error.message
    statement = await _import(
        db, FILE, balance_start=Decimal("1000.00"), balance_end=Decimal("1217.50")
    )
    assert statement.balance_end == Decimal("1217.50")


async def test_importing_the_same_transactions_again_adds_nothing(db: Db) -> None:
    coffees = "date,amount,label\n2026-03-02,-3.20,Coffee\n2026-03-02,-3.20,Coffee\n"
    first = await _import(db, coffees)
    # Two identical coffees the same day are two transactions.
    assert len(await _lines(db, first.id)) == 2
    again = await _refused(db, coffees)
    assert (again.code, again.field) == (AccountingErrorCode.UNIQUE, ["csv"])
    more = await _import(db, coffees + "2026-03-02,-3.20,COFFEE\n2026-03-03,-4.00,Tea\n")
    # The third coffee of the day and the tea are new: −6.40 − 3.20 − 4.00 = −13.60.
    assert [line.amount for line in await _lines(db, more.id)] == [
        Decimal("-3.20"),
        Decimal("-4.00"),
    ]
    assert (more.balance_start, more.lines_total, more.balance_end) == (
        Decimal("-6.40"),
        Decimal("-7.20"),
        Decimal("-13.60"),
    )
    # Transaction ids are the key when the bank gives them.
    await _import(db, FILE)
    assert (await _refused(db, FILE.replace("Payment", "Paid"))).code is AccountingErrorCode.UNIQUE


async def test_retried_import_with_its_idempotency_key_returns_the_first_statement(
    db: Db,
) -> None:
    bank = await journal_id(db, JournalType.BANK)
    parking = "date,amount,label\n2026-03-04,-2.00,Parking\n"

    def upload(csv_text: str) -> ImportBankStatement:
        return ImportBankStatement(
            company_id=db.company_id, idempotency_key="upload-1", journal_id=bank, csv=csv_text
        )

    first = await db.dispatch(upload(parking))
    assert (await db.dispatch(upload(parking))).id == first.id
    # The same key for another file is refused, and imports nothing.
    with pytest.raises(IdempotencyConflict) as refused:
        await db.dispatch(upload(parking.replace("Parking", "Taxi")))
    assert (refused.value.code, refused.value.field) == (CoreErrorCode.INVALID, ["idempotency_key"])
    assert await _count(db, BankStatement) == 1
    assert await _count(db, BankStatementLine) == 1


async def test_overlapping_file_counts_its_new_lines_only_in_the_balances(db: Db) -> None:
    first = await _import(db, "date,amount,label\n2026-03-01,100.00,a\n2026-03-02,50.00,b\n")
    assert (first.balance_start, first.balance_end) == (Decimal("0.00"), Decimal("150.00"))
    # b is imported already: 150.00 + 20.00 = 170.00.
    second = await _import(db, "date,amount,label\n2026-03-02,50.00,b\n2026-03-03,20.00,c\n")
    assert (second.balance_start, second.lines_total, second.balance_end) == (
        Decimal("150.00"),
        Decimal("20.00"),
        Decimal("170.00"),
    )
    # The bank's own balances around the whole file: 150.00 + 20.00 − 30.00 = 140.00 at the
    # end; the statement of d alone starts at 140.00 + 30.00 = 170.00.
    third = await _import(
        db,
        "date,amount,label\n2026-03-03,20.00,c\n2026-03-04,-30.00,d\n",
        balance_start=Decimal("150.00"),
        balance_end=Decimal("140.00"),
    )
    assert (third.balance_start, third.lines_total, third.balance_end) == (
        Decimal("170.00"),
        Decimal("-30.00"),
        Decimal("140.00"),
    )
    # Without a starting balance, an ending one given counts the new lines only:
    # 140.00 + 5.00 = 145.00, not 140.00 − 30.00 + 5.00 = 115.00.
    overlapping = "date,amount,label\n2026-03-04,-30.00,d\n2026-03-05,5.00,e\n"
    refused = await _refused(db, overlapping, balance_end=Decimal("115.00"))
    assert (refused.code, refused.field) == (AccountingErrorCode.INVALID, ["balance_end"])
    assert "140.00 plus the new transactions' 5.00, that is 145.00" in refused.message
    fourth = await _import(db, overlapping, balance_end=Decimal("145.00"))
    assert (fourth.balance_start, fourth.balance_end) == (Decimal("140.00"), Decimal("145.00"))


async def test_partner_names_match_whatever_the_case_of_any_letter(db: Db) -> None:
    emile = await make_customer(db, "Émile Zola")
    ivan = await make_customer(db, "Иван Петров")
    statement = await _import(
        db,
        "date,amount,label,partner\n"
        "2026-03-02,10.00,a,ÉMILE ZOLA\n"
        "2026-03-02,11.00,b,émile zola\n"
        "2026-03-02,12.00,c,Émile Zola\n"
        "2026-03-02,13.00,d,ИВАН ПЕТРОВ\n"
        "2026-03-02,14.00,e,Emile Zola\n",
    )
    # Without its accent, "Emile" is another name.
    assert [line.partner_id for line in await _lines(db, statement.id)] == [
        emile,
        emile,
        emile,
        ivan,
        None,
    ]


async def test_candidates_rank_reference_then_partner_amount_then_amount(db: Db) -> None:
    azure = await make_customer(db)
    deco = await make_customer(db, "Deco Addict")
    a = await invoice(db, azure, [("1", "230.00", [])])  # INV/2026/00001
    await invoice(db, deco, [("1", "230.00", [])])  # INV/2026/00002
    await invoice(db, azure, [("1", "100.00", [])])  # INV/2026/00003
    bill = await invoice(db, deco, [("1", "230.00", [])], move_type=MoveType.IN_INVOICE)
    statement = await _import(
        db,
        "date,amount,label,partner\n"
        "2026-03-05,230.00,Settles inv/2026/00003,Azure Interior\n"
        "2026-03-05,230.00,Transfer,\n"
        "2026-03-05,-230.00,Transfer,Deco Addict\n"
        "2026-03-05,55.00,Transfer,Azure Interior\n",
    )
    by_reference, by_amount, outgoing, unknown = [
        line.id for line in await _lines(db, statement.id)
    ]
    assert await _candidates(db, [by_reference, by_amount, outgoing, unknown]) == {
        by_reference: [
            ("INV/2026/00003", MatchRank.REFERENCE),
            ("INV/2026/00001", MatchRank.PARTNER_AMOUNT),
            ("INV/2026/00002", MatchRank.AMOUNT),
        ],
        by_amount: [
            ("INV/2026/00001", MatchRank.AMOUNT),
            ("INV/2026/00002", MatchRank.AMOUNT),
        ],
        outgoing: [("BILL/2026/00001", MatchRank.PARTNER_AMOUNT)],
        unknown: [],
    }
    # A paid invoice is no candidate any more.
    await _reconcile(db, by_amount, invoice_ids=[a.id])
    assert (await _candidates(db, [by_reference]))[by_reference] == [
        ("INV/2026/00003", MatchRank.REFERENCE),
        ("INV/2026/00002", MatchRank.AMOUNT),
    ]
    assert bill.number == "BILL/2026/00001"


async def test_partial_and_over_payments_through_the_statement(db: Db) -> None:
    customer = await make_customer(db)
    first = await invoice(db, customer, [("1", "230.00", [])])
    second = await invoice(db, customer, [("1", "100.00", [])])
    statement = await _import(
        db,
        "date,amount,label\n2026-03-05,100.00,Part of INV/2026/00001\n"
        "2026-03-06,130.00,Rest\n2026-03-07,150.00,INV/2026/00002\n",
    )
    part, rest, over = await _lines(db, statement.id)
    await _reconcile(db, part.id, invoice_ids=[first.id])
    partly = await reload(db, first.id)
    # 230.00 − 100.00 = 130.00 open.
    assert (partly.payment_state, partly.amount_residual) == (
        PaymentState.PARTIAL,
        Decimal("130.00"),
    )
    recorded = await _reconcile(db, rest.id, invoice_ids=[first.id])
    assert recorded.state is StatementLineState.RECONCILED
    assert recorded.partner_id == customer
    assert (await reload(db, first.id)).payment_state is PaymentState.PAID
    paid = await _reconcile(db, over.id, invoice_ids=[second.id])
    assert (await reload(db, second.id)).payment_state is PaymentState.PAID
    assert await lines_of(db, paid.entry_id or 0) == [
        ("1000", "150.00", "0.00", over.date),
        ("1100", "0.00", "150.00", over.date),
    ]
    # 150.00 − 100.00 = 50.00 stays as the customer's credit.
    credit = await db.scalar(
        select(func.sum(JournalLine.amount_residual)).where(JournalLine.partner_id == customer)
    )
    assert credit == Decimal("-50.00")
    again = await _refused_reconcile(db, over.id, invoice_ids=[second.id])
    assert again.code is AccountingErrorCode.INVALID_TRANSITION
    assert await _count(db, Payment) == 3


async def _refused_reconcile(db: Db, line_id: int, **choice: Any) -> AccountingError:
    with pytest.raises(AccountingError) as refused:
        await _reconcile(db, line_id, **choice)
    return refused.value


async def test_fee_line_is_posted_against_an_expense_account(db: Db) -> None:
    statement = await _import(db, FILE)
    _, fee = await _lines(db, statement.id)
    expense = await account(db, "expense")
    receivable = await account(db, "receivable")
    refused = await _refused_reconcile(db, fee.id, account_id=receivable.id)
    assert (refused.code, refused.field) == (AccountingErrorCode.INVALID, ["account_id"])
    nobody = await _refused_reconcile(db, fee.id)
    assert (nobody.code, nobody.field) == (AccountingErrorCode.REQUIRED, ["partner_id"])
    recorded = await _reconcile(db, fee.id, account_id=expense.id)
    assert recorded.state is StatementLineState.RECONCILED and recorded.payment_id is None
    entry = await reload(db, recorded.entry_id or 0)
    assert (entry.number, entry.ref) == ("BNK/2026/00001", "Bank fee March")
    assert await lines_of(db, entry.id) == [
        ("1000", "0.00", "12.50", fee.date),
        ("6000", "12.50", "0.00", fee.date),
    ]
    again = await _refused_reconcile(db, fee.id, account_id=expense.id)
    assert again.code is AccountingErrorCode.INVALID_TRANSITION
    assert again.message == "The statement line is reconciled already."


async def test_auto_reconcile_pays_lines_with_one_strongest_candidate(db: Db) -> None:
    azure = await make_customer(db)
    deco = await make_customer(db, "Deco Addict")
    first = await invoice(db, azure, [("1", "230.00", [])])  # INV/2026/00001
    second = await invoice(db, azure, [("1", "80.00", [])])  # INV/2026/00002
    await invoice(db, deco, [("1", "80.00", [])])  # INV/2026/00003
    statement = await _import(
        db,
        "date,amount,label,partner\n"
        "2026-03-05,230.00,INV/2026/00001,\n"
        "2026-03-05,80.00,Thanks,Azure Interior\n"
        "2026-03-05,80.00,Thanks,\n"
        "2026-03-05,-12.50,Fee,\n",
    )
    result = await db.run(
        lambda uow: statements.reconcile_statement_auto(uow, db.company_id, statement.id)
    )
    # By reference, and by amount with the partner; the third line has two equal candidates
    # and the fee none.
    assert result.matched == 2
    assert [line.state for line in await _lines(db, statement.id)] == [
        StatementLineState.RECONCILED,
        StatementLineState.RECONCILED,
        StatementLineState.OPEN,
        StatementLineState.OPEN,
    ]
    assert (await reload(db, first.id)).payment_state is PaymentState.PAID
    assert (await reload(db, second.id)).payment_state is PaymentState.PAID
    again = await db.run(
        lambda uow: statements.reconcile_statement_auto(uow, db.company_id, statement.id)
    )
    # Only INV/2026/00003 is open for 80.00 now, but an equal amount alone pays nothing.
    assert again.matched == 0


async def test_auto_reconcile_leaves_other_partners_invoices_to_a_person(db: Db) -> None:
    alice = await make_customer(db, "Alice")
    bob = await make_customer(db, "Bob")
    bobs = await invoice(db, bob, [("1", "100.00", [])])  # INV/2026/00001
    alices = await invoice(db, alice, [("1", "55.00", [])])  # INV/2026/00002
    statement = await _import(
        db,
        "date,amount,label,partner\n"
        "2026-03-05,100.00,Thanks,Alice\n"
        "2026-03-06,100.00,For INV/2026/00001,Alice\n"
        "2026-03-07,55.00,Thanks,Alice\n",
    )
    _, named_by_alice, _ = await _lines(db, statement.id)
    result = await db.run(
        lambda uow: statements.reconcile_statement_auto(uow, db.company_id, statement.id)
    )
    # Bob's invoice has Alice's amount, and her second line names it: neither is Alice's
    # money for Bob's invoice without a person saying so. Her own 55.00 invoice is paid.
    assert result.matched == 1
    assert [line.state for line in await _lines(db, statement.id)] == [
        StatementLineState.OPEN,
        StatementLineState.OPEN,
        StatementLineState.RECONCILED,
    ]
    assert (await reload(db, bobs.id)).payment_state is PaymentState.NOT_PAID
    assert (await reload(db, alices.id)).payment_state is PaymentState.PAID
    # Chosen by hand, Bob's invoice is paid by a payment of Bob; the line keeps the file's
    # partner.
    recorded = await _reconcile(db, named_by_alice.id, invoice_ids=[bobs.id])
    assert (recorded.partner_id, recorded.partner_name) == (alice, "Alice")
    async with db.sessions() as session:
        payment = await session.get(Payment, recorded.payment_id)
    assert payment is not None and payment.partner_id == bob
    assert (await reload(db, bobs.id)).payment_state is PaymentState.PAID


async def test_undoing_a_line_reopens_its_invoice_and_reverses_its_entry(db: Db) -> None:
    customer = await make_customer(db)
    due = await invoice(db, customer, [("1", "230.00", [])])
    statement = await _import(db, FILE)
    payment_line, fee = await _lines(db, statement.id)
    await _reconcile(db, payment_line.id, invoice_ids=[due.id])
    await _reconcile(db, fee.id, account_id=(await account(db, "expense")).id)

    async def undo(line_id: int) -> BankStatementLine:
        return await db.run(
            lambda uow: statements.unreconcile_statement_line(uow, db.company_id, line_id)
        )

    reopened = await undo(payment_line.id)
    assert (reopened.state, reopened.payment_id, reopened.entry_id) == (
        StatementLineState.OPEN,
        None,
        None,
    )
    assert (await reload(db, due.id)).payment_state is PaymentState.NOT_PAID
    await undo(fee.id)
    bank = await account(db, "bank")
    # +230.00 and −12.50, each reversed: nothing is left on the bank account.
    assert await db.scalar(
        select(func.sum(JournalLine.balance)).where(JournalLine.account_id == bank.id)
    ) == Decimal(0)
    with pytest.raises(AccountingError) as twice:
        await undo(fee.id)
    assert twice.value.code is AccountingErrorCode.INVALID_TRANSITION
    # Open again, the line can be reconciled again.
    again = await _reconcile(db, payment_line.id, invoice_ids=[due.id])
    assert again.state is StatementLineState.RECONCILED
    assert (await reload(db, due.id)).payment_state is PaymentState.PAID


async def test_undoing_a_line_whose_entry_was_reversed_is_refused(db: Db) -> None:
    statement = await _import(db, FILE)
    _, fee = await _lines(db, statement.id)
    recorded = await _reconcile(db, fee.id, account_id=(await account(db, "expense")).id)
    entry_id = recorded.entry_id or 0
    # Reversed in the journal, by hand: BNK/2026/00002.
    await db.run(lambda uow: ledger.reverse_entry(uow, db.company_id, entry_id))
    with pytest.raises(AccountingError) as refused:
        await db.run(lambda uow: statements.unreconcile_statement_line(uow, db.company_id, fee.id))
    assert (refused.value.code, refused.value.field) == (
        AccountingErrorCode.INVALID_TRANSITION,
        ["id"],
    )
    assert refused.value.message == "BNK/2026/00001 is reversed already by BNK/2026/00002."
    [line] = [line for line in await _lines(db, statement.id) if line.id == fee.id]
    assert (line.state, line.entry_id) == (StatementLineState.RECONCILED, entry_id)
    reversals = select(func.count()).where(JournalEntry.reversed_entry_id == entry_id)
    assert await db.scalar(reversals) == 1


@postgres_only
async def test_concurrent_imports_into_one_journal_chain_their_balances(db: Db) -> None:
    await _import(db, "date,amount,label\n2026-03-01,100.00,Opening\n")

    async def deposit(number: int) -> None:
        await _import(db, f"date,amount,label\n2026-03-02,10.00,Deposit {number}\n")

    await asyncio.gather(*(deposit(number) for number in range(8)))
    async with db.sessions() as session:
        balances = [
            (statement.balance_start, statement.balance_end)
            for statement in await session.scalars(select(BankStatement).order_by(BankStatement.id))
        ]
    # Each starts where the one before ended: 100.00, 110.00, ..., 180.00.
    ends = [Decimal(100 + 10 * number) for number in range(9)]
    assert balances == list(zip([Decimal(0), *ends[:-1]], ends, strict=True))


@postgres_only
async def test_concurrent_reconciliations_of_one_line_make_one_payment(db: Db) -> None:
    customer = await make_customer(db)
    due = await invoice(db, customer, [("1", "230.00", [])])
    statement = await _import(db, FILE)
    line, _ = await _lines(db, statement.id)

    async def reconcile() -> str:
        try:
            await _reconcile(db, line.id, invoice_ids=[due.id])
        except AccountingError as error:
            return error.code.name
        return "RECONCILED"

    results = await asyncio.gather(*(reconcile() for _ in range(8)))
    assert sorted(results) == ["INVALID_TRANSITION"] * 7 + ["RECONCILED"]
    assert await _count(db, Payment) == 1
    assert (await reload(db, due.id)).payment_state is PaymentState.PAID
