"""Loads every area's event handlers so the in-transaction bus knows them."""

from __future__ import annotations

import importlib
from functools import lru_cache

#: Areas whose `handlers` module subscribes to other areas' events.
AREAS_WITH_HANDLERS: tuple[str, ...] = ("accounting", "inventory", "sales")


@lru_cache
def load_handlers() -> None:
    for area in AREAS_WITH_HANDLERS:
        importlib.import_module(f"domain.{area}.handlers")
