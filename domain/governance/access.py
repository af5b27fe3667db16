"""Managing who may do what: users, custom roles, memberships and API keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from domain.core.actors import ActorKind
from domain.core.db import utcnow
from domain.core.records import get_owned
from domain.core.uow import UnitOfWork
from domain.governance.errors import GovernanceError, GovernanceErrorCode
from domain.governance.identity import (
    check_permissions,
    digest,
    hash_password,
    new_api_key,
    normalized_email,
)
from domain.governance.models import ApiKey, Membership, MembershipRole, Role, User
from domain.governance.roles import granted

MAX_NAME = 200


def _name(value: str, field: str = "name", limit: int = MAX_NAME) -> str:
    value = value.strip()
    if not value:
        raise GovernanceError(GovernanceErrorCode.REQUIRED, "A name is required.", field=[field])
    if len(value) > limit:
        raise GovernanceError(
            GovernanceErrorCode.INVALID, f"At most {limit} characters.", field=[field]
        )
    return value


async def create_user(
    uow: UnitOfWork,
    *,
    email: str,
    name: str,
    password: str,
    superuser: bool = False,
) -> User:
    email = normalized_email(email)
    if await uow.session.scalar(select(User.id).where(User.email == email)):
        raise GovernanceError(
            GovernanceErrorCode.UNIQUE, "A user with this e-mail exists.", field=["email"]
        )
    user = User(email=email, name=_name(name), password_hash=hash_password(password))
    user.superuser = superuser
    uow.session.add(user)
    await uow.session.flush()
    return user


async def get_user(uow: UnitOfWork, user_id: int, company_id: int) -> User:
    """A user who is a member of `company_id` (or any user for a superuser's request)."""
    query = select(User).where(User.id == user_id)
    if not uow.actor.superuser:
        query = query.join(Membership, Membership.user_id == User.id).where(
            Membership.company_id == company_id
        )
    user = await uow.session.scalar(query)
    if user is None:
        raise GovernanceError(
            GovernanceErrorCode.NOT_FOUND, "No such user in the company.", field=["id"]
        )
    return user


async def update_user(
    uow: UnitOfWork,
    company_id: int,
    user_id: int,
    *,
    name: str | None = None,
    password: str | None = None,
    active: bool | None = None,
) -> User:
    user = await get_user(uow, user_id, company_id)
    if name is not None:
        user.name = _name(name)
    if password is not None:
        user.password_hash = hash_password(password)
    if active is not None:
        if not active and user.id == uow.actor.id:
            raise GovernanceError(
                GovernanceErrorCode.INVALID, "You cannot deactivate yourself.", field=["active"]
            )
        user.active = active
    await uow.session.flush()
    return user


async def _roles(uow: UnitOfWork, role_ids: Sequence[int]) -> list[Role]:
    roles = list(await uow.session.scalars(select(Role).where(Role.id.in_(role_ids))))
    found = {role.id for role in roles}
    for index, role_id in enumerate(role_ids):
        if role_id not in found:
            raise GovernanceError(
                GovernanceErrorCode.NOT_FOUND, "No such role.", field=["role_ids", str(index)]
            )
    return roles


async def set_membership(
    uow: UnitOfWork, company_id: int, user_id: int, role_ids: Sequence[int], *, default: bool
) -> User:
    """Give a user exactly these roles in the company; no roles removes them from it.

    Nobody grants more than they hold: a role with a permission the caller lacks here is
    refused.
    """
    user = await uow.session.get(User, user_id)
    if user is None:
        raise GovernanceError(GovernanceErrorCode.NOT_FOUND, "No such user.", field=["user_id"])
    roles = await _roles(uow, role_ids)
    for index, role in enumerate(roles):
        missing = sorted(name for name in granted(role) if not uow.actor.may(name, company_id))
        if missing:
            raise GovernanceError(
                GovernanceErrorCode.INVALID,
                f"The role {role.name} grants {', '.join(missing)}, which you do not hold.",
                field=["role_ids", str(index)],
            )
    membership = await uow.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.company_id == company_id)
    )
    if not roles:
        if membership is not None:
            await uow.session.delete(membership)
        if user.default_company_id == company_id:
            user.default_company_id = None
        await uow.session.flush()
        return user
    if membership is None:
        membership = Membership(user_id=user_id, company_id=company_id)
        uow.session.add(membership)
        await uow.session.flush()
    await uow.session.execute(
        delete(MembershipRole).where(MembershipRole.membership_id == membership.id)
    )
    uow.session.add_all(
        MembershipRole(membership_id=membership.id, role_id=role.id) for role in roles
    )
    if default or user.default_company_id is None:
        user.default_company_id = company_id
    await uow.session.flush()
    return user


