"""The storefront as visitors see it (published products, prices, availability), and the
channels and tokens as the back office manages them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import strawberry

from api.accounting.enums import EntryState, MoveType, PaymentState
from api.catalog.types import Pricelist, ProductAttribute, product_attributes
from api.context import Info
from api.core.types import Currency, Money, money
from api.enums import graphql_enum
from api.errors import UserError
from api.inventory.enums import PickingState
from api.nodes import ModelNode, quantity
from api.sales.enums import DeliveryStatus, SaleOrderState
from api.storefront.loaders import cart_prices, channel_view, stock_level, unit_price
from domain.accounting.models import JournalEntry
from domain.catalog import models as catalog
from domain.core.dispatcher import Permission
from domain.core.models import Currency as CurrencyModel
from domain.core.money import CurrencyRule
from domain.inventory.models import Picking
from domain.partners.models import Partner as PartnerModel
from domain.sales.models import SALE_ORDER
from domain.sales.models import SaleOrder as SaleOrderModel
from domain.sales.models import SaleOrderState as SaleOrderStateModel
from domain.storefront import models
from domain.storefront.carts import ADDRESS_FIELDS
from domain.storefront.errors import StorefrontErrorCode
from domain.storefront.models import CartState, CouponKind, TaxDisplay
from domain.storefront.permissions import STOREFRONT_ACCOUNT, STOREFRONT_BROWSE, STOREFRONT_READ

graphql_enum(
    StorefrontErrorCode,
    "Why a storefront operation was refused.",
    {
        "CHANNEL_REQUIRED": "The request carries no storefront token naming a channel.",
        "CART_CLOSED": "The cart was checked out already.",
        "PRODUCT_UNAVAILABLE": "The product is not published in this channel.",
        "QUANTITY_LIMIT": "More of a product than a cart may hold.",
        "TOO_MANY_LINES": "More products than a cart may hold.",
        "COUPON_INVALID": "No such coupon in this channel.",
        "COUPON_EXHAUSTED": "The coupon has reached its usage limit.",
        "INSUFFICIENT_STOCK": "Not enough in stock for the cart; nothing was ordered.",
        "PRICE_CHANGED": "The total changed since it was shown; nothing was charged.",
        "PAYMENT_DECLINED": "The payment provider declined; nothing was ordered.",
        "INVALID_CREDENTIALS": "Wrong e-mail or password.",
    },
)
graphql_enum(
    CartState,
    "Where a cart stands.",
    {"OPEN": "The visitor is shopping.", "ORDERED": "Checked out; it changes no more."},
)
graphql_enum(
    CouponKind,
    "What a coupon takes off the goods.",
    {"PERCENTAGE": "A percentage of each product's price.", "FIXED": "A fixed amount."},
)
graphql_enum(
    TaxDisplay,
    "How a channel shows prices.",
    {
        "INCLUDED": "Prices include taxes.",
        "EXCLUDED": "Prices exclude taxes; they are added to the total.",
    },
)


@strawberry.type(description="A storefront operation refused its input.")
class StorefrontError(UserError):
    codes = StorefrontErrorCode
    code: StorefrontErrorCode = strawberry.field(description="Stable machine-readable reason.")


def shown(amount: Decimal, rule: CurrencyRule) -> Money:
    return Money(amount=rule.round(amount), currency=rule.code)


@strawberry.type(
    description="The channel a storefront token belongs to: its currency and how it shows taxes."
)
class StorefrontChannel:
    read_permission: ClassVar[Permission | None] = STOREFRONT_BROWSE
    name: str = strawberry.field(description="The channel's name.")
    currency: str = strawberry.field(description="ISO code of the currency prices are in.")
    tax_display: TaxDisplay = strawberry.field(description="Whether prices include taxes.")


@strawberry.type(description="A category of the published catalog.")
class StorefrontCategory(ModelNode):
    model = catalog.ProductCategory
    read_permission = STOREFRONT_BROWSE
    name: str = strawberry.field(description="Name.")
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The category above this one; null at the top.")
    async def parent(self, info: Info) -> StorefrontCategory | None:
        return await info.context.loaders.one(catalog.ProductCategory, self.parent_id)


@strawberry.type(
    description="A published product as the channel sells it: its price in the channel's "
    "currency and pricelist, and whether it is in stock now."
)
class StorefrontProduct(ModelNode):
    model = catalog.Product
    read_permission = STOREFRONT_BROWSE
    sku: str = strawberry.field(description="Stock keeping unit.")
    name: str = strawberry.field(description="Name.")
    description: str | None = strawberry.field(description="Longer description.")
    category_id: strawberry.Private[int | None]
    attributes: strawberry.Private[dict[str, str] | None]
    image_urls: strawberry.Private[list[str] | None]

    @strawberry.field(description="Addresses of its pictures, the main one first.")
    def images(self) -> list[str]:
        return list(self.image_urls or ())

    @strawberry.field(description="What tells this variant apart: size, colour.")
    def variant_attributes(self) -> list[ProductAttribute]:
        return product_attributes(self.attributes)

    @strawberry.field(
        description="Its published variants (sizes, colours), each with its own price and stock."
    )
    async def variants(self, info: Info) -> list[StorefrontProduct]:
        loader = info.context.loaders.by_parent(catalog.Product.variant_of_id, catalog.Product.id)
        return [
            variant
            for variant in await loader.load(self.id)
            if variant.published and variant.active
        ]

    @strawberry.field(description="Its category, if any.")
    async def category(self, info: Info) -> StorefrontCategory | None:
        return await info.context.loaders.one(catalog.ProductCategory, self.category_id)

    @strawberry.field(
        description="Price of one unit as the channel shows it: with taxes, or without them "
        "(see `StorefrontChannel.taxDisplay`)."
    )
    async def price(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        view = await channel_view(info)
        amounts = (await unit_price(info, root)).amounts
        amount = amounts.total if view.taxes_included else amounts.subtotal
        return shown(amount, view.conversion.rule)

    @strawberry.field(description="Price of one unit without taxes.")
    async def price_excluding_tax(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        view = await channel_view(info)
        return shown((await unit_price(info, root)).amounts.subtotal, view.conversion.rule)

    @strawberry.field(description="Price of one unit with taxes.")
    async def price_including_tax(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        view = await channel_view(info)
        return shown((await unit_price(info, root)).amounts.total, view.conversion.rule)

    @strawberry.field(description="Whether it can be ordered now, from live stock.")
    async def in_stock(self, info: Info, root: strawberry.Parent[Any]) -> bool:
        return (await stock_level(info, root)).in_stock

    @strawberry.field(description="How many can be ordered now, capped for display (at most 20).")
    async def available_quantity(self, info: Info, root: strawberry.Parent[Any]) -> Decimal:
        return quantity((await stock_level(info, root)).available_quantity)


@strawberry.type(description="A storefront of the company, as the back office manages it.")
class Channel(ModelNode):
    model = models.Channel
    read_permission = STOREFRONT_READ
    code: str = strawberry.field(description="Short code, unique per company.")
    name: str = strawberry.field(description="Name.")
    tax_display: TaxDisplay = strawberry.field(description="Whether prices include taxes.")
    active: bool = strawberry.field(description="False once closed.")
    currency_id: strawberry.Private[int]
    pricelist_id: strawberry.Private[int | None]

    @strawberry.field(description="The currency it sells in.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(CurrencyModel, self.currency_id)

    @strawberry.field(description="Its prices; products' sale prices without one.")
    async def pricelist(self, info: Info) -> Pricelist | None:
        return await info.context.loaders.one(catalog.Pricelist, self.pricelist_id)

    @strawberry.field(description="Its delivery methods.")
    async def delivery_methods(self, info: Info) -> list[DeliveryMethod]:
        loader = info.context.loaders.by_parent(
            models.DeliveryMethod.channel_id, models.DeliveryMethod.id
        )
        return await loader.load(self.id)

    @strawberry.field(description="Its coupons, by code.")
    async def coupons(self, info: Info) -> list[Coupon]:
        loader = info.context.loaders.by_parent(models.Coupon.channel_id, models.Coupon.code)
        return await loader.load(self.id)

    @strawberry.field(description="Its publishable tokens, in the order they were issued.")
    async def tokens(self, info: Info) -> list[StorefrontToken]:
        loader = info.context.loaders.by_parent(
            models.StorefrontToken.channel_id, models.StorefrontToken.id
        )
        return await loader.load(self.id)


@strawberry.type(
    description="A publishable key of a channel: storefront pages send it as "
    "`Authorization: Bearer <token>`; it reaches the storefront's fields only."
)
class StorefrontToken(ModelNode):
    model = models.StorefrontToken
    read_permission = STOREFRONT_READ
    name: str = strawberry.field(description="What it is for.")
    token: str = strawberry.field(description="The publishable key itself.")
    created_at: dt.datetime = strawberry.field(description="When it was issued.")
    revoked_at: dt.datetime | None = strawberry.field(description="When it stopped working.")


@strawberry.type(description="A postal address given at checkout.")
class CartAddress:
    read_permission: ClassVar[Permission | None] = STOREFRONT_BROWSE
    name: str | None = strawberry.field(description="Who receives it.")
    street: str | None = strawberry.field(description="Street and number.")
    city: str | None = strawberry.field(description="City.")
    zip: str | None = strawberry.field(description="Postal code.")
    country_code: str | None = strawberry.field(description="ISO 3166 country code.")
    phone: str | None = strawberry.field(description="Phone number.")


def _address(value: dict[str, Any] | None) -> CartAddress | None:
    return CartAddress(**{key: value.get(key) for key in ADDRESS_FIELDS}) if value else None


@strawberry.type(description="How a channel ships: a flat rate, free over a threshold.")
class DeliveryMethod(ModelNode):
    model = models.DeliveryMethod
    read_permission = STOREFRONT_BROWSE
    name: str = strawberry.field(description="Name shown to visitors.")
    price: strawberry.Private[Decimal]
    free_over: strawberry.Private[Decimal | None]

    @strawberry.field(description="The flat rate, before the taxes of its service.")
    async def rate(self, info: Info) -> Money:
        return shown(self.price, (await channel_view(info)).conversion.rule)

    @strawberry.field(description="Free when the goods come to at least this; never if null.")
    async def free_over_amount(self, info: Info) -> Money | None:
        if self.free_over is None:
            return None
        return shown(self.free_over, (await channel_view(info)).conversion.rule)


@strawberry.type(description="A coupon code of a channel, as the back office manages it.")
class Coupon(ModelNode):
    model = models.Coupon
    read_permission = STOREFRONT_READ
    code: str = strawberry.field(description="The code visitors enter.")
    kind: CouponKind = strawberry.field(description="Percentage or fixed amount off.")
    value: Decimal = strawberry.field(description="The percentage, or the amount.")
    usage_limit: int | None = strawberry.field(description="Orders it may serve; no limit if null.")
    times_used: int = strawberry.field(description="Orders it served.")
    active: bool = strawberry.field(description="False once withdrawn.")


@strawberry.type(description="The sales order a checkout made, as its customer sees it.")
class StorefrontOrder(ModelNode):
    model = SaleOrderModel
    read_permission = STOREFRONT_BROWSE
    name: str = strawberry.field(description="Order number, e.g. S00042.")
    state: SaleOrderState = strawberry.field(description="Where the order stands.")
    delivery_status: DeliveryStatus = strawberry.field(description="How far it has shipped.")
    amount_total: strawberry.Private[Decimal]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="What the customer pays, taxes included.")
    async def total(self, info: Info) -> Money:
        return await money(info, self.amount_total, self.currency_id)


@strawberry.type(description="A product in a cart, priced as the channel sells it.")
class CartItem:
    read_permission: ClassVar[Permission | None] = STOREFRONT_BROWSE
    product: StorefrontProduct = strawberry.field(description="The product.")
    quantity: Decimal = strawberry.field(description="How many.")
    unit_price: Money = strawberry.field(
        description="Price of one, after the coupon, as the channel shows prices."
    )
    total: Money = strawberry.field(description="Price of the line, as the channel shows it.")


@strawberry.type(
    description="A visitor's cart: known by its token, priced live with the channel's "
    "pricelist, coupon and delivery; its total is what the checkout charges."
)
class Cart(ModelNode):
    model = models.Cart
    read_permission = STOREFRONT_BROWSE
    token: str = strawberry.field(
        description="The cart's secret: pass it to the cart mutations and `storefrontCart`."
    )
    state: CartState = strawberry.field(description="Open, or ordered once checked out.")
    email: str | None = strawberry.field(description="Where the order confirmation goes.")
    billing_address: strawberry.Private[dict[str, Any] | None]
    shipping_address: strawberry.Private[dict[str, Any] | None]
    delivery_method_id: strawberry.Private[int | None]
    coupon_id: strawberry.Private[int | None]
    sale_order_id: strawberry.Private[int | None]

    @strawberry.field(description="Who is invoiced.")
    def billing(self) -> CartAddress | None:
        return _address(self.billing_address)

    @strawberry.field(description="Where the goods go.")
    def shipping(self) -> CartAddress | None:
        return _address(self.shipping_address)

    @strawberry.field(description="The chosen delivery method.")
    async def delivery_method(self, info: Info) -> DeliveryMethod | None:
        return await info.context.loaders.one(models.DeliveryMethod, self.delivery_method_id)

    @strawberry.field(description="The coupon code applied, if any.")
    async def coupon_code(self, info: Info) -> str | None:
        coupon = await info.context.loaders.one(models.Coupon, self.coupon_id)
        return coupon.code if coupon else None

    @strawberry.field(description="Its products, in the order they were added.")
    async def items(self, info: Info, root: strawberry.Parent[Any]) -> list[CartItem]:
        priced = await cart_prices(info, root)
        view = await channel_view(info)
        rule = view.conversion.rule
        items = []
        for (product, count), line in zip(priced.goods, priced.totals.lines, strict=True):
            amount = line.amounts.total if view.taxes_included else line.amounts.subtotal
            items.append(
                CartItem(
                    product=product,  # type: ignore[arg-type]
                    quantity=quantity(count),
                    unit_price=shown(amount / count, rule),
                    total=shown(amount, rule),
                )
            )
        return items

    @strawberry.field(description="Percent off each product, from the coupon.")
    async def discount_percent(self, info: Info, root: strawberry.Parent[Any]) -> Decimal:
        return quantity((await cart_prices(info, root)).totals.discount)

    @strawberry.field(description="The delivery's price with its taxes; null without one.")
    async def delivery_price(self, info: Info, root: strawberry.Parent[Any]) -> Money | None:
        totals = (await cart_prices(info, root)).totals
        view = await channel_view(info)
        if totals.delivery is None:
            return None
        return shown(totals.delivery.amounts.total, view.conversion.rule)

    @strawberry.field(description="Total before taxes.")
    async def subtotal(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        totals = (await cart_prices(info, root)).totals
        return shown(totals.untaxed, (await channel_view(info)).conversion.rule)

    @strawberry.field(description="Taxes.")
    async def tax(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        totals = (await cart_prices(info, root)).totals
        return shown(totals.tax, (await channel_view(info)).conversion.rule)

    @strawberry.field(
        description="What the checkout charges, taxes and delivery included; pass it as "
        "`expectedTotal`."
    )
    async def total(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        totals = (await cart_prices(info, root)).totals
        return shown(totals.total, (await channel_view(info)).conversion.rule)

    @strawberry.field(description="The order the checkout made; null while open.")
    async def order(self, info: Info) -> StorefrontOrder | None:
        return await info.context.loaders.one(SaleOrderModel, self.sale_order_id)


@strawberry.type(description="A delivery of the signed-in customer's order.")
class StorefrontDelivery(ModelNode):
    model = Picking
    read_permission = STOREFRONT_ACCOUNT
    name: str = strawberry.field(description="Delivery number.")
    state: PickingState = strawberry.field(description="Where it stands.")
    scheduled_date: dt.datetime = strawberry.field(description="When it is planned to leave.")
    date_done: dt.datetime | None = strawberry.field(description="When it left.")


@strawberry.type(description="An invoice or credit note of the signed-in customer.")
class StorefrontInvoice(ModelNode):
    model = JournalEntry
    read_permission = STOREFRONT_ACCOUNT
    number: str | None = strawberry.field(description="Invoice number.")
    date: dt.date = strawberry.field(description="Invoice date.")
    payment_state: PaymentState = strawberry.field(description="How far it is paid.")
    amount_total: strawberry.Private[Decimal]
    amount_residual: strawberry.Private[Decimal]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="Its total, taxes included.")
    async def total(self, info: Info) -> Money:
        return await money(info, self.amount_total, self.currency_id)

    @strawberry.field(description="What is left to pay.")
    async def amount_due(self, info: Info) -> Money:
        return await money(info, self.amount_residual, self.currency_id)


@strawberry.type(
    description="The customer signed in with `X-Customer-Token`, with their own orders, "
    "deliveries and invoices, nothing else."
)
class StorefrontCustomer(ModelNode):
    model = PartnerModel
    read_permission = STOREFRONT_ACCOUNT
    name: str = strawberry.field(description="Their name.")
    email: str | None = strawberry.field(description="Their e-mail.")

    @strawberry.field(description="Their confirmed orders, newest first.")
    async def orders(self, info: Info) -> list[StorefrontOrder]:
        return await customer_orders(info, self.id)

    @strawberry.field(description="The deliveries of their orders.")
    async def deliveries(self, info: Info) -> list[StorefrontDelivery]:
        orders = await customer_orders(info, self.id)
        loader = info.context.loaders.by_origin(Picking, SALE_ORDER, Picking.id)
        found = await loader.load_many([order.id for order in orders])
        return [picking for pickings in found for picking in pickings]

    @strawberry.field(description="Their posted invoices and credit notes, newest first.")
    async def invoices(self, info: Info) -> list[StorefrontInvoice]:
        loader = info.context.loaders.by_parent(JournalEntry.partner_id, JournalEntry.id)
        entries = await loader.load(self.id)
        return [
            entry
            for entry in reversed(entries)
            if entry.move_type in CUSTOMER_DOCUMENTS and entry.state is EntryState.POSTED
        ]


CUSTOMER_DOCUMENTS = frozenset({MoveType.OUT_INVOICE, MoveType.OUT_REFUND})


async def customer_orders(info: Info, partner_id: int) -> list[Any]:
    loader = info.context.loaders.by_parent(SaleOrderModel.partner_id, SaleOrderModel.id)
    orders = await loader.load(partner_id)
    return [order for order in reversed(orders) if order.state in CONFIRMED]


CONFIRMED = frozenset({SaleOrderStateModel.SALE, SaleOrderStateModel.DONE})


@strawberry.type(description="A customer's new session.")
class CustomerSession:
    read_permission: ClassVar[Permission | None] = STOREFRONT_BROWSE
    customer_token: str = strawberry.field(
        description="Send as `X-Customer-Token` beside the storefront token; shown once."
    )
    expires_at: dt.datetime = strawberry.field(description="When it stops working.")


@strawberry.type(description="A visitor's message through a channel's contact form.")
class Enquiry(ModelNode):
    model = models.Enquiry
    read_permission = STOREFRONT_READ
    name: str = strawberry.field(description="Who wrote.")
    email: str = strawberry.field(description="Their e-mail.")
    phone: str | None = strawberry.field(description="Their phone number.")
    subject: str = strawberry.field(description="Subject.")
    message: str = strawberry.field(description="The message.")
    created_at: dt.datetime = strawberry.field(description="When it arrived.")
    channel_id: strawberry.Private[int]

    @strawberry.field(description="The channel it came through.")
    async def channel(self, info: Info) -> Channel:
        return await info.context.loaders.one(models.Channel, self.channel_id)
