"""Loads every area's event handlers and the dispatcher's middleware, once."""

from __future__ import annotations

import importlib
from functools import lru_cache

from domain.models import AREAS

#: Areas whose `handlers` module subscribes to other areas' events.
AREAS_WITH_HANDLERS: tuple[str, ...] = (
    "accounting",
    "inventory",
    "sales",
    "purchasing",
    "governance",
)
#: The dispatcher's middleware, outermost first: a replayed idempotent command is answered
#: before anything else runs; every command that runs is audited.
MIDDLEWARE_MODULES: tuple[str, ...] = ("domain.core.idempotency", "domain.governance.audit")


@lru_cache
def load_handlers() -> None:
    """Every area's commands (so their permissions are declared), the middleware, and the
    event handlers."""
    for area in AREAS:
        importlib.import_module(f"domain.{area}.commands")
    for module in MIDDLEWARE_MODULES:
        importlib.import_module(module)
    for area in AREAS_WITH_HANDLERS:
        importlib.import_module(f"domain.{area}.handlers")
