"""Catalog use cases: products, categories, taxes and pricelists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import Executable, Result, delete, insert, select

from domain.catalog.errors import CatalogError, CatalogErrorCode
from domain.catalog.models import (
    InvoicePolicy,
    Pricelist,
    PricelistItem,
    PricelistRule,
    Product,
    ProductCategory,
    ProductType,
    Tax,
    TaxAmountType,
    TaxUse,
    Tracking,
    product_tax,
)
from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.models import Uom
from domain.core.money import ZERO
from domain.core.records import get_owned
from domain.core.services import conversion
from domain.core.uow import UnitOfWork

DEFAULT_UOM = "Units"
HUNDRED = Decimal(100)
#: Runs a statement: a Unit of Work's session's `execute`, or a request's read session's.
Execute = Callable[[Executable], Awaitable[Result[Any]]]


class ProductValues(TypedDict, total=False):
    """Fields a caller may set on a product; absent keys keep their value (or default)."""

    sku: str
    name: str
    description: str | None
    type: ProductType
    category_id: int | None
    list_price: Decimal
    standard_price: Decimal
    uom_id: int
    purchase_uom_id: int
    barcode: str | None
    invoice_policy: InvoicePolicy
    tracking: Tracking
    active: bool
    published: bool
    variant_of_id: int | None
    attributes: dict[str, str] | None
    image_urls: list[str] | None
    sale_tax_ids: list[int]
    purchase_tax_ids: list[int]


class TaxValues(TypedDict, total=False):
    name: str
    type_tax_use: TaxUse
    amount_type: TaxAmountType
    amount: Decimal
    price_include: bool
    include_base_amount: bool
    sequence: int
    active: bool


async def get_product(uow: UnitOfWork, company_id: int, product_id: int) -> Product:
    product = await get_owned(uow.session, Product, product_id, company_id)
    if product is None:
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field=["id"])
    return product


async def default_taxes(
    execute: Execute, product_ids: Sequence[int], use: TaxUse
) -> dict[int, list[Tax]]:
    """Each product's default taxes for sales or for purchases, in order of application, in
    one statement."""
    rows = await execute(
        select(product_tax.c.product_id, Tax)
        .join(product_tax, product_tax.c.tax_id == Tax.id)
        .where(product_tax.c.product_id.in_(product_ids), Tax.type_tax_use == use)
        .order_by(Tax.sequence, Tax.id)
    )
    taxes: dict[int, list[Tax]] = {product_id: [] for product_id in product_ids}
    for row in rows:
        product_id, tax = tuple(row)
        taxes[product_id].append(tax)
    return taxes


async def create_product(uow: UnitOfWork, company_id: int, values: ProductValues) -> Product:
    """A new product; SKU and name are required, units default to Units."""
    for key in ("sku", "name"):
        if not str(values.get(key) or "").strip():
            raise CatalogError(CatalogErrorCode.REQUIRED, f"A product needs a {key}.", field=[key])
    defaults: dict[str, Any] = {
        "type": ProductType.CONSUMABLE,
        "invoice_policy": InvoicePolicy.ORDERED,
        "tracking": Tracking.NONE,
        "list_price": Decimal(0),
        "standard_price": Decimal(0),
    }
    product = Product(company_id=company_id, **defaults)
    if "uom_id" not in values:
        units = await uow.session.scalar(select(Uom).where(Uom.name == DEFAULT_UOM))
        if units is None:
            raise CatalogError(
                CatalogErrorCode.REQUIRED, "A product needs a unit.", field=["uom_id"]
            )
        product.uom_id = units.id
    await _apply(uow, product, values)
    uow.session.add(product)
    await uow.session.flush()
    await _set_taxes(uow, product, values)
    return product


async def update_product(
    uow: UnitOfWork, company_id: int, product_id: int, values: ProductValues
) -> Product:
    product = await get_product(uow, company_id, product_id)
    await _apply(uow, product, values)
    await uow.session.flush()
    await _set_taxes(uow, product, values)
    return product


async def _apply(uow: UnitOfWork, product: Product, values: ProductValues) -> None:
    cleaned: dict[str, Any] = {
        key: value
        for key, value in values.items()
        if key not in ("sale_tax_ids", "purchase_tax_ids")
    }
    for key in ("sku", "name", "barcode", "description"):
        if isinstance(cleaned.get(key), str):
            cleaned[key] = cleaned[key].strip() or None
    for key in ("sku", "name"):
        if key in cleaned and not cleaned[key]:
            raise CatalogError(CatalogErrorCode.REQUIRED, f"A product needs a {key}.", field=[key])
    for key in ("list_price", "standard_price"):
        if key in cleaned and cleaned[key] < 0:
            raise CatalogError(CatalogErrorCode.INVALID, "Prices cannot be negative.", field=[key])
    if cleaned.get("variant_of_id") is not None:
        await _check_variant_of(uow, product, cleaned["variant_of_id"])
    if cleaned.get("attributes") is not None:
        cleaned["attributes"] = _attributes(cleaned["attributes"])
    if cleaned.get("image_urls") is not None:
        cleaned["image_urls"] = _image_urls(cleaned["image_urls"])
    if cleaned.get("category_id") is not None and not await get_owned(
        uow.session, ProductCategory, cleaned["category_id"], product.company_id
    ):
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.", field=["category_id"])
    with uow.session.no_autoflush:
        for key in ("sku", "barcode"):
            if cleaned.get(key):
                await _check_unique(uow, product, key, cleaned[key])
    for key, value in cleaned.items():
        setattr(product, key, value)
    if product.purchase_uom_id is None:
        product.purchase_uom_id = product.uom_id
    if product.tracking is not Tracking.NONE and product.type is not ProductType.STORABLE:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            "Only storable products are tracked by lot or serial number.",
            field=["tracking"],
        )
    await _check_units(uow, product)


MAX_ATTRIBUTES = 10
MAX_IMAGES = 10


async def _check_variant_of(uow: UnitOfWork, product: Product, parent_id: int) -> None:
    """A variant belongs to a product of the company that is no variant itself."""
    parent = await get_owned(uow.session, Product, parent_id, product.company_id)
    if parent is None or parent.id == product.id or parent.variant_of_id is not None:
        raise CatalogError(
            CatalogErrorCode.INVALID_PARENT,
            "A variant belongs to a product that is not a variant itself.",
            field=["variant_of_id"],
        )


def _attributes(given: dict[str, str]) -> dict[str, str]:
    cleaned = {name.strip(): value.strip() for name, value in given.items()}
    if len(cleaned) > MAX_ATTRIBUTES or any(
        not name or not value or len(name) > 60 or len(value) > 60
        for name, value in cleaned.items()
    ):
        raise CatalogError(
            CatalogErrorCode.INVALID,
            f"At most {MAX_ATTRIBUTES} attributes, each a name and a value of 1 to 60 characters.",
            field=["attributes"],
        )
    return cleaned


def _image_urls(given: list[str]) -> list[str]:
    urls = [url.strip() for url in given]
    if len(urls) > MAX_IMAGES or any(
        not url.startswith(("https://", "http://")) or len(url) > 500 for url in urls
    ):
        raise CatalogError(
            CatalogErrorCode.INVALID,
            f"At most {MAX_IMAGES} images, each an http(s) address of at most 500 characters.",
            field=["image_urls"],
        )
    return urls


async def _check_unique(uow: UnitOfWork, product: Product, key: str, value: str) -> None:
    column = getattr(Product, key)
    query = select(Product.id).where(Product.company_id == product.company_id, column == value)
    if product.id is not None:
        query = query.where(Product.id != product.id)
    if await uow.session.scalar(query):
        raise CatalogError(
            CatalogErrorCode.UNIQUE, f"Another product has {key} {value!r}.", field=[key]
        )


async def _check_units(uow: UnitOfWork, product: Product) -> None:
    with uow.session.no_autoflush:
        sale = await uow.session.get(Uom, product.uom_id)
        purchase = await uow.session.get(Uom, product.purchase_uom_id)
    if sale is None:
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such unit.", field=["uom_id"])
    if purchase is None:
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such unit.", field=["purchase_uom_id"])
    if sale.category_id != purchase.category_id:
        raise CatalogError(
            CatalogErrorCode.INCOMPATIBLE_UNITS,
            f"The purchase unit {purchase.name} does not convert to {sale.name}.",
            field=["purchase_uom_id"],
        )


async def _set_taxes(uow: UnitOfWork, product: Product, values: ProductValues) -> None:
    for key, use in (("sale_tax_ids", TaxUse.SALE), ("purchase_tax_ids", TaxUse.PURCHASE)):
        if key not in values:
            continue
        tax_ids: Sequence[int] = values[key]  # type: ignore[literal-required]
        taxes = await _load_taxes(uow, product.company_id, tax_ids, use, field=key)
        current = select(Tax.id).where(Tax.type_tax_use == use).scalar_subquery()
        await uow.session.execute(
            delete(product_tax).where(
                product_tax.c.product_id == product.id, product_tax.c.tax_id.in_(current)
            )
        )
        if taxes:
            await uow.session.execute(
                insert(product_tax),
                [{"product_id": product.id, "tax_id": tax.id} for tax in taxes],
            )


async def _load_taxes(
    uow: UnitOfWork, company_id: int, tax_ids: Sequence[int], use: TaxUse, *, field: str
) -> list[Tax]:
    """The taxes with `tax_ids`, checked to be the company's and for `use`."""
    unique_ids = list(dict.fromkeys(tax_ids))
    taxes = list(
        await uow.session.scalars(
            select(Tax).where(Tax.id.in_(unique_ids), Tax.company_id == company_id)
        )
    )
    if len(taxes) != len(unique_ids):
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such tax.", field=[field])
    if any(tax.type_tax_use is not use for tax in taxes):
        raise CatalogError(
            CatalogErrorCode.INVALID_TAX, f"Only {use.value} taxes apply here.", field=[field]
        )
    return sorted(taxes, key=lambda tax: (tax.sequence, tax.id))


