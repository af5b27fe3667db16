"""Who acts: a person, an integration's API key, a storefront's token, or a named system job."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class Named(Protocol):
    @property
    def name(self) -> str: ...


class ActorKind(enum.Enum):
    """Who runs a command: a person, an integration's API key, a storefront's publishable
    token (confined to its channel's storefront fields), or a named system job."""

    USER = "user"
    API_KEY = "api_key"
    STOREFRONT = "storefront"
    JOB = "job"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    """The identity a command runs for, with what it may do in each of its companies.

    A superuser (the first admin) and a system job may do anything in every company.
    """

    kind: ActorKind
    id: int | None
    name: str
    permissions: Mapping[int, frozenset[str]] = field(default_factory=dict)
    superuser: bool = False
    #: The company a request works in when it names none.
    default_company_id: int | None = None
    #: The storefront channel a storefront token is bound to.
    channel_id: int | None = None
    #: The partner of the customer signed in to the storefront with it.
    customer_id: int | None = None

    @classmethod
    def job(cls, name: str) -> Actor:
        """A named system job (the scheduler, an actor, the CLI): trusted everywhere."""
        return cls(ActorKind.JOB, None, name, superuser=True)

    @property
    def key(self) -> str:
        """Stable identity for idempotency keys and audit: `user:5`, `api_key:2`, `job:demo`."""
        return f"{self.kind.value}:{self.id if self.id is not None else self.name}"

    @property
    def company_ids(self) -> frozenset[int]:
        """Companies the actor may work in; a superuser's are all of them."""
        return frozenset(self.permissions)

    def in_company(self, company_id: int) -> bool:
        return self.superuser or company_id in self.permissions

    def may(self, permission: Named | str, company_id: int) -> bool:
        name = permission if isinstance(permission, str) else permission.name
        return self.superuser or name in self.permissions.get(company_id, frozenset())


#: Who runs a service called outside any entrypoint (migrations, test set-up).
SYSTEM = Actor.job("system")
#: Who calls without credentials: may only run commands open to anyone (signing in).
ANONYMOUS = Actor(ActorKind.ANONYMOUS, None, "anonymous")
