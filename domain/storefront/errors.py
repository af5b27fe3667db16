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


class StorefrontError(DomainError):
    code: StorefrontErrorCode