async def load_sale_taxes(uow: UnitOfWork, company_id: int, tax_ids: Sequence[int]) -> list[Tax]:
    """Sales taxes chosen for a document line, checked like a product's defaults."""
    return await _load_taxes(uow, company_id, tax_ids, TaxUse.SALE, field="tax_ids")


async def load_purchase_taxes(
    uow: UnitOfWork, company_id: int, tax_ids: Sequence[int]
) -> list[Tax]:
    """Purchase taxes chosen for a document line, checked like a product's defaults."""
    return await _load_taxes(uow, company_id, tax_ids, TaxUse.PURCHASE, field="tax_ids")


async def create_category(
    uow: UnitOfWork, company_id: int, *, name: str, parent_id: int | None = None
) -> ProductCategory:
    name = name.strip()
    if not name:
        raise CatalogError(CatalogErrorCode.REQUIRED, "A category needs a name.", field=["name"])
    if parent_id is not None and not await get_owned(
        uow.session, ProductCategory, parent_id, company_id
    ):
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.", field=["parent_id"])
    duplicate = await uow.session.scalar(
        select(ProductCategory.id).where(
            ProductCategory.company_id == company_id,
            ProductCategory.name == name,
            ProductCategory.parent_id.is_(None)
            if parent_id is None
            else ProductCategory.parent_id == parent_id,
        )
    )
    if duplicate:
        raise CatalogError(
            CatalogErrorCode.UNIQUE, f"A category {name!r} exists there.", field=["name"]
        )
    category = ProductCategory(company_id=company_id, name=name, parent_id=parent_id)
    uow.session.add(category)
    await uow.session.flush()
    return category


