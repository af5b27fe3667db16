"""Why a sign-in, an access change or an audit query was refused."""

from __future__ import annotations

import enum

from domain.core.errors import DomainError


class GovernanceErrorCode(enum.Enum):
    """Stable codes of identity and access errors."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    CONCURRENT_UPDATE = "concurrent_update"
    INVALID_CREDENTIALS = "invalid_credentials"
    UNAUTHENTICATED = "unauthenticated"
    BUILTIN_ROLE = "builtin_role"


class GovernanceError(DomainError):
    code: GovernanceErrorCode


class Unauthenticated(GovernanceError):
    """No credentials, or credentials that are not valid (any more)."""

    def __init__(self, message: str) -> None:
        super().__init__(GovernanceErrorCode.UNAUTHENTICATED, message)
