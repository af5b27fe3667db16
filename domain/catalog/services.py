"""Catalog use cases: products, categories and taxes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import delete, insert, select

from domain.catalog.errors import CatalogError, CatalogErrorCode
from domain.catalog.models import (
    InvoicePolicy,
    Product,
    ProductCategory,
    ProductType,
    Tax,
    TaxAmountType,
    TaxUse,
    Tracking,
    product_tax,
)
from domain.core.models import Uom
from domain.core.records import get_owned
from domain.core.uow import UnitOfWork

DEFAULT_UOM = "Units"


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
    uow: UnitOfWork, product_ids: Sequence[int], use: TaxUse
) -> dict[int, list[Tax]]:
    """Each product's default taxes for sales or for purchases, in order of application."""
    rows = await uow.session.execute(
        select(product_tax.c.product_id, Tax)
        .join(product_tax, product_tax.c.tax_id == Tax.id)
        .where(product_tax.c.product_id.in_(product_ids), Tax.type_tax_use == use)
        .order_by(Tax.sequence, Tax.id)
    )
    taxes: dict[int, list[Tax]] = {product_id: [] for product_id in product_ids}
    for product_id, tax in rows:
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
