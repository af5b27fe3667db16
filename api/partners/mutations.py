"""Partner mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.context import Info
from api.ids import decode_id
from api.partners.inputs import PartnerInput
from api.partners.types import Partner, PartnerError
from api.payloads import Payload, run
from domain.partners import commands as c


@strawberry.type(description="The partner created or changed, or why not.")
class PartnerPayload(Payload, error=PartnerError):
    partner: Partner | None = strawberry.field(default=None, description="The partner.")


@strawberry.type
class PartnerMutation:
    @strawberry.mutation(
        description="Create a partner: a customer, a vendor, a contact or an address.",
        metadata=dispatches(c.CreatePartner),
    )
    async def partner_create(
        self, info: Info, input: Annotated[PartnerInput, arguments.INPUT]
    ) -> PartnerPayload:
        return await run(
            info,
            PartnerPayload,
            lambda company_id: c.CreatePartner(company_id=company_id, values=input.values()),
        )

    @strawberry.mutation(
        description="Change a partner; fields left out keep their value.",
        metadata=dispatches(c.UpdatePartner),
    )
    async def partner_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[PartnerInput, arguments.INPUT],
    ) -> PartnerPayload:
        return await run(
            info,
            PartnerPayload,
            lambda company_id: c.UpdatePartner(
                company_id=company_id, id=decode_id(id, "Partner", "id"), values=input.values()
            ),
        )