async def create_tax(uow: UnitOfWork, company_id: int, values: TaxValues) -> Tax:
    name = (values.get("name") or "").strip()
    if not name:
        raise CatalogError(CatalogErrorCode.REQUIRED, "A tax needs a name.", field=["name"])
    amount = values.get("amount")
    if amount is None:
        raise CatalogError(CatalogErrorCode.REQUIRED, "A tax needs an amount.", field=["amount"])
    amount_type = values.get("amount_type", TaxAmountType.PERCENT)
    if amount_type is TaxAmountType.PERCENT and not Decimal(-100) < amount < Decimal(100):
        raise CatalogError(
            CatalogErrorCode.INVALID, "A percentage lies between -100 and 100.", field=["amount"]
        )
    use = values.get("type_tax_use", TaxUse.SALE)
    if await uow.session.scalar(
        select(Tax.id).where(
            Tax.company_id == company_id, Tax.name == name, Tax.type_tax_use == use
        )
    ):
        raise CatalogError(CatalogErrorCode.UNIQUE, f"A tax {name!r} exists.", field=["name"])
    tax = Tax(
        company_id=company_id,
        name=name,
        type_tax_use=use,
        amount_type=amount_type,
        amount=amount,
        price_include=values.get("price_include", False),
        include_base_amount=values.get("include_base_amount", False),
        sequence=values.get("sequence", 10),
        active=values.get("active", True),
    )
    uow.session.add(tax)
    await uow.session.flush()
    return tax


