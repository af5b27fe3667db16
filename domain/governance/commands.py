"""Signing in, and managing users, roles, memberships and API keys, as commands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from domain.core.dispatcher import Command, Forbidden, Permission, Step
from domain.core.settings import get_settings
from domain.core.uow import UnitOfWork
from domain.governance import access, identity
from domain.governance.models import ApiKey, Role, User

ADMIN_USERS = Permission("admin.users", "Manage users, roles, memberships and API keys.")
AUDIT_READ = Permission("audit.read", "Read the audit trail.")


@dataclass(frozen=True, kw_only=True)
class Login(Command[identity.Tokens]):
    permission: ClassVar[Permission | None] = None
    secret_fields = frozenset({"password"})
    email: str
    password: str

    async def handle(self, uow: UnitOfWork) -> identity.Tokens:
        return await identity.login(uow, get_settings().secret_key, self.email, self.password)


@dataclass(frozen=True, kw_only=True)
class RefreshTokens(Command[identity.Tokens]):
    permission: ClassVar[Permission | None] = None
    secret_fields = frozenset({"refresh_token"})
    refresh_token: str

    async def handle(self, uow: UnitOfWork) -> identity.Tokens:
        return await identity.refresh_tokens(uow, get_settings().secret_key, self.refresh_token)


@dataclass(frozen=True, kw_only=True)
class Logout(Command[bool]):
    permission: ClassVar[Permission | None] = None
    secret_fields = frozenset({"refresh_token"})
    refresh_token: str

    async def handle(self, uow: UnitOfWork) -> bool:
        return await identity.logout(uow, self.refresh_token)


@dataclass(frozen=True, kw_only=True)
class CreateUser(Command[User]):
    """A new user; with roles, a member of the command's company."""

    permission: ClassVar[Permission | None] = ADMIN_USERS
    secret_fields = frozenset({"password"})
    email: str
    name: str
    password: str
    role_ids: tuple[int, ...] = ()
    superuser: bool = False

    async def handle(self, uow: UnitOfWork) -> User:
        if self.superuser and not uow.actor.superuser:
            raise Forbidden("Only a superuser makes another one.")
        user = await access.create_user(
            uow, email=self.email, name=self.name, password=self.password, superuser=self.superuser
        )
        if self.role_ids:
            await access.set_membership(uow, self.company_id, user.id, self.role_ids, default=True)
        return user


@dataclass(frozen=True, kw_only=True)
class UpdateUser(Step[User]):
    permission: ClassVar[Permission | None] = ADMIN_USERS
    secret_fields = frozenset({"password"})
    name: str | None = None
    password: str | None = None
    active: bool | None = None

    async def handle(self, uow: UnitOfWork) -> User:
        return await access.update_user(
            uow,
            self.company_id,
            self.id,
            name=self.name,
            password=self.password,
            active=self.active,
        )


@dataclass(frozen=True, kw_only=True)
class SetMembership(Command[User]):
    """The user holds exactly `role_ids` in the company; none removes them from it."""

    permission: ClassVar[Permission | None] = ADMIN_USERS
    user_id: int
    role_ids: tuple[int, ...]
    default: bool = False

    async def handle(self, uow: UnitOfWork) -> User:
        return await access.set_membership(
            uow, self.company_id, self.user_id, self.role_ids, default=self.default
        )


@dataclass(frozen=True, kw_only=True)
class CreateRole(Command[Role]):
    permission: ClassVar[Permission | None] = ADMIN_USERS
    name: str
    description: str = ""
    permissions: tuple[str, ...] = ()

    async def handle(self, uow: UnitOfWork) -> Role:
        return await access.create_role(
            uow, name=self.name, description=self.description, permissions=list(self.permissions)
        )


@dataclass(frozen=True, kw_only=True)
class UpdateRole(Step[Role]):
    permission: ClassVar[Permission | None] = ADMIN_USERS
    description: str | None = None
    permissions: tuple[str, ...] | None = None

    async def handle(self, uow: UnitOfWork) -> Role:
        return await access.update_role(
            uow,
            self.id,
            description=self.description,
            permissions=list(self.permissions) if self.permissions is not None else None,
        )


@dataclass(frozen=True, kw_only=True)
class DeleteRole(Step[Role]):
    permission: ClassVar[Permission | None] = ADMIN_USERS

    async def handle(self, uow: UnitOfWork) -> Role:
        return await access.delete_role(uow, self.id)


@dataclass(frozen=True, kw_only=True)
class CreateApiKey(Command[access.CreatedApiKey]):
    permission: ClassVar[Permission | None] = ADMIN_USERS
    name: str
    permissions: tuple[str, ...]
    expires_at: dt.datetime | None = None

    async def handle(self, uow: UnitOfWork) -> access.CreatedApiKey:
        return await access.create_api_key(
            uow,
            self.company_id,
            name=self.name,
            permissions=list(self.permissions),
            expires_at=self.expires_at,
        )


@dataclass(frozen=True, kw_only=True)
class RevokeApiKey(Step[ApiKey]):
    permission: ClassVar[Permission | None] = ADMIN_USERS

    async def handle(self, uow: UnitOfWork) -> ApiKey:
        return await access.revoke_api_key(uow, self.company_id, self.id)
