"""The caller, users, roles, API keys, permissions and the audit trail."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select

from api.context import Info
from api.filters import DateTimeRangeInput, in_range
from api.governance.types import (
    ApiKey,
    AuditEvent,
    PermissionInfo,
    Role,
    User,
    Viewer,
    permission_infos,
    users_visible,
)
from api.ids import decode_id
from api.pagination import (
    FILTER,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    Sort,
    root_connection,
)
from domain.core.actors import ActorKind
from domain.core.dispatcher import PERMISSIONS
from domain.governance import models


@strawberry.input(description="Which audit events to list.")
class AuditEventFilterInput:
    command: list[str] | None = strawberry.field(
        default=None, description="Of these commands, e.g. ConfirmSaleOrder."
    )
    actor_kind: ActorKind | None = strawberry.field(
        default=None, description="Run by a user, an API key or a job."
    )
    user_id: strawberry.ID | None = strawberry.field(default=None, description="Run by this user.")
    record: strawberry.ID | None = strawberry.field(
        default=None, description="That touched this record (any type's global ID)."
    )
    occurred_at: DateTimeRangeInput | None = strawberry.field(
        default=None, description="Run within this range."
    )


@strawberry.type
class GovernanceQuery:
    @strawberry.field(description="Who is calling, their companies and what they may do here.")
    async def me(self, info: Info) -> Viewer:
        actor = info.context.actor
        assert actor is not None
        user = None
        if actor.kind is ActorKind.USER and actor.id is not None:
            user = await info.context.session.scalar(
                select(models.User).where(models.User.id == actor.id)
            )
        return Viewer(user=user, name=actor.name, kind=actor.kind, superuser=actor.superuser)

    @strawberry.field(description="Every permission the areas declare, by name.")
    def permissions(self) -> list[PermissionInfo]:
        return permission_infos(PERMISSIONS)

    @strawberry.field(description="Users of the company (all users for a superuser), by name.")
    async def users(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        return await root_connection(
            info.context.session,
            users_visible(info),
            Sort(models.User.name, models.User.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Built-in and custom roles, by name.")
    async def roles(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Role]:
        return await root_connection(
            info.context.session,
            select(models.Role),
            Sort(models.Role.name, models.Role.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="The company's API keys, newest first.")
    async def api_keys(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ApiKey]:
        return await root_connection(
            info.context.session,
            select(models.ApiKey).where(models.ApiKey.company_id == info.context.company_id),
            Sort(models.ApiKey.created_at, models.ApiKey.id, descending=True),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Commands run in the company, newest first.")
    async def audit_events(
        self,
        info: Info,
        filter: Annotated[AuditEventFilterInput | None, FILTER] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEvent]:
        where = filter or AuditEventFilterInput()
        query = AuditEvent.visible(info)
        if where.command:
            query = query.where(models.AuditEvent.command.in_(where.command))
        if where.actor_kind is not None:
            query = query.where(models.AuditEvent.actor_kind == where.actor_kind)
        if where.user_id is not None:
            query = query.where(
                models.AuditEvent.actor_kind == ActorKind.USER,
                models.AuditEvent.actor_id == decode_id(where.user_id, "User", "userId"),
            )
        if where.record is not None:
            gid = strawberry.relay.GlobalID.from_id(where.record)
            touched = select(models.AuditChange.event_id).where(
                models.AuditChange.record_type == gid.type_name,
                models.AuditChange.record_id == int(gid.node_id),
            )
            query = query.where(models.AuditEvent.id.in_(touched))
        return await root_connection(
            info.context.session,
            in_range(query, models.AuditEvent.occurred_at, where.occurred_at),
            Sort(models.AuditEvent.occurred_at, models.AuditEvent.id, descending=True),
            PageArgs(first, after, last, before),
        )
