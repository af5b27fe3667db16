"""Job runs: background work done once per message key, whatever the broker redelivers.

An actor runs its command through `run_job` under a key (the message's, or the scheduler's
slot). The run's row is claimed and locked in the same transaction as the command's work and
marked done with it, so a worker killed midway leaves neither the work nor a done run, and the
redelivered message does it once; a duplicate finds the run done and changes nothing. A
command refused because its record no longer exists (`NOT_FOUND`) drops the run with the
reason; another refusal or a crash marks it failed with the error, and the actor's retries
try again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.core.actors import Actor
from domain.core.db import utcnow
from domain.core.dispatcher import Command, authorize, execute
from domain.core.errors import DomainError
from domain.core.models import JobRun, JobRunState
from domain.core.uow import UnitOfWork, transact

R = TypeVar("R")
FINISHED = frozenset({JobRunState.DONE, JobRunState.DROPPED})


def summary(result: Any) -> dict[str, Any]:
    """What a command's result says it created, as JSON: a dataclass's fields, or a record's
    type and ID."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return dataclasses.asdict(result)
    if hasattr(result, "id"):
        return {"type": type(result).__name__, "id": result.id}
    return {}


async def run_job(
    sessions: async_sessionmaker[AsyncSession],
    *,
    job: str,
    key: str,
    command: Command[R],
    actor: Actor,
    summarize: Callable[[R], dict[str, Any]] = summary,
) -> JobRunState:
    """Run `command` once for `key`; the run's state afterwards. A failure is recorded and
    raised again (for the broker to retry), except a dropped run."""
    authorize(actor, command.permission, command.company_id)

    async def work(uow: UnitOfWork) -> JobRunState:
        run = await _claim(uow, job, key, command.company_id)
        if run.state in FINISHED:
            return run.state
        run.attempts += 1
        result = await execute(uow, command, actor)
        run.state, run.finished_at, run.error = JobRunState.DONE, utcnow(), None
        run.result = summarize(result)
        await uow.session.flush()
        return run.state

    try:
        return await transact(sessions, work)
    except DomainError as error:
        dropped = error.code.name == "NOT_FOUND"
        state = JobRunState.DROPPED if dropped else JobRunState.FAILED
        await _record(sessions, job, key, command.company_id, state, error.message)
        if dropped:
            return state
        raise
    except Exception as error:
        await _record(sessions, job, key, command.company_id, JobRunState.FAILED, repr(error))
        raise


async def _claim(uow: UnitOfWork, job: str, key: str, company_id: int) -> JobRun:
    """The run of `key`, created when new, locked until the transaction ends."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await uow.session.execute(
        insert(JobRun)
        .values(
            company_id=company_id,
            job=job,
            key=key,
            state=JobRunState.RUNNING,
            attempts=0,
            started_at=utcnow(),
        )
        .on_conflict_do_nothing()
    )
    run = await uow.session.scalar(
        select(JobRun)
        .where(JobRun.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert run is not None
    return run


async def _record(
    sessions: async_sessionmaker[AsyncSession],
    job: str,
    key: str,
    company_id: int,
    state: JobRunState,
    error: str,
) -> None:
    """A failed or dropped attempt, in a transaction of its own (the work's rolled back)."""

    async def work(uow: UnitOfWork) -> None:
        run = await _claim(uow, job, key, company_id)
        if run.state in FINISHED:
            return
        run.attempts += 1
        run.state, run.finished_at, run.error = state, utcnow(), error[:2000]
        await uow.session.flush()

    await transact(sessions, work)
