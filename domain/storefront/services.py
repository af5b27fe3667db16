"""Storefront use cases: channels, their publishable tokens, delivery methods and coupons,
and the contact form."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalog.models import Pricelist, Product, ProductType
from domain.core.actors import Actor, ActorKind
from domain.core.db import utcnow
from domain.core.models import AMOUNT_LIMIT, storable
from domain.core.records import get_owned
from domain.core.services import company_currency, find_currency
from domain.core.uow import UnitOfWork
from domain.governance.errors import Unauthenticated
from domain.governance.identity import token_kind
from domain.inventory.models import Warehouse
from domain.partners.errors import PartnerError
from domain.partners.services import normalize_email
from domain.storefront.carts import channel_required
from domain.storefront.errors import StorefrontError, StorefrontErrorCode
from domain.storefront.events import EnquiryReceived
from domain.storefront.models import (
    Channel,
    Coupon,
    CouponKind,
    DeliveryMethod,
    Enquiry,
    StorefrontToken,
    TaxDisplay,
    channel_warehouse,
)
from domain.storefront.permissions import TOKEN_PERMISSIONS

#: Storefront tokens start with this: a publishable key, recognisable in page sources.
TOKEN_PREFIX = "sfpk_"


class ChannelValues(TypedDict, total=False):
    """A channel as the caller gives it."""

    code: str
    name: str
    currency: str | None
    pricelist_id: int | None
    tax_display: TaxDisplay
    warehouse_ids: Sequence[int]


async def create_channel(uow: UnitOfWork, company_id: int, values: ChannelValues) -> Channel:
    """A channel; its pricelist, when it has one, is in its currency (the company's by
    default)."""
    code = (values.get("code") or "").strip()
    name = (values.get("name") or "").strip()
    for key, value in (("code", code), ("name", name)):
        if not value:
            raise StorefrontError(
                StorefrontErrorCode.REQUIRED, f"A channel needs a {key}.", field=[key]
            )
    if await uow.session.scalar(
        select(Channel.id).where(Channel.company_id == company_id, Channel.code == code)
    ):
        raise StorefrontError(
            StorefrontErrorCode.UNIQUE, f"A channel {code!r} exists.", field=["code"]
        )
    currency_id = await _currency_id(uow, company_id, values.get("currency"))
    pricelist_id = values.get("pricelist_id")
    if pricelist_id is not None:
        pricelist = await get_owned(uow.session, Pricelist, pricelist_id, company_id)
        if pricelist is None:
            raise StorefrontError(
                StorefrontErrorCode.NOT_FOUND, "No such pricelist.", field=["pricelist_id"]
            )
        if pricelist.currency_id != currency_id:
            raise StorefrontError(
                StorefrontErrorCode.INVALID,
                "The pricelist is not in the channel's currency.",
                field=["pricelist_id"],
            )
    warehouse_ids = sorted(set(values.get("warehouse_ids") or ()))
    found = set(
        await uow.session.scalars(
            select(Warehouse.id).where(
                Warehouse.id.in_(warehouse_ids), Warehouse.company_id == company_id
            )
        )
    )
    if missing := [warehouse for warehouse in warehouse_ids if warehouse not in found]:
        raise StorefrontError(
            StorefrontErrorCode.NOT_FOUND,
            f"No warehouse {missing[0]} in the company.",
            field=["warehouse_ids"],
        )
    channel = Channel(
        company_id=company_id,
        code=code,
        name=name,
        currency_id=currency_id,
        pricelist_id=pricelist_id,
        tax_display=values.get("tax_display", TaxDisplay.INCLUDED),
    )
    uow.session.add(channel)
    await uow.session.flush()
    if warehouse_ids:
        await uow.session.execute(
            insert(channel_warehouse),
            [{"channel_id": channel.id, "warehouse_id": warehouse} for warehouse in warehouse_ids],
        )
    return channel


async def _currency_id(uow: UnitOfWork, company_id: int, code: str | None) -> int:
    if code is None:
        return (await company_currency(uow, company_id)).id
    currency = await find_currency(uow, code)
    if currency is None:
        raise StorefrontError(
            StorefrontErrorCode.INVALID, f"No currency {code!r}.", field=["currency"]
        )
    return currency.id


async def get_channel(uow: UnitOfWork, company_id: int, channel_id: int) -> Channel:
    channel = await get_owned(uow.session, Channel, channel_id, company_id)
    if channel is None:
        raise StorefrontError(
            StorefrontErrorCode.NOT_FOUND, "No such channel.", field=["channel_id"]
        )
    return channel


async def create_storefront_token(
    uow: UnitOfWork, company_id: int, channel_id: int, name: str
) -> StorefrontToken:
    """A new publishable token of the channel."""
    channel = await get_channel(uow, company_id, channel_id)
    name = name.strip()
    if not name:
        raise StorefrontError(StorefrontErrorCode.REQUIRED, "A token needs a name.", field=["name"])
    token = StorefrontToken(
        company_id=company_id,
        channel_id=channel.id,
        name=name,
        token=TOKEN_PREFIX + secrets.token_urlsafe(24),
    )
    uow.session.add(token)
    await uow.session.flush()
    return token


async def revoke_storefront_token(
    uow: UnitOfWork, company_id: int, token_id: int
) -> StorefrontToken:
    """The token stops working on the next request."""
    token = await get_owned(uow.session, StorefrontToken, token_id, company_id, lock=True)
    if token is None:
        raise StorefrontError(StorefrontErrorCode.NOT_FOUND, "No such token.", field=["id"])
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await uow.session.flush()
    return token


@token_kind(TOKEN_PREFIX)
async def storefront_actor(session: AsyncSession, token: str) -> Actor:
    """A visitor of the token's channel: storefront permissions in its company, nothing
    else (one statement)."""
    row = (
        await session.execute(
            select(StorefrontToken, Channel)
            .join(Channel, Channel.id == StorefrontToken.channel_id)
            .where(StorefrontToken.token == token)
        )
    ).first()
    if row is None:
        raise Unauthenticated("The storefront token is not valid.")
    found: StorefrontToken = row[0]
    channel: Channel = row[1]
    if found.revoked_at is not None or not channel.active:
        raise Unauthenticated("The storefront token is not valid.")
    return Actor(
        ActorKind.STOREFRONT,
        found.id,
        channel.name,
        permissions={channel.company_id: TOKEN_PERMISSIONS},
        default_company_id=channel.company_id,
        channel_id=channel.id,
    )


async def create_delivery_method(
    uow: UnitOfWork,
    company_id: int,
    *,
    channel_id: int,
    name: str,
    product_id: int,
    price: Decimal,
    free_over: Decimal | None = None,
) -> DeliveryMethod:
    """A flat-rate delivery method of a channel, free from `free_over` on; its order line is
    of the service `product_id`."""
    channel = await get_channel(uow, company_id, channel_id)
    name = name.strip()
    if not name:
        raise StorefrontError(
            StorefrontErrorCode.REQUIRED, "A delivery method needs a name.", field=["name"]
        )
    product = await get_owned(uow.session, Product, product_id, company_id)
    if product is None or product.type is not ProductType.SERVICE:
        raise StorefrontError(
            StorefrontErrorCode.NOT_FOUND, "No such service product.", field=["product_id"]
        )
    for key, amount in (("price", price), ("free_over", free_over)):
        if amount is not None and (not storable(amount) or amount < 0):
            raise StorefrontError(
                StorefrontErrorCode.INVALID, "An amount is not negative.", field=[key]
            )
    method = DeliveryMethod(
        company_id=company_id,
        channel_id=channel.id,
        name=name,
        product_id=product.id,
        price=price,
        free_over=free_over,
    )
    uow.session.add(method)
    await uow.session.flush()
    return method


async def create_coupon(
    uow: UnitOfWork,
    company_id: int,
    *,
    channel_id: int,
    code: str,
    kind: CouponKind,
    value: Decimal,
    usage_limit: int | None = None,
) -> Coupon:
    """A coupon code of a channel: a percentage or a fixed amount off the goods."""
    channel = await get_channel(uow, company_id, channel_id)
    code = code.strip().upper()
    if not code or len(code) > 40:
        raise StorefrontError(
            StorefrontErrorCode.INVALID, "A code has 1 to 40 characters.", field=["code"]
        )
    if await uow.session.scalar(
        select(Coupon.id).where(Coupon.company_id == company_id, func.upper(Coupon.code) == code)
    ):
        raise StorefrontError(
            StorefrontErrorCode.UNIQUE, f"A coupon {code} exists.", field=["code"]
        )
    top = Decimal(100) if kind is CouponKind.PERCENTAGE else AMOUNT_LIMIT
    if not value.is_finite() or not 0 < value <= top:
        raise StorefrontError(
            StorefrontErrorCode.INVALID,
            "A percentage lies above 0 and up to 100; an amount is positive.",
            field=["value"],
        )
    if usage_limit is not None and usage_limit < 1:
        raise StorefrontError(
            StorefrontErrorCode.INVALID, "A usage limit is at least 1.", field=["usage_limit"]
        )
    coupon = Coupon(
        company_id=company_id,
        channel_id=channel.id,
        code=code,
        kind=kind,
        value=value,
        usage_limit=usage_limit,
    )
    uow.session.add(coupon)
    await uow.session.flush()
    return coupon


#: The longest each contact form field may be.
ENQUIRY_FIELDS = {"name": 200, "phone": 40, "subject": 200, "message": 4000}


async def submit_enquiry(
    uow: UnitOfWork,
    company_id: int,
    channel_id: int | None,
    *,
    name: str,
    email: str,
    subject: str,
    message: str,
    phone: str | None = None,
) -> Enquiry:
    """Store a contact form's enquiry and announce it (`EnquiryReceived`)."""
    channel = channel_required(channel_id)
    given = {"name": name, "phone": phone or "", "subject": subject, "message": message}
    cleaned = {key: value.strip() for key, value in given.items()}
    for key, longest in ENQUIRY_FIELDS.items():
        if key != "phone" and not cleaned[key]:
            raise StorefrontError(StorefrontErrorCode.REQUIRED, f"Give a {key}.", field=[key])
        if len(cleaned[key]) > longest:
            raise StorefrontError(
                StorefrontErrorCode.INVALID, f"At most {longest} characters.", field=[key]
            )
    try:
        address = normalize_email(email)
    except PartnerError as error:
        raise StorefrontError(
            StorefrontErrorCode.INVALID, "This is not an e-mail address.", field=["email"]
        ) from error
    enquiry = Enquiry(
        company_id=company_id,
        channel_id=channel,
        name=cleaned["name"],
        email=address,
        phone=cleaned["phone"] or None,
        subject=cleaned["subject"],
        message=cleaned["message"],
    )
    uow.session.add(enquiry)
    await uow.session.flush()
    await uow.publish(
        EnquiryReceived(
            company_id=company_id,
            enquiry_id=enquiry.id,
            channel_id=channel,
            name=enquiry.name,
            email=enquiry.email,
            subject=enquiry.subject,
        )
    )
    return enquiry