class PricelistItemValues(TypedDict, total=False):
    """One item of a pricelist: a fixed price or a percentage off, from a quantity on."""

    product_id: int
    min_quantity: Decimal
    fixed_price: Decimal | None
    percent: Decimal | None
    date_start: dt.date | None
    date_end: dt.date | None


async def create_pricelist(
    uow: UnitOfWork,
    company_id: int,
    *,
    name: str,
    currency: str | None,
    items: Sequence[PricelistItemValues],
) -> Pricelist:
    """A pricelist in `currency` (ISO code; the company's by default) with its items."""
    name = name.strip()
    if not name:
        raise CatalogError(CatalogErrorCode.REQUIRED, "A pricelist needs a name.", field=["name"])
    if await uow.session.scalar(
        select(Pricelist.id).where(Pricelist.company_id == company_id, Pricelist.name == name)
    ):
        raise CatalogError(CatalogErrorCode.UNIQUE, f"A pricelist {name!r} exists.", field=["name"])
    priced_in = await conversion(uow, company_id, currency, utcnow().date())
    pricelist = Pricelist(company_id=company_id, name=name, currency_id=priced_in.currency.id)
    uow.session.add(pricelist)
    await uow.session.flush()
    product_ids = {values.get("product_id") for values in items}
    found = set(
        await uow.session.scalars(
            select(Product.id).where(Product.id.in_(product_ids), Product.company_id == company_id)
        )
    )
    for index, values in enumerate(items):
        try:
            uow.session.add(_pricelist_item(pricelist, values, found))
        except DomainError as error:
            raise error.at("items", str(index)) from None
    await uow.session.flush()
    return pricelist


def _pricelist_item(
    pricelist: Pricelist, values: PricelistItemValues, products: set[int]
) -> PricelistItem:
    if values.get("product_id") not in products:
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field=["product_id"])
    fixed, percent = values.get("fixed_price"), values.get("percent")
    if (fixed is None) == (percent is None):
        raise CatalogError(
            CatalogErrorCode.INVALID,
            "An item has either a fixed price or a percentage.",
            field=["fixed_price"],
        )
    if fixed is not None and fixed < 0:
        raise CatalogError(
            CatalogErrorCode.INVALID, "A price cannot be negative.", field=["fixed_price"]
        )
    if percent is not None and not ZERO <= percent <= HUNDRED:
        raise CatalogError(
            CatalogErrorCode.INVALID, "A percentage lies between 0 and 100.", field=["percent"]
        )
    minimum = values.get("min_quantity") or ZERO
    if minimum < 0:
        raise CatalogError(
            CatalogErrorCode.INVALID, "A quantity break is not negative.", field=["min_quantity"]
        )
    start, end = values.get("date_start"), values.get("date_end")
    if start is not None and end is not None and end < start:
        raise CatalogError(
            CatalogErrorCode.INVALID, "An item cannot end before it starts.", field=["date_end"]
        )
    return PricelistItem(
        pricelist_id=pricelist.id,
        product_id=values["product_id"],
        min_quantity=minimum,
        rule=PricelistRule.FIXED if fixed is not None else PricelistRule.PERCENTAGE,
        fixed_price=fixed,
        percent=percent,
        date_start=start,
        date_end=end,
    )


async def invoice_policies(
    uow: UnitOfWork, product_ids: Iterable[int]
) -> dict[int, tuple[InvoicePolicy, ProductType]]:
    """Each product's invoice policy and type, for documents that invoice (or bill) by it."""
    result = await uow.session.execute(
        select(Product.id, Product.invoice_policy, Product.type).where(
            Product.id.in_(set(product_ids))
        )
    )
    return {row.id: (row.invoice_policy, row.type) for row in result}
