"""Users, roles, API keys, the caller themself, and the audit trail as GraphQL types."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import strawberry
from sqlalchemy import Select, select
from strawberry import relay
from strawberry.dataloader import DataLoader

from api.access import readable_by_all
from api.context import Info
from api.core.types import Company
from api.enums import graphql_enum
from api.errors import UserError
from api.nodes import ModelNode
from domain.core import models as core_models
from domain.core.actors import ActorKind
from domain.core.dispatcher import PERMISSIONS, Permission
from domain.governance import models
from domain.governance.commands import ADMIN_USERS, AUDIT_READ
from domain.governance.errors import GovernanceErrorCode
from domain.governance.roles import granted

graphql_enum(
    GovernanceErrorCode,
    "Why a sign-in or an access change was refused.",
    {
        "INVALID_CREDENTIALS": "The e-mail and password, or the refresh token, are not valid.",
        "UNAUTHENTICATED": "No valid credentials were given.",
        "BUILTIN_ROLE": "Built-in roles cannot be changed or deleted.",
    },
)
graphql_enum(
    ActorKind,
    "Who ran a command.",
    {
        "USER": "A person, signed in.",
        "API_KEY": "An integration, with an API key.",
        "STOREFRONT": "A storefront visitor, with a channel's publishable token.",
        "JOB": "A named system job: the scheduler, a worker, the command line.",
        "ANONYMOUS": "Nobody signed in (signing in itself).",
    },
)


@strawberry.type(description="A sign-in or access change refused its input.")
class GovernanceError(UserError):
    codes = GovernanceErrorCode
    code: GovernanceErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.type(description="A permission an area declares, e.g. `sales.confirm`.")
class PermissionInfo:
    read_permission: ClassVar[Permission | None] = None
    name: str = strawberry.field(description="Its name: area, dot, action.")
    description: str = strawberry.field(description="What it allows.")


def permission_infos(names: Iterable[str]) -> list[PermissionInfo]:
    return [
        PermissionInfo(name=name, description=PERMISSIONS[name].description)
        for name in sorted(names)
        if name in PERMISSIONS
    ]


@strawberry.type(description="A named set of permissions a user holds in a company.")
class Role(ModelNode):
    model = models.Role
    read_permission = ADMIN_USERS
    name: str = strawberry.field(description="Unique name.")
    description: str = strawberry.field(description="What the role is for.")
    builtin: bool = strawberry.field(
        description="Installed with the system; its permissions follow the code, it cannot "
        "be changed."
    )

    @strawberry.field(description="What the role grants, by name.")
    def permissions(self, root: strawberry.Parent[models.Role]) -> list[PermissionInfo]:
        return permission_infos(granted(root))


@strawberry.type(description="A user's roles in one company.")
class Membership:
    read_permission: ClassVar[Permission | None] = ADMIN_USERS
    company_id: strawberry.Private[int]
    role_ids: strawberry.Private[list[int]]

    @strawberry.field(description="The company.")
    async def company(self, info: Info) -> Company:
        return await info.context.loaders.one(core_models.Company, self.company_id)

    @strawberry.field(description="The roles held there.")
    async def roles(self, info: Info) -> list[Role]:
        rows = await info.context.loaders.by_id(models.Role).load_many(self.role_ids)
        return [row for row in rows if row is not None]  # type: ignore[misc]


def _memberships(info: Info) -> DataLoader[int, list[Membership]]:
    """Memberships of users, limited to the request's company unless a superuser asks."""

    async def load(user_ids: Sequence[int]) -> list[list[Membership]]:
        query = (
            select(
                models.Membership.user_id,
                models.Membership.company_id,
                models.MembershipRole.role_id,
            )
            .outerjoin(
                models.MembershipRole,
                models.MembershipRole.membership_id == models.Membership.id,
            )
            .where(models.Membership.user_id.in_(user_ids))
            .order_by(models.Membership.company_id, models.MembershipRole.role_id)
        )
        actor = info.context.actor
        if actor is None or not actor.superuser:
            query = query.where(models.Membership.company_id == info.context.company_id)
        grouped: dict[int, dict[int, list[int]]] = defaultdict(dict)
        for user_id, company_id, role_id in await info.context.session.execute(query):
            roles = grouped[user_id].setdefault(company_id, [])
            if role_id is not None:
                roles.append(role_id)
        return [
            [
                Membership(company_id=company, role_ids=roles)
                for company, roles in grouped[user].items()
            ]
            for user in user_ids
        ]

    return info.context.loaders.get("memberships", lambda: DataLoader(load_fn=load))


def users_visible(info: Info) -> Select[Any]:
    """Users the caller may see: members of the request's company; all of them for a
    superuser."""
    query = select(models.User)
    actor = info.context.actor
    if actor is None or not actor.superuser:
        members = select(models.Membership.user_id).where(
            models.Membership.company_id == info.context.company_id
        )
        query = query.where(models.User.id.in_(members))
    return query


@strawberry.type(description="A person who signs in, and the companies and roles they have.")
class User(ModelNode):
    model = models.User
    read_permission = ADMIN_USERS
    email: str = strawberry.field(description="Sign-in e-mail, unique.")
    name: str = strawberry.field(description="Full name.")
    active: bool = strawberry.field(description="Can sign in; inactive users cannot.")
    superuser: bool = strawberry.field(
        description="May do anything in every company (the first administrator)."
    )
    last_login_at: dt.datetime | None = strawberry.field(description="Last sign-in.")

    @classmethod
    def visible(cls, info: Info) -> Select[Any]:
        return users_visible(info)

    @strawberry.field(description="Their companies and roles (here; everywhere for a superuser).")
    async def memberships(
        self, info: Info, root: strawberry.Parent[models.User]
    ) -> list[Membership]:
        return await _memberships(info).load(root.id)


