"""Stock as moves between locations: warehouses, locations, quants, lots, moves and pickings.

Quantities on hand live in quants (product × internal location × lot) and change only when a
move is done; what a move holds for itself is its move lines' `reserved_quantity`, mirrored in
the quants' `reserved_quantity`. Every quantity here is in the product's own unit except a
move's demand `quantity`, which is in the move's `uom_id` (its `product_qty` is the same
demand in the product's unit).
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, Timestamped, utcnow
from domain.core.models import MONEY, QUANTITY
from domain.core.origins import HasOrigin, origin_index


class LocationUsage(enum.Enum):
    """What a location is for. Only `internal` locations hold quants.

    view: groups other locations (a warehouse's root); internal: our own shelves and bins;
    customer, vendor: where deliveries go and receipts come from; production: consumed and
    produced goods; inventory: the counterpart of inventory adjustments; scrap: written off.
    """

    VIEW = "view"
    INTERNAL = "internal"
    CUSTOMER = "customer"
    VENDOR = "vendor"
    PRODUCTION = "production"
    INVENTORY = "inventory"
    SCRAP = "scrap"


class PickingTypeCode(enum.Enum):
    """The kind of operation: goods coming in, going out, or moving inside the company."""

    RECEIPT = "receipt"
    DELIVERY = "delivery"
    INTERNAL = "internal"


class MoveState(enum.Enum):
    """`draft → waiting → confirmed → partially_available → assigned → done`, and `cancel`.

    draft: being prepared; waiting: waits for another operation; confirmed: waits for stock;
    partially_available: part of the demand is reserved; assigned: all of it is reserved;
    done: the goods moved; cancel: it will not happen.
    """

    DRAFT = "draft"
    WAITING = "waiting"
    CONFIRMED = "confirmed"
    PARTIALLY_AVAILABLE = "partially_available"
    ASSIGNED = "assigned"
    DONE = "done"
    CANCEL = "cancel"


class PickingState(enum.Enum):
    """A picking's state, derived from its moves' states (see `services.picking_state`)."""

    DRAFT = "draft"
    WAITING = "waiting"
    CONFIRMED = "confirmed"
    PARTIALLY_AVAILABLE = "partially_available"
    ASSIGNED = "assigned"
    DONE = "done"
    CANCEL = "cancel"


class Location(CompanyOwned, Base):
    """A node of the location tree: a warehouse's view and stock, shelves, or a virtual place.

    `parent_path` holds the IDs from the root down to this location (`"3/7/12/"`), so a
    subtree is one `LIKE '3/7/%'` away.
    """

    __tablename__ = "stock_location"
    __table_args__ = (
        UniqueConstraint("company_id", "full_name"),
        # Prefix searches (`LIKE '3/7/%'`) use the index on PostgreSQL with pattern ops.
        Index(
            "ix_stock_location_parent_path",
            "parent_path",
            postgresql_ops={"parent_path": "varchar_pattern_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    full_name: Mapped[str] = mapped_column(String(400))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id"), index=True)
    parent_path: Mapped[str] = mapped_column(String(400), default="")
    usage: Mapped[LocationUsage]
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def root_id(self) -> int:
        """The ID of the root of its tree: a warehouse's view, or a virtual locations' view."""
        return int(self.parent_path.split("/", 1)[0])


class Warehouse(CompanyOwned, Timestamped, Base):
    """A site holding stock: a view location over its Stock location and shelves."""

    __tablename__ = "stock_warehouse"
    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        UniqueConstraint("company_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Short code prefixing its locations and picking numbers (`WH/Stock`, `WH/OUT/00001`).
    code: Mapped[str] = mapped_column(String(8))
    view_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))
    stock_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))


class PickingType(CompanyOwned, Base):
    """An operation type of a warehouse, with its numbering and default locations."""

    __tablename__ = "stock_picking_type"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), index=True)
    code: Mapped[PickingTypeCode]
    name: Mapped[str] = mapped_column(String(120))
    #: Prefix of its pickings' numbers, e.g. `WH/OUT/`.
    sequence_prefix: Mapped[str] = mapped_column(String(40))
    default_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))
    default_location_dest_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))


class Lot(CompanyOwned, Timestamped, Base):
    """A lot or serial number of a tracked product; a serial number names exactly one unit."""

    __tablename__ = "stock_lot"
    __table_args__ = (UniqueConstraint("company_id", "product_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))


class Quant(CompanyOwned, Base):
    """How much of a product (of one lot) sits in one internal location, and how much of it
    is reserved. Changed only by done moves (quantity) and reservation (reserved_quantity)."""

    __tablename__ = "stock_quant"
    __table_args__ = (
        # One quant per product, location and lot; a quant without lot counts as lot 0.
        Index(
            "uq_stock_quant_product_location_lot",
            "product_id",
            "location_id",
            text("coalesce(lot_id, 0)"),
            unique=True,
        ),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("reserved_quantity >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved_quantity <= quantity", name="reserved_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lot.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    reserved_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    #: When the oldest unit of this quant came in: reservation takes the oldest stock first.
    in_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Picking(HasOrigin, CompanyOwned, Timestamped, Base):
    """A transfer: moves of one operation type between two locations, e.g. one delivery.

    Its `origin` is the document it was made for (a delivery's is a sales order), which its
    backorders and returns keep.
    """

    __tablename__ = "stock_picking"
    __table_args__ = (UniqueConstraint("company_id", "name"), origin_index("stock_picking"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    picking_type_id: Mapped[int] = mapped_column(ForeignKey("stock_picking_type.id"), index=True)
    state: Mapped[PickingState] = mapped_column(default=PickingState.DRAFT, index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))
    location_dest_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))
    scheduled_date: Mapped[dt.datetime] = mapped_column(index=True)
    date_done: Mapped[dt.datetime | None]
    #: The name of the document it comes from, e.g. the sales order number.
    origin_name: Mapped[str | None] = mapped_column(String(120))
    #: The picking this one holds the rest of, when it is a backorder.
    backorder_id: Mapped[int | None] = mapped_column(ForeignKey("stock_picking.id"), index=True)
    #: The done picking this one sends back, when it is a return.
    return_id: Mapped[int | None] = mapped_column(ForeignKey("stock_picking.id"), index=True)


class Move(HasOrigin, CompanyOwned, Timestamped, Base):
    """One product moving from one location to another, for a demanded quantity.

    Its `origin` is the document line it fulfils (a delivery move's is a sales order line).
    """

    __tablename__ = "stock_move"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("product_qty >= 0", name="product_qty_not_negative"),
        origin_index("stock_move"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    picking_id: Mapped[int | None] = mapped_column(ForeignKey("stock_picking.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    name: Mapped[str] = mapped_column(String(400))
    state: Mapped[MoveState] = mapped_column(default=MoveState.DRAFT, index=True)
    #: Demand in `uom_id`.
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    uom_id: Mapped[int] = mapped_column(ForeignKey("uom.id"))
    #: Demand in the product's unit.
    product_qty: Mapped[Decimal] = mapped_column(QUANTITY)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), index=True)
    location_dest_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), index=True)
    #: When it is planned; once done, when it was done.
    date: Mapped[dt.datetime] = mapped_column(index=True)
    #: The name of the document it comes from, its picking's by default.
    origin_name: Mapped[str | None] = mapped_column(String(120))
    #: The done move this one sends back, when it is part of a return.
    origin_return_move_id: Mapped[int | None] = mapped_column(
        ForeignKey("stock_move.id"), index=True
    )
    #: Unit cost of goods coming into our stock (company currency, per product unit); the
    #: product's standard price when not given.
    price_unit: Mapped[Decimal | None] = mapped_column(MONEY)


class MoveLine(CompanyOwned, Base):
    """The part of a move taken from (or put into) one place, lot by lot.

    Before the move is done a line holds `reserved_quantity` of one source quant (or, when the
    goods come from outside our stock, what is expected); once done, `quantity_done`.
    """

    __tablename__ = "stock_move_line"
    __table_args__ = (
        Index("ix_stock_move_line_product_location", "product_id", "location_id"),
        CheckConstraint("reserved_quantity >= 0", name="reserved_not_negative"),
        CheckConstraint("quantity_done >= 0", name="done_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    move_id: Mapped[int] = mapped_column(
        ForeignKey("stock_move.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lot.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))
    location_dest_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"))
    reserved_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    quantity_done: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))


class ValuationLayer(CompanyOwned, Timestamped, Base):
    """The value a done move brought into (positive) or took out of (negative) the company's
    stock of a product, at average cost, with the product's totals after it for audit."""

    __tablename__ = "stock_valuation_layer"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    move_id: Mapped[int] = mapped_column(ForeignKey("stock_move.id"), index=True)
    #: Signed, in the product's unit: positive in, negative out.
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)
    #: Signed, rounded to the company currency.
    value: Mapped[Decimal] = mapped_column(MONEY)
    #: The company's quantity of the product valued after this layer.
    remaining_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    #: The company's stock value of the product after this layer.
    remaining_value: Mapped[Decimal] = mapped_column(MONEY)
    #: The Stock-journal entry that booked it (the accounting area's ID; no foreign key).
    entry_id: Mapped[int | None] = mapped_column(index=True)


class ProductCost(CompanyOwned, Base):
    """A product's valued quantity and value in a company; its average cost is their ratio."""

    __tablename__ = "product_cost"
    __table_args__ = (UniqueConstraint("company_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    #: value / quantity, kept for reading; the last known cost once the quantity is 0.
    average_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
