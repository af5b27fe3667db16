"""Customer accounts: a storefront visitor signs up or in with an e-mail and password and
gets a customer token; sent as `X-Customer-Token` beside the channel's storefront token, it
lets them read their own orders, deliveries and invoices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.actors import Actor
from domain.core.db import utcnow
from domain.core.uow import UnitOfWork
from domain.governance.errors import GovernanceError, Unauthenticated
from domain.governance.identity import digest, hash_password
from domain.partners.errors import PartnerError
from domain.partners.services import normalize_email
from domain.storefront.carts import channel_required
from domain.storefront.checkout import find_or_create_customer
from domain.storefront.errors import StorefrontError, StorefrontErrorCode
from domain.storefront.models import CustomerAccount, CustomerSession
from domain.storefront.permissions import STOREFRONT_ACCOUNT

SESSION_LIFETIME = dt.timedelta(days=30)
_hasher = PasswordHasher()
#: Verified against when the e-mail is unknown, so a miss costs as much as a hit.
_DUMMY_HASH = _hasher.hash("not a customer's password")


@dataclass(frozen=True)
class SignedIn:
    """A customer's new session: the token to send as `X-Customer-Token`."""

    account: CustomerAccount
    token: str
    expires_at: dt.datetime


def _email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except PartnerError as error:
        raise StorefrontError(
            StorefrontErrorCode.INVALID, "This is not an e-mail address.", field=["email"]
        ) from error


async def sign_up(
    uow: UnitOfWork,
    company_id: int,
    channel_id: int | None,
    *,
    email: str,
    password: str,
    name: str,
) -> SignedIn:
    """An account for the customer with this e-mail (found or created, never twice),
    signed in."""
    channel_required(channel_id)
    email = _email(email)
    if await uow.session.scalar(
        select(CustomerAccount.id).where(
            CustomerAccount.company_id == company_id, CustomerAccount.email == email
        )
    ):
        raise StorefrontError(
            StorefrontErrorCode.UNIQUE, "An account with this e-mail exists.", field=["email"]
        )
    try:
        password_hash = hash_password(password)
    except GovernanceError as error:
        raise StorefrontError(
            StorefrontErrorCode.INVALID, error.message, field=["password"]
        ) from error
    partner = await find_or_create_customer(uow, company_id, email, {"name": name.strip()})
    account = CustomerAccount(
        company_id=company_id, partner_id=partner.id, email=email, password_hash=password_hash
    )
    uow.session.add(account)
    await uow.session.flush()
    return await _open_session(uow, account)


async def sign_in(
    uow: UnitOfWork, company_id: int, channel_id: int | None, *, email: str, password: str
) -> SignedIn:
    """A new session for the account; one vague error for a wrong e-mail or password."""
    channel_required(channel_id)
    account = await uow.session.scalar(
        select(CustomerAccount).where(
            CustomerAccount.company_id == company_id,
            CustomerAccount.email == email.strip().lower(),
        )
    )
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        account = None
    if account is None:
        raise StorefrontError(
            StorefrontErrorCode.INVALID_CREDENTIALS, "Wrong e-mail or password.", field=["email"]
        )
    return await _open_session(uow, account)


async def sign_out(uow: UnitOfWork, token: str) -> bool:
    """The session of `token` ends."""
    await uow.session.execute(
        update(CustomerSession)
        .where(CustomerSession.token_hash == digest(token), CustomerSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return True


async def _open_session(uow: UnitOfWork, account: CustomerAccount) -> SignedIn:
    token = secrets.token_urlsafe(32)
    expires = utcnow() + SESSION_LIFETIME
    uow.session.add(
        CustomerSession(account_id=account.id, token_hash=digest(token), expires_at=expires)
    )
    await uow.session.flush()
    return SignedIn(account, token, expires)


async def signed_in_customer(session: AsyncSession, visitor: Actor, token: str) -> Actor:
    """The storefront visitor with the customer of `token` signed in: they also hold
    `storefront.account`, for their own records (one statement)."""
    row = (
        await session.execute(
            select(CustomerAccount.partner_id, CustomerSession.expires_at)
            .join(CustomerSession, CustomerSession.account_id == CustomerAccount.id)
            .where(
                CustomerSession.token_hash == digest(token),
                CustomerSession.revoked_at.is_(None),
                CustomerAccount.company_id == visitor.default_company_id,
            )
        )
    ).first()
    if row is None or row.expires_at <= utcnow():
        raise Unauthenticated("The customer token is not valid any more; sign in again.")
    company_id = visitor.default_company_id
    assert company_id is not None
    granted = visitor.permissions[company_id] | {STOREFRONT_ACCOUNT.name}
    return dataclasses.replace(
        visitor, permissions={company_id: granted}, customer_id=row.partner_id
    )
