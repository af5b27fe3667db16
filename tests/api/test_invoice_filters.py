"""Invoices listed by due date, and the overdue ones."""

from __future__ import annotations

import datetime as dt

from strawberry import relay

from domain.core.db import utcnow
from tests.accounting_factories import invoice, pay, term_id
from tests.conftest import Db, GraphQLClient
from tests.stock import make_customer

LIST = """query($filter: InvoiceFilterInput) {
    invoices(filter: $filter, sortBy: {field: DUE, direction: ASC}) {
        edges { node { id } } } }"""


async def test_invoices_by_due_date_and_overdue(gql: GraphQLClient, db: Db) -> None:
    names: dict[str, str] = {}

    async def listed(**where: object) -> list[str]:
        data = await gql(LIST, {"filter": where})
        return [names[edge["node"]["id"]] for edge in data["invoices"]["edges"]]

    customer = await make_customer(db)
    thirty = await term_id(db, "30 Days")
    today = utcnow().date()
    old = today - dt.timedelta(days=60)  # due 30 days ago
    lines = [("1", "100.00", [])]
    for name, date, post in (
        ("open", old, True),
        ("partly paid", old, True),
        ("paid", old, True),
        ("draft", old, False),
        ("recent", today, True),
    ):
        created = await invoice(db, customer, lines, term=thirty, date=date, post=post)
        names[relay.to_base64("Invoice", created.id)] = name
        if name == "paid":
            await pay(db, customer, "100.00", [created.id], date=today)
        if name == "partly paid":
            await pay(db, customer, "40.00", [created.id], date=today)

    assert await listed(overdue=True) == ["open", "partly paid"]
    assert sorted(await listed(overdue=False)) == ["draft", "paid", "recent"]
    due = old + dt.timedelta(days=30)
    assert sorted(await listed(dateDue={"gte": due.isoformat(), "lte": due.isoformat()})) == [
        "draft",
        "open",
        "paid",
        "partly paid",
    ]
    later = {"gte": (today + dt.timedelta(days=1)).isoformat()}
    assert await listed(dateDue=later) == ["recent"]
    assert await listed(dateDue=later, overdue=True) == []
