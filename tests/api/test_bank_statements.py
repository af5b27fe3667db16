"""Bank statements over HTTP: import a CSV file, reconcile automatically and by hand, and
read lines with their candidates in a number of statements that does not grow with lines."""

from __future__ import annotations

from typing import Any

from domain.accounting import statements as bank
from domain.accounting.chart import journal_of_type
from domain.accounting.models import JournalType
from domain.core.idempotency import MAX_KEY_LENGTH
from domain.core.uow import UnitOfWork
from tests.accounting_factories import invoice
from tests.conftest import Db, GraphQLClient, StatementCounter
from tests.factories import bank_journal, create_partner, create_tax
from tests.stock import make_customer

FILE = """Date,Description,Amount,Partner,Transaction ID
2026-03-05,Payment INV/2026/00001,230.00,Azure Interior,BT-001
2026-03-06,Deposit for INV/2026/00002,80.00,Deco Addict,BT-002
2026-03-07,Account fee March,-12.50,,BT-003
"""
IMPORT = """mutation($input: BankStatementImportInput!) { bankStatementImport(input: $input) {
    bankStatement { id name balanceStart { amount } linesTotal { amount }
        balanceEnd { amount currency }
        lines { id label state amount { amount } partner { name }
            matchCandidates { rank amountResidual { amount } invoice { number } } } }
    errors { field code message } } }"""
RECONCILE = """mutation($id: ID!, $input: BankStatementLineReconcileInput!) {
    bankStatementLineReconcile(id: $id, input: $input) {
        bankStatementLine { state entry { number } payment { amount { amount } } }
        errors { field code message } } }"""


async def _invoice(gql: GraphQLClient, customer: str, lines: list[dict[str, Any]]) -> str:
    created = await gql(
        """mutation($input: InvoiceCreateInput!) { invoiceCreate(input: $input) {
            invoice { id } errors { field code message } } }""",
        {
            "input": {
                "moveType": "OUT_INVOICE",
                "partnerId": customer,
                "date": "2026-03-01",
                "lines": lines,
            }
        },
    )
    invoice_id = created["invoiceCreate"]["invoice"]["id"]
    posted = await gql(
        "mutation($id: ID!) { invoicePost(id: $id) { invoice { number } errors { code } } }",
        {"id": invoice_id},
    )
    assert posted["invoicePost"]["errors"] == []
    return invoice_id


