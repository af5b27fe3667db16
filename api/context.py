"""What every resolver gets in `info.context`: the request's session, company and loaders."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Executable, ScalarResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from strawberry.types import Info as StrawberryInfo

from domain.core.actors import Actor

if TYPE_CHECKING:
    from api.loaders import Loaders


class ReadSession:
    """The request's read session, used by one statement at a time.

    GraphQL resolves sibling fields concurrently and an `AsyncSession` runs one statement at a
    time, so statements queue on a lock; DataLoaders still batch each level into one. Closing
    queues too: when an error ends the operation while a sibling field still reads, the read
    finishes before the session closes, and reads queued behind it are refused.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._finished = False

    def _open(self) -> AsyncSession:
        if self._finished:
            raise RuntimeError("The operation is over; its reads are not needed any more.")
        if self._session is None:
            self._session = self._sessions()
        return self._session

    async def execute(self, statement: Executable) -> Any:
        async with self._lock:
            return await self._open().execute(statement)

    async def scalars(self, statement: Executable) -> ScalarResult[Any]:
        async with self._lock:
            return await self._open().scalars(statement)

    async def scalar(self, statement: Executable) -> Any:
        async with self._lock:
            return await self._open().scalar(statement)

    async def reset(self) -> None:
        """End the current transaction: the next read sees what was committed since."""
        async with self._lock:
            await self._close()

    async def close(self) -> None:
        """Close for good, once the operation is done."""
        async with self._lock:
            self._finished = True
            await self._close()

    async def _close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


@dataclass
class Context:
    """Request scope. Reads share one session; each mutation runs in its own Unit of Work.

    `actor` is who calls (None without credentials; `auth_error` says why they were refused),
    `company_id` the company the request works in, one of the actor's: every query and node
    lookup is scoped to it, so record rules live here and in the loaders, not in each resolver.
    """

    request: Request | None
    sessions: async_sessionmaker[AsyncSession]
    company_id: int
    loaders: Loaders
    actor: Actor | None = None
    auth_error: str | None = None
    company_error: str | None = None
    request_id: str | None = None
    #: The HTTP response being built, for a status other than 200 (401 without credentials).
    response: Any = None
    session: ReadSession = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.session = ReadSession(self.sessions)

    async def close(self) -> None:
        await self.session.close()

    async def refresh(self) -> None:
        """After a mutation: later fields of the request read the committed state afresh."""
        await self.session.reset()
        self.loaders.clear()


Info = StrawberryInfo[Context, Any]
