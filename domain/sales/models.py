"""Quotations and sales orders (one model, told apart by state) and their lines."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, OwnedThrough, Timestamped
from domain.core.models import MONEY, QUANTITY

#: Origin kinds of sales documents: what the deliveries, moves and invoice lines made for
#: them record as their origin (`domain.core.origins`).
SALE_ORDER = "sale.order"
SALE_LINE = "sale.line"


class SaleOrderState(enum.Enum):
    """`draft → sent → sale → done`, and `cancel`.

    draft: a quotation being prepared; sent: the quotation went to the customer; sale: a
    confirmed order, driving delivery and invoicing; done: locked, no more changes; cancel:
    given up (back to draft to revive it).
    """

    DRAFT = "draft"
    SENT = "sent"
    SALE = "sale"
    DONE = "done"
    CANCEL = "cancel"


class DeliveryStatus(enum.Enum):
    """How far the goods of a confirmed order have gone out.

    nothing: no delivery (a quotation, services only, or everything cancelled); pending: no
    delivery done yet; partial: some deliveries done, others still open; full: every delivery
    done or cancelled, at least one done.
    """

    NOTHING = "nothing"
    PENDING = "pending"
    PARTIAL = "partial"
    FULL = "full"


class InvoiceStatus(enum.Enum):
    """How far a confirmed order is invoiced, from its lines.

    nothing: nothing to invoice now (a quotation, or goods invoiced on delivery not delivered
    yet); to_invoice: some line has a quantity to invoice (or, after a return, to credit);
    invoiced: every line is invoiced in full; upselling: every line is invoiced in full and some
    were delivered beyond what was ordered, an occasion to sell more.
    """

    NOTHING = "nothing"
    TO_INVOICE = "to_invoice"
    INVOICED = "invoiced"
    UPSELLING = "upselling"


class SaleOrder(CompanyOwned, Timestamped, Base):
    __tablename__ = "sale_order"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    state: Mapped[SaleOrderState] = mapped_column(default=SaleOrderState.DRAFT, index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    partner_invoice_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    partner_shipping_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    #: Prices its products' lines where one of its items applies (in the order's currency).
    pricelist_id: Mapped[int | None] = mapped_column(ForeignKey("pricelist.id"))
    date_order: Mapped[dt.datetime] = mapped_column(index=True)
    validity_date: Mapped[dt.date | None]
    confirmed_at: Mapped[dt.datetime | None]
    client_order_ref: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(4000))
    amount_untaxed: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0), index=True)
    delivery_status: Mapped[DeliveryStatus] = mapped_column(
        default=DeliveryStatus.NOTHING, server_default="nothing"
    )
    invoice_status: Mapped[InvoiceStatus] = mapped_column(
        default=InvoiceStatus.NOTHING, server_default="nothing", index=True
    )


class SaleOrderLine(OwnedThrough, Timestamped, Base):
    __tablename__ = "sale_order_line"
    owner = ("order_id", SaleOrder)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("sale_order.id", ondelete="CASCADE"), index=True
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
    qty_delivered: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    qty_invoiced: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    qty_to_invoice: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))


#: The taxes applied to a sales order line.
sale_order_line_tax = Table(
    "sale_order_line_tax",
    Base.metadata,
    Column("line_id", ForeignKey("sale_order_line.id", ondelete="CASCADE"), primary_key=True),
    Column("tax_id", ForeignKey("tax.id"), primary_key=True),
)
