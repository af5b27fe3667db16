"""Filtering and sorting the inventory lists."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from api.context import Info
from api.filters import DateTimeRangeInput, in_range, text_search
from api.ids import decode_id, decode_ids
from api.inventory.enums import LocationUsage, MoveState, PickingState, PickingTypeCode
from api.pagination import Sort, SortDirection
from domain.core.origins import Origin
from domain.core.records import scoped
from domain.inventory.models import Location, Lot, Move, Picking, PickingType, Quant, Warehouse
from domain.sales.models import SALE_ORDER


def _subtree(info: Info, location_id: strawberry.ID, field: str) -> Any:
    """Locations at or below the given one."""
    root = aliased(Location)
    path = (
        select(root.parent_path)
        .where(
            root.id == decode_id(location_id, "Location", field),
            root.company_id == info.context.company_id,
        )
        .scalar_subquery()
    )
    return select(Location.id).where(Location.parent_path.startswith(path))


def _in_warehouse(info: Info, warehouse_id: strawberry.ID, field: str) -> Any:
    """Locations of the warehouse's tree."""
    view = aliased(Location)
    path = (
        select(view.parent_path)
        .join(Warehouse, Warehouse.view_location_id == view.id)
        .where(
            Warehouse.id == decode_id(warehouse_id, "Warehouse", field),
            Warehouse.company_id == info.context.company_id,
        )
        .scalar_subquery()
    )
    return select(Location.id).where(Location.parent_path.startswith(path))


@strawberry.input(description="Which warehouses to list.")
class WarehouseFilterInput:
    search: str | None = strawberry.field(
        default=None, description="Text contained in the name or code."
    )


def warehouse_query(info: Info, where: WarehouseFilterInput | None) -> Select[Any]:
    where = where or WarehouseFilterInput()
    return scoped(Warehouse, [info.context.company_id]).where(
        *text_search(where.search, Warehouse.name, Warehouse.code)
    )


@strawberry.input(description="Which locations to list; all given conditions must hold.")
class LocationFilterInput:
    search: str | None = strawberry.field(
        default=None, description="Text contained in the full name."
    )
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    usage: list[LocationUsage] | None = strawberry.field(
        default=None, description="Of these usages."
    )
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this warehouse's tree."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Right below this location."
    )
    active: bool | None = strawberry.field(
        default=True, description="Active locations by default; false lists archived ones."
    )


def location_query(info: Info, where: LocationFilterInput | None) -> Select[Any]:
    where = where or LocationFilterInput()
    query = scoped(Location, [info.context.company_id]).where(
        *text_search(where.search, Location.full_name)
    )
    if where.ids is not None:
        query = query.where(Location.id.in_(decode_ids(where.ids, "Location", "ids")))
    if where.usage:
        query = query.where(Location.usage.in_(where.usage))
    if where.warehouse_id is not None:
        query = query.where(
            Location.id.in_(_in_warehouse(info, where.warehouse_id, "warehouse_id"))
        )
    if where.parent_id is not None:
        query = query.where(
            Location.parent_id == decode_id(where.parent_id, "Location", "parent_id")
        )
    if where.active is not None:
        query = query.where(Location.active.is_(where.active))
    return query


@strawberry.input(description="Which quants to list; all given conditions must hold.")
class QuantFilterInput:
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this product."
    )
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this location or below it."
    )
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this warehouse."
    )
    lot_id: strawberry.ID | None = strawberry.field(default=None, description="Of this lot.")
    in_stock: bool | None = strawberry.field(
        default=True,
        description="Only quants holding something (default); false lists empty ones only.",
    )


@strawberry.enum(description="What quants can be sorted by.")
class QuantSortField(enum.Enum):
    IN_DATE = strawberry.enum_value("in_date", description="Incoming date, oldest first.")
    QUANTITY = strawberry.enum_value("quantity", description="Quantity on hand.")
    ID = strawberry.enum_value("id", description="Creation order.")


@strawberry.input(description="Sort order of a quant list.")
class QuantSortInput:
    field: QuantSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending (default) or descending."
    )


def quant_sort(sort_by: QuantSortInput | None) -> Sort:
    sort_by = sort_by or QuantSortInput(field=QuantSortField.IN_DATE)
    column = {
        QuantSortField.IN_DATE: Quant.in_date,
        QuantSortField.QUANTITY: Quant.quantity,
        QuantSortField.ID: Quant.id,
    }[sort_by.field]
    return Sort(
        column,
        Quant.id,
        descending=sort_by.direction is SortDirection.DESC,
    )


def quant_query(info: Info, where: QuantFilterInput | None) -> Select[Any]:
    where = where or QuantFilterInput()
    query = scoped(Quant, [info.context.company_id])
    if where.product_id is not None:
        query = query.where(
            Quant.product_id == decode_id(where.product_id, "Product", "product_id")
        )
    if where.location_id is not None:
        query = query.where(Quant.location_id.in_(_subtree(info, where.location_id, "location_id")))
    if where.warehouse_id is not None:
        query = query.where(
            Quant.location_id.in_(_in_warehouse(info, where.warehouse_id, "warehouse_id"))
        )
    if where.lot_id is not None:
        query = query.where(Quant.lot_id == decode_id(where.lot_id, "Lot", "lot_id"))
    if where.in_stock is not None:
        query = query.where(Quant.quantity > 0 if where.in_stock else Quant.quantity == 0)
    return query


