"""Imports between areas point one way: an area imports only the areas below it.

Inventory and accounting know the documents made for upper areas only as origins, so they
import nothing of sales; sales reaches them through their services and events.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
#: Each area and the areas it may import, itself included.
BELOW: dict[str, set[str]] = {
    "core": {"core"},
    "partners": {"partners", "core"},
    "catalog": {"catalog", "core"},
    "accounting": {"accounting", "catalog", "partners", "core"},
    "inventory": {"inventory", "accounting", "catalog", "partners", "core"},
    "sales": {"sales", "inventory", "accounting", "catalog", "partners", "core"},
    # Storefront tokens and customer sign-in are read by governance's identity.
    "storefront": {
        "storefront",
        "governance",
        "sales",
        "inventory",
        "accounting",
        "catalog",
        "partners",
        "core",
    },
    "purchasing": {"purchasing", "inventory", "accounting", "catalog", "partners", "core"},
}


def imported_areas(path: Path) -> set[str]:
    """The areas `path` imports, at any level of the module (type-checking blocks too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "domain" and parts[1] in BELOW:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("area", sorted(BELOW))
def test_an_area_imports_only_the_areas_below_it(area: str) -> None:
    wrong = {
        str(path.relative_to(DOMAIN)): sorted(imported_areas(path) - BELOW[area])
        for path in sorted((DOMAIN / area).rglob("*.py"))
    }
    assert {path: areas for path, areas in wrong.items() if areas} == {}