async def test_imported_statement_is_reconciled_automatically_and_by_hand(
    gql: GraphQLClient,
) -> None:
    vat = await create_tax(gql, "VAT 15%", "15")
    azure = await create_partner(gql, "Azure Interior")
    deco = await create_partner(gql, "Deco Addict")
    # 2 × 100.00 + 15 % = 230.00; 200.00 without tax.
    await _invoice(
        gql, azure, [{"quantity": "2", "priceUnit": "100.00", "name": "Desk", "taxIds": [vat]}]
    )
    await _invoice(gql, deco, [{"quantity": "1", "priceUnit": "200.00", "name": "Chair"}])
    refs = await gql("{ accounts(first: 100) { edges { node { id code } } } }")
    expense = next(
        e["node"]["id"] for e in refs["accounts"]["edges"] if e["node"]["code"] == "6000"
    )
    statement_input = {
        "journalId": await bank_journal(gql),
        "csv": FILE,
        "balanceStart": "1000.00",
        "balanceEnd": "1297.50",
    }

    bad = await gql(
        IMPORT, {"input": {**statement_input, "csv": FILE.replace("-12.50", "-12.50 EUR")}}
    )
    assert bad["bankStatementImport"]["bankStatement"] is None
    [error] = bad["bankStatementImport"]["errors"]
    assert (error["field"], error["code"]) == (["csv", "4", "amount"], "INVALID")
    assert error["message"].startswith("Line 4, column 'Amount': '-12.50 EUR'")

    imported = (await gql(IMPORT, {"input": statement_input}))["bankStatementImport"]
    assert imported["errors"] == []
    statement = imported["bankStatement"]
    # 1000.00 + 230.00 + 80.00 − 12.50 = 1297.50.
    assert (statement["name"], statement["balanceStart"], statement["linesTotal"]) == (
        "BNK/ST/2026/00001",
        {"amount": "1000.00"},
        {"amount": "297.50"},
    )
    assert statement["balanceEnd"] == {"amount": "1297.50", "currency": "EUR"}
    assert [
        (line["amount"]["amount"], line["partner"], line["matchCandidates"])
        for line in statement["lines"]
    ] == [
        (
            "230.00",
            {"name": "Azure Interior"},
            [
                {
                    "rank": "REFERENCE",
                    "amountResidual": {"amount": "230.00"},
                    "invoice": {"number": "INV/2026/00001"},
                }
            ],
        ),
        (
            "80.00",
            {"name": "Deco Addict"},
            [
                {
                    "rank": "REFERENCE",
                    "amountResidual": {"amount": "200.00"},
                    "invoice": {"number": "INV/2026/00002"},
                }
            ],
        ),
        ("-12.50", None, []),
    ]
    again = (await gql(IMPORT, {"input": statement_input}))["bankStatementImport"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [(["csv"], "UNIQUE")]

    auto = await gql(
        """mutation($id: ID!) { bankStatementReconcileAuto(id: $id) {
            matchedCount bankStatement { lines { state } } errors { code } } }""",
        {"id": statement["id"]},
    )
    assert auto["bankStatementReconcileAuto"]["matchedCount"] == 2
    fee = statement["lines"][2]["id"]
    recorded = await gql(RECONCILE, {"id": fee, "input": {"accountId": expense}})
    assert recorded["bankStatementLineReconcile"] == {
        "bankStatementLine": {
            "state": "RECONCILED",
            "entry": {"number": "BNK/2026/00003"},
            "payment": None,
        },
        "errors": [],
    }
    twice = await gql(RECONCILE, {"id": fee, "input": {"accountId": expense}})
    assert twice["bankStatementLineReconcile"]["bankStatementLine"] is None
    assert twice["bankStatementLineReconcile"]["errors"][0]["code"] == "INVALID_TRANSITION"

    books = await gql(
        """{ invoices(sortBy: {field: NUMBER, direction: ASC}) { edges { node {
                number paymentState amountResidual { amount } payments { amount { amount } } } } }
            trialBalance(dateFrom: "2026-01-01", dateTo: "2026-12-31") { account { code } closing }
            bankStatements(filter: {hasOpenLines: false}) { totalCount edges { node {
                lines { state payment { amount { amount } } } } } } }"""
    )
    assert [edge["node"] for edge in books["invoices"]["edges"]] == [
        {
            "number": "INV/2026/00001",
            "paymentState": "PAID",
            "amountResidual": {"amount": "0.00"},
            "payments": [{"amount": {"amount": "230.00"}}],
        },
        {
            "number": "INV/2026/00002",
            "paymentState": "PARTIAL",
            "amountResidual": {"amount": "120.00"},
            "payments": [{"amount": {"amount": "80.00"}}],
        },
    ]
    # Bank 230.00 + 80.00 − 12.50 = 297.50; receivable 430.00 − 310.00 = 120.00.
    assert [(row["account"]["code"], row["closing"]) for row in books["trialBalance"]] == [
        ("1000", "297.50"),
        ("1100", "120.00"),
        ("2100", "-30.00"),
        ("4000", "-400.00"),
        ("6000", "12.50"),
    ]
    [listed] = books["bankStatements"]["edges"]
    assert books["bankStatements"]["totalCount"] == 1
    assert listed["node"]["lines"] == [
        {"state": "RECONCILED", "payment": {"amount": {"amount": "230.00"}}},
        {"state": "RECONCILED", "payment": {"amount": {"amount": "80.00"}}},
        {"state": "RECONCILED", "payment": None},
    ]

    undone = await gql(
        """mutation($id: ID!) { bankStatementLineUnreconcile(id: $id) {
            bankStatementLine { state entry { number } matchCandidates { rank } }
            errors { code } } }""",
        {"id": fee},
    )
    assert undone["bankStatementLineUnreconcile"] == {
        "bankStatementLine": {"state": "OPEN", "entry": None, "matchCandidates": []},
        "errors": [],
    }
    # Undoing a paid line cancels its payment: the invoice is open again.
    paid_line = statement["lines"][0]["id"]
    await gql(
        "mutation($id: ID!) { bankStatementLineUnreconcile(id: $id) { errors { code } } }",
        {"id": paid_line},
    )
    after = await gql(
        """{ invoices(sortBy: {field: NUMBER, direction: ASC}, first: 1) { edges { node {
                paymentState payments { id } } } }
            payments(filter: {status: [CANCELLED]}) { edges { node { status amount { amount } } } } }"""
    )
    assert [edge["node"] for edge in after["invoices"]["edges"]] == [
        {"paymentState": "NOT_PAID", "payments": []}
    ]
    assert [edge["node"] for edge in after["payments"]["edges"]] == [
        {"status": "CANCELLED", "amount": {"amount": "230.00"}}
    ]


async def test_bad_import_values_are_payload_errors(gql: GraphQLClient) -> None:
    bank = await bank_journal(gql)
    small = "date,amount,label\n2026-03-01,10.00,Coffee\n"
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"csv": "date,amount\n2026-03-01,1e30\n"}, ["csv", "2", "amount"]),
        ({"csv": 'date,amount,label\n2026-03-01,1.00,"' + "x" * 200_000 + '"\n'}, ["csv", "2"]),
        ({"csv": "date,amount,label\n2026-03-01,1.00,a\x00b\n"}, ["csv", "2", "label"]),
        ({"csv": small, "reference": "R" * 201}, ["reference"]),
        ({"csv": small, "idempotencyKey": "K" * (MAX_KEY_LENGTH + 1)}, ["idempotencyKey"]),
    ]
    for values, field in cases:
        result = await gql(IMPORT, {"input": {"journalId": bank, **values}})
        refused = result["bankStatementImport"]
        assert refused["bankStatement"] is None
        assert [(error["field"], error["code"]) for error in refused["errors"]] == [
            (field, "INVALID")
        ]


