"""General ledger, partner ledger, profit and loss and balance sheet, worked out by hand.

The books of the first quarter of 2026 (EUR, 15 % sales tax):

    01-01  owners pay in 1 000.00            bank 1000 D 1 000.00 / equity 3000 C
    01-05  goods bought for 300.00           stock 1200 D 300.00  / bank 1000 C
    01-15  INV Azure 2 × 100.00 + 15 %       receivable 1100 D 230.00 / sales 4000 C 200.00 /
                                             tax 2100 C 30.00
    01-20  goods sold cost 50.00             cost of goods 5000 D 50.00 / stock 1200 C
    02-05  Azure pays 230.00                 bank 1000 D 230.00 / receivable 1100 C
    02-10  BILL Deco 80.00                   expenses 6000 D 80.00 / payable 2000 C 80.00
    03-10  INV Azure 50.00 + 15 %            receivable D 57.50 / sales C 50.00 / tax C 7.50
    03-10  INV Azure 10.00 + 15 %            receivable D 11.50 / sales C 10.00 / tax C 1.50
    03-20  INV Azure 20.00 + 15 %            receivable D 23.00 / sales C 20.00 / tax C 3.00
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from strawberry import relay

from domain.accounting import ledger
from domain.accounting.models import JournalType, MoveType
from domain.core import services as core
from domain.core.uow import UnitOfWork
from tests.accounting_factories import account, invoice, journal_id, pay, tax
from tests.conftest import Db, GraphQLClient, StatementCounter
from tests.stock import make_customer

D = dt.date


async def entry(db: Db, date: dt.date, debit_role: str, credit_role: str, amount: str) -> None:
    """A posted miscellaneous entry moving `amount` from one account to another."""
    debit = await account(db, debit_role)
    credit = await account(db, credit_role)
    misc = await journal_id(db, JournalType.GENERAL)

    async def create(uow: UnitOfWork) -> None:
        created = await ledger.create_entry(
            uow,
            db.company_id,
            journal_id=misc,
            date=date,
            lines=[
                {"account_id": debit.id, "debit": Decimal(amount), "label": "Debit"},
                {"account_id": credit.id, "credit": Decimal(amount), "label": "Credit"},
            ],
        )
        await ledger.post_entry(uow, db.company_id, created.id)

    await db.run(create)


async def first_quarter(db: Db) -> dict[str, int]:
    """The books above; the partners' ids."""
    azure = await make_customer(db, "Azure Interior")
    deco = await make_customer(db, "Deco Addict")
    vat = await tax(db, "VAT 15%", "15")
    await entry(db, D(2026, 1, 1), "bank", "equity", "1000.00")
    await entry(db, D(2026, 1, 5), "stock_valuation", "bank", "300.00")
    sale = await invoice(db, azure, [("2", "100.00", [vat])], date=D(2026, 1, 15))
    await entry(db, D(2026, 1, 20), "cogs", "stock_valuation", "50.00")
    await pay(db, azure, "230.00", [sale.id], date=D(2026, 2, 5))
    await invoice(
        db, deco, [("1", "80.00", [])], move_type=MoveType.IN_INVOICE, date=D(2026, 2, 10)
    )
    for date, price in ((D(2026, 3, 10), "50.00"), (D(2026, 3, 10), "10.00")):
        await invoice(db, azure, [("1", price, [vat])], date=date)
    await invoice(db, azure, [("1", "20.00", [vat])], date=D(2026, 3, 20))
    return {"azure": azure, "deco": deco}


SECTION = """opening debit credit closing
    lines(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node {
            date entryNumber label debit credit balance amountCurrency { amount currency }
            entry { number } journal { code } account { code } partner { name }
        } }
    }"""

GENERAL_LEDGER = f"""query($from: Date!, $to: Date!, $accounts: [ID!], $first: Int, $after: String,
        $last: Int, $before: String) {{
    generalLedger(dateFrom: $from, dateTo: $to, accountIds: $accounts) {{
        account {{ code }} {SECTION}
    }}
}}"""

PARTNER_LEDGER = f"""query($from: Date!, $to: Date!, $types: [AccountType!], $partners: [ID!],
        $first: Int, $after: String, $last: Int, $before: String) {{
    partnerLedger(dateFrom: $from, dateTo: $to, accountTypes: $types, partnerIds: $partners) {{
        partner {{ name }} {SECTION}
    }}
}}"""

