"""Inventory's reactions: a warehouse for every new company.

Inventory subscribes to no area above it: those call its services (a confirmed sales order
asks for its delivery with `services.create_delivery`) and follow its events.
"""

from __future__ import annotations

from domain.core.events import CompanyCreated, subscribe
from domain.core.uow import UnitOfWork
from domain.inventory import warehouses

#: Name and code of the warehouse every company starts with.
DEFAULT_WAREHOUSE = ("Main Warehouse", "WH")


@subscribe(CompanyCreated)
async def create_default_warehouse(event: CompanyCreated, uow: UnitOfWork) -> None:
    name, code = DEFAULT_WAREHOUSE
    await warehouses.create_warehouse(uow, event.company_id, name=name, code=code)
