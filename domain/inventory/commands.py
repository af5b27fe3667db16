"""Inventory's use cases and the permissions they and inventory's reads need."""

from __future__ import annotations

from domain.core.dispatcher import Permission

INVENTORY_READ = Permission("inventory.read", "Read warehouses, stock, moves and transfers.")
INVENTORY_WRITE = Permission(
    "inventory.write", "Create transfers, adjust stock, manage warehouses and lots."
)
INVENTORY_VALIDATE = Permission(
    "inventory.validate", "Reserve, validate and cancel transfers; scrap; return goods."
)
