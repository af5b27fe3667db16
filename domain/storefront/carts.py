"""Carts: lines of published products, the visitor's e-mail and addresses, a delivery
method and a coupon; and their totals, computed by the same pricer the checkout's sales
order uses, so the total shown is the total charged.

Abuse limits: a cart holds at most `MAX_LINES` lines of at most `MAX_QUANTITY` each.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import func, select

from domain.catalog.models import Product, ProductType
from domain.catalog.pricing import PricedLine, Pricer
from domain.core.money import ZERO
from domain.core.uow import UnitOfWork
from domain.partners.errors import PartnerError
from domain.partners.services import normalize_email
from domain.storefront.errors import StorefrontError, StorefrontErrorCode
from domain.storefront.models import (
    Cart,
    CartLine,
    CartState,
    Channel,
    Coupon,
    CouponKind,
    DeliveryMethod,
)

MAX_LINES = 50
MAX_QUANTITY = Decimal(100)
HUNDRED = Decimal(100)
#: The parts of an address a cart keeps, and the longest each may be.
ADDRESS_FIELDS = {
    "name": 200,
    "street": 200,
    "city": 100,
    "zip": 20,
    "country_code": 2,
    "phone": 40,
}


class CartLineValues(TypedDict):
    product_id: int
    quantity: Decimal


class CartValues(TypedDict, total=False):
    """What a visitor sets on a cart; keys left out keep their value."""

    email: str | None
    billing_address: dict[str, Any] | None
    shipping_address: dict[str, Any] | None
    delivery_method_id: int | None
    coupon_code: str | None


def channel_required(channel_id: int | None) -> int:
    if channel_id is None:
        raise StorefrontError(
            StorefrontErrorCode.CHANNEL_REQUIRED, "Send a storefront token: carts are per channel."
        )
    return channel_id


async def get_cart(
    uow: UnitOfWork, company_id: int, channel_id: int | None, token: str, *, lock: bool = False
) -> Cart:
    """The open or ordered cart with `token` in the channel; NOT_FOUND otherwise."""
    query = select(Cart).where(
        Cart.token == token,
        Cart.company_id == company_id,
        Cart.channel_id == channel_required(channel_id),
    )
    if lock:
        query = query.with_for_update()
    cart = await uow.session.scalar(query)
    if cart is None:
        raise StorefrontError(StorefrontErrorCode.NOT_FOUND, "No such cart.", field=["token"])
    return cart


def check_open(cart: Cart) -> None:
    if cart.state is not CartState.OPEN:
        raise StorefrontError(
            StorefrontErrorCode.CART_CLOSED, "This cart was checked out; start a new one."
        )


async def create_cart(
    uow: UnitOfWork,
    company_id: int,
    channel_id: int | None,
    lines: Sequence[CartLineValues] = (),
    values: CartValues | None = None,
) -> Cart:
    """A new cart of the channel, known by a random token."""
    channel = await uow.session.get(Channel, channel_required(channel_id))
    assert channel is not None and channel.company_id == company_id
    cart = Cart(
        company_id=company_id,
        channel_id=channel.id,
        token=secrets.token_urlsafe(24),
        state=CartState.OPEN,
    )
    uow.session.add(cart)
    await uow.session.flush()
    if lines:
        await add_lines(uow, cart, lines)
    if values:
        await update_cart(uow, cart, values)
    return cart


async def add_lines(uow: UnitOfWork, cart: Cart, lines: Sequence[CartLineValues]) -> Cart:
    """Add quantities of published products; a product already in the cart adds up."""
    check_open(cart)
    if not lines:
        raise StorefrontError(
            StorefrontErrorCode.REQUIRED, "Give at least one line.", field=["lines"]
        )
    existing = {line.product_id: line for line in await cart_lines(uow, cart.id)}
    sellable = await _sellable(uow, cart.company_id, [line["product_id"] for line in lines])
    for index, values in enumerate(lines):
        where = ["lines", str(index)]
        if values["product_id"] not in sellable:
            raise StorefrontError(
                StorefrontErrorCode.PRODUCT_UNAVAILABLE,
                "This product is not sold here.",
                field=[*where, "product_id"],
            )
        line = existing.get(values["product_id"])
        if line is None:
            line = CartLine(cart_id=cart.id, product_id=values["product_id"], quantity=ZERO)
            existing[line.product_id] = line
            uow.session.add(line)
        line.quantity = _checked_quantity(line.quantity + values["quantity"], where)
    _check_line_count(len(existing))
    await uow.session.flush()
    return cart


async def set_line_quantity(
    uow: UnitOfWork, cart: Cart, product_id: int, quantity: Decimal
) -> Cart:
    """The product's quantity in the cart from now on; zero removes it."""
    check_open(cart)
    line = await uow.session.scalar(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.product_id == product_id)
    )
    if line is None:
        raise StorefrontError(
            StorefrontErrorCode.NOT_FOUND, "This product is not in the cart.", field=["product_id"]
        )
    if quantity == 0:
        await uow.session.delete(line)
    else:
        line.quantity = _checked_quantity(quantity, [])
    await uow.session.flush()
    return cart


