"""`make bench`: our API against a server on PostgreSQL, with a raw-SQL baseline.

Every figure comes from this one run on this machine; compare ratios, not absolute numbers.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event
from strawberry import relay

from api.app import create_app
from bench import baseline_sql, ledger
from bench.seed import (
    DATABASE_URL,
    ERP,
    Catalog,
    add_orders,
    open_storefront,
    recreate_database,
    seed,
)
from domain.core.db import create_engine
from domain.core.settings import Settings

RESULTS = Path(__file__).parent / "results"
ORDERS = 200
WARM_UP = 20
CLIENTS = 4
DEEP_RUNS = 30
FLOWS = 100
AVAILABILITY_PRODUCTS = 1_000
LEDGER_LINES = 1_000_000
#: The headers every request carries: the seed's API key.
AUTH: dict[str, str] = {}


@dataclass
class Row:
    metric: str
    ours: float
    unit: str
    baseline: float | None = None


def gid(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


CREATE = """mutation($input: SaleOrderCreateInput!) {
    saleOrderCreate(input: $input) { saleOrder { id } errors { code message } } }"""
CONFIRM = """mutation($id: ID!) { saleOrderConfirm(id: $id) {
    saleOrder { deliveries { id } } errors { code message } } }"""
VALIDATE = """mutation($id: ID!) { pickingValidate(id: $id) {
    picking { state } errors { code message } } }"""
DEEP = """query($id: ID!) { node(id: $id) { ... on Partner { name orders(first: 50) { edges { node {
    name amountTotal { amount } lines { quantity priceSubtotal { amount } product { sku name } } } } } } } }"""
INVOICE = """mutation($input: InvoiceFromOrdersInput!) { invoiceCreateFromOrders(input: $input) {
    invoice { id amountTotal { amount } } errors { code message } } }"""
POST = """mutation($id: ID!) { invoicePost(id: $id) { invoice { id } errors { code message } } }"""
PAY = """mutation($input: PaymentRegisterInput!) { paymentRegister(input: $input) {
    errors { code message } } }"""
PAID = """query($id: ID!) { node(id: $id) { ... on Invoice { paymentState } } }"""
JOURNALS = """{ journals(first: 20) { edges { node { id code } } } }"""
INVOICE_CREATE = """mutation($input: InvoiceCreateInput!) { invoiceCreate(input: $input) {
    invoice { id amountTotal { amount } } errors { code message } } }"""
RATE = """mutation($input: CurrencyRateSetInput!) { currencyRateSet(input: $input) {
    errors { code message } } }"""
AGED = """{ agedReceivables(asOf: "2026-12-31") { notDue days1To30 over90 total } }"""
TRIAL_BALANCE = """{ trialBalance(dateFrom: "2026-01-01", dateTo: "2026-12-31") {
    opening debit credit closing } }"""
LEDGER_PAGE = """opening debit credit closing lines(first: 100, after: $after) { totalCount
    pageInfo { endCursor hasNextPage } edges { node { date entryNumber label debit credit balance } } }"""
GENERAL_LEDGER = f"""query($accountIds: [ID!], $after: String) {{ generalLedger(dateFrom: "2026-01-01",
    dateTo: "2026-12-31", accountIds: $accountIds) {{ account {{ id code accountType }} {LEDGER_PAGE} }} }}"""
PARTNER_LEDGER = f"""query($after: String) {{ partnerLedger(dateFrom: "2026-01-01",
    dateTo: "2026-12-31") {{ partner {{ name }} {LEDGER_PAGE} }} }}"""
SECTION = "{ total accounts { amount account { code accountType } } }"
PROFIT_AND_LOSS = f"""{{ profitAndLoss(dateFrom: "2026-01-01", dateTo: "2026-12-31") {{
    income {SECTION} costOfRevenue {SECTION} grossProfit otherIncome {SECTION}
    expenses {SECTION} netProfit }} }}"""
BALANCE_SHEET = f"""{{ balanceSheet(asOf: "2026-12-31") {{ assets {SECTION} liabilities {SECTION}
    equity {SECTION} unallocatedEarnings totalEquity totalLiabilitiesAndEquity }} }}"""
AVAILABILITY = """query($first: Int!, $after: String) { products(first: $first, after: $after) {
    pageInfo { endCursor } edges { node { sku availability { onHand available forecast } } } } }"""


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def create_and_confirm(client: httpx.AsyncClient, ids: Catalog) -> list[dict[str, Any]]:
    lines = [{"productId": gid("Product", pid), "quantity": "2"} for pid in ids.product_ids[:5]]
    created = await post(
        client, CREATE, {"input": {"partnerId": gid("Partner", ids.customer_id), "lines": lines}}
    )
    order = created["saleOrderCreate"]["saleOrder"]
    confirmed = await post(client, CONFIRM, {"id": order["id"]})
    return confirmed["saleOrderConfirm"]["saleOrder"]["deliveries"]


async def timed(count: int, work: Callable[[], Awaitable[Any]]) -> float:
    """Seconds for `count` sequential runs of `work`."""
    started = time.perf_counter()
    for _ in range(count):
        await work()
    return time.perf_counter() - started


async def order_throughput(url: str, ids: Catalog) -> list[Row]:
    async with httpx.AsyncClient(base_url=url, timeout=30, headers=AUTH) as client:
        await timed(WARM_UP, lambda: create_and_confirm(client, ids))
        sequential = ORDERS / await timed(ORDERS, lambda: create_and_confirm(client, ids))

    async def one_client() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30, headers=AUTH) as client:
            await timed(ORDERS // CLIENTS, lambda: create_and_confirm(client, ids))

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    concurrent = ORDERS / (time.perf_counter() - started)
    baseline = baseline_sql.orders_per_second(ids, ORDERS)
    return [
        Row("create + confirm 5-line order, 1 client", sequential, "orders/s", baseline),
        Row(f"create + confirm 5-line order, {CLIENTS} clients", concurrent, "orders/s", baseline),
    ]


async def deliver_throughput(url: str, ids: Catalog) -> list[Row]:
    async def flow(client: httpx.AsyncClient) -> None:
        for delivery in await create_and_confirm(client, ids):
            validated = await post(client, VALIDATE, {"id": delivery["id"]})
            assert validated["pickingValidate"]["picking"]["state"] == "DONE", validated

    async with httpx.AsyncClient(base_url=url, timeout=30, headers=AUTH) as client:
        await timed(10, lambda: flow(client))
        flows = FLOWS / await timed(FLOWS, lambda: flow(client))
    return [Row("create + confirm + deliver (validate) order", flows, "flows/s")]


async def invoice_and_pay(url: str, ids: Catalog, currency: str | None) -> list[Row]:
    """Invoice five products to the customer, post, pay in full and see the invoice paid: from
    a confirmed order in the company currency, or by hand in `currency` when given."""
    customer = gid("Partner", ids.customer_id)
    lines = [{"productId": gid("Product", pid), "quantity": "2"} for pid in ids.product_ids[:5]]
    async with httpx.AsyncClient(base_url=url, timeout=30, headers=AUTH) as client:
        journals = (await post(client, JOURNALS, {}))["journals"]["edges"]
        bank = next(edge["node"]["id"] for edge in journals if edge["node"]["code"] == "BNK")
        if currency is not None:
            rate = {"currency": currency, "date": "2026-01-01", "rate": "0.92"}
            rated = await post(client, RATE, {"input": rate})
            assert rated["currencyRateSet"]["errors"] == [], rated

        async def invoice() -> dict[str, Any]:
            if currency is not None:
                created = await post(
                    client,
                    INVOICE_CREATE,
                    {
                        "input": {
                            "moveType": "OUT_INVOICE",
                            "partnerId": customer,
                            "date": "2026-11-23",
                            "currency": currency,
                            "lines": lines,
                        }
                    },
                )
                assert created["invoiceCreate"]["errors"] == [], created
                return dict(created["invoiceCreate"]["invoice"])
            ordered = await post(client, CREATE, {"input": {"partnerId": customer, "lines": lines}})
            order_id = ordered["saleOrderCreate"]["saleOrder"]["id"]
            await post(client, CONFIRM, {"id": order_id})
            invoiced = await post(client, INVOICE, {"input": {"orderIds": [order_id]}})
            return dict(invoiced["invoiceCreateFromOrders"]["invoice"])

        async def flow() -> None:
            draft = await invoice()
            await post(client, POST, {"id": draft["id"]})
            paid = await post(
                client,
                PAY,
                {
                    "input": {
                        "paymentType": "INBOUND",
                        "partnerId": customer,
                        "amount": draft["amountTotal"]["amount"],
                        "currency": currency,
                        "journalId": bank,
                        "date": "2026-11-23",
                        "invoiceIds": [draft["id"]],
                    }
                },
            )
            assert paid["paymentRegister"]["errors"] == [], paid
            state = await post(client, PAID, {"id": draft["id"]})
            assert state["node"]["paymentState"] == "PAID", state

        await timed(10, flow)
        flows = FLOWS / await timed(FLOWS, flow)
    if currency is None:
        return [Row("order → confirm → invoice → post → pay (paid)", flows, "flows/s")]
    return [Row(f"invoice in {currency} → post → pay in {currency} (paid)", flows, "flows/s")]


async def invoice_and_pay_throughput(url: str, ids: Catalog) -> list[Row]:
    return await invoice_and_pay(url, ids, None)


async def usd_invoice_and_pay_throughput(url: str, ids: Catalog) -> list[Row]:
    return await invoice_and_pay(url, ids, "USD")


async def median_ms(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], runs: int = 5
) -> tuple[float, dict[str, Any]]:
    """Median milliseconds of `runs` requests after one to warm up, and the last answer."""
    data = await post(client, query, variables)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        data = await post(client, query, variables)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), data


def check_lines(section: dict[str, Any], balance: Decimal) -> Decimal:
    """Each line's running balance is the one before it (`balance` for the first) plus its
    debit less its credit; returns the last."""
    for edge in section["lines"]["edges"]:
        line = edge["node"]
        balance += Decimal(line["debit"]) - Decimal(line["credit"])
        assert Decimal(line["balance"]) == balance, (line, balance)
    return balance


def check_sections(sections: list[dict[str, Any]]) -> None:
    """Every ledger section adds up, and its first page runs from its opening balance (to its
    closing one when the page holds all its lines)."""
    for section in sections:
        opening, closing = Decimal(section["opening"]), Decimal(section["closing"])
        assert opening + Decimal(section["debit"]) - Decimal(section["credit"]) == closing, section
        last = check_lines(section, opening)
        if not section["lines"]["pageInfo"]["hasNextPage"]:
            assert last == closing, section


#: Account types (prefixes) of income and expenses: the profit and loss.
EARNINGS = ("INCOME", "EXPENSE")


def total(sections: list[dict[str, Any]], field: str, *types: str) -> Decimal:
    """The sum of `field` over the general ledger's accounts of `types` (all when none)."""
    return sum(
        (
            Decimal(section[field])
            for section in sections
            if not types or section["account"]["accountType"].startswith(types)
        ),
        Decimal(0),
    )


