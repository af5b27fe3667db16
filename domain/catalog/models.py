"""Products, product categories, taxes and pricelists."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, OwnedThrough, Timestamped
from domain.core.models import MONEY, QUANTITY


class ProductType(enum.Enum):
    """`storable` products have tracked stock; `consumable` ones are delivered but not
    counted; `service` ones are never delivered."""

    STORABLE = "storable"
    CONSUMABLE = "consumable"
    SERVICE = "service"


class InvoicePolicy(enum.Enum):
    """`ordered`: invoice what was ordered once confirmed; `delivered`: only what was delivered."""

    ORDERED = "ordered"
    DELIVERED = "delivered"


class Tracking(enum.Enum):
    """How stock of a storable product is told apart: `none`, by `lot`, or unit by unit
    (`serial`: every unit has its own number)."""

    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class TaxAmountType(enum.Enum):
    """`percent` of the base, or a `fixed` amount per unit."""

    PERCENT = "percent"
    FIXED = "fixed"


class TaxUse(enum.Enum):
    """Whether a tax applies on sales or on purchases."""

    SALE = "sale"
    PURCHASE = "purchase"


class ProductCategory(CompanyOwned, Base):
    """A node of the product category tree."""

    __tablename__ = "product_category"
    __table_args__ = (UniqueConstraint("company_id", "parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("product_category.id"), index=True)


class Tax(CompanyOwned, Timestamped, Base):
    """A sales or purchase tax.

    Taxes of a line apply in `sequence` order; a tax with `include_base_amount` adds its amount
    to the base of the taxes after it. A `price_include` tax is contained in the unit price.
    """

    __tablename__ = "tax"
    __table_args__ = (UniqueConstraint("company_id", "name", "type_tax_use"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    type_tax_use: Mapped[TaxUse]
    amount_type: Mapped[TaxAmountType]
    amount: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    price_include: Mapped[bool] = mapped_column(default=False)
    include_base_amount: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=10)
    active: Mapped[bool] = mapped_column(default=True)


class Product(CompanyOwned, Timestamped, Base):
    """Something we sell or buy: goods (storable or consumable) or a service."""

    __tablename__ = "product"
    __table_args__ = (
        UniqueConstraint("company_id", "sku"),
        Index(
            "uq_product_barcode",
            "company_id",
            "barcode",
            unique=True,
            postgresql_where=text("barcode IS NOT NULL"),
            sqlite_where=text("barcode IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(String(4000))
    type: Mapped[ProductType]
    category_id: Mapped[int | None] = mapped_column(ForeignKey("product_category.id"), index=True)
    list_price: Mapped[Decimal] = mapped_column(MONEY)
    standard_price: Mapped[Decimal] = mapped_column(MONEY)
    uom_id: Mapped[int] = mapped_column(ForeignKey("uom.id"))
    purchase_uom_id: Mapped[int] = mapped_column(ForeignKey("uom.id"))
    barcode: Mapped[str | None] = mapped_column(String(64))
    invoice_policy: Mapped[InvoicePolicy]
    tracking: Mapped[Tracking] = mapped_column(default=Tracking.NONE, server_default="none")
    active: Mapped[bool] = mapped_column(default=True)
    published: Mapped[bool] = mapped_column(default=False)
    #: The product this one is a variant of (a size or colour of it); None for a product.
    variant_of_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    #: What tells the variant apart: {"size": "M", "colour": "red"}.
    attributes: Mapped[dict[str, str] | None] = mapped_column(JSON)
    #: Addresses of its pictures, the first one the main picture.
    image_urls: Mapped[list[str] | None] = mapped_column(JSON)


#: A product's default taxes, for sales and for purchases (told apart by the tax's use).
product_tax = Table(
    "product_tax",
    Base.metadata,
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    Column("tax_id", ForeignKey("tax.id"), primary_key=True),
)


class PricelistRule(enum.Enum):
    """How a pricelist item prices its product: a `fixed` price, or a `percentage` off the
    product's sale price."""

    FIXED = "fixed"
    PERCENTAGE = "percentage"


class Pricelist(CompanyOwned, Timestamped, Base):
    """Prices in one currency that replace products' sale prices where an item applies:
    a storefront channel's, or a sales order's."""

    __tablename__ = "pricelist"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    active: Mapped[bool] = mapped_column(default=True)


class PricelistItem(OwnedThrough, Base):
    """One product's price from a quantity on (a quantity break), between optional dates.

    Of the items valid on a document's date, the one with the largest `min_quantity` not
    above the line's quantity applies.
    """

    __tablename__ = "pricelist_item"
    owner = ("pricelist_id", Pricelist)

    id: Mapped[int] = mapped_column(primary_key=True)
    pricelist_id: Mapped[int] = mapped_column(
        ForeignKey("pricelist.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    #: In the product's unit.
    min_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    rule: Mapped[PricelistRule]
    #: The price per product unit (rule `fixed`), in the pricelist's currency.
    fixed_price: Mapped[Decimal | None] = mapped_column(MONEY)
    #: Percent off the sale price (rule `percentage`).
    percent: Mapped[Decimal | None] = mapped_column(Numeric(20, 6))
    date_start: Mapped[dt.date | None]
    date_end: Mapped[dt.date | None]
