"""A USD invoice in a EUR company over HTTP: rates, amounts in both currencies, a payment at
another rate and its exchange gain; refused inputs change nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import create_partner, create_tax

RATE = """mutation($input: CurrencyRateSetInput!) { currencyRateSet(input: $input) {
    currencyRate { id date rate currency { code } } errors { field code message } } }"""
INVOICE = """invoice { id number paymentState amountTotal { amount currency }
    amountResidual { amount currency }
    journalLines { account { code } debit { amount currency } credit { amount currency }
        amountCurrency { amount currency } amountResidualCurrency { amount currency } } }
    errors { field code message }"""


async def _set_rate(gql: GraphQLClient, currency: str, date: str, rate: str) -> dict[str, Any]:
    data = await gql(RATE, {"input": {"currency": currency, "date": date, "rate": rate}})
    return data["currencyRateSet"]


async def _usd_invoice(gql: GraphQLClient, customer: str, line: dict[str, Any]) -> dict[str, Any]:
    """`invoiceCreate`'s payload for a USD invoice of 10 March with one line."""
    data = await gql(
        f"""mutation($input: InvoiceCreateInput!) {{ invoiceCreate(input: $input) {{ {INVOICE} }} }}""",
        {
            "input": {
                "moveType": "OUT_INVOICE",
                "partnerId": customer,
                "date": "2026-03-10",
                "currency": "USD",
                "lines": [line],
            }
        },
    )
    return data["invoiceCreate"]


async def _bank(gql: GraphQLClient) -> str:
    journals = await gql("{ journals { edges { node { id code } } } }")
    return next(
        e["node"]["id"] for e in journals["journals"]["edges"] if e["node"]["code"] == "BNK"
    )


async def test_usd_invoice_paid_at_a_later_rate(gql: GraphQLClient) -> None:
    march = await _set_rate(gql, "USD", "2026-03-01", "0.90")
    assert march["errors"] == []
    assert march["currencyRate"]["rate"] == "0.9"
    assert march["currencyRate"]["currency"] == {"code": "USD"}
    assert (await _set_rate(gql, "usd", "2026-04-01", "0.95"))["errors"] == []
    rates = await gql(
        '{ currencyRates(currency: "USD") { totalCount edges { node { date rate } } } }'
    )
    assert rates["currencyRates"]["totalCount"] == 2
    assert [e["node"] for e in rates["currencyRates"]["edges"]] == [
        {"date": "2026-04-01", "rate": "0.95"},
        {"date": "2026-03-01", "rate": "0.9"},
    ]

    vat = await create_tax(gql, "VAT 15%", "15")
    customer = await create_partner(gql, "Azure Interior")
    draft = await _usd_invoice(
        gql, customer, {"name": "Desk", "quantity": "2", "priceUnit": "100.00", "taxIds": [vat]}
    )
    assert draft["errors"] == []
    invoice = draft["invoice"]
    assert invoice["amountTotal"] == {"amount": "230.00", "currency": "USD"}
    # At 0.90: 200 USD → 180.00 EUR, 30 USD → 27.00 EUR, 230 USD → 207.00 EUR.
    assert [
        (
            line["account"]["code"],
            line["debit"]["amount"],
            line["credit"]["amount"],
            line["debit"]["currency"],
            line["amountCurrency"],
        )
        for line in invoice["journalLines"]
    ] == [
        ("4000", "0.00", "180.00", "EUR", {"amount": "-200.00", "currency": "USD"}),
        ("2100", "0.00", "27.00", "EUR", {"amount": "-30.00", "currency": "USD"}),
        ("1100", "207.00", "0.00", "EUR", {"amount": "230.00", "currency": "USD"}),
    ]
    posted = await gql(
        "mutation($id: ID!) { invoicePost(id: $id) { invoice { number } errors { code } } }",
        {"id": invoice["id"]},
    )
    assert posted["invoicePost"]["invoice"]["number"] == "INV/2026/00001"

    paid = await gql(
        """mutation($input: PaymentRegisterInput!) { paymentRegister(input: $input) {
            payment { amount { amount currency } entry { journalLines {
                account { code } debit { amount } credit { amount } amountCurrency { amount } } } }
            errors { field code message } } }""",
        {
            "input": {
                "paymentType": "INBOUND",
                "partnerId": customer,
                "amount": "230.00",
                "currency": "USD",
                "journalId": await _bank(gql),
                "date": "2026-04-02",
                "invoiceIds": [invoice["id"]],
            }
        },
    )
    payment = paid["paymentRegister"]
    assert payment["errors"] == []
    assert payment["payment"]["amount"] == {"amount": "230.00", "currency": "USD"}
    # At 0.95: 230 USD → 218.50 EUR.
    assert [
        (line["account"]["code"], line["debit"]["amount"], line["credit"]["amount"])
        for line in payment["payment"]["entry"]["journalLines"]
    ] == [("1000", "218.50", "0.00"), ("1100", "0.00", "218.50")]
    after = await gql(
        """query($id: ID!) { node(id: $id) { ... on Invoice { paymentState
            amountResidual { amount currency } } } }""",
        {"id": invoice["id"]},
    )
    assert after["node"] == {
        "paymentState": "PAID",
        "amountResidual": {"amount": "0.00", "currency": "USD"},
    }
    # Received 218.50 EUR for 207.00 booked: 11.50 exchange gain, nothing left on the partner.
    balances = await gql(
        """query($id: ID!) { trialBalance(dateFrom: "2026-01-01", dateTo: "2026-12-31") {
            account { code } closing }
            node(id: $id) { ... on Partner { balance } } }""",
        {"id": customer},
    )
    closing = {row["account"]["code"]: row["closing"] for row in balances["trialBalance"]}
    assert closing["4900"] == "-11.50"
    assert closing["1000"] == "218.50"
    assert closing["1100"] == "0.00"
    assert balances["node"]["balance"] == "0.00"


async def test_refused_rates_and_currencies_change_nothing(gql: GraphQLClient) -> None:
    assert (await _set_rate(gql, "USD", "2026-03-01", "-1"))["errors"] == [
        {"field": ["rate"], "code": "INVALID", "message": "A rate is positive."}
    ]
    own = await _set_rate(gql, "EUR", "2026-03-01", "1.1")
    assert [(e["field"], e["code"]) for e in own["errors"]] == [(["currency"], "INVALID")]
    bogus = await _set_rate(gql, "ZZZ", "2026-03-01", "1.1")
    assert [(e["field"], e["code"]) for e in bogus["errors"]] == [(["currency"], "INVALID")]
    rates = await gql("{ currencyRates { totalCount } }")
    assert rates["currencyRates"]["totalCount"] == 0

    customer = await create_partner(gql, "Azure Interior")
    refused = await _usd_invoice(
        gql, customer, {"name": "Desk", "quantity": "1", "priceUnit": "100.00"}
    )
    assert refused["invoice"] is None
    [error] = refused["errors"]
    assert (error["field"], error["code"]) == (["currency"], "CURRENCY")
    assert "No USD rate on or before 2026-03-10" in error["message"]
    invoices = await gql("{ invoices { totalCount } }")
    assert invoices["invoices"]["totalCount"] == 0