async def reports(url: str, ids: Catalog) -> list[Row]:
    """Every report of the year over one ledger of a million lines; each answer is checked
    (against the general ledger's account totals for the statements), so a wrong one fails
    the bench."""
    lines = ledger.add_journal_lines(ids, LEDGER_LINES)
    async with httpx.AsyncClient(base_url=url, timeout=120, headers=AUTH) as client:
        trial_ms, data = await median_ms(client, TRIAL_BALANCE, {})
        closing = sum(Decimal(row["closing"]) for row in data["trialBalance"])
        assert closing == 0, closing
        aged_ms, data = await median_ms(client, AGED, {})
        assert sum(Decimal(row["total"]) for row in data["agedReceivables"]) > 0, data

        general_ms, data = await median_ms(client, GENERAL_LEDGER, {})
        accounts = data["generalLedger"]
        check_sections(accounts)
        assert total(accounts, "closing") == 0
        biggest = max(accounts, key=lambda section: section["lines"]["totalCount"])
        assert biggest["lines"]["totalCount"] >= LEDGER_LINES // 2, biggest["lines"]
        only_biggest = {"accountIds": [biggest["account"]["id"]]}
        balance = check_lines(biggest, Decimal(biggest["opening"]))
        after = biggest["lines"]["pageInfo"]["endCursor"]
        page = await post(client, GENERAL_LEDGER, {**only_biggest, "after": after})
        balance = check_lines(page["generalLedger"][0], balance)
        after = page["generalLedger"][0]["lines"]["pageInfo"]["endCursor"]
        deep_ms, page = await median_ms(client, GENERAL_LEDGER, {**only_biggest, "after": after})
        [deep] = page["generalLedger"]
        assert len(deep["lines"]["edges"]) == 100, deep["lines"]["pageInfo"]
        check_lines(deep, balance)

        partner_ms, data = await median_ms(client, PARTNER_LEDGER, {})
        partners = data["partnerLedger"]
        check_sections(partners)
        for field in ("opening", "debit", "credit", "closing"):
            theirs = sum((Decimal(section[field]) for section in partners), Decimal(0))
            ours = total(accounts, field, "ASSET_RECEIVABLE", "LIABILITY_PAYABLE")
            assert theirs == ours, (field, theirs, ours)

        profit_ms, data = await median_ms(client, PROFIT_AND_LOSS, {})
        pnl = data["profitAndLoss"]
        moved = total(accounts, "credit", *EARNINGS) - total(accounts, "debit", *EARNINGS)
        sections = {
            name: Decimal(pnl[name]["total"])
            for name in ("income", "costOfRevenue", "otherIncome", "expenses")
        }
        assert Decimal(pnl["grossProfit"]) == sections["income"] - sections["costOfRevenue"], pnl
        assert Decimal(pnl["netProfit"]) == (
            Decimal(pnl["grossProfit"]) + sections["otherIncome"] - sections["expenses"]
        ), pnl
        assert Decimal(pnl["netProfit"]) == moved, (pnl["netProfit"], moved)

        balance_ms, data = await median_ms(client, BALANCE_SHEET, {})
        sheet = data["balanceSheet"]
        assets = Decimal(sheet["assets"]["total"])
        assert assets == Decimal(sheet["totalLiabilitiesAndEquity"]), sheet
        assert assets == total(accounts, "closing", "ASSET"), sheet
        assert Decimal(sheet["liabilities"]["total"]) == -total(accounts, "closing", "LIABILITY")
        assert Decimal(sheet["equity"]["total"]) == -total(accounts, "closing", "EQUITY")
        earnings = -total(accounts, "closing", *EARNINGS)
        assert Decimal(sheet["unallocatedEarnings"]) == earnings, sheet
    return [
        Row(f"trial balance over {lines:,} journal lines", trial_ms, "ms"),
        Row(f"aged receivables over {lines:,} journal lines", aged_ms, "ms"),
        Row("general ledger: page 1 (100 lines) of every account", general_ms, "ms"),
        Row("general ledger: page 3 (100 lines) of the biggest account", deep_ms, "ms"),
        Row("partner ledger: page 1 (100 lines) of every partner", partner_ms, "ms"),
        Row("profit and loss for the year", profit_ms, "ms"),
        Row("balance sheet at year end", balance_ms, "ms"),
    ]


