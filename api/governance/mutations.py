"""Signing in and out, and managing users, roles, memberships and API keys."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.context import Info
from api.governance.types import ApiKey, AuthTokens, GovernanceError, Role, User
from api.ids import decode_id, decode_ids
from api.payloads import Payload, run, step
from domain.governance import commands as c
from domain.governance.access import CreatedApiKey
from domain.governance.identity import Tokens


@strawberry.input(description="An e-mail and password.")
class LoginInput:
    email: str = strawberry.field(description="The user's sign-in e-mail.")
    password: str = strawberry.field(description="Their password.")


@strawberry.input(description="A refresh token from `login` or `tokenRefresh`.")
class RefreshTokenInput:
    refresh_token: str = strawberry.field(description="The refresh token, used once.")


@strawberry.type(description="A new session's tokens, or why not.")
class AuthPayload(Payload, error=GovernanceError):
    tokens: AuthTokens | None = strawberry.field(default=None, description="The tokens.")


@strawberry.type(description="Whether the session ended, or why not.")
class LogoutPayload(Payload, error=GovernanceError):
    ok: bool = strawberry.field(default=False, description="The session is revoked.")


@strawberry.input(description="A new user.")
class UserCreateInput:
    email: str = strawberry.field(description="Sign-in e-mail, unique.")
    name: str = strawberry.field(description="Full name.")
    password: str = strawberry.field(description="At least 10 characters.")
    role_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Roles in the request's company; none: no access yet."
    )


@strawberry.input(description="Changes to a user; fields left out keep their value.")
class UserUpdateInput:
    name: str | None = strawberry.field(default=None, description="Full name.")
    password: str | None = strawberry.field(default=None, description="A new password.")
    active: bool | None = strawberry.field(default=None, description="False stops them signing in.")


@strawberry.input(description="The roles a user holds in the request's company.")
class MembershipSetInput:
    user_id: strawberry.ID = strawberry.field(description="The user.")
    role_ids: list[strawberry.ID] = strawberry.field(
        description="Exactly these roles; an empty list removes them from the company."
    )
    default: bool = strawberry.field(
        default=False, description="Make this company the one they work in by default."
    )


@strawberry.type(description="The user after the change, or why nothing changed.")
class UserPayload(Payload, error=GovernanceError):
    user: User | None = strawberry.field(default=None, description="The user.")


@strawberry.input(description="A custom role.")
class RoleCreateInput:
    name: str = strawberry.field(description="Unique name.")
    description: str = strawberry.field(default="", description="What it is for.")
    permissions: list[str] = strawberry.field(
        description="Permission names, e.g. `sales.read` (see `permissions`)."
    )


@strawberry.input(description="Changes to a custom role; fields left out keep their value.")
class RoleUpdateInput:
    description: str | None = strawberry.field(default=None, description="What it is for.")
    permissions: list[str] | None = strawberry.field(
        default=None, description="The permissions it grants from now on."
    )


@strawberry.type(description="The role after the change, or why nothing changed.")
class RolePayload(Payload, error=GovernanceError):
    role: Role | None = strawberry.field(default=None, description="The role.")


@strawberry.input(description="A new API key for the request's company.")
class ApiKeyCreateInput:
    name: str = strawberry.field(description="What the key is for.")
    permissions: list[str] = strawberry.field(
        description="What requests with it may do; each one you hold yourself."
    )
    expires_at: dt.datetime | None = strawberry.field(
        default=None, description="When it stops working; never by default."
    )


@strawberry.type(description="A new key and its secret, shown only this once.")
class CreatedKey:
    api_key: ApiKey = strawberry.field(description="The key.")
    secret: str = strawberry.field(
        description="Send as `Authorization: Bearer <secret>`; it cannot be shown again."
    )


@strawberry.type(description="The key created, or why not.")
class ApiKeyCreatePayload(Payload, error=GovernanceError):
    created: CreatedKey | None = strawberry.field(default=None, description="The key.")


@strawberry.type(description="The key after the change, or why nothing changed.")
class ApiKeyPayload(Payload, error=GovernanceError):
    api_key: ApiKey | None = strawberry.field(default=None, description="The key.")


def _tokens(tokens: Tokens) -> AuthTokens:
    return AuthTokens(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=tokens.expires_at,
    )


def _created(created: CreatedApiKey) -> CreatedKey:
    return CreatedKey(api_key=created.key, secret=created.secret)  # type: ignore[arg-type]


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(
        description="Sign in: an access token for `Authorization: Bearer` and a refresh token.",
        metadata=dispatches(c.Login),
    )
    async def login(self, info: Info, input: Annotated[LoginInput, arguments.INPUT]) -> AuthPayload:
        return await run(
            info,
            AuthPayload,
            lambda company_id: c.Login(
                company_id=company_id, email=input.email, password=input.password
            ),
            present=_tokens,
        )

    @strawberry.mutation(
        description="New tokens for a refresh token, which is used up. Presenting a used one "
        "again ends the session.",
        metadata=dispatches(c.RefreshTokens),
    )
    async def token_refresh(
        self, info: Info, input: Annotated[RefreshTokenInput, arguments.INPUT]
    ) -> AuthPayload:
        return await run(
            info,
            AuthPayload,
            lambda company_id: c.RefreshTokens(
                company_id=company_id, refresh_token=input.refresh_token
            ),
            present=_tokens,
        )

    @strawberry.mutation(
        description="Sign out: the session's access and refresh tokens stop working.",
        metadata=dispatches(c.Logout),
    )
    async def logout(
        self, info: Info, input: Annotated[RefreshTokenInput, arguments.INPUT]
    ) -> LogoutPayload:
        return await run(
            info,
            LogoutPayload,
            lambda company_id: c.Logout(company_id=company_id, refresh_token=input.refresh_token),
        )

    @strawberry.mutation(
        description="Create a user, with roles in the request's company.",
        metadata=dispatches(c.CreateUser),
    )
    async def user_create(
        self, info: Info, input: Annotated[UserCreateInput, arguments.INPUT]
    ) -> UserPayload:
        return await run(
            info,
            UserPayload,
            lambda company_id: c.CreateUser(
                company_id=company_id,
                email=input.email,
                name=input.name,
                password=input.password,
                role_ids=tuple(decode_ids(input.role_ids, "Role", "role_ids")),
            ),
        )

    @strawberry.mutation(
        description="Change a user of the company: name, password, active.",
        metadata=dispatches(c.UpdateUser),
    )
    async def user_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[UserUpdateInput, arguments.INPUT],
    ) -> UserPayload:
        return await run(
            info,
            UserPayload,
            lambda company_id: c.UpdateUser(
                company_id=company_id,
                id=decode_id(id, "User", "id"),
                name=input.name,
                password=input.password,
                active=input.active,
            ),
        )

    @strawberry.mutation(
        description="Set the roles a user holds in the request's company.",
        metadata=dispatches(c.SetMembership),
    )
    async def membership_set(
        self, info: Info, input: Annotated[MembershipSetInput, arguments.INPUT]
    ) -> UserPayload:
        return await run(
            info,
            UserPayload,
            lambda company_id: c.SetMembership(
                company_id=company_id,
                user_id=decode_id(input.user_id, "User", "user_id"),
                role_ids=tuple(decode_ids(input.role_ids, "Role", "role_ids")),
                default=input.default,
            ),
        )

    @strawberry.mutation(description="Create a custom role.", metadata=dispatches(c.CreateRole))
    async def role_create(
        self, info: Info, input: Annotated[RoleCreateInput, arguments.INPUT]
    ) -> RolePayload:
        return await run(
            info,
            RolePayload,
            lambda company_id: c.CreateRole(
                company_id=company_id,
                name=input.name,
                description=input.description,
                permissions=tuple(input.permissions),
            ),
        )

    @strawberry.mutation(
        description="Change a custom role; its holders' rights change at once.",
        metadata=dispatches(c.UpdateRole),
    )
    async def role_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[RoleUpdateInput, arguments.INPUT],
    ) -> RolePayload:
        return await run(
            info,
            RolePayload,
            lambda company_id: c.UpdateRole(
                company_id=company_id,
                id=decode_id(id, "Role", "id"),
                description=input.description,
                permissions=tuple(input.permissions) if input.permissions is not None else None,
            ),
        )

    @strawberry.mutation(
        description="Delete a custom role nobody holds.", metadata=dispatches(c.DeleteRole)
    )
    async def role_delete(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> RolePayload:
        return await step(info, RolePayload, c.DeleteRole, id, "Role")

    @strawberry.mutation(
        description="Create an API key for the company; its secret is shown only once.",
        metadata=dispatches(c.CreateApiKey),
    )
    async def api_key_create(
        self, info: Info, input: Annotated[ApiKeyCreateInput, arguments.INPUT]
    ) -> ApiKeyCreatePayload:
        return await run(
            info,
            ApiKeyCreatePayload,
            lambda company_id: c.CreateApiKey(
                company_id=company_id,
                name=input.name,
                permissions=tuple(input.permissions),
                expires_at=input.expires_at,
            ),
            present=_created,
        )

    @strawberry.mutation(
        description="Revoke an API key: requests with it are refused from now on.",
        metadata=dispatches(c.RevokeApiKey),
    )
    async def api_key_revoke(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> ApiKeyPayload:
        return await step(info, ApiKeyPayload, c.RevokeApiKey, id, "ApiKey")