def _checked_quantity(quantity: Decimal, where: list[str]) -> Decimal:
    if not quantity.is_finite() or quantity <= 0 or quantity != quantity.to_integral_value():
        raise StorefrontError(
            StorefrontErrorCode.INVALID,
            "A quantity is a positive whole number.",
            field=[*where, "quantity"],
        )
    if quantity > MAX_QUANTITY:
        raise StorefrontError(
            StorefrontErrorCode.QUANTITY_LIMIT,
            f"A cart holds at most {MAX_QUANTITY} of a product.",
            field=[*where, "quantity"],
        )
    return quantity


def _check_line_count(count: int) -> None:
    if count > MAX_LINES:
        raise StorefrontError(
            StorefrontErrorCode.TOO_MANY_LINES,
            f"A cart holds at most {MAX_LINES} products.",
            field=["lines"],
        )


async def _sellable(uow: UnitOfWork, company_id: int, product_ids: Sequence[int]) -> set[int]:
    rows = await uow.session.scalars(
        select(Product.id).where(
            Product.id.in_(product_ids),
            Product.company_id == company_id,
            Product.published.is_(True),
            Product.active.is_(True),
        )
    )
    return set(rows)


async def cart_lines(uow: UnitOfWork, cart_id: int) -> list[CartLine]:
    return list(
        await uow.session.scalars(
            select(CartLine).where(CartLine.cart_id == cart_id).order_by(CartLine.id)
        )
    )


async def update_cart(uow: UnitOfWork, cart: Cart, values: CartValues) -> Cart:
    """Set the visitor's e-mail, addresses, delivery method or coupon."""
    check_open(cart)
    if "email" in values:
        email = values["email"]
        try:
            cart.email = normalize_email(email) if email else None
        except PartnerError as error:
            raise StorefrontError(
                StorefrontErrorCode.INVALID, "This is not an e-mail address.", field=["email"]
            ) from error
    for key in ("billing_address", "shipping_address"):
        if key in values:
            setattr(cart, key, _address(values[key], key))
    if "delivery_method_id" in values:
        cart.delivery_method_id = await _delivery_method(uow, cart, values["delivery_method_id"])
    if "coupon_code" in values:
        cart.coupon_id = await _coupon(uow, cart, values["coupon_code"])
    await uow.session.flush()
    return cart


def _address(given: dict[str, Any] | None, field: str) -> dict[str, Any] | None:
    if given is None:
        return None
    address = {}
    for key, longest in ADDRESS_FIELDS.items():
        value = (given.get(key) or "").strip()
        if len(value) > longest:
            raise StorefrontError(
                StorefrontErrorCode.INVALID,
                f"At most {longest} characters.",
                field=[field, key],
            )
        address[key] = value or None
    for key in ("name", "street", "city", "country_code"):
        if not address[key]:
            raise StorefrontError(
                StorefrontErrorCode.REQUIRED, f"An address needs its {key}.", field=[field, key]
            )
    assert address["country_code"] is not None
    if not address["country_code"].isalpha() or len(address["country_code"]) != 2:
        raise StorefrontError(
            StorefrontErrorCode.INVALID,
            "A country is its two-letter ISO code.",
            field=[field, "country_code"],
        )
    address["country_code"] = address["country_code"].upper()
    return address


