"""Partners' use cases and the permissions they and partners' reads need."""

from __future__ import annotations

from domain.core.dispatcher import Permission

PARTNERS_READ = Permission("partners.read", "Read customers, vendors and contacts.")
PARTNERS_WRITE = Permission("partners.write", "Create and change customers, vendors, contacts.")
