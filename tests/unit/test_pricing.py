"""The line pricer: units and their prices, currencies, sale and purchase, refused lines."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from domain.catalog.errors import CatalogError, CatalogErrorCode
from domain.catalog.models import Product, TaxUse
from domain.catalog.pricing import Pricer
from domain.core.errors import DomainError
from domain.core.models import Currency, Uom
from domain.core.money import CurrencyRule
from domain.core.services import Conversion
from tests.unit.test_taxes import EUR, tax

UNITS = Uom(id=1, category_id=1, name="Units", ratio=D(1), rounding=D(1))
DOZENS = Uom(id=2, category_id=1, name="Dozens", ratio=D(12), rounding=D(1))
KG = Uom(id=3, category_id=2, name="kg", ratio=D(1), rounding=D("0.001"))
G = Uom(id=4, category_id=2, name="g", ratio=D("0.001"), rounding=D("0.01"))
IN_EUR = Conversion(Currency(id=1, code="EUR"), EUR, EUR, D(1))
JPY = CurrencyRule("JPY", 0, D(1))
#: A document in yen for a company in euros: one yen is worth 0.0062 euros.
IN_JPY = Conversion(Currency(id=2, code="JPY"), JPY, EUR, D("0.0062"))

CHAIR = Product(
    id=1, name="Chair", list_price=D("19.99"), standard_price=D("8.00"), uom_id=1, purchase_uom_id=1
)
#: Sold by the unit, bought by the dozen.
BOLT = Product(
    id=2, name="Bolt", list_price=D("2.50"), standard_price=D("1.50"), uom_id=1, purchase_uom_id=2
)
FLOUR = Product(
    id=3, name="Flour", list_price=D("4.00"), standard_price=D("2.00"), uom_id=3, purchase_uom_id=3
)


def pricer(
    use: TaxUse = TaxUse.SALE, conversion: Conversion = IN_EUR, *products: Product
) -> Pricer:
    chosen = products or (CHAIR, BOLT, FLOUR)
    return Pricer(
        conversion,
        use,
        {product.id: product for product in chosen},
        {uom.id: uom for uom in (UNITS, DOZENS, KG, G)},
        {BOLT.id: [tax(7, "20")]},
    )


def test_discounted_line_with_excluded_tax() -> None:
    # 3 × 19.99 = 59.97, less 10 % = 53.973 → 53.97; 15 % of 53.973 = 8.09595 → 8.10.
    priced = pricer().price(
        product=CHAIR, uom=UNITS, quantity=D(3), discount=D(10), taxes=[tax(1, "15")]
    )
    assert (priced.quantity, priced.price_unit, priced.discount) == (D(3), D("19.99"), D(10))
    assert (priced.amounts.subtotal, priced.amounts.tax, priced.amounts.total) == (
        D("53.97"),
        D("8.10"),
        D("62.07"),
    )


def test_a_dozen_costs_twelve_units_price() -> None:
    # 2.50 a bolt is 30.00 a dozen; 2 dozens 60.00, with their default 20 %: 12.00 → 72.00.
    sell = pricer()
    dozens = sell.unit(BOLT, DOZENS.id)
    priced = sell.price(product=BOLT, uom=dozens, quantity=D(2), taxes=sell.taxes(BOLT))
    assert priced.price_unit == D("30.00")
    assert (priced.amounts.subtotal, priced.amounts.tax, priced.amounts.total) == (
        D("60.00"),
        D("12.00"),
        D("72.00"),
    )


def test_a_quantity_finer_than_its_unit_is_refused_never_rounded() -> None:
    # kg counts to the gram: 1.2345 kg is refused where the input gave it, 1.235 kg is priced:
    # 1.235 × 4.00 = 4.94.
    with pytest.raises(DomainError) as refused:
        pricer().price(product=FLOUR, uom=KG, quantity=D("1.2345"))
    assert (refused.value.code.name, refused.value.field) == ("QUANTITY_PRECISION", ["quantity"])
    priced = pricer().price(product=FLOUR, uom=KG, quantity=D("1.235"))
    assert (priced.quantity, priced.amounts.total) == (D("1.235"), D("4.94"))
    # 250 g of flour at 4.00 a kg: 0.004 a gram, 1.00 in all; the unit price is not rounded.
    grams = pricer().price(product=FLOUR, uom=G, quantity=D(250))
    assert (grams.price_unit, grams.amounts.total) == (D("0.004"), D("1.00"))


def test_a_line_without_unit_takes_its_quantity_as_given() -> None:
    # A line without unit counts to the columns' 0.000001: 0.5 × 19.99 = 9.995 → 10.00.
    priced = pricer().price(product=CHAIR, quantity=D("0.5"))
    assert (priced.quantity, priced.price_unit, priced.amounts.total) == (
        D("0.5"),
        D("19.99"),
        D("10.00"),
    )


def test_prices_convert_into_the_document_currency() -> None:
    # 19.99 EUR / 0.0062 = 3224.19… → 3224 JPY; 3 × 3224 = 9672, 10 % tax 967.2 → 967.
    priced = pricer(TaxUse.SALE, IN_JPY).price(
        product=CHAIR, uom=UNITS, quantity=D(3), taxes=[tax(1, "10")]
    )
    assert priced.price_unit == D(3224)
    assert (priced.amounts.subtotal, priced.amounts.tax, priced.amounts.total) == (
        D(9672),
        D(967),
        D(10639),
    )


def test_purchases_use_the_cost_and_the_purchase_unit() -> None:
    # A bolt costs 1.50, bought by the dozen: 18.00 a dozen, 5 dozens 90.00.
    buy = pricer(TaxUse.PURCHASE)
    unit = buy.unit(BOLT)
    priced = buy.price(product=BOLT, uom=unit, quantity=D(5), taxes=[tax(1, "15")])
    assert (unit.name, priced.price_unit) == ("Dozens", D("18.00"))
    assert (priced.amounts.subtotal, priced.amounts.tax, priced.amounts.total) == (
        D("90.00"),
        D("13.50"),
        D("103.50"),
    )
    # A given price wins over the product's.
    given = buy.price(product=BOLT, uom=unit, quantity=D(5), price_unit=D("17.00"))
    assert given.amounts.total == D("85.00")


def test_a_unit_must_convert_to_the_product_unit() -> None:
    with pytest.raises(CatalogError) as refused:
        pricer().unit(CHAIR, KG.id)
    assert (refused.value.code, refused.value.field) == (
        CatalogErrorCode.INCOMPATIBLE_UNITS,
        ["uom_id"],
    )
    with pytest.raises(CatalogError) as unknown:
        pricer().unit(CHAIR, 99)
    assert (unknown.value.code, unknown.value.field) == (CatalogErrorCode.NOT_FOUND, ["uom_id"])


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"product": CHAIR, "quantity": D(0)}, CatalogErrorCode.INVALID, "quantity"),
        ({"product": CHAIR, "quantity": None}, CatalogErrorCode.INVALID, "quantity"),
        (
            {"product": CHAIR, "quantity": D(1), "discount": D(101)},
            CatalogErrorCode.INVALID,
            "discount",
        ),
        (
            {"product": CHAIR, "quantity": D(1), "price_unit": D(-1)},
            CatalogErrorCode.INVALID,
            "price_unit",
        ),
        ({"quantity": D(1)}, CatalogErrorCode.REQUIRED, "price_unit"),
    ],
)
def test_bad_lines_are_refused(values: dict, code: CatalogErrorCode, field: str) -> None:
    with pytest.raises(CatalogError) as refused:
        pricer().price(**values)
    assert (refused.value.code, refused.value.field) == (code, [field])


def test_only_the_document_company_products_are_priced() -> None:
    with pytest.raises(CatalogError) as refused:
        pricer(TaxUse.SALE, IN_EUR, CHAIR).product(BOLT.id)
    assert (refused.value.code, refused.value.field) == (CatalogErrorCode.NOT_FOUND, ["product_id"])
    assert pricer().product(CHAIR.id) is CHAIR
