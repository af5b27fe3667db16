"""Line amounts: discount, taxes applied in sequence, price-included taxes, rounding.

Amounts are rounded per line: every tax amount and the untaxed subtotal are rounded to the
currency, and the total is their sum, so document totals always add up to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.catalog.models import Tax, TaxAmountType
from domain.core.money import ZERO, CurrencyRule

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxLine:
    """One tax's share of a line: the base it applied to and its amount, both rounded."""

    tax_id: int
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class LineAmounts:
    """A line's untaxed subtotal, tax and total, rounded to the currency."""

    subtotal: Decimal
    tax: Decimal
    total: Decimal
    taxes: tuple[TaxLine, ...]


def _tax_amount(tax: Tax, base: Decimal, quantity: Decimal) -> Decimal:
    if tax.amount_type is TaxAmountType.FIXED:
        return tax.amount * quantity
    return base * tax.amount / HUNDRED


def _forward(
    taxes: Sequence[Tax], base: Decimal, quantity: Decimal
) -> list[tuple[Tax, Decimal, Decimal]]:
    """(tax, base, amount) for each tax in order, each computed on the running base."""
    running = base
    result = []
    for tax in taxes:
        amount = _tax_amount(tax, running, quantity)
        result.append((tax, running, amount))
        if tax.include_base_amount:
            running += amount
    return result


def _untaxed_base(taxes: Sequence[Tax], gross: Decimal, quantity: Decimal) -> Decimal:
    """The base B such that B plus the price-included taxes computed on it equals `gross`.

    The included taxes are affine in B (percent parts scale, fixed parts don't), so two
    forward passes give the slope and offset and B follows exactly.
    """
    included = [tax for tax in taxes if tax.price_include]
    if not included:
        return gross
    offset = sum((amount for _, _, amount in _forward(included, ZERO, quantity)), ZERO)
    at_one = sum((amount for _, _, amount in _forward(included, Decimal(1), quantity)), ZERO)
    slope = Decimal(1) + at_one - offset
    return (gross - offset) / slope


def compute_line(
    *,
    price_unit: Decimal,
    quantity: Decimal,
    discount: Decimal,
    taxes: Sequence[Tax],
    currency: CurrencyRule,
) -> LineAmounts:
    """Amounts of `quantity` × `price_unit` less `discount` % with `taxes` in sequence order."""
    ordered = sorted(taxes, key=lambda tax: (tax.sequence, tax.id))
    gross = price_unit * (HUNDRED - discount) / HUNDRED * quantity
    base = _untaxed_base(ordered, gross, quantity)
    tax_lines = tuple(
        TaxLine(tax.id, currency.round(tax_base), currency.round(amount))
        for tax, tax_base, amount in _forward(ordered, base, quantity)
    )
    included_tax = sum(
        (line.amount for line, tax in zip(tax_lines, ordered, strict=True) if tax.price_include),
        ZERO,
    )
    # The untaxed amount of a tax-included price is what remains once its rounded taxes are
    # taken out, so subtotal + included taxes gives back the price the customer saw.
    subtotal = currency.round(gross) - included_tax if included_tax else currency.round(base)
    tax_total = sum((line.amount for line in tax_lines), ZERO)
    return LineAmounts(
        subtotal=subtotal, tax=tax_total, total=subtotal + tax_total, taxes=tax_lines
    )
