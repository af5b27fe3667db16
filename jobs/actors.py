"""Actors. Each one calls a domain service and is idempotent: running it twice is harmless."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import dramatiq
import structlog

from domain.core import outbox
from domain.core.services import company_ids
from domain.inventory.reservation import reserve_waiting_moves
from jobs.broker import broker
from jobs.runner import run_service

log = structlog.get_logger(__name__)

#: What to do for each outbox topic; webhooks and e-mail register here as they land.
TOPIC_HANDLERS: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {}


@dramatiq.actor(broker=broker, max_retries=3, queue_name="outbox")
def relay_outbox() -> None:
    """Hand every committed, pending outbox row to `deliver_outbox_message`."""
    message_ids = run_service(outbox.claim_pending)
    for message_id in message_ids:
        deliver_outbox_message.send(message_id)
    if message_ids:
        log.info("outbox.relayed", count=len(message_ids))


@dramatiq.actor(broker=broker, max_retries=10, queue_name="outbox")
def deliver_outbox_message(message_id: int) -> None:
    """Carry out one outbox row; a row already done is skipped."""
    state = run_service(lambda uow: outbox.process(uow, message_id, TOPIC_HANDLERS))
    log.info("outbox.delivered", message_id=message_id, state=state and state.value)


@dramatiq.actor(broker=broker, max_retries=3)
def reserve_waiting_stock() -> None:
    """Reserve, company by company, what moves waiting for stock can take now: the catch-up
    for stock that came in without serving them."""
    for company_id in run_service(company_ids):
        moves = run_service(partial(reserve_waiting_moves, company_id=company_id))
        if moves:
            log.info("stock.waiting_reserved", company_id=company_id, waiting=len(moves))


def kick_relay() -> None:
    """Outbox listener: relay right after a commit instead of waiting for the scheduler."""
    relay_outbox.send()
