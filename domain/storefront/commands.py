"""The storefront's use cases (its permissions are in `permissions.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork
from domain.storefront import services
from domain.storefront.models import Channel, StorefrontToken
from domain.storefront.permissions import STOREFRONT_MANAGE


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
