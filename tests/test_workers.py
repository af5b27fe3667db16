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
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.core.models import JobRun, JobRunState
from domain.purchasing.models import PurchaseOrder

# Imported with the test modules: a queue declared later would wake the consumers of a
# stopped in-process worker (tests/service/test_outbox.py) and strand its messages.
from jobs.replenishment import replenish_company
from tests.conftest import DATABASE_URL, REDIS_URL, ROOT, Db
from tests.purchasing_factories import make_vendor, vendor_price
from tests.service.test_replenishment import rule
from tests.stock import make_product

DEADLINE = 90.0


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def scanned(self, key: str) -> int:
        """How many messages of `key` the worker has handled."""
        return self.log.read_text().count(f"key={key} ")


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Worker]:
    """One `dramatiq` worker process of the job modules on an empty replenishment queue,
    stopped (or killed) afterwards; its output is shown when the test fails."""
    client = replenish_company.broker.client  # type: ignore[attr-defined]
    queue = f"dramatiq:{replenish_company.queue_name}"
    client.delete(queue, f"{queue}.msgs", f"{queue}.DQ", f"{queue}.DQ.msgs", f"{queue}.XQ")
    log = tmp_path / "worker.log"
    output = log.open("wb")
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
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        yield Worker(process, log)
    finally:
        print(log.read_text())
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        output.close()


async def test_a_duplicated_message_on_redis_scans_once(db: Db, worker: Worker) -> None:
    bolt = await make_product(db, "BOLT")
    await vendor_price(db, bolt, await make_vendor(db), "4.00")
    await rule(db, bolt)
    key = f"replenish:test:{uuid.uuid4()}"
    for _ in range(2):
        replenish_company.send(db.company_id, key)

    async def both_handled() -> bool:
        assert worker.process.poll() is None, "the worker died"
        return worker.scanned(key) == 2

    assert await until(both_handled)
    assert await db.scalar(select(func.count()).select_from(PurchaseOrder)) == 1
    async with db.sessions() as session:
        run = await session.scalar(select(JobRun).where(JobRun.key == key))
    assert run is not None and (run.state, run.attempts) == (JobRunState.DONE, 1)


async def until(check: Callable[[], Awaitable[bool]]) -> bool:
    """Whether `check` holds within the deadline, asked every fifth of a second."""
    deadline = time.monotonic() + DEADLINE
    for _ in iter(lambda: time.monotonic() < deadline, False):
        if await check():
            return True
        await asyncio.sleep(0.2)
    return False
