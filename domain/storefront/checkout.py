"""Checkout: a cart becomes an ordinary sales order, confirmed and reserved, and is paid.

In one transaction: the cart is locked; its customer is found by e-mail or created (never
twice, even by concurrent checkouts); the sales order is created with the channel's
pricelist and currency and confirmed through sales, which reserves its delivery; an order
whose goods are not all reserved is refused with INSUFFICIENT_STOCK, and an order whose
total differs from the one the visitor was shown with PRICE_CHANGED, both before anything
is charged. Then the payment provider charges; paid, the order is invoiced, the invoice
posted and the payment registered. Any refusal rolls everything back: the cart stays open.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.accounting import invoices, payments
from domain.accounting.chart import journal_of_type
from domain.accounting.models import JournalType, PaymentType
from domain.catalog.models import Product, TaxUse
from domain.catalog.pricing import load_pricer
from domain.core.db import utcnow
from domain.core.services import conversion, currency_code
from domain.core.uow import UnitOfWork
from domain.inventory.models import Move, MoveState
from domain.partners import services as partners
from domain.partners.errors import PartnerError
from domain.partners.models import AddressType, Partner
from domain.sales import invoicing
from domain.sales import services as sales
from domain.sales.models import SALE_LINE, InvoiceStatus, SaleOrder
from domain.storefront.carts import (
    cart_lines,
    check_coupon_left,
    check_open,
    coupon_discount,
    delivery_price,
    get_cart,
    needs_delivery,
)
from domain.storefront.errors import StorefrontError, StorefrontErrorCode
from domain.storefront.models import (
    Cart,
    CartLine,
    CartState,
    Channel,
    Coupon,
    DeliveryMethod,
    TaxDisplay,
)
from domain.storefront.payments import Charge, provider_named

ZERO = Decimal(0)
#: Moves of a delivery that hold what they deliver.
HELD = frozenset({MoveState.ASSIGNED, MoveState.DONE})


async def checkout(
    uow: UnitOfWork,
    company_id: int,
    channel_id: int | None,
    token: str,
    *,
    expected_total: Decimal,
    payment_provider: str,
    card_number: str | None = None,
    customer_id: int | None = None,
) -> SaleOrder:
    """The cart's sales order, confirmed, reserved and, with a paying provider, paid; for
    the signed-in customer `customer_id` (a partner), else the customer of its e-mail."""
    provider = provider_named(payment_provider)
    cart = await get_cart(uow, company_id, channel_id, token, lock=True)
    check_open(cart)
    channel = await uow.session.get(Channel, cart.channel_id)
    assert channel is not None
    lines = await cart_lines(uow, cart.id)
    if not lines:
        raise StorefrontError(StorefrontErrorCode.REQUIRED, "The cart is empty.", field=["lines"])
    products = {
        product.id: product
        for product in await uow.session.scalars(
            select(Product).where(Product.id.in_([line.product_id for line in lines]))
        )
    }
    if any(not (product.published and product.active) for product in products.values()):
        raise StorefrontError(
            StorefrontErrorCode.PRODUCT_UNAVAILABLE,
            "A product in the cart is not sold any more; remove it.",
            field=["lines"],
        )
    if not cart.email:
        raise StorefrontError(StorefrontErrorCode.REQUIRED, "Give an e-mail.", field=["email"])
    goods = needs_delivery(list(products.values()))
    if goods and (cart.shipping_address is None or cart.delivery_method_id is None):
        raise StorefrontError(
            StorefrontErrorCode.REQUIRED,
            "Give a shipping address and a delivery method.",
            field=["shipping_address" if cart.shipping_address is None else "delivery_method_id"],
        )
    coupon = await _coupon(uow, cart)
    if customer_id is not None:
        customer = await uow.session.get(Partner, customer_id)
        assert customer is not None and customer.company_id == company_id
    else:
        customer = await find_or_create_customer(
            uow, company_id, cart.email, cart.billing_address or cart.shipping_address or {}
        )
    shipping = await _shipping_address(uow, company_id, customer, cart) if goods else customer
    currency = await currency_code(uow, channel.currency_id)
    order_lines = await _order_lines(uow, channel, cart, lines, coupon)
    order = await sales.create_sale_order(
        uow,
        company_id,
        {
            "partner_id": customer.id,
            "partner_shipping_id": shipping.id,
            "pricelist_id": channel.pricelist_id,
            "client_order_ref": f"{channel.code} cart {cart.id}",
        },
        order_lines,
        currency=currency,
    )
    if order.amount_total != expected_total:
        raise StorefrontError(
            StorefrontErrorCode.PRICE_CHANGED,
            f"The total is now {order.amount_total} {currency}, not {expected_total}; "
            "show the cart again before paying.",
            field=["expected_total"],
        )
    await sales.confirm_sale_order(uow, company_id, order.id)
    await _check_reserved(uow, order, products)
    charged = await provider.charge(Charge(order.amount_total, currency, order.name, card_number))
    if charged.paid:
        await _record_payment(uow, company_id, order, currency, charged.reference or "")
    if coupon is not None:
        coupon.times_used += 1
    cart.state = CartState.ORDERED
    cart.sale_order_id = order.id
    await uow.session.flush()
    return order


async def _coupon(uow: UnitOfWork, cart: Cart) -> Coupon | None:
    if cart.coupon_id is None:
        return None
    coupon = await uow.session.scalar(
        select(Coupon).where(Coupon.id == cart.coupon_id).with_for_update()
    )
    if coupon is None or not coupon.active:
        raise StorefrontError(
            StorefrontErrorCode.COUPON_INVALID,
            "The coupon is not valid any more.",
            field=["coupon_code"],
        )
    check_coupon_left(coupon)
    return coupon


async def find_or_create_customer(
    uow: UnitOfWork, company_id: int, email: str, address: dict[str, Any]
) -> Partner:
    """The customer with this (normalized) e-mail, created with `address` when there is
    none; a concurrent checkout or sign-up creating the same customer is found, not
    duplicated."""
    found = await _customer(uow, company_id, email)
    if found is not None:
        return found
    values: partners.PartnerValues = {
        "name": address.get("name") or email,
        "email": email,
        "is_customer": True,
        **_address_values(address),
    }
    try:
        async with uow.session.begin_nested():
            return await partners.create_partner(uow, company_id, values)
    except (IntegrityError, PartnerError):
        # Another transaction created them meanwhile; its row is committed by now.
        found = await _customer(uow, company_id, email)
        if found is None:
            raise
        return found


async def _customer(uow: UnitOfWork, company_id: int, email: str) -> Partner | None:
    return await uow.session.scalar(
        select(Partner)
        .where(
            Partner.company_id == company_id,
            Partner.is_customer.is_(True),
            Partner.email == email,
        )
        .order_by(Partner.id)
        .limit(1)
    )


def _address_values(address: dict[str, Any]) -> partners.PartnerValues:
    return partners.PartnerValues(
        street=address.get("street"),
        city=address.get("city"),
        zip=address.get("zip"),
        country_code=address.get("country_code"),
        phone=address.get("phone"),
    )


async def _shipping_address(
    uow: UnitOfWork, company_id: int, customer: Partner, cart: Cart
) -> Partner:
    """The customer's delivery address equal to the cart's, or a new one."""
    address = cart.shipping_address or {}
    values = _address_values(address)
    existing = await uow.session.scalars(
        select(Partner).where(
            Partner.parent_id == customer.id, Partner.address_type == AddressType.DELIVERY
        )
    )
    for partner in existing:
        if partner.name == address.get("name") and all(
            getattr(partner, key) == value for key, value in values.items()
        ):
            return partner
    return await partners.create_partner(
        uow,
        company_id,
        {
            "name": address.get("name") or customer.name,
            "parent_id": customer.id,
            "address_type": AddressType.DELIVERY,
            **values,
        },
    )


async def _order_lines(
    uow: UnitOfWork,
    channel: Channel,
    cart: Cart,
    lines: Sequence[CartLine],
    coupon: Coupon | None,
) -> list[sales.LineValues]:
    """The order's lines: the goods with the coupon's discount, and the delivery."""
    priced_in = await conversion(
        uow, channel.company_id, await currency_code(uow, channel.currency_id), utcnow().date()
    )
    method = (
        await uow.session.get(DeliveryMethod, cart.delivery_method_id)
        if cart.delivery_method_id
        else None
    )
    pricer = await load_pricer(
        uow,
        channel.company_id,
        priced_in,
        TaxUse.SALE,
        [line.product_id for line in lines] + ([method.product_id] if method else []),
        pricelist_id=channel.pricelist_id,
        day=utcnow().date(),
    )
    included = channel.tax_display is TaxDisplay.INCLUDED

    def shown(product_id: int, quantity: Decimal, discount: Decimal) -> Decimal:
        product = pricer.product(product_id)
        amounts = pricer.price(
            quantity=quantity, product=product, discount=discount, taxes=pricer.taxes(product)
        ).amounts
        return amounts.total if included else amounts.subtotal

    goods = sum((shown(line.product_id, line.quantity, ZERO) for line in lines), ZERO)
    discount = coupon_discount(coupon, goods)
    result: list[sales.LineValues] = [
        {"product_id": line.product_id, "quantity": line.quantity, "discount": discount}
        for line in lines
    ]
    if method is not None:
        after = sum((shown(line.product_id, line.quantity, discount) for line in lines), ZERO)
        result.append(
            {
                "product_id": method.product_id,
                "quantity": Decimal(1),
                "price_unit": delivery_price(method, after),
                "name": method.name,
            }
        )
    return result


async def _check_reserved(uow: UnitOfWork, order: SaleOrder, products: dict[int, Product]) -> None:
    """Every move delivering the order holds its goods; INSUFFICIENT_STOCK naming the short
    products otherwise."""
    line_ids = [line.id for line in await sales.order_lines(uow, order.id)]
    short = sorted(
        {
            product_id
            for product_id, state in await uow.session.execute(
                select(Move.product_id, Move.state).where(Move.of_origin(SALE_LINE, line_ids))
            )
            if state not in HELD
        }
    )
    if short:
        names = ", ".join(
            products[product_id].name for product_id in short if product_id in products
        )
        raise StorefrontError(
            StorefrontErrorCode.INSUFFICIENT_STOCK,
            f"Not enough in stock: {names}. Lower the quantity or remove it.",
            field=["lines"],
        )


async def _record_payment(
    uow: UnitOfWork, company_id: int, order: SaleOrder, currency: str, reference: str
) -> None:
    """Invoice what the order invoices now, post it, and register the payment against it;
    what is not invoiced yet stays as the customer's credit."""
    invoice_ids = []
    if order.invoice_status is InvoiceStatus.TO_INVOICE:
        invoice = await invoicing.invoice_orders(uow, company_id, [order.id])
        await invoices.post_invoice(uow, company_id, invoice.id)
        invoice_ids.append(invoice.id)
    journal = await journal_of_type(uow, company_id, JournalType.BANK)
    await payments.register_payment(
        uow,
        company_id,
        payment_type=PaymentType.INBOUND,
        partner_id=order.partner_id,
        amount=order.amount_total,
        journal_id=journal.id,
        date=utcnow().date(),
        invoice_ids=invoice_ids,
        memo=f"{order.name} {reference}",
        currency=currency,
    )
