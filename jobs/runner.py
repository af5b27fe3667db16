"""Running async domain services from Dramatiq's synchronous actors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from domain.core.db import create_engine, session_factory
from domain.core.settings import get_settings
from domain.core.uow import UnitOfWork, transact
from domain.wiring import load_handlers

T = TypeVar("T")


@lru_cache
def _engine() -> AsyncEngine:
    # Each actor call runs on a fresh event loop, so connections are not pooled across calls.
    return create_engine(get_settings().database_url, poolclass=NullPool)


def run_service(work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run `work` in one Unit of Work on a fresh event loop and return its result."""
    load_handlers()
    return asyncio.run(transact(session_factory(_engine()), work))