@contextmanager
def in_process_app() -> Iterator[tuple[httpx.AsyncClient, list[int]]]:
    """The app in this process on an engine counting its SQL statements."""
    engine = create_engine(DATABASE_URL)
    counter = [0]

    def count(*_args: Any) -> None:
        counter[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    app = create_app(Settings(database_url=DATABASE_URL), engine)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", headers=AUTH
    )
    yield client, counter


async def statements_of(query: str, variables: dict[str, Any]) -> int:
    with in_process_app() as (client, counter):
        async with client:
            await post(client, query, variables)  # warm the per-process caches
            counter[0] = 0
            await post(client, query, variables)
            return counter[0]


async def deep_read(url: str, ids: Catalog) -> list[Row]:
    variables = {"id": gid("Partner", ids.deep_customer_id)}
    await add_orders(ids, ids.deep_customer_id, 2)
    statements_2 = await statements_of(DEEP, variables)
    await add_orders(ids, ids.deep_customer_id, 48)
    statements_50 = await statements_of(DEEP, variables)
    async with httpx.AsyncClient(base_url=url, timeout=30, headers=AUTH) as client:
        data = await post(client, DEEP, variables)
        assert len(data["node"]["orders"]["edges"]) == 50
        runs = []
        for _ in range(DEEP_RUNS):
            started = time.perf_counter()
            await post(client, DEEP, variables)
            runs.append((time.perf_counter() - started) * 1000)
    return [
        Row("deep read: partner → 50 orders → 250 lines → products", statistics.median(runs), "ms"),
        Row("deep read: SQL statements with 50 orders", statements_50, "statements"),
        Row("deep read: SQL statements with 2 orders", statements_2, "statements"),
    ]


