"""Why a purchasing operation was refused."""

from __future__ import annotations

import enum

from domain.core.errors import DomainError


class PurchasingErrorCode(enum.Enum):
    """Stable codes of purchasing errors."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CONCURRENT_UPDATE = "concurrent_update"
    REQUIRED = "required"
    UNIQUE = "unique"
    INVALID_TRANSITION = "invalid_transition"
    NOT_EDITABLE = "not_editable"
    NO_LINES = "no_lines"
    INCOMPATIBLE_UNITS = "incompatible_units"
    INVALID_TAX = "invalid_tax"
    ALREADY_RECEIVED = "already_received"
    NOTHING_TO_BILL = "nothing_to_bill"
    OVER_BILLED = "over_billed"
    PRICE_MISMATCH = "price_mismatch"
    CURRENCY = "currency"


class PurchasingError(DomainError):
    code: PurchasingErrorCode
