"""The command seam: every use case is a named, typed command run by one dispatcher.

An area declares its use cases in `domain/<area>/commands.py`: a frozen dataclass per command,
the permission it needs, and a `handle` that calls the area's services. GraphQL resolvers,
Dramatiq actors, the CLI and (later) imports and playbooks all run commands through
`dispatch`, which checks the actor's permission, opens one Unit of Work and passes the command
through a short chain of middleware (idempotency, then audit) before its handler runs. So who
may do what, what happened and "has this run already" are answered in one place each.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.core.actors import Actor
from domain.core.errors import CoreError, CoreErrorCode, DomainError
from domain.core.uow import UnitOfWork, transact

R = TypeVar("R")


@dataclass(frozen=True)
class Permission:
    """The right to read or do something in an area: `sales.read`, `inventory.validate`."""

    name: str
    description: str

    def __post_init__(self) -> None:
        existing = PERMISSIONS.get(self.name)
        if existing is not None and existing != self:
            raise ValueError(f"Permission {self.name} is declared twice, differently.")
        PERMISSIONS[self.name] = self


#: Every permission an area has declared, by name.
PERMISSIONS: dict[str, Permission] = {}


class Forbidden(DomainError):
    """The actor lacks the permission, or acts in a company that is not theirs."""

    def __init__(self, message: str) -> None:
        super().__init__(CoreErrorCode.FORBIDDEN, message)


def authorize(actor: Actor, permission: Permission | None, company_id: int) -> None:
    """The one check of a permission, for commands and for reads alike; a command without
    a permission (signing in) is open to anyone."""
    if permission is None:
        return
    if not actor.in_company(company_id):
        raise Forbidden("This company is not one of yours.")
    if not actor.may(permission, company_id):
        raise Forbidden(f"This needs the permission {permission.name}.")


@dataclass(frozen=True, kw_only=True)
class Command(Generic[R]):
    """A use case: what to do, in which company, and the permission it needs.

    `permission` None means anyone may run it (signing in). Fields named in `secret_fields`
    are left out of audit records and idempotency fingerprints' stored input.
    """

    permission: ClassVar[Permission | None]
    secret_fields: ClassVar[frozenset[str]] = frozenset()

    company_id: int
    idempotency_key: str | None = None

    @property
    def command_name(self) -> str:
        return type(self).__name__

    async def handle(self, uow: UnitOfWork) -> R:
        raise NotImplementedError

    def as_record(self) -> dict[str, Any]:
        """The command's input as JSON-ready data, secrets redacted."""
        values = {
            item.name: getattr(self, item.name)
            for item in dataclasses.fields(self)
            if item.name not in ("company_id", "idempotency_key")
        }
        for secret in self.secret_fields:
            if values.get(secret) is not None:
                values[secret] = "***"
        return json.loads(json.dumps(values, default=_plain, sort_keys=True))

    def fingerprint(self) -> str:
        """A digest of the whole input (secrets included): same input, same fingerprint."""
        values = {
            item.name: getattr(self, item.name)
            for item in dataclasses.fields(self)
            if item.name != "idempotency_key"
        }
        text = json.dumps([self.command_name, values], default=_plain, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Step(Command[R]):
    """A workflow step on one record, named by `id`: confirm, post, validate, cancel."""

    id: int


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


@dataclass
class Execution:
    """One command being run: what middleware sees."""

    command: Command[Any]
    actor: Actor
    uow: UnitOfWork
    request_id: str | None


Next = Callable[[], Awaitable[Any]]
Middleware = Callable[[Execution, Next], Awaitable[Any]]

#: Middleware around every handler, outermost first. Areas above core add theirs at wiring
#: (governance adds the audit trail); idempotency is core's own.
MIDDLEWARE: list[Middleware] = []


def use(middleware: Middleware) -> Middleware:
    """Add `middleware` to the chain (once)."""
    if middleware not in MIDDLEWARE:
        MIDDLEWARE.append(middleware)
    return middleware


async def dispatch(
    sessions: async_sessionmaker[AsyncSession],
    command: Command[R],
    actor: Actor,
    *,
    request_id: str | None = None,
) -> R:
    """Run `command` for `actor` in one Unit of Work; its result, or its domain error."""
    authorize(actor, command.permission, command.company_id)
    return await transact(sessions, lambda uow: execute(uow, command, actor, request_id=request_id))


async def execute(
    uow: UnitOfWork, command: Command[R], actor: Actor, *, request_id: str | None = None
) -> R:
    """Run `command` for `actor` through the middleware in the open Unit of Work `uow`: what
    `dispatch` does inside its transaction, for callers that write more in the same one (a
    job run marked done with the work it did). The caller has authorized the actor."""
    uow.actor = actor
    return await _chain(Execution(command, actor, uow, request_id), 0)


async def run_inline(uow: UnitOfWork, command: Command[R]) -> R:
    """Run `command` inside a Unit of Work already open (a command calling another area's
    use case as part of its own): same actor, same transaction, the permission checked."""
    authorize(uow.actor, command.permission, command.company_id)
    return await command.handle(uow)


async def _chain(execution: Execution, index: int) -> Any:
    if index == len(MIDDLEWARE):
        return await execution.command.handle(execution.uow)
    return await MIDDLEWARE[index](execution, lambda: _chain(execution, index + 1))


class IdempotencyConflict(CoreError):
    """The idempotency key was used before for another request."""


__all__ = [
    "PERMISSIONS",
    "Actor",
    "Command",
    "Execution",
    "Forbidden",
    "IdempotencyConflict",
    "Permission",
    "Step",
    "authorize",
    "dispatch",
    "execute",
    "run_inline",
    "use",
]
