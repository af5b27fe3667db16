"""The outbox: rows written with the change, relayed through Redis after commit, run once."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import httpx
import pytest
from dramatiq import Worker
from sqlalchemy import select

from domain.core import outbox
from domain.core.db import utcnow
from domain.core.models import OutboxMessage, OutboxState
from domain.core.uow import UnitOfWork
from jobs.actors import deliver_outbox_message, relay_outbox
from jobs.broker import REDIS_TIMEOUT, broker
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


async def test_rows_sent_long_ago_and_not_done_are_sent_again(db: Db) -> None:
    now = utcnow()

    async def write(uow: UnitOfWork) -> None:
        uow.session.add_all(
            [
                OutboxMessage(
                    topic="t",
                    payload={},
                    state=OutboxState.SENT,
                    sent_at=now - timedelta(minutes=10),
                ),
                OutboxMessage(
                    topic="t",
                    payload={},
                    state=OutboxState.SENT,
                    sent_at=now - timedelta(minutes=1),
                ),
                OutboxMessage(topic="t", payload={}, state=OutboxState.PENDING),
                OutboxMessage(
                    topic="t", payload={}, state=OutboxState.DONE, sent_at=now - timedelta(hours=1)
                ),
            ]
        )

    await db.run(write)
    # The stale sent row (1) and the pending one (3); not the recent one (2) nor the done one (4).
    assert sorted(await db.run(outbox.claim_pending)) == [1, 3]
    assert await db.run(outbox.claim_pending) == []


async def test_a_failing_relay_listener_does_not_fail_the_committed_change(
    gql: GraphQLClient, db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broker_down() -> None:
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(outbox, "_listeners", [broker_down])
    product = await create_product(gql, "LAMP", "10.00")
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(gql, customer, [{"productId": product, "quantity": "1"}])
    payload = await order_step(gql, "saleOrderConfirm", order["id"])
    assert payload["errors"] == []
    assert payload["saleOrder"]["state"] == "SALE"
    [row] = await outbox_rows(db)
    assert row.state is OutboxState.PENDING  # the scheduler's relay will pick it up


async def test_a_hung_broker_costs_a_mutation_nothing(
    gql: GraphQLClient, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The relay listener hangs the way a send to a stopped Redis does, until released.
    released = threading.Event()
    notified = threading.Event()
    gave_up = threading.Event()

    def hung_broker() -> None:
        notified.set()
        if not released.wait(timeout=10):
            gave_up.set()

    monkeypatch.setattr(outbox, "_listeners", [hung_broker])
    product = await create_product(gql, "LAMP", "10.00")
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(gql, customer, [{"productId": product, "quantity": "1"}])
    try:
        payload = await order_step(gql, "saleOrderConfirm", order["id"])
        assert payload["errors"] == []
        assert await asyncio.to_thread(notified.wait, 30)  # the listener runs and hangs...
        # ...while requests, another outbox-writing mutation included, go on.
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        second = await create_order(gql, customer, [{"productId": product, "quantity": "1"}])
        assert (await order_step(gql, "saleOrderConfirm", second["id"]))["errors"] == []
        assert not gave_up.is_set()  # nothing above waited for the hung listener
    finally:
        released.set()
    await asyncio.to_thread(outbox.wait_for_notifications)


def test_the_broker_gives_up_on_a_hung_redis_quickly() -> None:
    options = broker.client.connection_pool.connection_kwargs
    assert options["socket_timeout"] == options["socket_connect_timeout"] == REDIS_TIMEOUT <= 2
