"""Storefront mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

from typing import Annotated, ClassVar

import strawberry

from api import arguments
from api.access import dispatches
from api.context import Info
from api.ids import decode_id, decode_ids
from api.payloads import run, step
from api.storefront.types import Channel, StorefrontError, StorefrontToken
from domain.storefront import commands as c
from domain.storefront.models import TaxDisplay
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
class ChannelPayload:
    result_field: ClassVar[str] = "channel"
    error_type: ClassVar[type[StorefrontError]] = StorefrontError
    channel: Channel | None = strawberry.field(default=None, description="The channel.")
    errors: list[StorefrontError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The token issued or revoked, or why not.")
class StorefrontTokenPayload:
    result_field: ClassVar[str] = "storefront_token"
    error_type: ClassVar[type[StorefrontError]] = StorefrontError
    storefront_token: StorefrontToken | None = strawberry.field(
        default=None, description="The token."
    )
    errors: list[StorefrontError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
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
