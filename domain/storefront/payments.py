"""Payment providers: how a checkout is paid.

A provider charges the order's total and says whether it was paid now. `manual` is a bank
transfer: nothing is charged, the order waits for the money. `test` decides by card number,
for tests and demos: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined. A real
provider (a card processor's API) would implement the same interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from domain.storefront.errors import StorefrontError, StorefrontErrorCode


@dataclass(frozen=True)
class Charge:
    """What to charge: the order's total, and the card when the provider takes one."""

    amount: Decimal
    currency: str
    reference: str
    card_number: str | None


@dataclass(frozen=True)
class Charged:
    """The provider's answer: paid now (with its reference), or left to be paid later."""

    paid: bool
    reference: str | None = None


class PaymentProvider(Protocol):
    name: str

    async def charge(self, charge: Charge) -> Charged: ...


class ManualProvider:
    """Bank transfer: the order waits for the payment, registered when it arrives."""

    name = "manual"

    async def charge(self, charge: Charge) -> Charged:
        return Charged(paid=False)


TEST_CARD_PAID = "4242424242424242"
TEST_CARD_DECLINED = "4000000000000002"


class TestProvider:
    """Pays with card 4242 4242 4242 4242, declines 4000 0000 0000 0002."""

    name = "test"

    async def charge(self, charge: Charge) -> Charged:
        number = "".join((charge.card_number or "").split())
        if number == TEST_CARD_PAID:
            return Charged(paid=True, reference=f"test-{charge.reference}")
        if number == TEST_CARD_DECLINED:
            raise StorefrontError(
                StorefrontErrorCode.PAYMENT_DECLINED,
                "The card was declined; nothing was charged.",
                field=["card_number"],
            )
        raise StorefrontError(
            StorefrontErrorCode.INVALID,
            "The test provider takes card 4242 4242 4242 4242 (or 4000 0000 0000 0002).",
            field=["card_number"],
        )


PROVIDERS: dict[str, PaymentProvider] = {
    provider.name: provider for provider in (ManualProvider(), TestProvider())
}


def provider_named(name: str) -> PaymentProvider:
    provider = PROVIDERS.get(name)
    if provider is None:
        raise StorefrontError(
            StorefrontErrorCode.INVALID,
            f"No payment provider {name!r}; there are {', '.join(sorted(PROVIDERS))}.",
            field=["payment_provider"],
        )
    return provider
