"""Every company starts with a warehouse: its locations, operation types and numbering."""

from __future__ import annotations

from sqlalchemy import select

from domain.core import services as core
from domain.inventory import warehouses
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import Location, LocationUsage, PickingType, Warehouse
from tests.conftest import Db
from tests.stock import make_product, receipt, shelf


async def test_a_new_company_gets_a_warehouse_with_its_location_tree(db: Db) -> None:
    async with db.sessions() as session:
        warehouses = list(await session.scalars(select(Warehouse)))
        locations = {
            location.full_name: location
            for location in await session.scalars(
                select(Location).where(Location.company_id == db.company_id)
            )
        }
        types = list(
            await session.scalars(select(PickingType).order_by(PickingType.sequence_prefix))
        )
    assert [(wh.name, wh.code) for wh in warehouses] == [("Main Warehouse", "WH")]
    assert {name: location.usage for name, location in locations.items()} == {
        "WH": LocationUsage.VIEW,
        "WH/Stock": LocationUsage.INTERNAL,
        "Partners": LocationUsage.VIEW,
        "Partners/Customers": LocationUsage.CUSTOMER,
        "Partners/Vendors": LocationUsage.VENDOR,
        "Virtual Locations": LocationUsage.VIEW,
        "Virtual Locations/Production": LocationUsage.PRODUCTION,
        "Virtual Locations/Inventory adjustment": LocationUsage.INVENTORY,
        "Virtual Locations/Scrap": LocationUsage.SCRAP,
    }
    view, stock = locations["WH"], locations["WH/Stock"]
    assert (warehouses[0].view_location_id, warehouses[0].stock_location_id) == (view.id, stock.id)
    assert stock.parent_path == f"{view.id}/{stock.id}/"
    assert [(kind.name, kind.sequence_prefix) for kind in types] == [
        ("Receipts", "WH/IN/"),
        ("Internal Transfers", "WH/INT/"),
        ("Delivery Orders", "WH/OUT/"),
    ]
    customers, vendors = locations["Partners/Customers"], locations["Partners/Vendors"]
    ends = {kind.name: (kind.default_location_id, kind.default_location_dest_id) for kind in types}
    assert ends["Receipts"] == (vendors.id, stock.id)
    assert ends["Delivery Orders"] == (stock.id, customers.id)


async def test_pickings_are_numbered_per_operation_type(db: Db) -> None:
    bolt = await make_product(db, "BOLT")
    first = await receipt(db, [(bolt, "1")], confirm=False)
    second = await receipt(db, [(bolt, "1")], confirm=False)
    assert (first.name, second.name) == ("WH/IN/00001", "WH/IN/00002")


async def test_shelves_nest_under_stock_and_names_are_unique(db: Db) -> None:
    shelf_a = await shelf(db, "Shelf A")
    bin_1 = await shelf(db, "Bin 1", parent="WH/Stock/Shelf A")
    async with db.sessions() as session:
        found = await session.get(Location, bin_1)
        parent = await session.get(Location, shelf_a)
    assert found is not None and parent is not None
    assert found.full_name == "WH/Stock/Shelf A/Bin 1"
    assert found.parent_path == f"{parent.parent_path}{bin_1}/"
    try:
        await shelf(db, "Shelf A")
    except InventoryError as error:
        assert error.code is InventoryErrorCode.UNIQUE
    else:
        raise AssertionError("a second Shelf A was accepted")


async def test_a_second_company_gets_its_own_warehouse(db: Db) -> None:
    other = await db.run(lambda uow: core.create_company(uow, name="Other", currency_code="USD"))
    wh = await db.run(lambda uow: warehouses.default_warehouse(uow, other.id))
    async with db.sessions() as session:
        stock = await session.get(Location, wh.stock_location_id)
    assert stock is not None
    assert (stock.company_id, stock.full_name) == (other.id, "WH/Stock")
