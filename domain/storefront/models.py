"""Storefront channels and their tokens, delivery methods, coupons and carts."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, OwnedThrough, Timestamped, utcnow
from domain.core.models import MONEY, QUANTITY


class TaxDisplay(enum.Enum):
    """How a channel shows prices: taxes `included` in them, or `excluded` and added at the
    end."""

    INCLUDED = "included"
    EXCLUDED = "excluded"


class Channel(CompanyOwned, Timestamped, Base):
    """A storefront of a company: its currency, its pricelist, the warehouses whose stock it
    shows, and how it shows taxes."""

    __tablename__ = "storefront_channel"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    pricelist_id: Mapped[int | None] = mapped_column(ForeignKey("pricelist.id"))
    tax_display: Mapped[TaxDisplay]
    active: Mapped[bool] = mapped_column(default=True)


#: The warehouses whose stock a channel shows; none: every warehouse of the company.
channel_warehouse = Table(
    "storefront_channel_warehouse",
    Base.metadata,
    Column("channel_id", ForeignKey("storefront_channel.id", ondelete="CASCADE"), primary_key=True),
    Column("warehouse_id", ForeignKey("stock_warehouse.id"), primary_key=True),
)


class StorefrontToken(CompanyOwned, Base):
    """A publishable key of one channel: storefront pages send it with every request.

    It is meant to be embedded in public pages, so it is kept as it is (unlike API keys);
    it grants only what a visitor of the channel may do.
    """

    __tablename__ = "storefront_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("storefront_channel.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]


class DeliveryMethod(CompanyOwned, Timestamped, Base):
    """How a channel ships: a flat rate, free from a cart total on. Its order line is of
    `product_id` (a service), taxed as that product is."""

    __tablename__ = "storefront_delivery_method"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("storefront_channel.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    #: In the channel's currency, as the channel shows prices (taxes included or not).
    price: Mapped[Decimal] = mapped_column(MONEY)
    #: Free when the goods come to at least this (as shown); never free when None.
    free_over: Mapped[Decimal | None] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(default=True)


class CouponKind(enum.Enum):
    """A coupon takes a `percentage` off the goods, or a `fixed` amount off them."""

    PERCENTAGE = "percentage"
    FIXED = "fixed"


class Coupon(CompanyOwned, Timestamped, Base):
    """A code a visitor enters for a discount on the goods of a channel's cart."""

    __tablename__ = "storefront_coupon"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("storefront_channel.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[CouponKind]
    #: The percentage, or the amount in the channel's currency.
    value: Mapped[Decimal] = mapped_column(MONEY)
    #: How many orders may use it; unlimited when None.
    usage_limit: Mapped[int | None]
    times_used: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class CartState(enum.Enum):
    """`open` while the visitor shops; `ordered` once checked out (it changes no more)."""

    OPEN = "open"
    ORDERED = "ordered"


class Cart(CompanyOwned, Timestamped, Base):
    """A visitor's cart in a channel, known to them by its random token."""

    __tablename__ = "storefront_cart"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("storefront_channel.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[CartState] = mapped_column(default=CartState.OPEN)
    email: Mapped[str | None] = mapped_column(String(254))
    #: name, street, city, zip, country_code, phone.
    billing_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivery_method_id: Mapped[int | None] = mapped_column(
        ForeignKey("storefront_delivery_method.id")
    )
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("storefront_coupon.id"))
    #: The sales order the checkout made.
    sale_order_id: Mapped[int | None] = mapped_column(ForeignKey("sale_order.id"))


class CartLine(OwnedThrough, Timestamped, Base):
    """A product and its quantity in a cart."""

    __tablename__ = "storefront_cart_line"
    __table_args__ = (UniqueConstraint("cart_id", "product_id"),)
    owner = ("cart_id", Cart)

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(
        ForeignKey("storefront_cart.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)


class CustomerAccount(CompanyOwned, Base):
    """A customer's storefront sign-in, linked to their partner: they see their own orders,
    deliveries and invoices, nothing else."""

    __tablename__ = "storefront_account"
    __table_args__ = (UniqueConstraint("company_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    #: argon2id hash of the password; never shown.
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CustomerSession(Base):
    """A customer's sign-in: its token (sent as `X-Customer-Token`) kept as a SHA-256 digest."""

    __tablename__ = "storefront_customer_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("storefront_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class Enquiry(CompanyOwned, Base):
    """A visitor's message through a channel's contact form, with their details."""

    __tablename__ = "storefront_enquiry"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("storefront_channel.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