@strawberry.type(description="An integration's key to this company, limited to its permissions.")
class ApiKey(ModelNode):
    model = models.ApiKey
    read_permission = ADMIN_USERS
    name: str = strawberry.field(description="What the key is for.")
    prefix: str = strawberry.field(description="Its first characters, to recognise it.")
    created_at: dt.datetime = strawberry.field(description="When it was made.")
    expires_at: dt.datetime | None = strawberry.field(description="When it stops working.")
    last_used_at: dt.datetime | None = strawberry.field(
        description="Last request made with it (to the minute)."
    )
    revoked_at: dt.datetime | None = strawberry.field(description="When it was revoked.")

    @strawberry.field(description="What requests made with it may do.")
    def permissions(self, root: strawberry.Parent[models.ApiKey]) -> list[PermissionInfo]:
        return permission_infos(root.permissions)


@strawberry.type(description="The caller: who they are and what they may do here.")
class Viewer:
    read_permission: ClassVar[Permission | None] = None
    user: strawberry.Private[models.User | None]
    name: str = strawberry.field(description="The user's or the key's name.")
    kind: ActorKind = strawberry.field(description="A user or an API key.")
    superuser: bool = strawberry.field(description="May do anything in every company.")

    @strawberry.field(description="The user's sign-in e-mail; null for an API key.")
    def email(self) -> str | None:
        return self.user.email if self.user else None

    @strawberry.field(
        description="The companies the caller may work in (`X-Company-Id`).",
        metadata=readable_by_all(),
    )
    async def companies(self, info: Info) -> list[Company]:
        actor = info.context.actor
        assert actor is not None
        query = select(core_models.Company).order_by(core_models.Company.name)
        if not actor.superuser:
            query = query.where(core_models.Company.id.in_(actor.company_ids))
        return list(await info.context.session.scalars(query))

    @strawberry.field(description="What the caller may do in the request's company.")
    def permissions(self, info: Info) -> list[PermissionInfo]:
        actor = info.context.actor
        assert actor is not None
        if actor.superuser:
            return permission_infos(PERMISSIONS)
        return permission_infos(actor.permissions.get(info.context.company_id, ()))


@strawberry.type(description="A signed-in session's tokens.")
class AuthTokens:
    access_token: str = strawberry.field(
        description="Send as `Authorization: Bearer <accessToken>`; valid for 15 minutes."
    )
    refresh_token: str = strawberry.field(
        description="Trade for new tokens with `tokenRefresh`, once; keep it secret."
    )
    expires_at: dt.datetime = strawberry.field(description="When the access token expires.")


@strawberry.type(description="One field a command changed: its value before and after.")
class FieldChange:
    field: str = strawberry.field(description="The field's name.")
    before: str | None = strawberry.field(description="Its value before; null when created.")
    after: str | None = strawberry.field(description="Its value after; null when deleted.")


@strawberry.type(description="A record a command created, changed or deleted.")
class AuditChange:
    record_type: str = strawberry.field(description="The record's type, e.g. SaleOrderLine.")
    record_id: strawberry.Private[int]
    action: str = strawberry.field(description="create, update or delete.")
    changes: list[FieldChange] = strawberry.field(description="Its fields that changed.")

    @strawberry.field(description="The record's global ID.")
    def record(self) -> relay.GlobalID:
        return relay.GlobalID(self.record_type, str(self.record_id))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def audit_change(row: models.AuditChange) -> AuditChange:
    return AuditChange(
        record_type=row.record_type,
        record_id=row.record_id,
        action=row.action,
        changes=[
            FieldChange(field=name, before=_text(pair[0]), after=_text(pair[1]))
            for name, pair in sorted(row.values.items())
        ],
    )


@strawberry.type(
    description="A command that ran: who ran it, when, with which input, and what it changed. "
    "Nothing can change or delete it."
)
class AuditEvent(ModelNode):
    model = models.AuditEvent
    read_permission = AUDIT_READ
    occurred_at: dt.datetime = strawberry.field(description="When it ran.")
    command: str = strawberry.field(description="The command, e.g. ConfirmSaleOrder.")
    actor_kind: ActorKind = strawberry.field(description="A user, an API key or a job.")
    actor_name: str = strawberry.field(description="Their name at the time.")
    request_id: str | None = strawberry.field(description="The HTTP request it came from.")

    @classmethod
    def visible(cls, info: Info) -> Select[Any]:
        return select(models.AuditEvent).where(
            models.AuditEvent.company_id == info.context.company_id
        )

    @strawberry.field(description="The user or API key's global ID; null for a job.")
    def actor(self, root: strawberry.Parent[models.AuditEvent]) -> relay.GlobalID | None:
        if root.actor_id is None:
            return None
        kind = "User" if root.actor_kind is ActorKind.USER else "ApiKey"
        return relay.GlobalID(kind, str(root.actor_id))

    @strawberry.field(description="The command's input, as JSON text, secrets left out.")
    def input(self, root: strawberry.Parent[models.AuditEvent]) -> str:
        return json.dumps(root.input, sort_keys=True)

    @strawberry.field(description="What it created, changed or deleted.")
    async def changes(
        self, info: Info, root: strawberry.Parent[models.AuditEvent]
    ) -> list[AuditChange]:
        rows = await info.context.loaders.by_parent(
            models.AuditChange.event_id, models.AuditChange.id
        ).load(root.id)
        return [audit_change(row) for row in rows]