async def _delivery_method(uow: UnitOfWork, cart: Cart, method_id: int | None) -> int | None:
    if method_id is None:
        return None
    method = await uow.session.scalar(
        select(DeliveryMethod.id).where(
            DeliveryMethod.id == method_id,
            DeliveryMethod.channel_id == cart.channel_id,
            DeliveryMethod.active.is_(True),
        )
    )
    if method is None:
        raise StorefrontError(
            StorefrontErrorCode.NOT_FOUND,
            "No such delivery method here.",
            field=["delivery_method_id"],
        )
    return int(method)


async def _coupon(uow: UnitOfWork, cart: Cart, code: str | None) -> int | None:
    if not code or not code.strip():
        return None
    coupon = await uow.session.scalar(
        select(Coupon).where(
            func.upper(Coupon.code) == code.strip().upper(),
            Coupon.channel_id == cart.channel_id,
            Coupon.active.is_(True),
        )
    )
    if coupon is None:
        raise StorefrontError(
            StorefrontErrorCode.COUPON_INVALID, "This coupon is not valid.", field=["coupon_code"]
        )
    check_coupon_left(coupon)
    return coupon.id


def check_coupon_left(coupon: Coupon) -> None:
    if coupon.usage_limit is not None and coupon.times_used >= coupon.usage_limit:
        raise StorefrontError(
            StorefrontErrorCode.COUPON_EXHAUSTED,
            "This coupon has been used up.",
            field=["coupon_code"],
        )


@dataclass(frozen=True)
class CartTotals:
    """A cart priced: its lines, the delivery line, and the sums, in the channel's currency."""

    lines: list[PricedLine]
    delivery: PricedLine | None
    #: Percent off each goods line (from the coupon).
    discount: Decimal
    untaxed: Decimal
    tax: Decimal
    total: Decimal


def delivery_price(method: DeliveryMethod, goods_shown: Decimal) -> Decimal:
    """The method's flat rate, or nothing once the goods reach its threshold."""
    if method.free_over is not None and goods_shown >= method.free_over:
        return ZERO
    return method.price


def coupon_discount(coupon: Coupon | None, goods_shown: Decimal) -> Decimal:
    """Percent off each goods line: the coupon's percentage, or its fixed amount as a share
    of the goods (at most all of them)."""
    if coupon is None or goods_shown <= 0:
        return ZERO
    if coupon.kind is CouponKind.PERCENTAGE:
        return min(coupon.value, HUNDRED)
    return min(coupon.value * HUNDRED / goods_shown, HUNDRED).quantize(Decimal("0.000001"))


def cart_totals(
    pricer: Pricer,
    taxes_included: bool,
    lines: Sequence[tuple[Product, Decimal]],
    delivery: tuple[DeliveryMethod, Product] | None,
    coupon: Coupon | None,
) -> CartTotals:
    """The cart priced line by line as its sales order will be."""

    def shown(priced: PricedLine) -> Decimal:
        return priced.amounts.total if taxes_included else priced.amounts.subtotal

    def goods(discount: Decimal) -> list[PricedLine]:
        return [
            pricer.price(
                quantity=quantity,
                product=product,
                discount=discount,
                taxes=pricer.taxes(product),
            )
            for product, quantity in lines
        ]

    discount = coupon_discount(coupon, sum((shown(line) for line in goods(ZERO)), ZERO))
    priced = goods(discount)
    delivery_line = None
    if delivery is not None:
        method, product = delivery
        delivery_line = pricer.price(
            quantity=Decimal(1),
            product=product,
            price_unit=delivery_price(method, sum((shown(line) for line in priced), ZERO)),
            taxes=pricer.taxes(product),
        )
    every = [*priced, *([delivery_line] if delivery_line else [])]
    return CartTotals(
        lines=priced,
        delivery=delivery_line,
        discount=discount,
        untaxed=sum((line.amounts.subtotal for line in every), ZERO),
        tax=sum((line.amounts.tax for line in every), ZERO),
        total=sum((line.amounts.total for line in every), ZERO),
    )


def needs_delivery(products: Sequence[Product]) -> bool:
    return any(product.type is not ProductType.SERVICE for product in products)
