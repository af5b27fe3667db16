"""The in-transaction event bus.

Services publish frozen dataclass events through the Unit of Work; handlers registered for the
event's type run at once, in the same transaction, so their effects commit or roll back with
the change that caused them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from domain.core.uow import UnitOfWork


@dataclass(frozen=True)
class Event:
    """Base class of every domain event: something that happened."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any, "UnitOfWork"], Awaitable[None]]

_handlers: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Callable[[E, UnitOfWork], Awaitable[None]]], Any]:
    """Register the decorated coroutine as a handler of `event_type`."""

    def register(handler: Callable[[E, UnitOfWork], Awaitable[None]]) -> Any:
        if handler not in _handlers[event_type]:
            _handlers[event_type].append(handler)
        return handler

    return register


def handlers_for(event: Event) -> list[Handler]:
    return list(_handlers.get(type(event), ()))


@dataclass(frozen=True)
class CompanyCreated(Event):
    """A company was created; areas add their defaults (warehouse, chart of accounts)."""

    company_id: int
