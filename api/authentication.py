"""Who calls, and in which company: read from the request's headers once per request.

`Authorization: Bearer <token>` carries an access token from `login` or an API key;
`X-Company-Id` picks one of the caller's companies (their default one otherwise).
A storefront token may come with `X-Customer-Token`, a signed-in customer's session.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry import relay

from api.context import Context
from api.ids import database_key
from domain.core.actors import ActorKind
from domain.governance.errors import Unauthenticated
from domain.governance.identity import actor_for_token
from domain.storefront.accounts import signed_in_customer

COMPANY_HEADER = "x-company-id"
CUSTOMER_HEADER = "x-customer-token"


async def authenticate(
    context: Context,
    sessions: async_sessionmaker[AsyncSession],
    secret_key: str,
    headers: Mapping[str, str],
) -> None:
    """Set the context's actor and company, or why there are none."""
    authorization = headers.get("authorization")
    if not authorization:
        return
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        context.auth_error = "Send the token as `Authorization: Bearer <token>`."
        return
    async with sessions() as session:
        try:
            actor = await actor_for_token(session, secret_key, token.strip())
            customer = headers.get(CUSTOMER_HEADER)
            if customer and actor.kind is ActorKind.STOREFRONT:
                actor = await signed_in_customer(session, actor, customer.strip())
            elif customer:
                raise Unauthenticated("X-Customer-Token goes with a storefront token.")
        except Unauthenticated as error:
            context.auth_error = error.message
            return
        context.actor = actor
        company_id = _named_company(headers.get(COMPANY_HEADER))
        if company_id is None and headers.get(COMPANY_HEADER):
            context.company_error = "X-Company-Id is not a company's ID."
        elif company_id is not None and not actor.in_company(company_id):
            context.company_error = "X-Company-Id names a company that is not one of yours."
        else:
            context.company_id = company_id or actor.default_company_id or 0


def _named_company(header: str | None) -> int | None:
    if not header:
        return None
    try:
        gid = relay.GlobalID.from_id(header)
        company_id = database_key(gid.node_id)
    except ValueError:
        return None
    return company_id if gid.type_name == "Company" else None
