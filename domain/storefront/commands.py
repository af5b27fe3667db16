"""The storefront's use cases (its permissions are in `permissions.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork
from domain.sales.models import SaleOrder
from domain.storefront import accounts, carts, checkout, services
from domain.storefront.models import (
    Cart,
    Channel,
    Coupon,
    CouponKind,
    DeliveryMethod,
    Enquiry,
    StorefrontToken,
)
from domain.storefront.permissions import STOREFRONT_ACCOUNT, STOREFRONT_MANAGE, STOREFRONT_SHOP


@dataclass(frozen=True, kw_only=True)
class CreateChannel(Command[Channel]):
    """A storefront channel of the company."""

    permission: ClassVar[Permission | None] = STOREFRONT_MANAGE
    values: services.ChannelValues

    async def handle(self, uow: UnitOfWork) -> Channel:
        return await services.create_channel(uow, self.company_id, self.values)


@dataclass(frozen=True, kw_only=True)
class CreateStorefrontToken(Command[StorefrontToken]):
    """A publishable token of a channel, for a storefront's pages."""

    permission: ClassVar[Permission | None] = STOREFRONT_MANAGE
    channel_id: int
    name: str

    async def handle(self, uow: UnitOfWork) -> StorefrontToken:
        return await services.create_storefront_token(
            uow, self.company_id, self.channel_id, self.name
        )


@dataclass(frozen=True, kw_only=True)
class RevokeStorefrontToken(Step[StorefrontToken]):
    permission: ClassVar[Permission | None] = STOREFRONT_MANAGE

    async def handle(self, uow: UnitOfWork) -> StorefrontToken:
        return await services.revoke_storefront_token(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CreateDeliveryMethod(Command[DeliveryMethod]):
    """A flat-rate delivery method of a channel, free over a threshold."""

    permission: ClassVar[Permission | None] = STOREFRONT_MANAGE
    channel_id: int
    name: str
    product_id: int
    price: Decimal
    free_over: Decimal | None = None

    async def handle(self, uow: UnitOfWork) -> DeliveryMethod:
        return await services.create_delivery_method(
            uow,
            self.company_id,
            channel_id=self.channel_id,
            name=self.name,
            product_id=self.product_id,
            price=self.price,
            free_over=self.free_over,
        )


@dataclass(frozen=True, kw_only=True)
class CreateCoupon(Command[Coupon]):
    """A coupon code of a channel."""

    permission: ClassVar[Permission | None] = STOREFRONT_MANAGE
    channel_id: int
    code: str
    kind: CouponKind
    value: Decimal
    usage_limit: int | None = None

    async def handle(self, uow: UnitOfWork) -> Coupon:
        return await services.create_coupon(
            uow,
            self.company_id,
            channel_id=self.channel_id,
            code=self.code,
            kind=self.kind,
            value=self.value,
            usage_limit=self.usage_limit,
        )


@dataclass(frozen=True, kw_only=True)
class CartCommand(Command[Cart]):
    """A visitor's change to their cart in the channel of their storefront token."""

    permission: ClassVar[Permission | None] = STOREFRONT_SHOP
    channel_id: int | None


@dataclass(frozen=True, kw_only=True)
class CreateCart(CartCommand):
    lines: tuple[carts.CartLineValues, ...] = ()
    values: carts.CartValues | None = None

    async def handle(self, uow: UnitOfWork) -> Cart:
        return await carts.create_cart(
            uow, self.company_id, self.channel_id, self.lines, self.values
        )


@dataclass(frozen=True, kw_only=True)
class AddCartLines(CartCommand):
    token: str
    lines: tuple[carts.CartLineValues, ...]

    async def handle(self, uow: UnitOfWork) -> Cart:
        cart = await carts.get_cart(uow, self.company_id, self.channel_id, self.token, lock=True)
        return await carts.add_lines(uow, cart, self.lines)


@dataclass(frozen=True, kw_only=True)
class SetCartLineQuantity(CartCommand):
    token: str
    product_id: int
    quantity: Decimal

    async def handle(self, uow: UnitOfWork) -> Cart:
        cart = await carts.get_cart(uow, self.company_id, self.channel_id, self.token, lock=True)
        return await carts.set_line_quantity(uow, cart, self.product_id, self.quantity)


@dataclass(frozen=True, kw_only=True)
class UpdateCart(CartCommand):
    token: str
    values: carts.CartValues

    async def handle(self, uow: UnitOfWork) -> Cart:
        cart = await carts.get_cart(uow, self.company_id, self.channel_id, self.token, lock=True)
        return await carts.update_cart(uow, cart, self.values)


@dataclass(frozen=True, kw_only=True)
class CheckOut(Command[SaleOrder]):
    """The cart becomes a confirmed sales order, paid through the provider; with an
    idempotency key, a retry returns the same order."""

    permission: ClassVar[Permission | None] = STOREFRONT_SHOP
    secret_fields = frozenset({"card_number"})
    channel_id: int | None
    token: str
    expected_total: Decimal
    payment_provider: str
    card_number: str | None = None
    customer_id: int | None = None

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await checkout.checkout(
            uow,
            self.company_id,
            self.channel_id,
            self.token,
            expected_total=self.expected_total,
            payment_provider=self.payment_provider,
            card_number=self.card_number,
            customer_id=self.customer_id,
        )


@dataclass(frozen=True, kw_only=True)
class SignUpCustomer(Command[accounts.SignedIn]):
    """A customer account in the channel's company, signed in."""

    permission: ClassVar[Permission | None] = STOREFRONT_SHOP
    secret_fields = frozenset({"password"})
    channel_id: int | None
    email: str
    password: str
    name: str

    async def handle(self, uow: UnitOfWork) -> accounts.SignedIn:
        return await accounts.sign_up(
            uow,
            self.company_id,
            self.channel_id,
            email=self.email,
            password=self.password,
            name=self.name,
        )


@dataclass(frozen=True, kw_only=True)
class SignInCustomer(Command[accounts.SignedIn]):
    permission: ClassVar[Permission | None] = STOREFRONT_SHOP
    secret_fields = frozenset({"password"})
    channel_id: int | None
    email: str
    password: str

    async def handle(self, uow: UnitOfWork) -> accounts.SignedIn:
        return await accounts.sign_in(
            uow, self.company_id, self.channel_id, email=self.email, password=self.password
        )


@dataclass(frozen=True, kw_only=True)
class SignOutCustomer(Command[bool]):
    permission: ClassVar[Permission | None] = STOREFRONT_ACCOUNT
    secret_fields = frozenset({"token"})
    token: str

    async def handle(self, uow: UnitOfWork) -> bool:
        return await accounts.sign_out(uow, self.token)


@dataclass(frozen=True, kw_only=True)
class SubmitEnquiry(Command[Enquiry]):
    """A visitor's message through the contact form."""

    permission: ClassVar[Permission | None] = STOREFRONT_SHOP
    channel_id: int | None
    name: str
    email: str
    subject: str
    message: str
    phone: str | None = None

    async def handle(self, uow: UnitOfWork) -> Enquiry:
        return await services.submit_enquiry(
            uow,
            self.company_id,
            self.channel_id,
            name=self.name,
            email=self.email,
            subject=self.subject,
            message=self.message,
            phone=self.phone,
        )
