"""A USD invoice in a EUR company over HTTP: rates, amounts in both currencies, a payment at
another rate and its exchange gain; refused inputs change nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import (
    bank_journal,
    create_order,
    create_partner,
    create_product,
    create_tax,
    order_step,
    pay_invoices,
)

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


async def test_usd_invoice_paid_at_a_later_rate(gql: GraphQLClient) -> None:
    march = await _set_rate(gql, "USD", "2026-03-01", "0.90")
    assert march["errors"] == []
    assert march["currencyRate"]["rate"] == "0.9"
    assert march["currencyRate"]["currency"] == {"code": "USD"}
    assert (await _set_rate(gql, "usd", "2026-04-01", "0.95"))["errors"] == []
    rates = await gql(
        '{ currencyRates(filter: {currency: ["usd"], date: {gte: "2026-01-01"}}) { totalCount edges { node { date rate } } } }'
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
            payment { id amount { amount currency } entry { journalLines {
                account { code } debit { amount } credit { amount } amountCurrency { amount } } } }
            errors { field code message } } }""",
        {
            "input": {
                "paymentType": "INBOUND",
                "partnerId": customer,
                "amount": "230.00",
                "currency": "USD",
                "journalId": await bank_journal(gql),
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

    # Entered by mistake: cancelling the payment reopens the invoice and takes the gain back.
    cancelled = await gql(
        """mutation($id: ID!) { paymentCancel(id: $id) { payment { status } errors { code } } }""",
        {"id": payment["payment"]["id"]},
    )
    assert cancelled["paymentCancel"] == {"payment": {"status": "CANCELLED"}, "errors": []}
    reopened = await gql(
        """query($id: ID!) { node(id: $id) { ... on Invoice { paymentState } }
            trialBalance(dateFrom: "2026-01-01", dateTo: "2026-12-31") { account { code } closing } }""",
        {"id": invoice["id"]},
    )
    assert reopened["node"] == {"paymentState": "NOT_PAID"}
    closing = {row["account"]["code"]: row["closing"] for row in reopened["trialBalance"]}
    assert (closing["1000"], closing["1100"], closing["4900"]) == ("0.00", "207.00", "0.00")


async def test_refused_rates_and_currencies_change_nothing(gql: GraphQLClient) -> None:
    assert (await _set_rate(gql, "USD", "2026-03-01", "-1"))["errors"] == [
        {
            "field": ["rate"],
            "code": "INVALID",
            "message": "A rate is positive, at least 0.000000000001 and below 10^12.",
        }
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


async def test_order_in_usd_is_priced_invoiced_and_paid_in_usd(gql: GraphQLClient) -> None:
    assert (await _set_rate(gql, "USD", "2026-01-01", "0.92"))["errors"] == []
    vat = await create_tax(gql, "VAT 15%", "15")
    setup = await create_product(
        gql, "SETUP", "18.40", saleTaxIds=[vat], type="SERVICE", invoicePolicy="ORDERED"
    )
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(
        gql,
        customer,
        [{"productId": setup, "quantity": "2"}],
        dateOrder="2026-03-02T10:00:00Z",
        currency="USD",
    )
    # 18.40 EUR at 0.92 EUR per USD: 20.00 USD; 2 × 20.00 = 40.00, tax 6.00, total 46.00.
    assert order["amountUntaxed"] == {"amount": "40.00", "currency": "USD"}
    assert order["lines"][0]["priceUnit"] == {"amount": "20.00"}
    assert (order["amountTax"], order["amountTotal"]) == ({"amount": "6.00"}, {"amount": "46.00"})
    assert (await order_step(gql, "saleOrderConfirm", order["id"]))["errors"] == []
    data = await gql(
        f"""mutation($input: InvoiceFromOrdersInput!) {{ invoiceCreateFromOrders(input: $input) {{
            {INVOICE} }} }}""",
        {"input": {"orderIds": [order["id"]], "date": "2026-03-05"}},
    )
    invoice = data["invoiceCreateFromOrders"]["invoice"]
    assert invoice["amountTotal"] == {"amount": "46.00", "currency": "USD"}
    # At 0.92: 40 USD → 36.80 EUR, 6 USD → 5.52 EUR, 46 USD → 42.32 EUR.
    assert [
        (line["account"]["code"], line["debit"]["amount"], line["credit"]["amount"])
        for line in invoice["journalLines"]
    ] == [("4000", "0.00", "36.80"), ("2100", "0.00", "5.52"), ("1100", "42.32", "0.00")]
    await gql(
        "mutation($id: ID!) { invoicePost(id: $id) { errors { code } } }", {"id": invoice["id"]}
    )
    paid = await pay_invoices(gql, customer, "46.00", [invoice["id"]], "2026-03-06", currency="USD")
    assert paid == []
    after = await gql(
        """query($id: ID!) { node(id: $id) { ... on SaleOrder { invoiceStatus
            invoices { paymentState } } } }""",
        {"id": order["id"]},
    )
    assert after["node"] == {"invoiceStatus": "INVOICED", "invoices": [{"paymentState": "PAID"}]}


async def test_order_in_a_currency_without_a_rate_is_refused(gql: GraphQLClient) -> None:
    product = await create_product(gql, "SETUP", "18.40", type="SERVICE")
    customer = await create_partner(gql, "Azure Interior")
    data = await gql(
        """mutation($input: SaleOrderCreateInput!) { saleOrderCreate(input: $input) {
            saleOrder { id } errors { field code message } } }""",
        {
            "input": {
                "partnerId": customer,
                "currency": "GBP",
                "dateOrder": "2026-03-02T10:00:00Z",
                "lines": [{"productId": product, "quantity": "1"}],
            }
        },
    )
    assert data["saleOrderCreate"] == {
        "saleOrder": None,
        "errors": [
            {
                "field": ["currency"],
                "code": "CURRENCY",
                "message": "No GBP rate on or before 2026-03-02; record one first.",
            }
        ],
    }
    orders = await gql("{ saleOrders { totalCount } }")
    assert orders["saleOrders"]["totalCount"] == 0


async def test_decimals_that_cannot_be_stored_are_malformed_requests(gql: GraphQLClient) -> None:
    for value in ("NaN", "Infinity", "1e30", "not a number"):
        body = await gql.raw(
            RATE, {"input": {"currency": "USD", "date": "2026-03-01", "rate": value}}
        )
        assert body["data"] is None
        [error] = body["errors"]
        assert "Decimal" in error["message"] and "$input" in error["message"], error
    rates = await gql("{ currencyRates { totalCount } }")
    assert rates["currencyRates"]["totalCount"] == 0
