"""Job runs: a message's work happens once per key; a vanished record drops the run."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.core.actors import Actor
from domain.core.errors import DomainError
from domain.core.job_runs import run_job
from domain.core.models import JobRun, JobRunState
from domain.purchasing import commands as c
from domain.purchasing.models import PurchaseOrder
from tests.conftest import Db
from tests.purchasing_factories import make_vendor, purchase, vendor_price
from tests.service.test_replenishment import rule
from tests.stock import make_product

JOB = Actor.job("replenish")


async def test_a_duplicated_message_scans_once_and_records_what_it_made(db: Db) -> None:
    bolt = await make_product(db, "BOLT")
    await vendor_price(db, bolt, await make_vendor(db), "4.00")
    await rule(db, bolt)
    command = c.Replenish(company_id=db.company_id)
    for _ in range(2):
        state = await run_job(db.sessions, job="replenish", key="r:1", command=command, actor=JOB)
        assert state is JobRunState.DONE
    assert await db.scalar(select(func.count()).select_from(PurchaseOrder)) == 1
    run = await db.scalar(select(JobRun))
    assert (run.attempts, run.result["lines_added"], len(run.result["orders_created"])) == (1, 1, 1)


async def test_a_message_for_a_record_that_is_gone_is_dropped_with_its_reason(db: Db) -> None:
    command = c.ConfirmPurchaseOrder(company_id=db.company_id, id=999)
    state = await run_job(db.sessions, job="confirm", key="c:999", command=command, actor=JOB)
    assert state is JobRunState.DROPPED
    run = await db.scalar(select(JobRun))
    assert (run.state, run.error, run.attempts) == (
        JobRunState.DROPPED,
        "No such purchase order.",
        1,
    )


async def test_a_refused_run_is_recorded_failed_and_raised_for_the_retries(db: Db) -> None:
    bolt = await make_product(db, "BOLT")
    order = await purchase(
        db, await make_vendor(db), [{"product_id": bolt, "quantity": Decimal(1)}]
    )
    command = c.ConfirmPurchaseOrder(company_id=db.company_id, id=order.id)
    with pytest.raises(DomainError):
        await run_job(db.sessions, job="confirm", key="c:1", command=command, actor=JOB)
    run = await db.scalar(select(JobRun))
    assert (run.state, run.attempts) == (JobRunState.FAILED, 1)
    assert "cannot go from purchase to purchase" in run.error
