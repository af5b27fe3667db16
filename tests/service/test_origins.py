"""Origins: inventory and accounting serve a document of any kind and echo its origin.

The kinds here belong to no area: what inventory and accounting do for sales they do for any
document, and sales' handlers leave events of other kinds alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.accounting import invoices
from domain.accounting.events import InvoicedQuantitiesReleased, ReleasedQuantity
from domain.accounting.models import InvoiceLine, MoveType
from domain.core.events import Event
from domain.core.models import Uom
from domain.core.origins import Origin
from domain.core.uow import UnitOfWork
from domain.inventory import returns
from domain.inventory import services as inventory
from domain.inventory.events import MovedQuantity, OriginPickings, PickingCancelled, PickingDone
from domain.inventory.models import LocationUsage, Picking
from domain.inventory.validation import BackorderPolicy, MoveDone
from tests.accounting_factories import DAY
from tests.conftest import Db
from tests.stock import make_customer, make_product, moves_of, receive, validate

D = Decimal
ORDER = Origin("test.order", 7)
LINE = Origin("test.line", 70)


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Event]]:
    """The events published while the test runs."""
    seen: list[Event] = []
    publish = UnitOfWork.publish

    async def recording(uow: UnitOfWork, event: Event) -> None:
        seen.append(event)
        await publish(uow, event)

    monkeypatch.setattr(UnitOfWork, "publish", recording)
    yield seen


async def _uom(db: Db, name: str) -> int:
    found = await db.scalar(select(Uom.id).where(Uom.name == name))
    assert found is not None
    return found


async def test_pickings_echo_the_origins_they_serve(db: Db, published: list[Event]) -> None:
    bolt = await make_product(db, "BOLT")
    await receive(db, bolt, "24")
    customer = await make_customer(db)
    dozens = await _uom(db, "Dozens")

    async def deliver(uow: UnitOfWork) -> Picking | None:
        return await inventory.create_delivery(
            uow,
            db.company_id,
            origin=ORDER,
            origin_name="T7",
            partner_id=customer,
            scheduled_date=dt.datetime.now(dt.UTC),
            lines=[inventory.DeliveryLine(LINE, bolt, D(3), dozens, "Bolts")],
        )

    delivery = await db.run(deliver)
    assert delivery is not None
    assert (delivery.origin, delivery.origin_name) == (ORDER, "T7")
    [move] = await moves_of(db, delivery.id)
    assert move.origin == LINE
    published.clear()
    # 2 of the 3 dozens go: the event tells it in the move's unit, and that the rest waits
    # in a backorder of the same origin.
    await validate(db, delivery.id, [MoveDone(move.id, D(24))], BackorderPolicy.CREATE)
    assert published == [
        PickingDone(
            company_id=db.company_id,
            picking_id=delivery.id,
            moves=(MovedQuantity(LINE, D(2), LocationUsage.INTERNAL, LocationUsage.CUSTOMER),),
            pickings=OriginPickings(ORDER, done=1, open=1),
        )
    ]
    async with db.sessions() as session:
        [backorder] = await session.scalars(
            select(Picking).where(Picking.backorder_id == delivery.id)
        )
    assert backorder.origin == ORDER
    assert [later.origin for later in await moves_of(db, backorder.id)] == [LINE]

    published.clear()
    await db.run(lambda uow: inventory.cancel_pickings_of(uow, db.company_id, ORDER))
    assert published == [
        PickingCancelled(
            company_id=db.company_id,
            picking_id=backorder.id,
            pickings=OriginPickings(ORDER, done=1, open=0),
        )
    ]

    back = await db.run(lambda uow: returns.return_picking(uow, db.company_id, delivery.id))
    assert back.origin == ORDER
    published.clear()
    await validate(db, back.id)
    assert published == [
        PickingDone(
            company_id=db.company_id,
            picking_id=back.id,
            moves=(MovedQuantity(LINE, D(2), LocationUsage.CUSTOMER, LocationUsage.INTERNAL),),
            pickings=OriginPickings(ORDER, done=2, open=0),
        )
    ]


async def test_pickings_without_origin_tell_no_origin(db: Db, published: list[Event]) -> None:
    bolt = await make_product(db, "BOLT")
    received = await receive(db, bolt, "5")
    done = [event for event in published if isinstance(event, PickingDone)]
    assert done == [PickingDone(company_id=db.company_id, picking_id=received.id)]


async def test_released_invoiced_quantities_carry_the_lines_origins(
    db: Db, published: list[Event]
) -> None:
    customer = await make_customer(db)

    async def create(uow: UnitOfWork) -> int:
        entry = await invoices.create_invoice(
            uow,
            db.company_id,
            move_type=MoveType.OUT_INVOICE,
            partner_id=customer,
            date=DAY,
            lines=[
                {"name": "Bolts", "quantity": D(4), "price_unit": D("2.50"), "origin": LINE},
                {"name": "Freight", "quantity": D(1), "price_unit": D("9.00")},
            ],
        )
        await invoices.post_invoice(uow, db.company_id, entry.id)
        return entry.id

    invoice_id = await db.run(create)
    async with db.sessions() as session:
        lines = {line.name: line for line in await session.scalars(select(InvoiceLine))}
    assert (lines["Bolts"].origin, lines["Freight"].origin) == (LINE, None)
    published.clear()
    credit = await db.run(
        lambda uow: invoices.create_credit_note(
            uow,
            db.company_id,
            invoice_id,
            quantities={lines["Bolts"].id: D(1), lines["Freight"].id: D(1)},
        )
    )
    released = [event for event in published if isinstance(event, InvoicedQuantitiesReleased)]
    assert released == [
        InvoicedQuantitiesReleased(
            company_id=db.company_id,
            entry_id=invoice_id,
            lines=(ReleasedQuantity(LINE, D(1)),),
        )
    ]
    async with db.sessions() as session:
        credited = list(
            await session.scalars(
                select(InvoiceLine.origin).where(InvoiceLine.entry_id == credit.id)
            )
        )
    assert sorted(credited, key=str) == sorted([LINE, None], key=str)
