"""Why an accounting operation was refused."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from domain.core.errors import DomainError


class AccountingErrorCode(enum.Enum):
    """Stable codes of accounting errors."""

    INVALID = "invalid"
    QUANTITY_PRECISION = "quantity_precision"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    CONCURRENT_UPDATE = "concurrent_update"
    INVALID_TRANSITION = "invalid_transition"
    UNBALANCED = "unbalanced"
    LOCKED_PERIOD = "locked_period"
    POSTED = "posted"
    NOTHING_TO_INVOICE = "nothing_to_invoice"
    NOT_RECONCILABLE = "not_reconcilable"
    ALREADY_PAID = "already_paid"
    CURRENCY = "currency"


class AccountingError(DomainError):
    code: AccountingErrorCode

    def __init__(
        self, code: AccountingErrorCode, message: str, field: Sequence[str] | None = None
    ) -> None:
        super().__init__(code, message, field=field)