async def availability(url: str, ids: Catalog) -> list[Row]:
    async def all_pages(client: httpx.AsyncClient) -> int:
        after, seen = None, 0
        while seen < AVAILABILITY_PRODUCTS:
            data = await post(client, AVAILABILITY, {"first": 100, "after": after})
            seen += len(data["products"]["edges"])
            after = data["products"]["pageInfo"]["endCursor"]
        return seen

    async with httpx.AsyncClient(base_url=url, timeout=30, headers=AUTH) as client:
        await all_pages(client)
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            await all_pages(client)
            runs.append((time.perf_counter() - started) * 1000)
    return [
        Row("availability of 1,000 products (10 pages of 100)", statistics.median(runs), "ms"),
        Row(
            "availability: SQL statements for a page of 100",
            await statements_of(AVAILABILITY, {"first": 100}),
            "statements",
        ),
        Row(
            "availability: SQL statements for a page of 10",
            await statements_of(AVAILABILITY, {"first": 10}),
            "statements",
        ),
    ]


CATALOG_PAGE = """query($search: String) { storefrontProducts(first: 24, filter: {search: $search}) {
    totalCount edges { node { sku name price { amount currency } inStock availableQuantity } } } }"""
CART = """mutation($input: CartCreateInput!) { cartCreate(input: $input) {
    cart { token total { amount } } errors { code message } } }"""
