"""The catalog's use cases and the permissions they and the catalog's reads need."""

from __future__ import annotations

from domain.core.dispatcher import Permission

CATALOG_READ = Permission("catalog.read", "Read products, categories and taxes.")
CATALOG_WRITE = Permission("catalog.write", "Create and change products, categories, taxes.")
CATALOG_COST = Permission("catalog.cost", "See product costs, margins and stock valuation.")
