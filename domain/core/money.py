"""Money: `Decimal` amounts with a currency, rounded by the currency's rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


def round_to(value: Decimal, step: Decimal) -> Decimal:
    """Round half-up to a multiple of `step` (0.01, 0.05, 1, 0.001 ...)."""
    if step <= 0:
        raise ValueError("rounding step must be positive")
    units = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (units * step).quantize(step)


@dataclass(frozen=True)
class CurrencyRule:
    """How a currency's amounts are rounded: `rounding` step, shown with `digits` decimals."""

    code: str
    digits: int
    rounding: Decimal

    def round(self, amount: Decimal) -> Decimal:
        rounded = round_to(amount, self.rounding)
        return rounded.quantize(Decimal(1).scaleb(-self.digits))

    def is_zero(self, amount: Decimal) -> bool:
        return self.round(amount) == ZERO