STATEMENT = "{ total accounts { account { code } amount } }"
PROFIT_AND_LOSS = f"""query($from: Date!, $to: Date!) {{
    profitAndLoss(dateFrom: $from, dateTo: $to) {{
        dateFrom dateTo currency
        income {STATEMENT} costOfRevenue {STATEMENT} grossProfit
        otherIncome {STATEMENT} expenses {STATEMENT} netProfit
    }}
}}"""
BALANCE_SHEET = f"""query($asOf: Date!) {{
    balanceSheet(asOf: $asOf) {{
        asOf currency assets {STATEMENT} liabilities {STATEMENT} equity {STATEMENT}
        unallocatedEarnings totalEquity totalLiabilitiesAndEquity
    }}
}}"""

FEB_MAR = {"from": "2026-02-01", "to": "2026-03-31"}


def lines(section: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(date, debit, credit, running balance) of each line of a section's page."""
    return [
        (node["date"], node["debit"], node["credit"], node["balance"])
        for node in (edge["node"] for edge in section["lines"]["edges"])
    ]


def totals(section: dict[str, Any]) -> tuple[str, str, str, str]:
    return section["opening"], section["debit"], section["credit"], section["closing"]


def account_id(pk: int) -> str:
    return str(relay.GlobalID("Account", str(pk)))


async def test_general_ledger_opens_with_what_came_before_and_runs_through_the_period(
    gql: GraphQLClient, db: Db
) -> None:
    await first_quarter(db)
    data = await gql(GENERAL_LEDGER, FEB_MAR)
    sections = {section["account"]["code"]: section for section in data["generalLedger"]}
    # Every account with posted lines up to the end, by code, even without lines in the period.
    assert list(sections) == [
        "1000",
        "1100",
        "1200",
        "2000",
        "2100",
        "3000",
        "4000",
        "5000",
        "6000",
    ]

    receivable = sections["1100"]
    assert totals(receivable) == ("230.00", "92.00", "230.00", "92.00")
    assert receivable["lines"]["totalCount"] == 4
    assert lines(receivable) == [
        ("2026-02-05", "0.00", "230.00", "0.00"),
        ("2026-03-10", "57.50", "0.00", "57.50"),
        ("2026-03-10", "11.50", "0.00", "69.00"),
        ("2026-03-20", "23.00", "0.00", "92.00"),
    ]
    payment, invoiced = (edge["node"] for edge in receivable["lines"]["edges"][:2])
    assert payment["journal"] == {"code": "BNK"}
    assert payment["partner"] == {"name": "Azure Interior"}
    assert payment["account"] == {"code": "1100"}
    assert payment["amountCurrency"] == {"amount": "-230.00", "currency": "EUR"}
    assert invoiced["journal"] == {"code": "INV"}
    assert invoiced["entry"]["number"] == invoiced["entryNumber"]
    assert invoiced["entryNumber"].startswith("INV/2026/")

    assert totals(sections["1000"]) == ("700.00", "230.00", "0.00", "930.00")
    assert lines(sections["1000"]) == [("2026-02-05", "230.00", "0.00", "930.00")]
    assert totals(sections["4000"]) == ("-200.00", "0.00", "80.00", "-280.00")
    assert [line[3] for line in lines(sections["4000"])] == ["-250.00", "-260.00", "-280.00"]
    assert totals(sections["3000"]) == ("-1000.00", "0.00", "0.00", "-1000.00")
    assert sections["3000"]["lines"] == {
        "totalCount": 0,
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
        "edges": [],
    }
    # The closings are the trial balance's, and sum to zero.
    assert sum(Decimal(section["closing"]) for section in sections.values()) == 0


async def test_general_ledger_pages_keep_the_running_balance(gql: GraphQLClient, db: Db) -> None:
    await first_quarter(db)
    receivable = await account(db, "receivable")
    one = {**FEB_MAR, "accounts": [account_id(receivable.id)]}

    first = (await gql(GENERAL_LEDGER, {**one, "first": 2}))["generalLedger"]
    assert [section["account"]["code"] for section in first] == ["1100"]
    assert lines(first[0]) == [
        ("2026-02-05", "0.00", "230.00", "0.00"),
        ("2026-03-10", "57.50", "0.00", "57.50"),
    ]
    info = first[0]["lines"]["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)

    second = (await gql(GENERAL_LEDGER, {**one, "first": 2, "after": info["endCursor"]}))[
        "generalLedger"
    ][0]
    assert lines(second) == [
        ("2026-03-10", "11.50", "0.00", "69.00"),
        ("2026-03-20", "23.00", "0.00", "92.00"),
    ]
    assert second["lines"]["pageInfo"]["hasNextPage"] is False
    assert second["lines"]["totalCount"] == 4

    last = (await gql(GENERAL_LEDGER, {**one, "last": 1}))["generalLedger"][0]
    assert lines(last) == [("2026-03-20", "23.00", "0.00", "92.00")]
    before = last["lines"]["pageInfo"]["startCursor"]
    middle = (await gql(GENERAL_LEDGER, {**one, "last": 2, "before": before}))["generalLedger"][0]
    assert [line[3] for line in lines(middle)] == ["57.50", "69.00"]
    assert middle["lines"]["pageInfo"]["hasPreviousPage"] is True

    # Every account's first page comes in one go, each with its own running balance.
    everything = (await gql(GENERAL_LEDGER, {**FEB_MAR, "first": 1}))["generalLedger"]
    first_balances = {section["account"]["code"]: lines(section) for section in everything}
    assert first_balances["1100"] == [("2026-02-05", "0.00", "230.00", "0.00")]
    assert first_balances["2100"] == [("2026-03-10", "0.00", "7.50", "-37.50")]


async def test_partner_ledger_per_partner_on_receivables_and_payables(
    gql: GraphQLClient, db: Db
) -> None:
    partners = await first_quarter(db)
    data = await gql(PARTNER_LEDGER, FEB_MAR)
    azure, deco = data["partnerLedger"]
    assert azure["partner"] == {"name": "Azure Interior"}
    assert totals(azure) == ("230.00", "92.00", "230.00", "92.00")
    assert [line[3] for line in lines(azure)] == ["0.00", "57.50", "69.00", "92.00"]
    assert deco["partner"] == {"name": "Deco Addict"}
    assert totals(deco) == ("0.00", "0.00", "80.00", "-80.00")
    assert lines(deco) == [("2026-02-10", "0.00", "80.00", "-80.00")]
    assert deco["lines"]["edges"][0]["node"]["account"] == {"code": "2000"}

    payables = await gql(PARTNER_LEDGER, {**FEB_MAR, "types": ["LIABILITY_PAYABLE"]})
    assert [section["partner"]["name"] for section in payables["partnerLedger"]] == ["Deco Addict"]
    only_azure = {
        **FEB_MAR,
        "partners": [str(relay.GlobalID("Partner", str(partners["azure"])))],
        "first": 1,
        "after": azure["lines"]["pageInfo"]["startCursor"],
    }
    paged = (await gql(PARTNER_LEDGER, only_azure))["partnerLedger"]
    assert [section["partner"]["name"] for section in paged] == ["Azure Interior"]
    assert lines(paged[0]) == [("2026-03-10", "57.50", "0.00", "57.50")]

    # A receivable booked without a partner has its own section, last.
    await entry(db, D(2026, 3, 15), "receivable", "suspense", "5.00")
    with_unknown = (await gql(PARTNER_LEDGER, FEB_MAR))["partnerLedger"]
    assert [section["partner"] for section in with_unknown] == [
        {"name": "Azure Interior"},
        {"name": "Deco Addict"},
        None,
    ]
    assert totals(with_unknown[2]) == ("0.00", "5.00", "0.00", "5.00")
    assert lines(with_unknown[2]) == [("2026-03-15", "5.00", "0.00", "5.00")]


async def test_a_cursor_pages_every_partner_from_the_same_position(
    gql: GraphQLClient, db: Db
) -> None:
    await first_quarter(db)
    # Receivables booked without a partner, on both sides of Azure's last line (03-20).
    await entry(db, D(2026, 3, 15), "receivable", "suspense", "5.00")
    await entry(db, D(2026, 3, 25), "receivable", "suspense", "2.00")
    azure = (await gql(PARTNER_LEDGER, FEB_MAR))["partnerLedger"][0]
    last_azure_line = azure["lines"]["pageInfo"]["endCursor"]

    after = (await gql(PARTNER_LEDGER, {**FEB_MAR, "after": last_azure_line}))["partnerLedger"]
    assert [lines(section) for section in after] == [
        [],
        [],
        [("2026-03-25", "2.00", "0.00", "7.00")],
    ]

    before = {**FEB_MAR, "last": 1, "before": last_azure_line}
    backward = (await gql(PARTNER_LEDGER, before))["partnerLedger"]
    assert [lines(section) for section in backward] == [
        [("2026-03-10", "11.50", "0.00", "69.00")],
        [("2026-02-10", "0.00", "80.00", "-80.00")],
        [("2026-03-15", "5.00", "0.00", "5.00")],
    ]
    assert [section["lines"]["pageInfo"]["hasPreviousPage"] for section in backward] == [
        True,
        False,
        False,
    ]


async def test_profit_and_loss_of_the_quarter(gql: GraphQLClient, db: Db) -> None:
    await first_quarter(db)
    data = await gql(PROFIT_AND_LOSS, {"from": "2026-01-01", "to": "2026-03-31"})
    assert data["profitAndLoss"] == {
        "dateFrom": "2026-01-01",
        "dateTo": "2026-03-31",
        "currency": "EUR",
        "income": {
            "total": "280.00",
            "accounts": [{"account": {"code": "4000"}, "amount": "280.00"}],
        },
        "costOfRevenue": {
            "total": "50.00",
            "accounts": [{"account": {"code": "5000"}, "amount": "50.00"}],
        },
        "grossProfit": "230.00",
        "otherIncome": {"total": "0.00", "accounts": []},
        "expenses": {
            "total": "80.00",
            "accounts": [{"account": {"code": "6000"}, "amount": "80.00"}],
        },
        "netProfit": "150.00",
    }
    # February alone: no sales, the bill's 80.00 of expenses.
    february = await gql(PROFIT_AND_LOSS, {"from": "2026-02-01", "to": "2026-02-28"})
    assert february["profitAndLoss"]["grossProfit"] == "0.00"
    assert february["profitAndLoss"]["netProfit"] == "-80.00"


async def test_balance_sheet_balances_with_the_earnings_in_equity(
    gql: GraphQLClient, db: Db
) -> None:
    await first_quarter(db)
    data = await gql(BALANCE_SHEET, {"asOf": "2026-03-31"})
    sheet = data["balanceSheet"]
    assert sheet == {
        "asOf": "2026-03-31",
        "currency": "EUR",
        "assets": {
            "total": "1272.00",
            "accounts": [
                {"account": {"code": "1000"}, "amount": "930.00"},
                {"account": {"code": "1100"}, "amount": "92.00"},
                {"account": {"code": "1200"}, "amount": "250.00"},
            ],
        },
        "liabilities": {
            "total": "122.00",
            "accounts": [
                {"account": {"code": "2000"}, "amount": "80.00"},
                {"account": {"code": "2100"}, "amount": "42.00"},
            ],
        },
        "equity": {
            "total": "1000.00",
            "accounts": [{"account": {"code": "3000"}, "amount": "1000.00"}],
        },
        "unallocatedEarnings": "150.00",
        "totalEquity": "1150.00",
        "totalLiabilitiesAndEquity": "1272.00",
    }
    # On every day, before, during and after the books, assets equal liabilities and equity.
    for day in ("2025-12-31", "2026-01-01", "2026-01-15", "2026-01-31", "2026-02-10", "2026-12-31"):
        sheet = (await gql(BALANCE_SHEET, {"asOf": day}))["balanceSheet"]
        assert sheet["assets"]["total"] == sheet["totalLiabilitiesAndEquity"], day
    january = (await gql(BALANCE_SHEET, {"asOf": "2026-01-31"}))["balanceSheet"]
    assert (january["assets"]["total"], january["unallocatedEarnings"]) == ("1180.00", "150.00")


async def test_refused_arguments_are_request_errors(gql: GraphQLClient, db: Db) -> None:
    await first_quarter(db)
    backwards = {"from": "2026-03-31", "to": "2026-02-01"}
    for query in (GENERAL_LEDGER, PARTNER_LEDGER, PROFIT_AND_LOSS):
        body = await gql.raw(query, backwards)
        (error,) = body["errors"]
        assert error["message"] == "The period starts on 2026-03-31, after its end (2026-02-01)."
        assert error["extensions"] == {"code": "INVALID", "field": ["dateFrom"]}
    body = await gql.raw(
        '{ trialBalance(dateFrom: "2026-03-31", dateTo: "2026-02-01") { closing } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID"

    unknown = await gql.raw(GENERAL_LEDGER, {**FEB_MAR, "accounts": [account_id(999_999)]})
    assert unknown["errors"][0]["message"] == "No account with the id 999999 in the company."
    assert unknown["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": ["accountIds"]}
    malformed = await gql.raw(GENERAL_LEDGER, {**FEB_MAR, "accounts": ["not-an-id"]})
    assert malformed["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": ["accountIds"]}
    income = await gql.raw(PARTNER_LEDGER, {**FEB_MAR, "types": ["INCOME"]})
    assert income["errors"][0]["extensions"] == {"code": "INVALID", "field": ["accountTypes"]}
    bad_cursor = await gql.raw(
        '{ generalLedger(dateFrom: "2026-02-01", dateTo: "2026-03-31") '
        '{ lines(after: "bm9wZQ==") { totalCount } } }'
    )
    assert "not valid for this list" in bad_cursor["errors"][0]["message"]


async def test_report_amounts_round_by_the_company_currency(gql: GraphQLClient, db: Db) -> None:
    async def yen_company(uow: UnitOfWork) -> int:
        return (await core.create_company(uow, name="Tokyo KK", currency_code="JPY")).id

    yen = Db(db.sessions, await db.run(yen_company))
    await entry(yen, D(2026, 1, 10), "bank", "equity", "125000")
    headers = {"X-Company-Id": str(relay.GlobalID("Company", str(yen.company_id)))}
    data = await gql(
        f"""query($from: Date!, $to: Date!, $first: Int, $after: String, $last: Int,
                $before: String) {{
            trialBalance(dateFrom: $from, dateTo: $to) {{ account {{ code }} closing }}
            generalLedger(dateFrom: $from, dateTo: $to) {{ account {{ code }} {SECTION} }}
            balanceSheet(asOf: $to) {{ currency assets {STATEMENT} totalEquity }}
        }}""",
        {"from": "2026-01-01", "to": "2026-01-31"},
        headers=headers,
    )
    assert [(row["account"]["code"], row["closing"]) for row in data["trialBalance"]] == [
        ("1000", "125000"),
        ("3000", "-125000"),
    ]
    bank = data["generalLedger"][0]
    assert totals(bank) == ("0", "125000", "0", "125000")
    assert lines(bank) == [("2026-01-10", "125000", "0", "125000")]
    assert bank["lines"]["edges"][0]["node"]["amountCurrency"] == {
        "amount": "125000",
        "currency": "JPY",
    }
    assert data["balanceSheet"]["currency"] == "JPY"
    assert (
        data["balanceSheet"]["assets"]["total"] == data["balanceSheet"]["totalEquity"] == "125000"
    )


REPORTS = f"""query($from: Date!, $to: Date!) {{
    generalLedger(dateFrom: $from, dateTo: $to) {{
        account {{ code name }} opening closing
        lines(first: 100) {{ totalCount edges {{ node {{
            date entryNumber balance amountCurrency {{ amount currency }}
            entry {{ number }} journal {{ code }} account {{ code }} partner {{ name }}
        }} }} }}
    }}
    partnerLedger(dateFrom: $from, dateTo: $to) {{
        partner {{ name }} closing
        lines(first: 100) {{ totalCount edges {{ node {{ balance entry {{ number }} account {{ code }} }} }} }}
    }}
    profitAndLoss(dateFrom: $from, dateTo: $to) {{ income {STATEMENT} netProfit }}
    balanceSheet(asOf: $to) {{ assets {STATEMENT} totalLiabilitiesAndEquity }}
    trialBalance(dateFrom: $from, dateTo: $to) {{ account {{ code }} closing }}
}}"""


async def test_report_statements_do_not_grow_with_rows(
    gql: GraphQLClient, db: Db, statements: StatementCounter
) -> None:
    partners = await first_quarter(db)
    period = {"from": "2026-01-01", "to": "2026-03-31"}
    statements.count = 0
    small = await gql(REPORTS, period)
    few = statements.count

    vat = await tax(db, "VAT 20%", "20")
    for n in range(30):
        customer = await make_customer(db, f"Customer {n}")
        await invoice(db, customer, [("1", "10.00", [vat])], date=D(2026, 2, 1 + n % 28))
        await invoice(db, partners["deco"], [("1", "1.00", [])], move_type=MoveType.IN_INVOICE)
    statements.count = 0
    large = await gql(REPORTS, period)

    assert len(large["partnerLedger"]) == len(small["partnerLedger"]) + 30
    receivable = next(s for s in large["generalLedger"] if s["account"]["code"] == "1100")
    assert receivable["lines"]["totalCount"] == 5 + 30
    assert statements.count == few
