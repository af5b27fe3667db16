"""Typed domain errors. Every area subclasses `DomainError` with its own code enum.

The API maps any `DomainError` to a `UserError { field, code, message }` in one place.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class CoreErrorCode(enum.Enum):
    """Why a core operation (companies, currencies, units, sequences) was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    CONCURRENT_UPDATE = "concurrent_update"
    INCOMPATIBLE_UNITS = "incompatible_units"
    QUANTITY_PRECISION = "quantity_precision"
    REFERENCE_UNIT = "reference_unit"
    UNIT_IN_USE = "unit_in_use"
    CURRENCY = "currency"
    FORBIDDEN = "forbidden"


class DomainError(Exception):
    """A business rule refused the operation; nothing it did is kept.

    `code` is a member of the raising area's code enum, `field` the path of the input field
    that caused it (e.g. `["lines", "2", "quantity"]`), when one did.
    """

    code: enum.Enum

    def __init__(
        self, code: enum.Enum, message: str, *, field: Sequence[str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = list(field) if field is not None else None

    def at(self, *prefix: str) -> DomainError:
        """The same error with its field path nested under `prefix` (e.g. a line index)."""
        self.field = [*prefix, *(self.field or [])]
        return self


class CoreError(DomainError):
    code: CoreErrorCode


class NotFound(DomainError):
    """A referenced record does not exist or is outside the caller's companies."""
