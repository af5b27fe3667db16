"""The scheduler: enqueues periodic work. Run exactly one (`erp scheduler`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from jobs.actors import relay_outbox
from jobs.replenishment import REPLENISH_EVERY, send_replenishment

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Periodic:
    """Send `message` every `seconds`."""

    name: str
    seconds: float
    message: Callable[[], object]


#: Periodic work; scheduled postings join this table as their area lands.
SCHEDULE = (
    Periodic("relay_outbox", 5.0, relay_outbox.send),
    Periodic("replenish", REPLENISH_EVERY, send_replenishment),
)


def run_forever(schedule: tuple[Periodic, ...] = SCHEDULE, *, tick: float = 0.5) -> None:
    due = {job.name: 0.0 for job in schedule}
    log.info("scheduler.started", jobs=[job.name for job in schedule])
    while True:
        now = time.monotonic()
        for job in schedule:
            if now >= due[job.name]:
                job.message()
                due[job.name] = now + job.seconds
        time.sleep(tick)