async def _role(uow: UnitOfWork, role_id: int) -> Role:
    role = await uow.session.get(Role, role_id)
    if role is None:
        raise GovernanceError(GovernanceErrorCode.NOT_FOUND, "No such role.", field=["id"])
    if role.builtin:
        raise GovernanceError(
            GovernanceErrorCode.BUILTIN_ROLE, "Built-in roles cannot be changed.", field=["id"]
        )
    return role


async def create_role(
    uow: UnitOfWork, *, name: str, description: str, permissions: list[str]
) -> Role:
    name = _name(name, limit=80)
    if await uow.session.scalar(select(Role.id).where(func.lower(Role.name) == name.lower())):
        raise GovernanceError(
            GovernanceErrorCode.UNIQUE, "A role with this name exists.", field=["name"]
        )
    role = Role(
        name=name,
        description=description.strip()[:500],
        permissions=check_permissions(permissions, "permissions"),
    )
    uow.session.add(role)
    await uow.session.flush()
    return role


async def update_role(
    uow: UnitOfWork,
    role_id: int,
    *,
    description: str | None,
    permissions: list[str] | None,
) -> Role:
    role = await _role(uow, role_id)
    if description is not None:
        role.description = description.strip()[:500]
    if permissions is not None:
        role.permissions = check_permissions(permissions, "permissions")
    await uow.session.flush()
    return role


async def delete_role(uow: UnitOfWork, role_id: int) -> Role:
    role = await _role(uow, role_id)
    if await uow.session.scalar(
        select(MembershipRole.role_id).where(MembershipRole.role_id == role_id).limit(1)
    ):
        raise GovernanceError(
            GovernanceErrorCode.INVALID, "The role is still held by someone.", field=["id"]
        )
    await uow.session.delete(role)
    await uow.session.flush()
    return role


@dataclass(frozen=True)
class CreatedApiKey:
    """A new key and its secret, which is shown this once."""

    key: ApiKey
    secret: str

    @property
    def id(self) -> int:
        return self.key.id


async def create_api_key(
    uow: UnitOfWork,
    company_id: int,
    *,
    name: str,
    permissions: list[str],
    expires_at: dt.datetime | None,
) -> CreatedApiKey:
    """A key for the company limited to `permissions`, which the caller must hold here."""
    names = check_permissions(permissions, "permissions")
    for index, permission in enumerate(names):
        if not uow.actor.may(permission, company_id):
            raise GovernanceError(
                GovernanceErrorCode.INVALID,
                f"You do not hold {permission}, so you cannot give it to a key.",
                field=["permissions", str(index)],
            )
    if expires_at is not None and expires_at <= utcnow():
        raise GovernanceError(
            GovernanceErrorCode.INVALID, "The expiry is in the past.", field=["expires_at"]
        )
    secret = new_api_key()
    key = ApiKey(
        company_id=company_id,
        name=_name(name, limit=120),
        prefix=secret[:12],
        key_hash=digest(secret),
        permissions=names,
        created_by_id=uow.actor.id if uow.actor.kind is ActorKind.USER else None,
        expires_at=expires_at,
    )
    uow.session.add(key)
    await uow.session.flush()
    return CreatedApiKey(key, secret)


async def revoke_api_key(uow: UnitOfWork, company_id: int, key_id: int) -> ApiKey:
    key = await get_owned(uow.session, ApiKey, key_id, company_id)
    if key is None:
        raise GovernanceError(GovernanceErrorCode.NOT_FOUND, "No such API key.", field=["id"])
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    await uow.session.flush()
    return key
