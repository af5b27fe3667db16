"""Why a storefront operation was refused."""

from __future__ import annotations

import enum

from domain.core.errors import DomainError


class StorefrontErrorCode(enum.Enum):
    """Stable codes of storefront errors."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    CONCURRENT_UPDATE = "concurrent_update"
    CHANNEL_REQUIRED = "channel_required"
    CART_CLOSED = "cart_closed"
    PRODUCT_UNAVAILABLE = "product_unavailable"
    QUANTITY_LIMIT = "quantity_limit"
    TOO_MANY_LINES = "too_many_lines"
    COUPON_INVALID = "coupon_invalid"
    COUPON_EXHAUSTED = "coupon_exhausted"
    INSUFFICIENT_STOCK = "insufficient_stock"
    PRICE_CHANGED = "price_changed"
    PAYMENT_DECLINED = "payment_declined"
    INVALID_CREDENTIALS = "invalid_credentials"


class StorefrontError(DomainError):
    code: StorefrontErrorCode
