"""Real Dramatiq workers on the real Redis (database of `TEST_REDIS_URL`): a duplicated
replenishment message scans once, and the run is visible as done."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.core.models import JobRun, JobRunState
from domain.purchasing.models import PurchaseOrder
from tests.conftest import DATABASE_URL, REDIS_URL, ROOT, Db
from tests.purchasing_factories import make_vendor, vendor_price
from tests.service.test_replenishment import rule
from tests.stock import make_product

DEADLINE = 90.0


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[bytes]]:
    """One `dramatiq` worker process of the job modules, stopped (or killed) afterwards."""
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dramatiq"),
            "jobs.actors",
            "jobs.replenishment",
            "-p",
            "1",
            "-t",
            "1",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


async def test_a_duplicated_message_on_redis_scans_once(
    db: Db, worker: subprocess.Popen[bytes]
) -> None:
    from jobs.replenishment import replenish_company

    bolt = await make_product(db, "BOLT")
    await vendor_price(db, bolt, await make_vendor(db), "4.00")
    await rule(db, bolt)
    key = f"replenish:test:{uuid.uuid4()}"
    for _ in range(2):
        replenish_company.send(db.company_id, key)

    async def done() -> bool:
        assert worker.poll() is None, "the worker died"
        async with db.sessions() as session:
            state = await session.scalar(select(JobRun.state).where(JobRun.key == key))
        return state is JobRunState.DONE

    async def drained() -> bool:
        # The duplicate is consumed too: nothing left queued or unacknowledged.
        client = replenish_company.broker.client  # type: ignore[attr-defined]
        queue = f"dramatiq:{replenish_company.queue_name}"
        return client.llen(queue) + client.hlen(f"{queue}.msgs") == 0

    assert await until(done)
    assert await until(drained)
    assert await db.scalar(select(func.count()).select_from(PurchaseOrder)) == 1
    async with db.sessions() as session:
        assert (await session.scalar(select(JobRun.attempts).where(JobRun.key == key))) == 1


async def until(check: Callable[[], Awaitable[bool]]) -> bool:
    """Whether `check` holds within the deadline, asked every fifth of a second."""
    deadline = time.monotonic() + DEADLINE
    for _ in iter(lambda: time.monotonic() < deadline, False):
        if await check():
            return True
        await asyncio.sleep(0.2)
    return False
