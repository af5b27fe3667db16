"""Built-in roles, and what a role grants.

A built-in role's permissions are read from here, not from its row, so a permission an area
adds later reaches the roles it belongs in without a migration; the admin role grants every
permission declared.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.core.dispatcher import PERMISSIONS
from domain.governance.models import Role

_READ_BASICS = ("core.read", "partners.read", "catalog.read")

#: Built-in roles: name → (description, permissions). "admin" is every permission.
BUILTIN_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "salesperson": (
        "Quotes and sells; sees stock and deliveries of their orders.",
        (*_READ_BASICS, "partners.write", "sales.read", "sales.write", "inventory.read"),
    ),
    "sales manager": (
        "Everything a salesperson does, plus confirming orders, prices, costs and margins.",
        (
            *_READ_BASICS,
            "partners.write",
            "catalog.write",
            "catalog.cost",
            "sales.read",
            "sales.write",
            "sales.confirm",
            "inventory.read",
            "accounting.read",
        ),
    ),
    "warehouse user": (
        "Receives, moves, counts and ships goods.",
        (
            *_READ_BASICS,
            "sales.read",
            "inventory.read",
            "inventory.write",
            "inventory.validate",
            "purchasing.read",
        ),
    ),
    "purchaser": (
        "Buys: vendor prices, requests for quotation, purchase orders and their bills.",
        (
            *_READ_BASICS,
            "partners.write",
            "catalog.cost",
            "inventory.read",
            "purchasing.read",
            "purchasing.write",
            "purchasing.confirm",
            "purchasing.bill",
            "purchasing.replenish",
            "jobs.read",
        ),
    ),
    "accountant": (
        "Keeps the books: invoices, bills, payments, statements, reports.",
        (
            *_READ_BASICS,
            "core.write",
            "partners.write",
            "catalog.cost",
            "sales.read",
            "inventory.read",
            "accounting.read",
            "accounting.write",
            "accounting.post",
            "accounting.reconcile",
            "purchasing.read",
            "purchasing.bill",
            "jobs.read",
            "audit.read",
        ),
    ),
    "admin": ("Every permission, including users, roles and API keys.", ()),
}
ADMIN_ROLE = "admin"


def granted(role: Role) -> frozenset[str]:
    """The permissions `role` grants."""
    if not role.builtin:
        return frozenset(role.permissions)
    if role.name == ADMIN_ROLE:
        return frozenset(PERMISSIONS)
    return frozenset(BUILTIN_ROLES.get(role.name, ("", ()))[1])


def union(roles: Iterable[Role]) -> frozenset[str]:
    result: set[str] = set()
    for role in roles:
        result |= granted(role)
    return frozenset(result)
