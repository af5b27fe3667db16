"""Partner mutations: each parses its input, calls one service and maps the result."""

from __future__ import annotations

from typing import Annotated, ClassVar

import strawberry

from api import arguments
from api.context import Info
from api.ids import decode_id
from api.partners.inputs import PartnerInput
from api.partners.types import Partner, PartnerError
from api.payloads import mutate
from domain.partners import services


@strawberry.type(description="The partner created or changed, or why not.")
class PartnerPayload:
    result_field: ClassVar[str] = "partner"
    error_type: ClassVar[type[PartnerError]] = PartnerError
    partner: Partner | None = strawberry.field(default=None, description="The partner.")
    errors: list[PartnerError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type
class PartnerMutation:
    @strawberry.mutation(
        description="Create a partner: a customer, a vendor, a contact or an address."
    )
    async def partner_create(
        self, info: Info, input: Annotated[PartnerInput, arguments.INPUT]
    ) -> PartnerPayload:
        return await mutate(
            info,
            PartnerPayload,
            lambda uow, company_id: services.create_partner(uow, company_id, input.values()),
        )

    @strawberry.mutation(description="Change a partner; fields left out keep their value.")
    async def partner_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[PartnerInput, arguments.INPUT],
    ) -> PartnerPayload:
        return await mutate(
            info,
            PartnerPayload,
            lambda uow, company_id: services.update_partner(
                uow, company_id, decode_id(id, "Partner", "id"), input.values()
            ),
        )
