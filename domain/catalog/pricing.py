"""One pricer for document lines: quantity in a unit, unit price, discount, taxes, rounding.

Sales order lines and invoice lines are priced here, and purchase order lines will be: a
`Pricer` holds what the lines of one document need (its currency and rate, its products with
their units and default sale or purchase taxes), loaded once by `load_pricer`, and
`Pricer.price` checks one line and computes its amounts with `taxes.compute_line`.

A line's unit must be of its product's unit category (`product_unit`, the one check of it,
which stock moves use too). A product's price is per its own unit: a line in dozens costs
twelve units' price. Prices are in the company's currency; a document in another one converts
them at its rate, rounded to its currency.

A document may name a pricelist (a storefront channel's, a sales order's): where one of its
items applies to a line's product, quantity and date, its price replaces the sale price
(`PricelistPrices`, loaded for the document's products in one statement by
`load_pricelist`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import or_, select

from domain.catalog.errors import CatalogError, CatalogErrorCode
from domain.catalog.models import Pricelist, PricelistItem, PricelistRule, Product, Tax, TaxUse
from domain.catalog.services import Execute, default_taxes
from domain.catalog.taxes import LineAmounts, compute_line
from domain.core.db import utcnow
from domain.core.models import Uom
from domain.core.money import ZERO
from domain.core.services import Conversion, check_quantity
from domain.core.uow import UnitOfWork

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PricelistPrices:
    """A pricelist's items valid on one date, for some products, largest quantity first."""

    pricelist_id: int
    currency_id: int
    items: Mapping[int, Sequence[PricelistItem]] = field(default_factory=dict)

    def price(self, product_id: int, sale_price: Decimal, quantity: Decimal) -> Decimal:
        """The price per product unit of `quantity` product units, `sale_price` (in the
        pricelist's currency) where no item applies."""
        for item in self.items.get(product_id, ()):
            if quantity >= item.min_quantity:
                if item.rule is PricelistRule.FIXED and item.fixed_price is not None:
                    return item.fixed_price
                return sale_price * (HUNDRED - (item.percent or 0)) / HUNDRED
        return sale_price


async def load_pricelist(
    execute: Execute,
    company_id: int,
    pricelist_id: int,
    product_ids: Iterable[int],
    day: dt.date,
) -> PricelistPrices:
    """The items of the company's pricelist valid on `day` for `product_ids`, in one
    statement; NOT_FOUND on `pricelist_id` for another company's or an archived one."""
    rows = (
        await execute(
            select(Pricelist, PricelistItem)
            .outerjoin(
                PricelistItem,
                (PricelistItem.pricelist_id == Pricelist.id)
                & PricelistItem.product_id.in_(sorted(set(product_ids)))
                & or_(PricelistItem.date_start.is_(None), PricelistItem.date_start <= day)
                & or_(PricelistItem.date_end.is_(None), PricelistItem.date_end >= day),
            )
            .where(
                Pricelist.id == pricelist_id,
                Pricelist.company_id == company_id,
                Pricelist.active.is_(True),
            )
            .order_by(PricelistItem.min_quantity.desc(), PricelistItem.id.desc())
        )
    ).all()
    if not rows:
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such pricelist.", field=["pricelist_id"])
    items: dict[int, list[PricelistItem]] = defaultdict(list)
    for row in rows:
        _, item = tuple(row)
        if item is not None:
            items[item.product_id].append(item)
    pricelist = next(iter(rows[0]))
    return PricelistPrices(pricelist_id, pricelist.currency_id, dict(items))


def product_unit(product: Product, uom_id: int, uoms: Mapping[int, Uom]) -> Uom:
    """The unit `uom_id` for counting `product`: it must convert to the product's own unit.

    `uoms` holds at least the product's unit and `uom_id`'s, when it exists.
    """
    product_uom = uoms[product.uom_id]
    uom = uoms.get(uom_id)
    if uom is None:
        raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such unit.", field=["uom_id"])
    if uom.category_id != product_uom.category_id:
        raise CatalogError(
            CatalogErrorCode.INCOMPATIBLE_UNITS,
            f"{product.name} is counted in {product_uom.name}, which {uom.name} does not "
            "convert to.",
            field=["uom_id"],
        )
    return uom


@dataclass(frozen=True)
class PricedLine:
    """A checked line: its quantity, price, discount and amounts."""

    quantity: Decimal
    price_unit: Decimal
    discount: Decimal
    amounts: LineAmounts


