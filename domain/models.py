"""Imports every area's models so the metadata (and Alembic) sees all tables."""

from __future__ import annotations

import importlib

AREAS = (
    "core",
    "partners",
    "catalog",
    "accounting",
    "sales",
    "inventory",
    "purchasing",
    "governance",
    "storefront",
)


def import_all_models() -> None:
    for area in AREAS:
        importlib.import_module(f"domain.{area}.models")
