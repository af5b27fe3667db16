"""Line amounts: discounts, taxes in sequence, price-included taxes and rounding."""

from __future__ import annotations

from decimal import Decimal as D

from domain.catalog.models import Tax, TaxAmountType
from domain.catalog.taxes import compute_line
from domain.core.money import CurrencyRule, round_to

EUR = CurrencyRule("EUR", 2, D("0.01"))


def tax(
    tax_id: int,
    amount: str,
    *,
    included: bool = False,
    fixed: bool = False,
    affects_base: bool = False,
    sequence: int = 10,
) -> Tax:
    return Tax(
        id=tax_id,
        name=f"tax {tax_id}",
        amount=D(amount),
        amount_type=TaxAmountType.FIXED if fixed else TaxAmountType.PERCENT,
        price_include=included,
        include_base_amount=affects_base,
        sequence=sequence,
    )


def test_discounted_line_with_excluded_tax() -> None:
    # 3 × 19.99 = 59.97, less 10 % = 53.973 → 53.97; 15 % of 53.973 = 8.09595 → 8.10.
    amounts = compute_line(
        price_unit=D("19.99"), quantity=D(3), discount=D(10), taxes=[tax(1, "15")], currency=EUR
    )
    assert (amounts.subtotal, amounts.tax, amounts.total) == (D("53.97"), D("8.10"), D("62.07"))


def test_price_included_tax_is_taken_out_of_the_price() -> None:
    # 2 × 5.00 = 10.00 with 15 % inside: base 10 / 1.15 = 8.6956…, tax 1.3043… → 1.30,
    # so the untaxed amount is 10.00 − 1.30 = 8.70 and the total stays 10.00.
    amounts = compute_line(
        price_unit=D("5.00"),
        quantity=D(2),
        discount=D(0),
        taxes=[tax(1, "15", included=True)],
        currency=EUR,
    )
    assert (amounts.subtotal, amounts.tax, amounts.total) == (D("8.70"), D("1.30"), D("10.00"))


def test_taxes_apply_in_sequence_and_can_raise_the_next_base() -> None:
    # Base 100.00: eco fee 2.00 fixed per unit × 1, added to the base of VAT 20 %:
    # VAT = 20 % of 102.00 = 20.40; total 100.00 + 2.00 + 20.40 = 122.40.
    amounts = compute_line(
        price_unit=D("100.00"),
        quantity=D(1),
        discount=D(0),
        taxes=[tax(2, "20", sequence=20), tax(1, "2", fixed=True, affects_base=True, sequence=5)],
        currency=EUR,
    )
    assert [line.amount for line in amounts.taxes] == [D("2.00"), D("20.40")]
    assert [line.base for line in amounts.taxes] == [D("100.00"), D("102.00")]
    assert (amounts.subtotal, amounts.tax, amounts.total) == (D("100.00"), D("22.40"), D("122.40"))


def test_two_included_taxes_on_the_same_base() -> None:
    # 123.00 containing 20 % and 3 % of the same base: base = 123 / 1.23 = 100.00.
    amounts = compute_line(
        price_unit=D("123.00"),
        quantity=D(1),
        discount=D(0),
        taxes=[tax(1, "20", included=True), tax(2, "3", included=True)],
        currency=EUR,
    )
    assert [line.amount for line in amounts.taxes] == [D("20.00"), D("3.00")]
    assert (amounts.subtotal, amounts.total) == (D("100.00"), D("123.00"))


def test_included_rounding_never_changes_the_price() -> None:
    # 3 × 0.99 = 2.97 containing 21 %: base 2.4545…, tax 0.5154… → 0.52, untaxed 2.45.
    amounts = compute_line(
        price_unit=D("0.99"),
        quantity=D(3),
        discount=D(0),
        taxes=[tax(1, "21", included=True)],
        currency=EUR,
    )
    assert (amounts.subtotal, amounts.tax, amounts.total) == (D("2.45"), D("0.52"), D("2.97"))


def test_currency_rounding_rules() -> None:
    jpy = CurrencyRule("JPY", 0, D(1))
    chf_cash = CurrencyRule("CHF", 2, D("0.05"))
    assert jpy.round(D("1234.5")) == D(1235)
    assert chf_cash.round(D("10.024")) == D("10.00")
    assert chf_cash.round(D("10.025")) == D("10.05")
    assert round_to(D("2.345"), D("0.01")) == D("2.35")
    assert EUR.round(D("-2.345")) == D("-2.35")
