"""Why a catalog operation was refused."""

from __future__ import annotations

import enum

from domain.core.errors import DomainError


class CatalogErrorCode(enum.Enum):
    """Stable codes of catalog errors."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CONCURRENT_UPDATE = "concurrent_update"
    REQUIRED = "required"
    UNIQUE = "unique"
    INCOMPATIBLE_UNITS = "incompatible_units"
    INVALID_PARENT = "invalid_parent"
    INVALID_TAX = "invalid_tax"


class CatalogError(DomainError):
    code: CatalogErrorCode