CHECKOUT = """mutation($input: CheckoutInput!) { checkoutComplete(input: $input) {
    order { name } errors { code message } } }"""
CHECKOUTS = 100
ADDRESS = {"name": "Bench Buyer", "street": "Main street 1", "city": "Ghent", "countryCode": "BE"}


async def storefront(url: str, ids: Catalog) -> list[Row]:
    """The catalog page (24 products with prices and stock) and checkouts paid with the test
    provider, over HTTP with a storefront token; each checkout creates, confirms, reserves,
    invoices, posts and pays its sales order."""
    token = await open_storefront(ids)
    headers = {"Authorization": f"Bearer {token}"}
    with in_process_app() as (local, counter):
        async with local:
            local.headers.update(headers)
            await post(local, CATALOG_PAGE, {})
            counter[0] = 0
            await post(local, CATALOG_PAGE, {})
            page_statements = counter[0]
    rows = []
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=headers) as client:
        page_ms, page = await median_ms(client, CATALOG_PAGE, {}, runs=30)
        assert len(page["storefrontProducts"]["edges"]) == 24
        search_ms, _ = await median_ms(client, CATALOG_PAGE, {"search": "product 00"}, runs=30)

        async def cart(number: int) -> dict[str, Any]:
            lines = [
                {"productId": gid("StorefrontProduct", pid), "quantity": "1"}
                for pid in ids.product_ids[:3]
            ]
            data = await post(
                client,
                CART,
                {
                    "input": {
                        "lines": lines,
                        "email": f"buyer{number}@bench.example",
                        "shipping": ADDRESS,
                        "deliveryMethodId": method_id,
                    }
                },
            )
            return data["cartCreate"]["cart"]

        methods = await post(client, "{ storefrontDeliveryMethods { id } }", {})
        method_id = methods["storefrontDeliveryMethods"][0]["id"]

        async def checkout(ready: dict[str, Any]) -> None:
            data = await post(
                client,
                CHECKOUT,
                {
                    "input": {
                        "token": ready["token"],
                        "expectedTotal": ready["total"]["amount"],
                        "paymentProvider": "test",
                        "cardNumber": "4242424242424242",
                    }
                },
            )
            assert data["checkoutComplete"]["errors"] == [], data

        for clients in (1, CLIENTS):
            carts = [await cart(number) for number in range(CHECKOUTS)]
            started = time.perf_counter()
            queue = list(carts)

            async def one_client(queue: list[dict[str, Any]] = queue) -> None:
                while queue:
                    await checkout(queue.pop())

            await asyncio.gather(*(one_client() for _ in range(clients)))
            elapsed = time.perf_counter() - started
            rows.append(
                Row(f"storefront checkout, paid, {clients} client(s)", CHECKOUTS / elapsed, "/s")
            )
    return [
        Row("storefront catalog page of 24 with prices and stock", page_ms, "ms"),
        Row("storefront catalog page: SQL statements", page_statements, "statements"),
        Row("storefront catalog search, page of 24", search_ms, "ms"),
        *rows,
    ]


