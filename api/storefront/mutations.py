"""Storefront mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.authentication import CUSTOMER_HEADER
from api.context import Info
from api.ids import decode_id, decode_ids
from api.payloads import Payload, run, step
from api.storefront.types import (
    Cart,
    Channel,
    Coupon,
    CustomerSession,
    DeliveryMethod,
    StorefrontError,
    StorefrontOrder,
    StorefrontToken,
)
from domain.core.errors import DomainError
from domain.storefront import commands as c
from domain.storefront.accounts import SignedIn
from domain.storefront.carts import CartLineValues, CartValues
from domain.storefront.models import CouponKind, TaxDisplay
from domain.storefront.services import ChannelValues


@strawberry.input(description="A new storefront channel.")
class ChannelInput:
    code: str = strawberry.field(description="Short code, unique per company.")
    name: str = strawberry.field(description="Name.")
    currency: str | None = strawberry.field(
        default=None, description="ISO code of its currency; the company's by default."
    )
    pricelist_id: strawberry.ID | None = strawberry.field(
        default=None, description="Its pricelist, in its currency; sale prices without one."
    )
    tax_display: TaxDisplay = strawberry.field(
        default=TaxDisplay.INCLUDED, description="Whether prices include taxes."
    )
    warehouse_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Warehouses whose stock it shows; every warehouse when empty.",
    )

    def values(self) -> ChannelValues:
        return ChannelValues(
            code=self.code,
            name=self.name,
            currency=self.currency,
            pricelist_id=decode_id(self.pricelist_id, "Pricelist", "pricelist_id")
            if self.pricelist_id
            else None,
            tax_display=self.tax_display,
            warehouse_ids=tuple(decode_ids(self.warehouse_ids, "Warehouse", "warehouse_ids")),
        )


@strawberry.input(description="A new publishable token of a channel.")
class StorefrontTokenInput:
    channel_id: strawberry.ID = strawberry.field(description="The channel.")
    name: str = strawberry.field(description="What it is for, e.g. the site's address.")


@strawberry.type(description="The channel created, or why not.")
class ChannelPayload(Payload, error=StorefrontError):
    channel: Channel | None = strawberry.field(default=None, description="The channel.")


@strawberry.type(description="The token issued or revoked, or why not.")
class StorefrontTokenPayload(Payload, error=StorefrontError):
    storefront_token: StorefrontToken | None = strawberry.field(
        default=None, description="The token."
    )


@strawberry.type
class StorefrontMutation:
    @strawberry.mutation(
        description="Create a storefront channel.", metadata=dispatches(c.CreateChannel)
    )
    async def channel_create(
        self, info: Info, input: Annotated[ChannelInput, arguments.INPUT]
    ) -> ChannelPayload:
        return await run(
            info,
            ChannelPayload,
            lambda company_id: c.CreateChannel(company_id=company_id, values=input.values()),
        )

    @strawberry.mutation(
        description="Issue a publishable token of a channel for a storefront's pages.",
        metadata=dispatches(c.CreateStorefrontToken),
    )
    async def storefront_token_create(
        self, info: Info, input: Annotated[StorefrontTokenInput, arguments.INPUT]
    ) -> StorefrontTokenPayload:
        return await run(
            info,
            StorefrontTokenPayload,
            lambda company_id: c.CreateStorefrontToken(
                company_id=company_id,
                channel_id=decode_id(input.channel_id, "Channel", "channel_id"),
                name=input.name,
            ),
        )

    @strawberry.mutation(
        description="Revoke a storefront token; requests with it are refused from now on.",
        metadata=dispatches(c.RevokeStorefrontToken),
    )
    async def storefront_token_revoke(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> StorefrontTokenPayload:
        return await step(
            info, StorefrontTokenPayload, c.RevokeStorefrontToken, id, "StorefrontToken"
        )


@strawberry.input(description="A new delivery method of a channel.")
class DeliveryMethodInput:
    channel_id: strawberry.ID = strawberry.field(description="The channel.")
    name: str = strawberry.field(description="Name shown to visitors.")
    product_id: strawberry.ID = strawberry.field(
        description="The service product its order line is of (its taxes apply)."
    )
    price: Decimal = strawberry.field(description="Flat rate, before the service's taxes.")
    free_over: Decimal | None = strawberry.field(
        default=None, description="Free when the goods come to at least this."
    )


@strawberry.input(description="A new coupon code of a channel.")
class CouponInput:
    channel_id: strawberry.ID = strawberry.field(description="The channel.")
    code: str = strawberry.field(description="The code visitors enter (any case).")
    kind: CouponKind = strawberry.field(description="Percentage or fixed amount off the goods.")
    value: Decimal = strawberry.field(description="The percentage, or the amount.")
    usage_limit: int | None = strawberry.field(
        default=None, description="How many orders may use it; no limit by default."
    )


@strawberry.type(description="The delivery method created, or why not.")
class DeliveryMethodPayload(Payload, error=StorefrontError):
    delivery_method: DeliveryMethod | None = strawberry.field(
        default=None, description="The delivery method."
    )


@strawberry.type(description="The coupon created, or why not.")
class CouponPayload(Payload, error=StorefrontError):
    coupon: Coupon | None = strawberry.field(default=None, description="The coupon.")


@strawberry.input(description="A product and how many of it.")
class CartLineInput:
    product_id: strawberry.ID = strawberry.field(description="A StorefrontProduct's ID.")
    quantity: Decimal = strawberry.field(
        default=Decimal(1), description="How many (a whole number, at most 100)."
    )

    def values(self) -> CartLineValues:
        return CartLineValues(
            product_id=decode_id(self.product_id, "StorefrontProduct", "product_id"),
            quantity=self.quantity,
        )


@strawberry.input(description="A postal address.")
class CartAddressInput:
    name: str = strawberry.field(description="Who receives it.")
    street: str = strawberry.field(description="Street and number.")
    city: str = strawberry.field(description="City.")
    country_code: str = strawberry.field(description="ISO 3166 two-letter country code.")
    zip: str | None = strawberry.field(default=None, description="Postal code.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")


@strawberry.input(description="What a visitor sets on a cart; fields left out keep their value.")
class CartInput:
    email: str | None = strawberry.field(
        default=strawberry.UNSET, description="Where the order confirmation goes."
    )
    billing: CartAddressInput | None = strawberry.field(
        default=strawberry.UNSET, description="Who is invoiced; the shipping address if unset."
    )
    shipping: CartAddressInput | None = strawberry.field(
        default=strawberry.UNSET, description="Where the goods go."
    )
    delivery_method_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="One of `storefrontDeliveryMethods`."
    )
    coupon_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="A coupon code; null or empty removes it."
    )

    def values(self) -> CartValues:
        values = CartValues()
        if self.email is not strawberry.UNSET:
            values["email"] = self.email
        if self.billing is not strawberry.UNSET:
            values["billing_address"] = vars(self.billing) if self.billing else None
        if self.shipping is not strawberry.UNSET:
            values["shipping_address"] = vars(self.shipping) if self.shipping else None
        if self.delivery_method_id is not strawberry.UNSET:
            values["delivery_method_id"] = (
                decode_id(self.delivery_method_id, "DeliveryMethod", "delivery_method_id")
                if self.delivery_method_id
                else None
            )
        if self.coupon_code is not strawberry.UNSET:
            values["coupon_code"] = self.coupon_code
        return values


@strawberry.input(description="A new cart, with products and details if known already.")
class CartCreateInput(CartInput):
    lines: list[CartLineInput] = strawberry.field(
        default_factory=list, description="Products to put in it."
    )


@strawberry.input(description="Check a cart out.")
class CheckoutInput:
    token: str = strawberry.field(description="The cart's token.")
    expected_total: Decimal = strawberry.field(
        description="The cart's `total` as shown to the visitor: if the price changed, the "
        "checkout is refused with PRICE_CHANGED before anything is charged."
    )
    payment_provider: str = strawberry.field(
        description="`manual` (bank transfer: the order waits for payment) or `test`."
    )
    card_number: str | None = strawberry.field(
        default=None, description="The card, for providers that take one."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="A retried checkout with the same key returns the same order."
    )


@strawberry.type(description="The cart after the change, or why nothing changed.")
class CartPayload(Payload, error=StorefrontError):
    cart: Cart | None = strawberry.field(default=None, description="The cart.")


@strawberry.type(description="The order the checkout made, or why there is none.")
class CheckoutPayload(Payload, error=StorefrontError):
    """Refused, nothing was ordered or charged and the cart is unchanged."""

    order: StorefrontOrder | None = strawberry.field(default=None, description="The order.")


def _channel(info: Info) -> int | None:
    actor = info.context.actor
    return actor.channel_id if actor else None


TOKEN = strawberry.argument(description="The cart's token.")


@strawberry.type
class CartMutation:
    @strawberry.mutation(
        description="Create a delivery method of a channel.",
        metadata=dispatches(c.CreateDeliveryMethod),
    )
    async def delivery_method_create(
        self, info: Info, input: Annotated[DeliveryMethodInput, arguments.INPUT]
    ) -> DeliveryMethodPayload:
        return await run(
            info,
            DeliveryMethodPayload,
            lambda company_id: c.CreateDeliveryMethod(
                company_id=company_id,
                channel_id=decode_id(input.channel_id, "Channel", "channel_id"),
                name=input.name,
                product_id=decode_id(input.product_id, "Product", "product_id"),
                price=input.price,
                free_over=input.free_over,
            ),
        )

    @strawberry.mutation(
        description="Create a coupon code of a channel.", metadata=dispatches(c.CreateCoupon)
    )
    async def coupon_create(
        self, info: Info, input: Annotated[CouponInput, arguments.INPUT]
    ) -> CouponPayload:
        return await run(
            info,
            CouponPayload,
            lambda company_id: c.CreateCoupon(
                company_id=company_id,
                channel_id=decode_id(input.channel_id, "Channel", "channel_id"),
                code=input.code,
                kind=input.kind,
                value=input.value,
                usage_limit=input.usage_limit,
            ),
        )

    @strawberry.mutation(
        description="Start a cart in the storefront token's channel.",
        metadata=dispatches(c.CreateCart),
    )
    async def cart_create(
        self, info: Info, input: Annotated[CartCreateInput, arguments.INPUT]
    ) -> CartPayload:
        return await run(
            info,
            CartPayload,
            lambda company_id: c.CreateCart(
                company_id=company_id,
                channel_id=_channel(info),
                lines=_lines(input.lines),
                values=input.values(),
            ),
        )

    @strawberry.mutation(
        description="Add products to a cart; a product already in it adds up.",
        metadata=dispatches(c.AddCartLines),
    )
    async def cart_lines_add(
        self,
        info: Info,
        token: Annotated[str, TOKEN],
        lines: Annotated[list[CartLineInput], arguments.LINES],
    ) -> CartPayload:
        return await run(
            info,
            CartPayload,
            lambda company_id: c.AddCartLines(
                company_id=company_id, channel_id=_channel(info), token=token, lines=_lines(lines)
            ),
        )

    @strawberry.mutation(
        description="Set how many of a product a cart holds; zero removes it.",
        metadata=dispatches(c.SetCartLineQuantity),
    )
    async def cart_line_update(
        self,
        info: Info,
        token: Annotated[str, TOKEN],
        input: Annotated[CartLineInput, arguments.INPUT],
    ) -> CartPayload:
        return await run(
            info,
            CartPayload,
            lambda company_id: c.SetCartLineQuantity(
                company_id=company_id,
                channel_id=_channel(info),
                token=token,
                product_id=input.values()["product_id"],
                quantity=input.quantity,
            ),
        )

    @strawberry.mutation(
        description="Set a cart's e-mail, addresses, delivery method or coupon.",
        metadata=dispatches(c.UpdateCart),
    )
    async def cart_update(
        self,
        info: Info,
        token: Annotated[str, TOKEN],
        input: Annotated[CartInput, arguments.INPUT],
    ) -> CartPayload:
        return await run(
            info,
            CartPayload,
            lambda company_id: c.UpdateCart(
                company_id=company_id, channel_id=_channel(info), token=token, values=input.values()
            ),
        )

    @strawberry.mutation(
        description="Check a cart out: an ordinary sales order, confirmed and reserved, paid "
        "through the provider. Refused with INSUFFICIENT_STOCK, PRICE_CHANGED or "
        "PAYMENT_DECLINED before anything is ordered or charged.",
        metadata=dispatches(c.CheckOut),
    )
    async def checkout_complete(
        self, info: Info, input: Annotated[CheckoutInput, arguments.INPUT]
    ) -> CheckoutPayload:
        return await run(
            info,
            CheckoutPayload,
            lambda company_id: c.CheckOut(
                company_id=company_id,
                idempotency_key=input.idempotency_key,
                channel_id=_channel(info),
                token=input.token,
                expected_total=input.expected_total,
                payment_provider=input.payment_provider,
                card_number=input.card_number,
                customer_id=info.context.actor.customer_id if info.context.actor else None,
            ),
        )


def _lines(lines: list[CartLineInput]) -> tuple[CartLineValues, ...]:
    values = []
    for index, line in enumerate(lines):
        try:
            values.append(line.values())
        except DomainError as error:
            raise error.at("lines", str(index)) from None
    return tuple(values)


@strawberry.input(description="A new customer account.")
class CustomerSignUpInput:
    email: str = strawberry.field(description="Their e-mail; one account per e-mail.")
    password: str = strawberry.field(description="At least 10 characters.")
    name: str = strawberry.field(description="Their name.")


@strawberry.input(description="A customer's e-mail and password.")
class CustomerSignInInput:
    email: str = strawberry.field(description="Their e-mail.")
    password: str = strawberry.field(description="Their password.")


@strawberry.type(description="The customer's new session, or why not.")
class CustomerSessionPayload(Payload, error=StorefrontError):
    session: CustomerSession | None = strawberry.field(default=None, description="The session.")


@strawberry.type(description="Whether the customer's session ended, or why not.")
class CustomerSignOutPayload(Payload, error=StorefrontError):
    ok: bool = strawberry.field(default=False, description="The session ended.")


def _session(signed_in: SignedIn) -> CustomerSession:
    return CustomerSession(customer_token=signed_in.token, expires_at=signed_in.expires_at)


@strawberry.type
class CustomerMutation:
    @strawberry.mutation(
        description="Open a customer account in the channel's company and sign in; it is "
        "linked to the customer of that e-mail.",
        metadata=dispatches(c.SignUpCustomer),
    )
    async def customer_sign_up(
        self, info: Info, input: Annotated[CustomerSignUpInput, arguments.INPUT]
    ) -> CustomerSessionPayload:
        return await run(
            info,
            CustomerSessionPayload,
            lambda company_id: c.SignUpCustomer(
                company_id=company_id,
                channel_id=_channel(info),
                email=input.email,
                password=input.password,
                name=input.name,
            ),
            present=_session,
        )

    @strawberry.mutation(
        description="Sign a customer in: a customer token for `X-Customer-Token`.",
        metadata=dispatches(c.SignInCustomer),
    )
    async def customer_sign_in(
        self, info: Info, input: Annotated[CustomerSignInInput, arguments.INPUT]
    ) -> CustomerSessionPayload:
        return await run(
            info,
            CustomerSessionPayload,
            lambda company_id: c.SignInCustomer(
                company_id=company_id,
                channel_id=_channel(info),
                email=input.email,
                password=input.password,
            ),
            present=_session,
        )

    @strawberry.mutation(
        description="End the session of the request's `X-Customer-Token`.",
        metadata=dispatches(c.SignOutCustomer),
    )
    async def customer_sign_out(self, info: Info) -> CustomerSignOutPayload:
        request = info.context.request
        token = request.headers.get(CUSTOMER_HEADER, "") if request else ""
        return await run(
            info,
            CustomerSignOutPayload,
            lambda company_id: c.SignOutCustomer(company_id=company_id, token=token),
        )


@strawberry.input(description="A visitor's message through the contact form.")
class ContactFormInput:
    name: str = strawberry.field(description="Their name.")
    email: str = strawberry.field(description="Where to answer.")
    subject: str = strawberry.field(description="What it is about.")
    message: str = strawberry.field(description="The message (at most 4000 characters).")
    phone: str | None = strawberry.field(default=None, description="A phone number.")


@strawberry.type(description="Whether the message was received, or why not.")
class ContactFormPayload(Payload, error=StorefrontError):
    received: bool = strawberry.field(default=False, description="The message is stored.")


@strawberry.type
class ContactMutation:
    @strawberry.mutation(
        description="Send the channel's contact form; the enquiry is stored with the "
        "visitor's details.",
        metadata=dispatches(c.SubmitEnquiry),
    )
    async def contact_form_submit(
        self, info: Info, input: Annotated[ContactFormInput, arguments.INPUT]
    ) -> ContactFormPayload:
        return await run(
            info,
            ContactFormPayload,
            lambda company_id: c.SubmitEnquiry(
                company_id=company_id,
                channel_id=_channel(info),
                name=input.name,
                email=input.email,
                subject=input.subject,
                message=input.message,
                phone=input.phone,
            ),
            present=lambda _enquiry: True,
        )
