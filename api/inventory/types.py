"""Warehouses, locations, quants, lots, pickings, moves and stock availability."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from api.context import Info
from api.core.types import Money, Uom, company_money
from api.errors import UserError
from api.inventory.enums import (
    InventoryErrorCode,
    LocationUsage,
    MoveState,
    PickingState,
    PickingTypeCode,
)
from api.nodes import ModelNode, quantity
from api.sales.loaders import sale_line_of, sale_order_of
from domain.catalog.commands import CATALOG_COST
from domain.catalog.models import Product as ProductModel
from domain.core.dispatcher import Permission
from domain.core.models import Uom as UomModel
from domain.core.origins import Origin
from domain.inventory import models
from domain.inventory.availability import Availability
from domain.inventory.valuation import StockValuation
from domain.partners.models import Partner as PartnerModel

if TYPE_CHECKING:
    from api.catalog.types import Product
    from api.partners.types import Partner
    from api.sales.types import SaleOrder, SaleOrderLine


@strawberry.type(description="An inventory mutation refused its input.")
class InventoryError(UserError):
    codes = InventoryErrorCode
    code: InventoryErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.type(
    description="A site holding stock: a view location over its Stock location and shelves, "
    "with its receipt, delivery and internal transfer operations."
)
class Warehouse(ModelNode):
    model = models.Warehouse
    name: str = strawberry.field(description="Name, unique in the company.")
    code: str = strawberry.field(
        description="Short code prefixing its locations and picking numbers, e.g. WH."
    )
    view_location_id: strawberry.Private[int]
    stock_location_id: strawberry.Private[int]

    @strawberry.field(description="The root of the warehouse's location tree.")
    async def view_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.view_location_id)

    @strawberry.field(description="Where its stock is kept; shelves are below it.")
    async def stock_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.stock_location_id)

    @strawberry.field(description="Its operation types: receipts, deliveries, internal transfers.")
    async def operation_types(self, info: Info) -> list[OperationType]:
        loader = info.context.loaders.by_parent(
            models.PickingType.warehouse_id, models.PickingType.id
        )
        return await loader.load(self.id)


@strawberry.type(
    description="A node of the location tree: a warehouse's view or Stock, a shelf, or a "
    "virtual place (customers, vendors, inventory adjustment, scrap)."
)
class Location(ModelNode):
    model = models.Location
    name: str = strawberry.field(description="Name among its siblings, e.g. Shelf A.")
    full_name: str = strawberry.field(description="Path from the root, e.g. WH/Stock/Shelf A.")
    usage: LocationUsage = strawberry.field(description="What the location is for.")
    active: bool = strawberry.field(description="False once archived.")
    parent_id: strawberry.Private[int | None]
    root_id: strawberry.Private[int]

    @strawberry.field(description="The location above this one; null at a root.")
    async def parent(self, info: Info) -> Location | None:
        return await info.context.loaders.one(models.Location, self.parent_id)

    @strawberry.field(description="The locations right below this one, by name.")
    async def children(self, info: Info) -> list[Location]:
        loader = info.context.loaders.by_parent(models.Location.parent_id, models.Location.name)
        return await loader.load(self.id)

    @strawberry.field(description="The warehouse whose tree holds it; null for virtual ones.")
    async def warehouse(self, info: Info) -> Warehouse | None:
        loader = info.context.loaders.by_parent(models.Warehouse.view_location_id)
        found = await loader.load(self.root_id)
        return found[0] if found else None


@strawberry.type(
    description="An operation type of a warehouse (Receipts, Delivery Orders, Internal "
    "Transfers): its numbering and default locations."
)
class OperationType(ModelNode):
    model = models.PickingType
    name: str = strawberry.field(description="Name, e.g. Delivery Orders.")
    code: PickingTypeCode = strawberry.field(description="Receipt, delivery or internal.")
    sequence_prefix: str = strawberry.field(
        description="Prefix of its pickings' numbers, e.g. WH/OUT/."
    )
    warehouse_id: strawberry.Private[int]
    default_location_id: strawberry.Private[int]
    default_location_dest_id: strawberry.Private[int]

    @strawberry.field(description="The warehouse it belongs to.")
    async def warehouse(self, info: Info) -> Warehouse:
        return await info.context.loaders.one(models.Warehouse, self.warehouse_id)

    @strawberry.field(description="Where its pickings take goods from, unless told otherwise.")
    async def default_source_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.default_location_id)

    @strawberry.field(description="Where its pickings put goods, unless told otherwise.")
    async def default_destination_location(self, info: Info) -> Location:
        return await info.context.loaders.by_id(models.Location).load(  # type: ignore[return-value]
            self.default_location_dest_id
        )


@strawberry.type(description="A lot or serial number of a tracked product.")
class Lot(ModelNode):
    model = models.Lot
    name: str = strawberry.field(description="The number, unique per product.")
    created_at: dt.datetime = strawberry.field(description="When it was first recorded.")
    product_id: strawberry.Private[int]

    @strawberry.field(description="The product it is a lot of.")
    async def product(self, info: Info) -> Annotated[Product, strawberry.lazy("api.catalog.types")]:
        return await info.context.loaders.one(ProductModel, self.product_id)


async def _product_uom(info: Info, product_id: int) -> UomModel:
    product = await info.context.loaders.by_id(ProductModel).load(product_id)
    assert product is not None
    uom = await info.context.loaders.by_id(UomModel).load(product.uom_id)
    assert uom is not None
    return uom


@strawberry.type(
    description="How much of a product (of one lot) sits in one internal location, and how "
    "much of it moves have reserved. Changes only when moves are done."
)
class Quant(ModelNode):
    model = models.Quant
    in_date: dt.datetime = strawberry.field(
        description="When its oldest unit came in; reservation takes the oldest first."
    )
    product_id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    lot_id: strawberry.Private[int | None]

    @strawberry.field(description="Quantity on hand, in the product's unit (`uom`).")
    def quantity(self, root: strawberry.Parent[models.Quant]) -> Decimal:
        return quantity(root.quantity)

    @strawberry.field(description="Part of the quantity reserved by moves.")
    def reserved_quantity(self, root: strawberry.Parent[models.Quant]) -> Decimal:
        return quantity(root.reserved_quantity)

    @strawberry.field(description="Quantity less reserved: what can still be reserved.")
    def available_quantity(self, root: strawberry.Parent[models.Quant]) -> Decimal:
        return quantity(root.quantity - root.reserved_quantity)

    @strawberry.field(description="The product.")
    async def product(self, info: Info) -> Annotated[Product, strawberry.lazy("api.catalog.types")]:
        return await info.context.loaders.one(ProductModel, self.product_id)

    @strawberry.field(description="The internal location.")
    async def location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.location_id)

    @strawberry.field(description="The lot or serial number; null for untracked stock.")
    async def lot(self, info: Info) -> Lot | None:
        return await info.context.loaders.one(models.Lot, self.lot_id)

    @strawberry.field(description="Unit of the quantities: the product's.")
    async def uom(self, info: Info) -> Uom:
        return await _product_uom(info, self.product_id)  # type: ignore[return-value]


@strawberry.type(
    description="The part of a move taken from (or put into) one place and lot. Before the "
    "move is done it holds a reservation; once done, the done quantity."
)
class MoveLine(ModelNode):
    model = models.MoveLine
    product_id: strawberry.Private[int]
    lot_id: strawberry.Private[int | None]
    location_id: strawberry.Private[int]
    location_dest_id: strawberry.Private[int]

    @strawberry.field(description="Reserved, in the product's unit; 0 once done.")
    def reserved_quantity(self, root: strawberry.Parent[models.MoveLine]) -> Decimal:
        return quantity(root.reserved_quantity)

    @strawberry.field(description="Done, in the product's unit.")
    def quantity_done(self, root: strawberry.Parent[models.MoveLine]) -> Decimal:
        return quantity(root.quantity_done)

    @strawberry.field(description="The lot or serial number; null for untracked goods.")
    async def lot(self, info: Info) -> Lot | None:
        return await info.context.loaders.one(models.Lot, self.lot_id)

    @strawberry.field(description="Where these goods come from (the quant's location).")
    async def source_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.location_id)

    @strawberry.field(description="Where these goods go.")
    async def destination_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.location_dest_id)


async def _move_lines(info: Info, move_id: int) -> list[models.MoveLine]:
    loader = info.context.loaders.by_parent(models.MoveLine.move_id, models.MoveLine.id)
    return await loader.load(move_id)


@strawberry.type(
    description="One product moving from one location to another for a demanded quantity; "
    "its lines tell what is reserved, and from where, and once done what moved."
)
class Move(ModelNode):
    model = models.Move
    name: str = strawberry.field(description="Description, the product's name by default.")
    state: MoveState = strawberry.field(description="Where the move stands.")
    date: dt.datetime = strawberry.field(
        description="When it is planned; once done, when it was done."
    )
    origin_name: str | None = strawberry.field(
        name="origin", description="The document it comes from."
    )
    picking_id: strawberry.Private[int | None]
    product_id: strawberry.Private[int]
    uom_id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    location_dest_id: strawberry.Private[int]
    origin: strawberry.Private[Origin | None]
    origin_return_move_id: strawberry.Private[int | None]

    @strawberry.field(description="Demand, in `uom`.")
    def quantity(self, root: strawberry.Parent[models.Move]) -> Decimal:
        return quantity(root.quantity)

    @strawberry.field(description="Demand, in the product's unit.")
    def product_quantity(self, root: strawberry.Parent[models.Move]) -> Decimal:
        return quantity(root.product_qty)

    @strawberry.field(description="Reserved so far, in the product's unit.")
    async def reserved_quantity(self, info: Info) -> Decimal:
        lines = await _move_lines(info, self.id)
        return quantity(sum((line.reserved_quantity for line in lines), Decimal(0)))

    @strawberry.field(description="Done, in the product's unit.")
    async def quantity_done(self, info: Info) -> Decimal:
        lines = await _move_lines(info, self.id)
        return quantity(sum((line.quantity_done for line in lines), Decimal(0)))

    @strawberry.field(description="Its lines: per source place and lot, reserved or done.")
    async def lines(self, info: Info) -> list[MoveLine]:
        return await _move_lines(info, self.id)  # type: ignore[return-value]

    @strawberry.field(description="The product moved.")
    async def product(self, info: Info) -> Annotated[Product, strawberry.lazy("api.catalog.types")]:
        return await info.context.loaders.one(ProductModel, self.product_id)

    @strawberry.field(description="Unit of `quantity`.")
    async def uom(self, info: Info) -> Uom:
        return await info.context.loaders.one(UomModel, self.uom_id)

    @strawberry.field(description="Where the goods come from.")
    async def source_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.location_id)

    @strawberry.field(description="Where the goods go.")
    async def destination_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.location_dest_id)

    @strawberry.field(description="The picking it belongs to; null for scrap and adjustments.")
    async def picking(self, info: Info) -> Picking | None:
        return await info.context.loaders.one(models.Picking, self.picking_id)

    @strawberry.field(description="The sales order line it delivers (or takes back).")
    async def sale_order_line(
        self, info: Info
    ) -> Annotated[SaleOrderLine, strawberry.lazy("api.sales.types")] | None:
        return await sale_line_of(info, self.origin)

    @strawberry.field(description="The done move this one sends back, for a return.")
    async def return_of(self, info: Info) -> Move | None:
        return await info.context.loaders.one(models.Move, self.origin_return_move_id)


@strawberry.type(
    description="A transfer (receipt, delivery or internal) of goods between two locations, "
    "numbered per warehouse and operation type (WH/OUT/00001). Its state follows its moves."
)
class Picking(ModelNode):
    model = models.Picking
    name: str = strawberry.field(description="Business number, e.g. WH/OUT/00001.")
    state: PickingState = strawberry.field(description="Where the picking stands.")
    scheduled_date: dt.datetime = strawberry.field(description="When it is planned.")
    date_done: dt.datetime | None = strawberry.field(description="When it was validated.")
    origin_name: str | None = strawberry.field(
        name="origin", description="The document it comes from, e.g. the sales order number."
    )
    picking_type_id: strawberry.Private[int]
    partner_id: strawberry.Private[int | None]
    location_id: strawberry.Private[int]
    location_dest_id: strawberry.Private[int]
    backorder_id: strawberry.Private[int | None]
    return_id: strawberry.Private[int | None]
    origin: strawberry.Private[Origin | None]

    @strawberry.field(description="Its operation type, which numbers it.")
    async def operation_type(self, info: Info) -> OperationType:
        return await info.context.loaders.one(models.PickingType, self.picking_type_id)

    @strawberry.field(description="The customer or vendor.")
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
        return await info.context.loaders.one(PartnerModel, self.partner_id)

    @strawberry.field(description="Where the goods come from.")
    async def source_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.location_id)

    @strawberry.field(description="Where the goods go.")
    async def destination_location(self, info: Info) -> Location:
        return await info.context.loaders.one(models.Location, self.location_dest_id)

    @strawberry.field(description="Its moves, one per product line.")
    async def moves(self, info: Info) -> list[Move]:
        loader = info.context.loaders.by_parent(models.Move.picking_id, models.Move.id)
        return await loader.load(self.id)

    @strawberry.field(description="The picking this one holds the rest of, for a backorder.")
    async def backorder_of(self, info: Info) -> Picking | None:
        return await info.context.loaders.one(models.Picking, self.backorder_id)

    @strawberry.field(description="Backorders holding what this picking did not do.")
    async def backorders(self, info: Info) -> list[Picking]:
        loader = info.context.loaders.by_parent(models.Picking.backorder_id, models.Picking.id)
        return await loader.load(self.id)

    @strawberry.field(description="The done picking this one sends back, for a return.")
    async def return_of(self, info: Info) -> Picking | None:
        return await info.context.loaders.one(models.Picking, self.return_id)

    @strawberry.field(description="Returns of this picking.")
    async def returns(self, info: Info) -> list[Picking]:
        loader = info.context.loaders.by_parent(models.Picking.return_id, models.Picking.id)
        return await loader.load(self.id)

    @strawberry.field(description="The sales order it delivers, if any.")
    async def sale_order(
        self, info: Info
    ) -> Annotated[SaleOrder, strawberry.lazy("api.sales.types")] | None:
        return await sale_order_of(info, self.origin)


@strawberry.type(
    description="Stock figures of a product in a warehouse (or the whole company), in the "
    "product's unit. forecast = onHand + incoming − outgoing."
)
class ProductAvailability:
    figures: strawberry.Private[Availability]
    product_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int | None]
    date: dt.date | None = strawberry.field(
        description="Incoming and outgoing count moves planned up to the end of this day; "
        "null counts every open move."
    )

    @strawberry.field(description="In the warehouse's internal locations now.")
    def on_hand(self) -> Decimal:
        return quantity(self.figures.on_hand)

    @strawberry.field(description="Part of on hand reserved by moves.")
    def reserved(self) -> Decimal:
        return quantity(self.figures.reserved)

    @strawberry.field(description="On hand less reserved.")
    def available(self) -> Decimal:
        return quantity(self.figures.available)

    @strawberry.field(description="Expected in by open moves from outside the warehouse.")
    def incoming(self) -> Decimal:
        return quantity(self.figures.incoming)

    @strawberry.field(description="Expected out by open moves leaving the warehouse.")
    def outgoing(self) -> Decimal:
        return quantity(self.figures.outgoing)

    @strawberry.field(description="On hand plus incoming less outgoing.")
    def forecast(self) -> Decimal:
        return quantity(self.figures.forecast)

    @strawberry.field(description="The warehouse; null for the whole company.")
    async def warehouse(self, info: Info) -> Warehouse | None:
        return await info.context.loaders.one(models.Warehouse, self.warehouse_id)

    @strawberry.field(description="Unit of the figures: the product's.")
    async def uom(self, info: Info) -> Uom:
        return await _product_uom(info, self.product_id)  # type: ignore[return-value]


@strawberry.type(
    description="A product's stock valued at average cost in the company: every unit on hand "
    "in internal locations counts at the same cost."
)
class ProductStockValuation:
    read_permission: ClassVar[Permission | None] = CATALOG_COST
    figures: strawberry.Private[StockValuation]
    company_id: strawberry.Private[int]

    @strawberry.field(description="Valued quantity on hand, in the product's unit.")
    def quantity(self) -> Decimal:
        return quantity(self.figures.quantity)

    @strawberry.field(
        description="Value of the stock on hand in the company currency; what the Stock "
        "Valuation account holds for this product."
    )
    async def value(self, info: Info) -> Money:
        return await company_money(info, self.figures.value, self.company_id)

    @strawberry.field(
        description="Average cost per unit in the company currency: value divided by quantity, "
        "to at most 6 decimals; the last average once the stock is empty."
    )
    def average_cost(self) -> Decimal:
        return quantity(self.figures.average_cost)
