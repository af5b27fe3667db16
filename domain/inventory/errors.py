"""Why an inventory operation was refused."""

from __future__ import annotations

import enum

from domain.core.errors import DomainError


class InventoryErrorCode(enum.Enum):
    """Stable codes of inventory errors."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    CONCURRENT_UPDATE = "concurrent_update"
    INCOMPATIBLE_UNITS = "incompatible_units"
    QUANTITY_PRECISION = "quantity_precision"
    INVALID_TRANSITION = "invalid_transition"
    INSUFFICIENT_STOCK = "insufficient_stock"
    BACKORDER_CHOICE_REQUIRED = "backorder_choice_required"
    OVER_DELIVERY = "over_delivery"
    NOTHING_TO_VALIDATE = "nothing_to_validate"
    LOT_REQUIRED = "lot_required"
    SERIAL_QUANTITY = "serial_quantity"
    SERIAL_IN_STOCK = "serial_in_stock"
    NOT_STORABLE = "not_storable"
    RETURN_EXCEEDS_DONE = "return_exceeds_done"


class InventoryError(DomainError):
    code: InventoryErrorCode
