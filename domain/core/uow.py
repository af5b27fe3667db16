"""The Unit of Work: one transaction, its events and its outbox rows.

A use case runs as `await transact(factory, lambda uow: service(uow, ...))`: the function gets
a fresh Unit of Work, everything it and the handlers of its events do shares one transaction,
and the transaction commits only when the function returns. Serialization failures and
deadlocks are retried a bounded number of times, then reported as a typed error.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.core import events, outbox
from domain.core.actors import SYSTEM, Actor
from domain.core.db import SQLITE_IMMEDIATE
from domain.core.errors import CoreError, CoreErrorCode
from domain.core.models import OutboxMessage

T = TypeVar("T")

#: PostgreSQL SQLSTATEs worth retrying: serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
MAX_ATTEMPTS = 5


class UnitOfWork:
    """One database transaction with an event bus and an outbox."""

    session: AsyncSession
    #: Who the work is done for; the dispatcher sets it from the command's caller.
    actor: Actor = SYSTEM

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._committed = False
        self._outbox_written = False

    @property
    def dialect(self) -> str:
        """The database's dialect name: `postgresql` or `sqlite`."""
        bind = self.session.bind
        assert bind is not None
        return bind.dialect.name

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        if self.dialect == "sqlite":
            await self.session.connection(execution_options={SQLITE_IMMEDIATE: True})
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
        self._committed = True
        if self._outbox_written:
            outbox.notify_committed()

    async def publish(self, event: events.Event) -> None:
        """Run every handler of `event` now, inside this transaction."""
        for handler in events.handlers_for(event):
            await handler(event, self)

    def enqueue(self, topic: str, payload: dict[str, Any], *, company_id: int | None) -> None:
        """Write an outbox row: work for a worker, sent only if this transaction commits."""
        self.session.add(OutboxMessage(topic=topic, payload=payload, company_id=company_id))
        self._outbox_written = True


def _retryable(error: DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return sqlstate in RETRYABLE_SQLSTATES


async def transact(
    sessions: async_sessionmaker[AsyncSession],
    work: Callable[[UnitOfWork], Awaitable[T]],
) -> T:
    """Run `work` in a fresh Unit of Work and commit; retry on serialization conflicts."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with UnitOfWork(sessions) as uow:
                result = await work(uow)
                await uow.commit()
                return result
        except DBAPIError as error:
            if not _retryable(error):
                raise
            if attempt == MAX_ATTEMPTS:
                raise CoreError(
                    CoreErrorCode.CONCURRENT_UPDATE,
                    "The records changed concurrently too often; try again.",
                ) from error
            await asyncio.sleep(random.uniform(0.005, 0.05) * attempt)
    raise AssertionError("unreachable")
