"""No oversell under load, proven on PostgreSQL with real threads and separate connections.

Each worker thread runs its own event loop with its own engine (one connection), waits at a
barrier so all start together, then runs one service in its own Unit of Work, as separate API
processes would.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from domain.core.db import create_engine, session_factory
from domain.core.errors import CoreError, CoreErrorCode, DomainError
from domain.core.uow import UnitOfWork, transact
from domain.inventory.adjustments import CountedQuantity, apply_inventory_adjustment, scrap_product
from domain.inventory.models import Picking, PickingState, Quant
from domain.inventory.validation import BackorderPolicy, MoveDone, validate_picking
from domain.sales import services as sales
from domain.sales.models import SALE_ORDER
from tests.conftest import DATABASE_URL, Db, postgres_only
from tests.stock import (
    check_stock_invariants,
    deliveries,
    make_customer,
    make_product,
    moves_of,
    quants,
    receive,
    sell,
    warehouse,
)

Work = Callable[[UnitOfWork], Awaitable[Any]]


def run_concurrently(works: Sequence[Work]) -> list[Any]:
    """Run each work in its own thread, event loop and connection, all released at once.

    Returns each work's result, or the exception it raised.
    """
    barrier = threading.Barrier(len(works))
    results: list[Any] = [None] * len(works)

    def worker(index: int, work: Work) -> None:
        async def main() -> Any:
            engine = create_engine(DATABASE_URL, pool_size=1, max_overflow=0)
            try:
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
                await asyncio.to_thread(barrier.wait)
                return await transact(session_factory(engine), work)
            finally:
                await engine.dispose()

        try:
            results[index] = asyncio.run(main())
        except Exception as error:  # reported to the test, which checks every outcome
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


class QuantWatcher:
    """Samples the quants on its own connection while the workers run."""

    def __init__(self) -> None:
        self.samples = 0
        self.worst = Decimal("-Infinity")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)

    def _watch(self) -> None:
        url = make_url(DATABASE_URL).set(drivername="postgresql+psycopg")
        engine = create_sync_engine(url)
        with engine.connect() as connection:
            while not self._stop.is_set():
                over = connection.execute(
                    select(func.max(Quant.reserved_quantity - Quant.quantity))
                ).scalar()
                connection.rollback()
                if over is not None:
                    self.worst = max(self.worst, over)
                self.samples += 1
                time.sleep(0.002)
        engine.dispose()

    def __enter__(self) -> QuantWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_args: object) -> None:
        self._stop.set()
        self._thread.join()


@postgres_only
async def test_twenty_concurrent_confirmations_reserve_exactly_the_five_in_stock(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    await receive(db, chair, "5")
    customer = await make_customer(db)
    orders = [await sell(db, customer, [(chair, "1")], confirm=False) for _ in range(20)]

    def confirm(order_id: int) -> Work:
        return lambda uow: sales.confirm_sale_order(uow, db.company_id, order_id)

    with QuantWatcher() as watcher:
        results = run_concurrently([confirm(order.id) for order in orders])
    assert [result for result in results if isinstance(result, BaseException)] == []
    async with db.sessions() as session:
        states = Counter(
            await session.scalars(select(Picking.state).where(Picking.origin_kind == SALE_ORDER))
        )
    # 5 chairs, 20 orders of one: 5 deliveries reserved in full, 15 waiting for stock.
    assert states == {PickingState.ASSIGNED: 5, PickingState.CONFIRMED: 15}
    assert await quants(db, chair) == {("WH/Stock", None): (Decimal(5), Decimal(5))}
    # Every delivery got its own number: WH/OUT/00001 … WH/OUT/00020, no gap, no duplicate.
    async with db.sessions() as session:
        names = sorted(
            await session.scalars(select(Picking.name).where(Picking.origin_kind == SALE_ORDER))
        )
    assert names == [f"WH/OUT/{n:05d}" for n in range(1, 21)]
    assert watcher.samples > 0
    assert watcher.worst <= 0
    await check_stock_invariants(db)


@postgres_only
async def test_concurrent_validations_and_adjustments_keep_quants_true(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    stock_id = (await warehouse(db)).stock_location_id
    await receive(db, chair, "40")
    customer = await make_customer(db)
    orders = [await sell(db, customer, [(chair, "3")]) for _ in range(10)]
    # 40 on hand, 10 × 3 = 30 reserved.
    pickings = [(await deliveries(db, order.id))[0] for order in orders]
    moves = [(await moves_of(db, picking.id))[0] for picking in pickings]

    def validate(index: int) -> Work:
        picking, move = pickings[index], moves[index]
        done = [MoveDone(move.id, Decimal(2))] if index % 2 else []
        return lambda uow: validate_picking(
            uow, db.company_id, picking.id, moves=done, backorder=BackorderPolicy.CREATE
        )

    def count(quantity: int) -> Work:
        return lambda uow: apply_inventory_adjustment(
            uow, db.company_id, stock_id, [CountedQuantity(chair, Decimal(quantity))]
        )

    def scrap() -> Work:
        return lambda uow: scrap_product(uow, db.company_id, product_id=chair, quantity=Decimal(1))

    works = [validate(i) for i in range(10)] + [count(n) for n in (35, 20, 38, 12)] + [scrap()] * 4
    with QuantWatcher() as watcher:
        results = run_concurrently(works)
    unexpected = [
        result
        for result in results
        if isinstance(result, BaseException) and not isinstance(result, DomainError)
    ]
    assert unexpected == []
    # Counting always succeeds; validations and scraps may find the stock counted away.
    assert not any(isinstance(result, BaseException) for result in results[10:14])
    assert sum(not isinstance(result, BaseException) for result in results[:10]) >= 1
    assert watcher.worst <= 0
    await check_stock_invariants(db)


@postgres_only
async def test_deadlocks_are_retried_until_they_clear(db: Db) -> None:
    table = await make_product(db, "TABLE")
    chair = await make_product(db, "CHAIR")
    await receive(db, table, "1")
    await receive(db, chair, "1")
    async with db.sessions() as session:
        first, second = list(await session.scalars(select(Quant.id).order_by(Quant.id)))
    attempts: Counter[str] = Counter()

    def crossing(name: str, one: int, other: int) -> Work:
        async def work(uow: UnitOfWork) -> str:
            attempts[name] += 1
            lock = text("SELECT id FROM stock_quant WHERE id = :id FOR UPDATE")
            await uow.session.execute(lock, {"id": one})
            await asyncio.sleep(0.3)
            await uow.session.execute(lock, {"id": other})
            return name

        return work

    results = run_concurrently([crossing("a", first, second), crossing("b", second, first)])
    # PostgreSQL kills one of the two as a deadlock; that one is retried and succeeds.
    assert sorted(results) == ["a", "b"]
    assert sum(attempts.values()) >= 3


async def test_a_conflict_that_never_clears_becomes_a_typed_error(db: Db) -> None:
    from sqlalchemy.exc import OperationalError

    class Deadlock(Exception):
        sqlstate = "40P01"

    calls = 0

    async def always_deadlocked(_uow: UnitOfWork) -> None:
        nonlocal calls
        calls += 1
        raise OperationalError("UPDATE stock_quant ...", {}, Deadlock())

    try:
        await db.run(always_deadlocked)
    except CoreError as error:
        assert error.code is CoreErrorCode.CONCURRENT_UPDATE
    else:
        raise AssertionError("the conflict was not reported")
    assert calls == 5
