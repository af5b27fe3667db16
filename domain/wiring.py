"""Loads every area's event handlers and the dispatcher's middleware, once."""

from __future__ import annotations

import importlib
from functools import lru_cache

#: Areas whose `handlers` module subscribes to other areas' events.
AREAS_WITH_HANDLERS: tuple[str, ...] = ("accounting", "inventory", "sales", "governance")
#: The dispatcher's middleware, outermost first: a replayed idempotent command is answered
#: before anything else runs; every command that runs is audited.
MIDDLEWARE_MODULES: tuple[str, ...] = ("domain.core.idempotency", "domain.governance.audit")


@lru_cache
def load_handlers() -> None:
    for module in MIDDLEWARE_MODULES:
        importlib.import_module(module)
    for area in AREAS_WITH_HANDLERS:
        importlib.import_module(f"domain.{area}.handlers")