@strawberry.input(description="Which pickings to list; all given conditions must hold.")
class PickingFilterInput:
    search: str | None = strawberry.field(
        default=None, description="Text contained in the number or the origin."
    )
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    state: list[PickingState] | None = strawberry.field(
        default=None, description="In these states."
    )
    operation: list[PickingTypeCode] | None = strawberry.field(
        default=None, description="Of these kinds: receipts, deliveries, internal transfers."
    )
    operation_type_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this operation type."
    )
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this warehouse."
    )
    partner_id: strawberry.ID | None = strawberry.field(
        default=None, description="For this partner."
    )
    sale_order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Delivering this sales order."
    )
    scheduled_date: DateTimeRangeInput | None = strawberry.field(
        default=None, description="Planned between these instants."
    )


@strawberry.enum(description="What pickings can be sorted by.")
class PickingSortField(enum.Enum):
    SCHEDULED_DATE = strawberry.enum_value("scheduled_date", description="Planned date.")
    NAME = strawberry.enum_value("name", description="Number.")
    STATE = strawberry.enum_value("state", description="State.")
    CREATED_AT = strawberry.enum_value("created_at", description="Creation instant.")


@strawberry.input(description="Sort order of a picking list.")
class PickingSortInput:
    field: PickingSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending (default) or descending."
    )


def picking_sort(sort_by: PickingSortInput | None) -> Sort:
    sort_by = sort_by or PickingSortInput(field=PickingSortField.SCHEDULED_DATE)
    column = {
        PickingSortField.SCHEDULED_DATE: Picking.scheduled_date,
        PickingSortField.NAME: Picking.name,
        PickingSortField.STATE: Picking.state,
        PickingSortField.CREATED_AT: Picking.created_at,
    }[sort_by.field]
    return Sort(
        column,
        Picking.id,
        descending=sort_by.direction is SortDirection.DESC,
    )


def picking_query(info: Info, where: PickingFilterInput | None) -> Select[Any]:
    where = where or PickingFilterInput()
    query = scoped(Picking, [info.context.company_id]).where(
        *text_search(where.search, Picking.name, Picking.origin_name)
    )
    if where.ids is not None:
        query = query.where(Picking.id.in_(decode_ids(where.ids, "Picking", "ids")))
    if where.state:
        query = query.where(Picking.state.in_(where.state))
    kinds = select(PickingType.id)
    if where.operation:
        kinds = kinds.where(PickingType.code.in_(where.operation))
    if where.warehouse_id is not None:
        warehouse = decode_id(where.warehouse_id, "Warehouse", "warehouse_id")
        kinds = kinds.where(PickingType.warehouse_id == warehouse)
    if where.operation or where.warehouse_id is not None:
        query = query.where(Picking.picking_type_id.in_(kinds))
    if where.operation_type_id is not None:
        kind = decode_id(where.operation_type_id, "OperationType", "operation_type_id")
        query = query.where(Picking.picking_type_id == kind)
    if where.partner_id is not None:
        query = query.where(
            Picking.partner_id == decode_id(where.partner_id, "Partner", "partner_id")
        )
    if where.sale_order_id is not None:
        order = decode_id(where.sale_order_id, "SaleOrder", "sale_order_id")
        query = query.where(Picking.origin == Origin(SALE_ORDER, order))
    return in_range(query, Picking.scheduled_date, where.scheduled_date)


@strawberry.input(description="Which moves to list; all given conditions must hold.")
class MoveFilterInput:
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this product."
    )
    state: list[MoveState] | None = strawberry.field(default=None, description="In these states.")
    picking_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this picking."
    )
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="From or to this location or below it."
    )
    date: DateTimeRangeInput | None = strawberry.field(
        default=None, description="Planned (or done) between these instants."
    )


def move_query(info: Info, where: MoveFilterInput | None) -> Select[Any]:
    where = where or MoveFilterInput()
    query = scoped(Move, [info.context.company_id])
    if where.product_id is not None:
        query = query.where(Move.product_id == decode_id(where.product_id, "Product", "product_id"))
    if where.state:
        query = query.where(Move.state.in_(where.state))
    if where.picking_id is not None:
        query = query.where(Move.picking_id == decode_id(where.picking_id, "Picking", "picking_id"))
    if where.location_id is not None:
        places = _subtree(info, where.location_id, "location_id")
        query = query.where(Move.location_id.in_(places) | Move.location_dest_id.in_(places))
    return in_range(query, Move.date, where.date)


@strawberry.input(description="Which lots to list; all given conditions must hold.")
class LotFilterInput:
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this product."
    )
    search: str | None = strawberry.field(default=None, description="Text contained in the name.")


def lot_query(info: Info, where: LotFilterInput | None) -> Select[Any]:
    where = where or LotFilterInput()
    query = scoped(Lot, [info.context.company_id]).where(*text_search(where.search, Lot.name))
    if where.product_id is not None:
        query = query.where(Lot.product_id == decode_id(where.product_id, "Product", "product_id"))
    return query