READ_LINES = """{ bankStatements(first: 10) { edges { node {
    name linesTotal { amount } journal { code }
    lines { label state amount { amount } partner { name }
        matchCandidates { rank amountResidual { amount } invoice { number partner { name } } } }
} } } }"""


async def _statement_of(db: Db, count: int, first_day: int) -> None:
    """`count` lines, each paying one of `count` new invoices by its number."""
    customer = await make_customer(db, f"Customer {first_day}")
    numbers = [
        (await invoice(db, customer, [("1", f"{10 + n}.00", [])])).number for n in range(count)
    ]
    rows = "".join(
        f"2026-04-{first_day:02d},{5 + n}.00,Pays {number},Customer {first_day}\n"
        for n, number in enumerate(numbers)
    )

    async def work(uow: UnitOfWork) -> None:
        journal = await journal_of_type(uow, db.company_id, JournalType.BANK)
        await bank.import_statement(
            uow, db.company_id, journal_id=journal.id, csv_text=f"date,amount,label,partner\n{rows}"
        )

    await db.run(work)


async def test_lines_and_candidates_load_in_statements_independent_of_lines(
    gql: GraphQLClient, db: Db, statements: StatementCounter
) -> None:
    await _statement_of(db, 2, 1)
    statements.count = 0
    small = await gql(READ_LINES)
    few = statements.count
    await _statement_of(db, 12, 2)
    statements.count = 0
    large = await gql(READ_LINES)
    many = statements.count
    lines = [line for edge in large["bankStatements"]["edges"] for line in edge["node"]["lines"]]
    assert len(lines) == 14
    assert len(small["bankStatements"]["edges"][0]["node"]["lines"]) == 2
    # The newest statement comes first; its first line names its own 10.00 invoice.
    assert lines[0]["matchCandidates"][0] == {
        "rank": "REFERENCE",
        "amountResidual": {"amount": "10.00"},
        "invoice": {"number": "INV/2026/00003", "partner": {"name": "Customer 2"}},
    }
    assert many == few
