"""Vendor prices, requests for quotation and purchase orders (one model, told apart by state),
and their lines."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, OwnedThrough, Timestamped
from domain.core.models import MONEY, QUANTITY

#: Origin kinds of purchasing documents: what the receipts, their moves and the bill lines
#: made for them record as their origin (`domain.core.origins`).
PURCHASE_ORDER = "purchase.order"
PURCHASE_LINE = "purchase.line"


class PurchaseOrderState(enum.Enum):
    """`draft → sent → purchase → done`, and `cancel`.

    draft: a request for quotation being prepared; sent: the request went to the vendor;
    purchase: a confirmed order, its receipt waiting for the goods; done: locked; cancel:
    given up (back to draft to revive it).
    """

    DRAFT = "draft"
    SENT = "sent"
    PURCHASE = "purchase"
    DONE = "done"
    CANCEL = "cancel"


class ReceiptStatus(enum.Enum):
    """How far the goods of a confirmed order have come in.

    nothing: nothing to receive (a request for quotation, services only, or all cancelled);
    pending: no receipt done yet; partial: some done, others open; full: every receipt done or
    cancelled, at least one done.
    """

    NOTHING = "nothing"
    PENDING = "pending"
    PARTIAL = "partial"
    FULL = "full"


class BillStatus(enum.Enum):
    """How far a confirmed order is billed, from its lines' quantities to bill.

    nothing: nothing to bill now (a request for quotation, or goods billed on receipt that
    have not come in); to_bill: some line has a quantity to bill; billed: every line is billed
    in full.
    """

    NOTHING = "nothing"
    TO_BILL = "to_bill"
    BILLED = "billed"


class VendorPrice(CompanyOwned, Timestamped, Base):
    """What a vendor charges for a product, from a minimum quantity, within validity dates.

    The price is per the product's purchase unit, and so is the minimum quantity.
    """

    __tablename__ = "vendor_price"
    __table_args__ = (Index("ix_vendor_price_company_product", "company_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    price: Mapped[Decimal] = mapped_column(MONEY)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    min_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    lead_days: Mapped[int] = mapped_column(default=0)
    #: The vendor's own code of the product.
    vendor_code: Mapped[str | None] = mapped_column(String(64))
    date_start: Mapped[dt.date | None]
    date_end: Mapped[dt.date | None]


class PurchaseOrder(CompanyOwned, Timestamped, Base):
    __tablename__ = "purchase_order"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    state: Mapped[PurchaseOrderState] = mapped_column(default=PurchaseOrderState.DRAFT, index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    #: The warehouse the goods are received into.
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), index=True)
    date_order: Mapped[dt.datetime] = mapped_column(index=True)
    #: When the goods are expected.
    date_planned: Mapped[dt.datetime]
    confirmed_at: Mapped[dt.datetime | None]
    #: The vendor's reference of the order (its quotation number).
    partner_ref: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(4000))
    amount_untaxed: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0), index=True)
    receipt_status: Mapped[ReceiptStatus] = mapped_column(default=ReceiptStatus.NOTHING)
    bill_status: Mapped[BillStatus] = mapped_column(default=BillStatus.NOTHING, index=True)


class PurchaseOrderLine(OwnedThrough, Timestamped, Base):
    __tablename__ = "purchase_order_line"
    owner = ("order_id", PurchaseOrder)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(default=10)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    name: Mapped[str] = mapped_column(String(4000))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    uom_id: Mapped[int] = mapped_column(ForeignKey("uom.id"))
    price_unit: Mapped[Decimal] = mapped_column(MONEY)
    discount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    price_subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    price_tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    price_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    qty_received: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    qty_billed: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    qty_to_bill: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))


#: The taxes applied to a purchase order line.
purchase_order_line_tax = Table(
    "purchase_order_line_tax",
    Base.metadata,
    Column("line_id", ForeignKey("purchase_order_line.id", ondelete="CASCADE"), primary_key=True),
    Column("tax_id", ForeignKey("tax.id"), primary_key=True),
)


class ReplenishmentRoute(enum.Enum):
    """How a reorder rule refills its warehouse.

    buy: a request for quotation to the product's cheapest vendor; transfer: an internal
    transfer from another warehouse that has stock to spare; manufacture: a manufacturing
    order (skipped, with a reason, until manufacturing exists).
    """

    BUY = "buy"
    TRANSFER = "transfer"
    MANUFACTURE = "manufacture"


class ReorderRule(CompanyOwned, Timestamped, Base):
    """Keep a product's forecast in a warehouse between a minimum and a maximum.

    Quantities are in the product's unit; `multiple` is in its purchase unit for bought
    products (orders are rounded up to it). The lead window is the vendor's lead time plus
    `security_days` (just `security_days` for transfers).
    """

    __tablename__ = "reorder_rule"
    __table_args__ = (UniqueConstraint("company_id", "product_id", "warehouse_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), index=True)
    route: Mapped[ReplenishmentRoute] = mapped_column(default=ReplenishmentRoute.BUY)
    #: For `transfer`: the warehouse the goods come from.
    source_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("stock_warehouse.id"))
    min_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    max_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    multiple: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(1))
    security_days: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    #: Why the last scan did nothing for the rule although it was under its minimum.
    skip_reason: Mapped[str | None] = mapped_column(String(400))