#: The scenarios, in order; later areas add theirs here.
SCENARIOS: list[Callable[[str, Catalog], Awaitable[list[Row]]]] = [
    order_throughput,
    deliver_throughput,
    deep_read,
    availability,
    invoice_and_pay_throughput,
    usd_invoice_and_pay_throughput,
    reports,
    storefront,
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server() -> Iterator[str]:
    port = free_port()
    # The bench is one client address sending as fast as it can: no rate limit.
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "LOG_LEVEL": "WARNING", "RATE_LIMIT": ""}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [ERP, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def print_table(rows: list[Row]) -> None:
    print(f"{'metric':<58} {'ours':>12} {'baseline':>12} {'ratio':>7}  unit")
    for row in rows:
        baseline = f"{row.baseline:12.1f}" if row.baseline else f"{'':>12}"
        ratio = f"{row.ours / row.baseline:7.2f}" if row.baseline else f"{'':>7}"
        print(f"{row.metric:<58} {row.ours:12.1f} {baseline} {ratio}  {row.unit}")


async def main(only: list[str]) -> None:
    """Run every scenario, or those named on the command line (`python -m bench.run
    order_throughput reports`)."""
    scenarios = [scenario for scenario in SCENARIOS if not only or scenario.__name__ in only]
    recreate_database()
    ids = await seed(extra_products=AVAILABILITY_PRODUCTS - 5)
    AUTH["Authorization"] = f"Bearer {ids.api_key}"
    rows: list[Row] = []
    with server() as url:
        for scenario in scenarios:
            rows.extend(await scenario(url, ids))
    print_table(rows)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps([row.__dict__ for row in rows], indent=2))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
