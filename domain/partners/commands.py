"""Partners' use cases and the permissions they and partners' reads need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork
from domain.partners import services
from domain.partners.models import Partner
from domain.partners.services import PartnerValues

PARTNERS_READ = Permission("partners.read", "Read customers, vendors and contacts.")
PARTNERS_WRITE = Permission("partners.write", "Create and change customers, vendors, contacts.")


@dataclass(frozen=True, kw_only=True)
class CreatePartner(Command[Partner]):
    """A customer, a vendor, a contact or an address."""

    permission: ClassVar[Permission | None] = PARTNERS_WRITE
    values: PartnerValues

    async def handle(self, uow: UnitOfWork) -> Partner:
        return await services.create_partner(uow, self.company_id, self.values)


@dataclass(frozen=True, kw_only=True)
class UpdatePartner(Step[Partner]):
    permission: ClassVar[Permission | None] = PARTNERS_WRITE
    values: PartnerValues

    async def handle(self, uow: UnitOfWork) -> Partner:
        return await services.update_partner(uow, self.company_id, self.id, self.values)
