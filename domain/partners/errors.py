"""Why a partner operation was refused."""

from __future__ import annotations

import enum

from domain.core.errors import DomainError


class PartnerErrorCode(enum.Enum):
    """Stable codes of partner errors."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CONCURRENT_UPDATE = "concurrent_update"
    REQUIRED = "required"
    UNIQUE = "unique"
    INVALID_EMAIL = "invalid_email"
    INVALID_VAT = "invalid_vat"
    INVALID_PARENT = "invalid_parent"


class PartnerError(DomainError):
    code: PartnerErrorCode
