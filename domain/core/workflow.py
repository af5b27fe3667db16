"""Explicit state machines: each document declares its allowed transitions as data."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from domain.core.errors import DomainError

S = TypeVar("S", bound=enum.Enum)


class Workflow(Generic[S]):
    """Allowed transitions of one document kind, and the one place illegal ones are refused."""

    def __init__(
        self,
        transitions: Mapping[S, frozenset[S]],
        refuse: Callable[[S, S], DomainError],
    ) -> None:
        self.transitions = transitions
        self._refuse = refuse

    def allows(self, current: S, target: S) -> bool:
        return target in self.transitions.get(current, frozenset())

    def check(self, current: S, target: S) -> S:
        """`target` if moving there from `current` is allowed; the area's error otherwise."""
        if not self.allows(current, target):
            raise self._refuse(current, target)
        return target
