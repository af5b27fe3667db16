"""The scheduler outlives a broker out of reach: it logs, backs off, and sends again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from jobs.broker import broker
from jobs.scheduler import SCHEDULE, Scheduler
from tests.processes import free_port


@contextmanager
def redis_down() -> Iterator[None]:
    """The broker's Redis client pointed at a port nobody listens on, as when Redis dies."""
    pool = broker.client.connection_pool
    port = pool.connection_kwargs["port"]
    pool.connection_kwargs["port"] = free_port()
    pool.reset()  # drop the connections open to the old port
    try:
        yield
    finally:
        pool.connection_kwargs["port"] = port
        pool.reset()  # drop the connections open to the old port


def queued_relays() -> int:
    return int(broker.client.hlen("dramatiq:outbox.msgs"))


def test_a_broker_error_is_retried_with_a_growing_delay_until_redis_is_back() -> None:
    broker.flush_all()
    scheduler = Scheduler(tuple(job for job in SCHEDULE if job.name == "relay_outbox"))
    with redis_down():
        scheduler.run_due(100.0)  # Redis refuses: logged, tried again 1 s later
        assert scheduler.due == {"relay_outbox": 101.0}
        scheduler.run_due(100.5)  # not due yet: nothing is tried
        assert scheduler.failures == {"relay_outbox": 1}
        scheduler.run_due(101.0)  # refused again: the delay doubles
        assert scheduler.due == {"relay_outbox": 103.0}
        assert scheduler.failures == {"relay_outbox": 2}
    assert queued_relays() == 0
    scheduler.run_due(103.0)  # Redis answers: the relay is queued, the job back on its period
    assert queued_relays() == 1
    assert (scheduler.due, scheduler.failures) == ({"relay_outbox": 108.0}, {})
    broker.flush_all()
