"""Warehouses and their location trees, the company's virtual locations, operation types.

A warehouse is a view location over its Stock location (and the shelves under it) with three
operation types, each numbering its pickings: receipts `WH/IN/`, deliveries `WH/OUT/`,
internal transfers `WH/INT/`. Customers, Vendors, Production, Inventory adjustment and Scrap
are virtual locations each company has once.
"""

from __future__ import annotations

from sqlalchemy import select

from domain.core.records import get_owned
from domain.core.uow import UnitOfWork
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import (
    Location,
    LocationUsage,
    PickingType,
    PickingTypeCode,
    Warehouse,
)

#: The company's virtual locations: (parent view, name, usage).
VIRTUAL_LOCATIONS = (
    ("Partners", "Customers", LocationUsage.CUSTOMER),
    ("Partners", "Vendors", LocationUsage.VENDOR),
    ("Virtual Locations", "Production", LocationUsage.PRODUCTION),
    ("Virtual Locations", "Inventory adjustment", LocationUsage.INVENTORY),
    ("Virtual Locations", "Scrap", LocationUsage.SCRAP),
)
#: Operation types of every warehouse: code, name, sequence infix.
OPERATION_TYPES = (
    (PickingTypeCode.RECEIPT, "Receipts", "IN"),
    (PickingTypeCode.DELIVERY, "Delivery Orders", "OUT"),
    (PickingTypeCode.INTERNAL, "Internal Transfers", "INT"),
)


async def create_warehouse(uow: UnitOfWork, company_id: int, *, name: str, code: str) -> Warehouse:
    """A warehouse with its view and Stock locations and its three operation types."""
    name, code = name.strip(), code.strip().upper()
    if not name:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "A warehouse needs a name.", field=["name"]
        )
    if not code or len(code) > 8 or "/" in code:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            "A warehouse code has 1 to 8 characters and no slash.",
            field=["code"],
        )
    for field, value in (("code", code), ("name", name)):
        if await uow.session.scalar(
            select(Warehouse.id).where(
                Warehouse.company_id == company_id, getattr(Warehouse, field) == value
            )
        ):
            raise InventoryError(
                InventoryErrorCode.UNIQUE,
                f"A warehouse with {field} {value!r} exists.",
                field=[field],
            )
    virtual = await _ensure_virtual_locations(uow, company_id)
    view = await _add_location(uow, company_id, code, None, LocationUsage.VIEW)
    stock = await _add_location(uow, company_id, "Stock", view, LocationUsage.INTERNAL)
    warehouse = Warehouse(
        company_id=company_id,
        name=name,
        code=code,
        view_location_id=view.id,
        stock_location_id=stock.id,
    )
    uow.session.add(warehouse)
    await uow.session.flush()
    ends = {
        PickingTypeCode.RECEIPT: (virtual[LocationUsage.VENDOR].id, stock.id),
        PickingTypeCode.DELIVERY: (stock.id, virtual[LocationUsage.CUSTOMER].id),
        PickingTypeCode.INTERNAL: (stock.id, stock.id),
    }
    for type_code, type_name, infix in OPERATION_TYPES:
        source, destination = ends[type_code]
        uow.session.add(
            PickingType(
                company_id=company_id,
                warehouse_id=warehouse.id,
                code=type_code,
                name=type_name,
                sequence_prefix=f"{code}/{infix}/",
                default_location_id=source,
                default_location_dest_id=destination,
            )
        )
    await uow.session.flush()
    return warehouse


async def create_location(
    uow: UnitOfWork, company_id: int, *, name: str, parent_id: int
) -> Location:
    """A sub-location (a shelf, a bin) of an internal location or a warehouse's view."""
    name = name.strip()
    if not name or "/" in name:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "A location needs a name without slash.", field=["name"]
        )
    parent = await get_owned(uow.session, Location, parent_id, company_id)
    if parent is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such location.", field=["parent_id"])
    if parent.usage not in (LocationUsage.INTERNAL, LocationUsage.VIEW):
        raise InventoryError(
            InventoryErrorCode.INVALID,
            "Stock locations go under internal or view locations.",
            field=["parent_id"],
        )
    if await uow.session.scalar(
        select(Location.id).where(
            Location.company_id == company_id, Location.full_name == f"{parent.full_name}/{name}"
        )
    ):
        raise InventoryError(
            InventoryErrorCode.UNIQUE, f"{parent.full_name} has a {name!r} already.", field=["name"]
        )
    return await _add_location(uow, company_id, name, parent, LocationUsage.INTERNAL)


async def _add_location(
    uow: UnitOfWork, company_id: int, name: str, parent: Location | None, usage: LocationUsage
) -> Location:
    location = Location(
        company_id=company_id,
        name=name,
        full_name=f"{parent.full_name}/{name}" if parent else name,
        parent_id=parent.id if parent else None,
        usage=usage,
    )
    uow.session.add(location)
    await uow.session.flush()
    location.parent_path = f"{parent.parent_path if parent else ''}{location.id}/"
    await uow.session.flush()
    return location


async def _ensure_virtual_locations(
    uow: UnitOfWork, company_id: int
) -> dict[LocationUsage, Location]:
    """The company's customer, vendor, production, inventory and scrap locations."""
    found = {
        location.usage: location
        for location in await uow.session.scalars(
            select(Location)
            .where(
                Location.company_id == company_id,
                Location.usage.in_([usage for _, _, usage in VIRTUAL_LOCATIONS]),
            )
            .order_by(Location.id.desc())
        )
    }
    views: dict[str, Location] = {}
    for view_name, name, usage in VIRTUAL_LOCATIONS:
        if usage in found:
            continue
        if view_name not in views:
            views[view_name] = await uow.session.scalar(
                select(Location).where(
                    Location.company_id == company_id, Location.full_name == view_name
                )
            ) or await _add_location(uow, company_id, view_name, None, LocationUsage.VIEW)
        found[usage] = await _add_location(uow, company_id, name, views[view_name], usage)
    return found


async def virtual_location(uow: UnitOfWork, company_id: int, usage: LocationUsage) -> Location:
    return (await _ensure_virtual_locations(uow, company_id))[usage]


async def default_warehouse(uow: UnitOfWork, company_id: int) -> Warehouse:
    """The company's first warehouse."""
    warehouse = await uow.session.scalar(
        select(Warehouse).where(Warehouse.company_id == company_id).order_by(Warehouse.id).limit(1)
    )
    if warehouse is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "The company has no warehouse.")
    return warehouse


async def warehouse_of(uow: UnitOfWork, location: Location) -> Warehouse | None:
    """The warehouse whose tree holds `location`: the one whose view is its root."""
    return await uow.session.scalar(
        select(Warehouse).where(
            Warehouse.company_id == location.company_id,
            Warehouse.view_location_id == location.root_id,
        )
    )


async def picking_type(
    uow: UnitOfWork, company_id: int, warehouse_id: int, code: PickingTypeCode
) -> PickingType:
    found = await uow.session.scalar(
        select(PickingType).where(
            PickingType.company_id == company_id,
            PickingType.warehouse_id == warehouse_id,
            PickingType.code == code,
        )
    )
    if found is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, f"The warehouse has no {code.value}.")
    return found
