"""The replenishment actor and its schedule: every company's scan, every few minutes.

The actor only dispatches `Replenish` through the job runner, under its message's key: the
scheduler names each company's slot (`replenish:<company>:<slot>`), so two schedulers
started by mistake send the same key and the scan runs once per slot.
"""

from __future__ import annotations

import time

import dramatiq
import structlog
from sqlalchemy import select

from domain.core.models import Company
from domain.core.uow import UnitOfWork
from domain.purchasing.commands import Replenish
from jobs.broker import broker
from jobs.runner import run_job_command, run_service

log = structlog.get_logger(__name__)

#: Seconds between two scans of a company.
REPLENISH_EVERY = 15 * 60.0


@dramatiq.actor(
    broker=broker,
    queue_name="replenishment",
    max_retries=5,
    min_backoff=1_000,
    max_backoff=60_000,
    time_limit=10 * 60 * 1000,
)
def replenish_company(company_id: int, key: str) -> None:
    """Scan one company's reorder rules, once for `key`."""
    state = run_job_command("replenish", key, Replenish(company_id=company_id))
    log.info("replenishment.scanned", company_id=company_id, key=key, state=state.value)


def send_replenishment(now: float | None = None) -> None:
    """Send every company's scan of the current slot."""
    slot = int((time.time() if now is None else now) // REPLENISH_EVERY)

    async def companies(uow: UnitOfWork) -> list[int]:
        return list(await uow.session.scalars(select(Company.id).order_by(Company.id)))

    for company_id in run_service(companies):
        replenish_company.send(company_id, f"replenish:{company_id}:{slot}")
