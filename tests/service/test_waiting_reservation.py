"""The periodic catch-up: every move waiting for stock that is there now gets it, oldest
scheduled first, in a number of statements that does not grow with the moves."""

from __future__ import annotations

import asyncio
from functools import partial

from domain.inventory import services as inventory
from domain.inventory.models import PickingState
from domain.inventory.reservation import reserve_waiting_moves
from jobs.actors import reserve_waiting_stock
from jobs.scheduler import SCHEDULE
from tests.conftest import Db, StatementCounter, is_postgres
from tests.stock import deliveries, make_customer, make_product, picking, quants, receive, sell


async def waiting_deliveries(db: Db, product: int, count: int) -> list[int]:
    """`count` confirmed orders of 2 of the product, whose deliveries gave their stock back."""
    customer = await make_customer(db, f"Customer {product}")
    ids = []
    for _ in range(count):
        order = await sell(db, customer, [(product, "2")])
        (delivery,) = await deliveries(db, order.id)
        ids.append(delivery.id)
    for picking_id in ids:
        await db.run(
            partial(inventory.unreserve_picking, company_id=db.company_id, picking_id=picking_id)
        )
    return ids


async def states(db: Db, picking_ids: list[int]) -> list[PickingState]:
    return [(await picking(db, picking_id)).state for picking_id in picking_ids]


async def test_waiting_moves_take_the_stock_there_oldest_first(db: Db) -> None:
    lamp = await make_product(db, "LAMP")
    await receive(db, lamp, "5")
    waiting = await waiting_deliveries(db, lamp, 3)
    assert await states(db, waiting) == [PickingState.CONFIRMED] * 3

    await db.run(lambda uow: reserve_waiting_moves(uow, db.company_id))
    # 5 for three deliveries of 2: 2, 2 and the last 1.
    assert await states(db, waiting) == [
        PickingState.ASSIGNED,
        PickingState.ASSIGNED,
        PickingState.PARTIALLY_AVAILABLE,
    ]
    assert await quants(db, lamp) == {("WH/Stock", None): (5, 5)}


async def test_the_catch_up_runs_in_as_many_statements_for_many_moves(
    db: Db, statements: StatementCounter
) -> None:
    few, many = await make_product(db, "FEW"), await make_product(db, "MANY")
    await receive(db, few, "4")
    await receive(db, many, "20")
    first = await waiting_deliveries(db, few, 2)
    statements.count = 0
    await db.run(lambda uow: reserve_waiting_moves(uow, db.company_id))
    for_two = statements.count

    later = await waiting_deliveries(db, many, 10)
    statements.count = 0
    await db.run(lambda uow: reserve_waiting_moves(uow, db.company_id))
    # SQLite cannot return the IDs of one multi-row INSERT in order, so SQLAlchemy writes
    # each new move line (one per move here) on its own; every other statement is the same.
    assert statements.count == for_two + (0 if is_postgres() else len(later) - len(first))
    assert await states(db, first + later) == [PickingState.ASSIGNED] * 12


async def test_the_scheduler_runs_the_catch_up_for_every_company(db: Db) -> None:
    assert "reserve_waiting_stock" in {job.name for job in SCHEDULE}
    desk = await make_product(db, "DESK")
    await receive(db, desk, "2")
    (waiting,) = await waiting_deliveries(db, desk, 1)
    await asyncio.to_thread(reserve_waiting_stock.fn)
    assert await states(db, [waiting]) == [PickingState.ASSIGNED]
