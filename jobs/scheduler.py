"""The scheduler: enqueues periodic work. Run exactly one (`erp scheduler`).

In embedded mode (no Redis) `erp serve` runs it on a thread beside its in-process worker, so
rows whose relay was lost (a crash between commit and relay, a message never run) are picked
up there too, without waiting for another commit.

A broker out of reach does not stop it: the failed send is logged and tried again after a
delay that doubles up to `MAX_BACKOFF`, then the job returns to its period.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from dramatiq.errors import BrokerError
from redis.exceptions import RedisError

from jobs.actors import relay_outbox, reserve_waiting_stock
from jobs.replenishment import REPLENISH_EVERY, send_replenishment

log = structlog.get_logger(__name__)

#: The first retry after a failed send, and the longest wait between retries.
FIRST_BACKOFF, MAX_BACKOFF = 1.0, 60.0


@dataclass(frozen=True)
class Periodic:
    """Send `message` every `seconds`."""

    name: str
    seconds: float
    message: Callable[[], object]


#: Periodic work; scheduled postings join this table as their area lands.
SCHEDULE = (
    Periodic("relay_outbox", 5.0, relay_outbox.send),
    Periodic("reserve_waiting_stock", 300.0, reserve_waiting_stock.send),
    Periodic("replenish", REPLENISH_EVERY, send_replenishment),
)


@dataclass
class Scheduler:
    """When each job is due next, and how many sends in a row failed."""

    schedule: tuple[Periodic, ...]
    due: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)

    def run_due(self, now: float) -> None:
        """Send every job due at `now` (a monotonic instant) and set its next time."""
        for job in self.schedule:
            if now < self.due.get(job.name, 0.0):
                continue
            try:
                job.message()
            except (BrokerError, RedisError) as error:
                failures = self.failures.get(job.name, 0) + 1
                self.failures[job.name] = failures
                wait = min(FIRST_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF)
                self.due[job.name] = now + wait
                log.warning(
                    "scheduler.send_failed",
                    job=job.name,
                    failures=failures,
                    retry_in=wait,
                    error=str(error),
                )
                continue
            if self.failures.pop(job.name, 0):
                log.info("scheduler.send_recovered", job=job.name)
            self.due[job.name] = now + job.seconds


def run_forever(schedule: tuple[Periodic, ...] = SCHEDULE, *, tick: float = 0.5) -> None:
    scheduler = Scheduler(schedule)
    log.info("scheduler.started", jobs=[job.name for job in schedule])
    while True:
        scheduler.run_due(time.monotonic())
        time.sleep(tick)


def start_embedded() -> threading.Thread:
    """Run the scheduler on a daemon thread of this process (embedded mode)."""
    thread = threading.Thread(target=run_forever, name="scheduler", daemon=True)
    thread.start()
    return thread
