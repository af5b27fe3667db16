"""Job runs: what background work ran, so a frontend can show it."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Select

from api.context import Info
from api.enums import graphql_enum
from api.filters import DateTimeRangeInput, in_range
from api.nodes import ModelNode
from api.pagination import (
    FILTER,
    SORT,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    Sort,
    SortDirection,
    root_connection,
)
from domain.core import models
from domain.core.commands import JOBS_READ
from domain.core.dispatcher import Permission
from domain.core.records import scoped

graphql_enum(
    models.JobRunState,
    "Where a job run stands. running → done, failed or dropped; a failed run is tried again.",
    {
        "RUNNING": "An attempt is under way, or was cut off and its message will come back.",
        "DONE": "The work committed; the same message again changes nothing.",
        "FAILED": "The last attempt failed (`error` says why); retries may follow.",
        "DROPPED": "The record it was for no longer exists; not retried.",
    },
)


@strawberry.type(description="One unit of background work: a scan, a posting run.")
class JobRun(ModelNode):
    model = models.JobRun
    read_permission: ClassVar[Permission | None] = JOBS_READ
    job: str = strawberry.field(description="What ran, e.g. `replenish`.")
    key: str = strawberry.field(description="The message's key: one run per key.")
    state: models.JobRunState = strawberry.field(description="Where it stands.")
    attempts: int = strawberry.field(description="Attempts so far.")
    started_at: dt.datetime = strawberry.field(description="When it was first claimed.")
    finished_at: dt.datetime | None = strawberry.field(
        description="When it was done, dropped or last failed."
    )
    error: str | None = strawberry.field(description="Why it failed or was dropped.")

    @strawberry.field(description="What it created, as JSON text (IDs and counts).")
    def result(self, root: strawberry.Parent[models.JobRun]) -> str | None:
        return None if root.result is None else json.dumps(root.result, sort_keys=True)


@strawberry.input(description="Which job runs to list; all given conditions must hold.")
class JobRunFilterInput:
    job: list[str] | None = strawberry.field(default=None, description="Of these jobs.")
    state: list[models.JobRunState] | None = strawberry.field(
        default=None, description="In these states."
    )
    started_at: DateTimeRangeInput | None = strawberry.field(
        default=None, description="Started in this range."
    )


@strawberry.enum(description="What job runs can be sorted by.")
class JobRunSortField(enum.Enum):
    STARTED_AT = strawberry.enum_value("started_at", description="When it started.")


@strawberry.input(description="Sort order of a job run list.")
class JobRunSortInput:
    field: JobRunSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.DESC, description="Descending (default) or ascending."
    )


def job_run_query(info: Info, where: JobRunFilterInput | None) -> Select[Any]:
    run = models.JobRun
    where = where or JobRunFilterInput()
    query = scoped(run, [info.context.company_id])
    if where.job:
        query = query.where(run.job.in_(where.job))
    if where.state:
        query = query.where(run.state.in_(where.state))
    return in_range(query, run.started_at, where.started_at)


@strawberry.type
class JobRunQuery:
    @strawberry.field(description="Background job runs of the company, newest first.")
    async def job_runs(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[JobRunFilterInput | None, FILTER] = None,
        sort_by: Annotated[JobRunSortInput | None, SORT] = None,
    ) -> Connection[JobRun]:
        descending = sort_by is None or sort_by.direction is SortDirection.DESC
        return await root_connection(
            info.context.session,
            job_run_query(info, filter),
            Sort(models.JobRun.started_at, models.JobRun.id, descending=descending),
            PageArgs(first, after, last, before),
        )
