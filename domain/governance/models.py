"""Users, roles and memberships, sign-in sessions, API keys, and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.actors import ActorKind
from domain.core.db import Base, CompanyOwned, Timestamped, utcnow


class User(Timestamped, Base):
    """A person who signs in. A superuser (the first admin) may do anything everywhere;
    everyone else works in the companies of their memberships, with their roles' rights."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: argon2id hash of the password; never shown.
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    superuser: Mapped[bool] = mapped_column(default=False)
    default_company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"))
    last_login_at: Mapped[dt.datetime | None]


class Role(Timestamped, Base):
    """A named set of permissions (`sales.read`, `accounting.post`, ...). Built-in roles are
    installed with every database and cannot be changed; custom ones can."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    permissions: Mapped[list[str]] = mapped_column(JSON)
    builtin: Mapped[bool] = mapped_column(default=False)


class Membership(CompanyOwned, Base):
    """A user's access to one company, with the roles they hold there."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)


class MembershipRole(Base):
    """One role held in one membership."""

    __tablename__ = "membership_role"

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"), primary_key=True, index=True)


class SignInSession(Base):
    """One sign-in: its refresh tokens rotate within it, its access tokens name it.

    Logging out, or presenting a refresh token that was already used (a stolen copy), revokes
    the session, and with it every token it issued.
    """

    __tablename__ = "sign_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]


class RefreshToken(Base):
    """A one-use refresh token of a session, stored as its SHA-256 digest."""

    __tablename__ = "refresh_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sign_in_session.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class ApiKey(CompanyOwned, Base):
    """An integration's key to one company, limited to the permissions it was given.

    The key is shown once when created; only its SHA-256 digest and its first characters
    (to recognise it in a list) are kept.
    """

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    permissions: Mapped[list[str]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class AuditEvent(Base):
    """One command that ran: who, when, what, with which input, in which request.

    Written in the command's own transaction, so it exists exactly when the change does.
    Nothing in the API changes or deletes it.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_company_at", "company_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[ActorKind]
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(String(200))
    command: Mapped[str] = mapped_column(String(80), index=True)
    input: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))


class AuditChange(Base):
    """A record a command created, changed or deleted, with its fields' before and after."""

    __tablename__ = "audit_change"
    __table_args__ = (Index("ix_audit_change_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(80))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    #: Changed fields: `{"price_unit": ["10.00", "12.00"]}` (before, after).
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