@dataclass(frozen=True)
class Pricer:
    """Prices the lines of one document, sold (`TaxUse.SALE`) or bought (`PURCHASE`)."""

    #: The document's currency and its rate on the document's date.
    conversion: Conversion
    use: TaxUse
    products: Mapping[int, Product]
    #: Every unit, so a line may name any.
    uoms: Mapping[int, Uom]
    #: Each product's default taxes of `use`, in order of application.
    default_taxes: Mapping[int, Sequence[Tax]]
    #: The document's pricelist, in its currency (sales only).
    pricelist: PricelistPrices | None = None

    def product(self, product_id: object) -> Product:
        """The product of a line, one of the document's company."""
        product = self.products.get(product_id) if isinstance(product_id, int) else None
        if product is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field=["product_id"])
        return product

    def unit(self, product: Product, uom_id: int | None = None) -> Uom:
        """A line's unit: `uom_id`, else the product's sale (or purchase) unit."""
        if uom_id is None:
            uom_id = product.uom_id if self.use is TaxUse.SALE else product.purchase_uom_id
        return product_unit(product, uom_id, self.uoms)

    def taxes(self, product: Product) -> list[Tax]:
        """The product's default taxes for the document."""
        return list(self.default_taxes.get(product.id, ()))

    def default_price(
        self, product: Product, uom: Uom | None, quantity: Decimal = Decimal(1)
    ) -> Decimal:
        """The product's sale (or purchase) price per `uom` (per its own unit without one),
        in the document's currency, for `quantity` of `uom`: the pricelist's where one of
        its items applies."""
        price = product.list_price if self.use is TaxUse.SALE else product.standard_price
        if self.conversion.rate != 1:
            price = self.conversion.from_company(price)
        ratio = uom.ratio / self.uoms[product.uom_id].ratio if uom is not None else Decimal(1)
        if self.pricelist is not None:
            price = self.pricelist.price(product.id, price, quantity * ratio)
        return price * ratio

    def price(
        self,
        *,
        quantity: Decimal | None,
        product: Product | None = None,
        uom: Uom | None = None,
        price_unit: Decimal | None = None,
        discount: Decimal | None = None,
        taxes: Sequence[Tax] = (),
    ) -> PricedLine:
        """Check one line and compute its amounts, rounded to the document's currency.

        `uom` is the line's unit (see `unit`); a quantity finer than it counts is refused, never
        rounded (a line without a unit: finer than the columns keep). The price defaults to the
        product's (`default_price`); a line without product needs one.
        """
        if quantity is None or quantity <= 0:
            raise CatalogError(
                CatalogErrorCode.INVALID, "The quantity must be positive.", field=["quantity"]
            )
        discount = ZERO if discount is None else discount
        if not ZERO <= discount <= HUNDRED:
            raise CatalogError(
                CatalogErrorCode.INVALID, "A discount lies between 0 and 100 %.", field=["discount"]
            )
        if price_unit is None:
            if product is None:
                raise CatalogError(
                    CatalogErrorCode.REQUIRED, "A price is needed.", field=["price_unit"]
                )
            price_unit = self.default_price(product, uom, quantity)
        if price_unit < 0:
            raise CatalogError(
                CatalogErrorCode.INVALID, "A price cannot be negative.", field=["price_unit"]
            )
        check_quantity(quantity, uom)
        amounts = compute_line(
            price_unit=price_unit,
            quantity=quantity,
            discount=discount,
            taxes=taxes,
            currency=self.conversion.rule,
        )
        return PricedLine(quantity, price_unit, discount, amounts)


async def load_pricer(
    uow: UnitOfWork,
    company_id: int,
    conversion: Conversion,
    use: TaxUse,
    product_ids: Iterable[object],
    *,
    pricelist_id: int | None = None,
    day: dt.date | None = None,
) -> Pricer:
    """A pricer for a document of `company_id` whose lines name `product_ids` (anything that
    is not a product's ID is left for `Pricer.product` to refuse), with the items of the
    pricelist `pricelist_id` valid on `day`, which must be in the document's currency."""
    wanted = {product_id for product_id in product_ids if isinstance(product_id, int)}
    products = {
        product.id: product
        for product in await uow.session.scalars(
            select(Product).where(Product.id.in_(wanted), Product.company_id == company_id)
        )
    }
    uoms = {uom.id: uom for uom in await uow.session.scalars(select(Uom))}
    taxes = await default_taxes(uow.session.execute, list(products), use)
    pricelist = None
    if pricelist_id is not None:
        pricelist = await load_pricelist(
            uow.session.execute, company_id, pricelist_id, products, day or utcnow().date()
        )
        check_pricelist_currency(pricelist, conversion)
    return Pricer(conversion, use, products, uoms, taxes, pricelist)


def check_pricelist_currency(pricelist: PricelistPrices, conversion: Conversion) -> None:
    """A document prices from a pricelist of its own currency only."""
    if pricelist.currency_id != conversion.currency.id:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            f"The pricelist is not in {conversion.currency.code}.",
            field=["pricelist_id"],
        )
