"""Aged receivables and payables: open amounts by days past due, worked out by hand."""

from __future__ import annotations

import datetime as dt

from domain.accounting.models import MoveType
from tests.accounting_factories import invoice, pay, term_id
from tests.conftest import Db, GraphQLClient
from tests.stock import make_customer

AGED = """query($asOf: Date!) {
    agedReceivables(asOf: $asOf) { partner { name } notDue days1To30 days31To60 days61To90 over90 total }
    agedPayables(asOf: $asOf) { partner { name } notDue days1To30 days31To60 days61To90 over90 total }
}"""


async def test_aged_buckets(gql: GraphQLClient, db: Db) -> None:
    azure = await make_customer(db, "Azure Interior")
    deco = await make_customer(db, "Deco Addict")
    net_30 = await term_id(db, "30 Days")
    immediate = await term_id(db, "Immediate Payment")
    # As of 2026-06-30:
    # 100.00 on 06-20, net 30: due 07-20 → not due.
    await invoice(db, azure, [("1", "100.00", [])], term=net_30, date=dt.date(2026, 6, 20))
    # 200.00 due 06-15 → 15 days late → 1–30.
    await invoice(db, azure, [("2", "100.00", [])], term=immediate, date=dt.date(2026, 6, 15))
    # 300.00 due 05-01 → 60 days late → 31–60 (60 is the bucket's last day).
    await invoice(db, azure, [("3", "100.00", [])], term=immediate, date=dt.date(2026, 5, 1))
    # 50.00 due 04-15, 20.00 paid → 30.00 open, 76 days late → 61–90.
    partly = await invoice(
        db, deco, [("1", "50.00", [])], term=immediate, date=dt.date(2026, 4, 15)
    )
    await pay(db, deco, "20.00", [partly.id], date=dt.date(2026, 4, 20))
    # 400.00 due 03-01 → 121 days late → over 90.
    await invoice(db, deco, [("4", "100.00", [])], term=immediate, date=dt.date(2026, 3, 1))
    # Paid in full: not open, not listed.
    settled = await invoice(
        db, deco, [("1", "10.00", [])], term=immediate, date=dt.date(2026, 6, 1)
    )
    await pay(db, deco, "10.00", [settled.id], date=dt.date(2026, 6, 2))
    # Dated after the day asked about: not counted yet.
    await invoice(db, deco, [("1", "999.00", [])], term=immediate, date=dt.date(2026, 7, 1))
    # A vendor bill of 80.00 due 06-01 → 29 days late → 1–30 payables.
    await invoice(
        db,
        deco,
        [("1", "80.00", [])],
        move_type=MoveType.IN_INVOICE,
        term=immediate,
        date=dt.date(2026, 6, 1),
    )

    data = await gql(AGED, {"asOf": "2026-06-30"})
    assert data["agedReceivables"] == [
        {
            "partner": {"name": "Azure Interior"},
            "notDue": "100.00",
            "days1To30": "200.00",
            "days31To60": "300.00",
            "days61To90": "0.00",
            "over90": "0.00",
            "total": "600.00",
        },
        {
            "partner": {"name": "Deco Addict"},
            "notDue": "0.00",
            "days1To30": "0.00",
            "days31To60": "0.00",
            "days61To90": "30.00",
            "over90": "400.00",
            "total": "430.00",
        },
    ]
    assert data["agedPayables"] == [
        {
            "partner": {"name": "Deco Addict"},
            "notDue": "0.00",
            "days1To30": "80.00",
            "days31To60": "0.00",
            "days61To90": "0.00",
            "over90": "0.00",
            "total": "80.00",
        },
    ]


async def test_aged_as_of_a_past_day_counts_what_was_open_that_day(
    gql: GraphQLClient, db: Db
) -> None:
    azure = await make_customer(db, "Azure Interior")
    immediate = await term_id(db, "Immediate Payment")
    # 230.00 due 03-01; 100.00 paid 04-10, 130.00 paid 05-20.
    due = await invoice(db, azure, [("1", "230.00", [])], term=immediate, date=dt.date(2026, 3, 1))
    await pay(db, azure, "100.00", [due.id], date=dt.date(2026, 4, 10))
    await pay(db, azure, "130.00", [due.id], date=dt.date(2026, 5, 20))

    async def row(as_of: str) -> list[tuple[str, str, str]]:
        data = await gql(AGED, {"asOf": as_of})
        return [(r["days1To30"], r["days31To60"], r["total"]) for r in data["agedReceivables"]]

    # 03-31: nothing paid yet, 30 days late → 230.00 in 1–30.
    assert await row("2026-03-31") == [("230.00", "0.00", "230.00")]
    # 04-30: 100.00 paid, 60 days late → 130.00 in 31–60.
    assert await row("2026-04-30") == [("0.00", "130.00", "130.00")]
    # 05-31: paid in full → not listed.
    assert await row("2026-05-31") == []
