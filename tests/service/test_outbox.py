"""The outbox: rows written with the change, relayed through Redis after commit, run once."""

from __future__ import annotations

import asyncio

import pytest
from dramatiq import Worker
from sqlalchemy import select

from domain.core.models import OutboxMessage, OutboxState
from jobs.actors import deliver_outbox_message, relay_outbox
from jobs.broker import broker
from tests.conftest import Db, GraphQLClient
from tests.factories import create_order, create_partner, create_product, order_step


async def outbox_rows(db: Db) -> list[OutboxMessage]:
    async with db.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def worker() -> Worker:
    broker.flush_all()
    worker = Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    yield worker
    worker.stop()


async def test_confirmation_is_relayed_and_delivered_once(
    gql: GraphQLClient, db: Db, worker: Worker
) -> None:
    product = await create_product(gql, "LAMP", "10.00")
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(gql, customer, [{"productId": product, "quantity": "1"}])
    empty = await create_order(gql, customer, [])
    assert (await order_step(gql, "saleOrderConfirm", empty["id"]))["errors"]
    assert (await order_step(gql, "saleOrderConfirm", order["id"]))["errors"] == []

    # Only the committed confirmation left a row; the refused one left nothing.
    [row] = await outbox_rows(db)
    assert (row.topic, row.payload, row.state) == (
        "sale_order.confirmed",
        {"order_id": 1, "name": order["name"]},
        OutboxState.PENDING,
    )

    relay_outbox.send()
    await asyncio.to_thread(broker.join, relay_outbox.queue_name, timeout=20_000)
    await asyncio.to_thread(worker.join)
    [row] = await outbox_rows(db)
    assert row.state is OutboxState.DONE
    assert row.attempts == 1

    # Delivered twice (a retry after a lost acknowledgement): nothing happens again.
    await asyncio.to_thread(deliver_outbox_message.fn, row.id)
    [again] = await outbox_rows(db)
    assert (again.state, again.attempts, again.done_at) == (OutboxState.DONE, 1, row.done_at)
