"""The outbox's process-side hook.

The Unit of Work calls `notify_committed()` after a commit that wrote outbox rows. Whoever
relays outbox rows (the job layer) registers a listener here, so the domain never imports it;
rows are also picked up by the scheduler's periodic relay, so a missed notification loses
nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from domain.core.db import utcnow
from domain.core.models import OutboxMessage, OutboxState

if TYPE_CHECKING:
    from domain.core.uow import UnitOfWork

_listeners: list[Callable[[], None]] = []
_notifier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-notify")
_notification_lock = threading.Lock()
_notification_queued = False
log = logging.getLogger(__name__)
#: How long a sent row may stay undone before the relay sends it again.
RESEND_AFTER = dt.timedelta(minutes=5)


def on_commit(listener: Callable[[], None]) -> None:
    """Call `listener` after every commit that wrote outbox rows."""
    if listener not in _listeners:
        _listeners.append(listener)


def notify_committed() -> None:
    """Tell the listeners, on a thread of their own: the caller (a request on the event loop)
    never waits for a broker. Notifications made while one is waiting to run add nothing, as
    one relay picks up every committed row. The change is committed already, so a listener's
    failure (a broker out of reach or timing out) is logged and left to the scheduler's
    relay, never reported to the caller."""
    global _notification_queued
    with _notification_lock:
        if _notification_queued:
            return
        _notification_queued = True
    _notifier.submit(_notify)


def _notify() -> None:
    global _notification_queued
    with _notification_lock:
        _notification_queued = False  # a commit from now on queues the next notification
    for listener in _listeners:
        try:
            listener()
        except Exception:
            log.exception("outbox.notify_failed")


def wait_for_notifications() -> None:
    """Until the notifications queued so far have run: what a test waits on to see them."""
    _notifier.submit(lambda: None).result()


async def claim_pending(uow: UnitOfWork, limit: int = 100) -> list[int]:
    """Mark up to `limit` committed pending rows as sent and return their ids.

    Rows sent more than `RESEND_AFTER` ago and still not done are handed out again: their
    message may have been lost, and running a row twice is harmless. Rows are locked with
    SKIP LOCKED where the database has it, so concurrent relays never hand out the same row.
    """
    stale = utcnow() - RESEND_AFTER
    query = (
        select(OutboxMessage)
        .where(
            (OutboxMessage.state == OutboxState.PENDING)
            | ((OutboxMessage.state == OutboxState.SENT) & (OutboxMessage.sent_at < stale))
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if uow.dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    messages = list(await uow.session.scalars(query))
    now = utcnow()
    for message in messages:
        message.state = OutboxState.SENT
        message.sent_at = now
    await uow.session.flush()
    return [message.id for message in messages]


async def process(
    uow: UnitOfWork,
    message_id: int,
    handlers: dict[str, Callable[[dict[str, Any]], Awaitable[None]]],
) -> OutboxState | None:
    """Run the handler of one outbox row once; a row already done is left alone.

    A topic nobody handles yet (webhooks and e-mail subscribe later) is done at once.
    """
    message = await uow.session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.state is OutboxState.DONE:
        return None if message is None else message.state
    message.attempts += 1
    handler = handlers.get(message.topic)
    if handler is not None:
        await handler(message.payload)
    message.state = OutboxState.DONE
    message.done_at = utcnow()
    await uow.session.flush()
    return message.state
