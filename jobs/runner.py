"""Running async domain services from Dramatiq's synchronous actors."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from domain.core.actors import Actor
from domain.core.db import create_engine, session_factory
from domain.core.dispatcher import Command
from domain.core.job_runs import run_job
from domain.core.models import JobRunState
from domain.core.settings import get_settings
from domain.core.uow import UnitOfWork, transact
from domain.wiring import load_handlers

T = TypeVar("T")


_threads = threading.local()


def _engine() -> AsyncEngine:
    """This thread's engine. Each call runs on a fresh event loop, so connections are not
    pooled across calls; and an engine is never shared between threads (a worker's and the
    embedded scheduler's), whose event loops run at the same time."""
    engine: AsyncEngine | None = getattr(_threads, "engine", None)
    if engine is None:
        engine = _threads.engine = create_engine(get_settings().database_url, poolclass=NullPool)
    return engine


def run_service(work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run `work` in one Unit of Work on a fresh event loop and return its result."""
    load_handlers()
    return asyncio.run(transact(session_factory(_engine()), work))


def run_job_command(job: str, key: str, command: Command[Any]) -> JobRunState:
    """Run `command` once for the message `key` as the system job `job` (see
    `domain.core.job_runs`), on a fresh event loop."""
    load_handlers()
    return asyncio.run(
        run_job(session_factory(_engine()), job=job, key=key, command=command, actor=Actor.job(job))
    )
