"""Why a sales operation was refused."""

from __future__ import annotations

import enum

from domain.core.errors import DomainError


class SalesErrorCode(enum.Enum):
    """Stable codes of sales errors."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CONCURRENT_UPDATE = "concurrent_update"
    REQUIRED = "required"
    INVALID_TRANSITION = "invalid_transition"
    NOT_EDITABLE = "not_editable"
    NO_LINES = "no_lines"
    INCOMPATIBLE_UNITS = "incompatible_units"
    QUANTITY_PRECISION = "quantity_precision"
    INVALID_TAX = "invalid_tax"
    ALREADY_DELIVERED = "already_delivered"
    NOTHING_TO_INVOICE = "nothing_to_invoice"
    CURRENCY = "currency"


class SalesError(DomainError):
    code: SalesErrorCode
