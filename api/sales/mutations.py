"""Sales mutations: each parses its input, calls one service and maps the result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, ClassVar

import strawberry

from api import arguments
from api.context import Info
from api.ids import decode_id
from api.payloads import mutate
from api.sales.inputs import (
    SaleOrderCreateInput,
    SaleOrderInput,
    SaleOrderLineInput,
    SaleOrderLineUpdateInput,
)
from api.sales.types import SaleOrder, SalesError
from domain.core.uow import UnitOfWork
from domain.sales import services
from domain.sales.models import SaleOrder as SaleOrderModel


@strawberry.type(description="The quotation or order after the change, or why nothing changed.")
class SaleOrderPayload:
    result_field: ClassVar[str] = "sale_order"
    error_type: ClassVar[type[SalesError]] = SalesError
    sale_order: SaleOrder | None = strawberry.field(default=None, description="The order.")
    errors: list[SalesError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


OrderStep = Callable[[UnitOfWork, int, int], Awaitable[SaleOrderModel]]


async def _step(
    info: Info, id: Annotated[strawberry.ID, arguments.ID], step: OrderStep
) -> SaleOrderPayload:
    """A workflow step taking nothing but the order."""
    return await mutate(
        info,
        SaleOrderPayload,
        lambda uow, company_id: step(uow, company_id, decode_id(id, "SaleOrder", "id")),
    )


@strawberry.type
class SalesMutation:
    @strawberry.mutation(description="Create a draft quotation, numbered S00001, S00002, ...")
    async def sale_order_create(
        self, info: Info, input: Annotated[SaleOrderCreateInput, arguments.INPUT]
    ) -> SaleOrderPayload:
        return await mutate(
            info,
            SaleOrderPayload,
            lambda uow, company_id: services.create_sale_order(
                uow,
                company_id,
                input.values(),
                [line.values() for line in input.lines],
                currency=input.currency,
            ),
        )

    @strawberry.mutation(description="Change a quotation's header (draft or sent only).")
    async def sale_order_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[SaleOrderInput, arguments.INPUT],
    ) -> SaleOrderPayload:
        return await mutate(
            info,
            SaleOrderPayload,
            lambda uow, company_id: services.update_sale_order(
                uow, company_id, decode_id(id, "SaleOrder", "id"), input.values()
            ),
        )

    @strawberry.mutation(description="Add lines to a quotation (draft or sent only).")
    async def sale_order_lines_add(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        lines: Annotated[list[SaleOrderLineInput], arguments.LINES],
    ) -> SaleOrderPayload:
        return await mutate(
            info,
            SaleOrderPayload,
            lambda uow, company_id: services.add_lines(
                uow, company_id, decode_id(id, "SaleOrder", "id"), [line.values() for line in lines]
            ),
        )

    @strawberry.mutation(description="Change a quotation line; fields left out keep their value.")
    async def sale_order_line_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[SaleOrderLineUpdateInput, arguments.INPUT],
    ) -> SaleOrderPayload:
        return await mutate(
            info,
            SaleOrderPayload,
            lambda uow, company_id: services.update_line(
                uow, company_id, decode_id(id, "SaleOrderLine", "id"), input.values()
            ),
        )

    @strawberry.mutation(description="Remove a line from a quotation.")
    async def sale_order_line_delete(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await mutate(
            info,
            SaleOrderPayload,
            lambda uow, company_id: services.delete_line(
                uow, company_id, decode_id(id, "SaleOrderLine", "id")
            ),
        )

    @strawberry.mutation(description="Mark a draft quotation as sent to the customer.")
    async def sale_order_send(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await _step(info, id, services.send_quotation)

    @strawberry.mutation(
        description="Confirm a quotation into a sales order; delivery and invoicing follow."
    )
    async def sale_order_confirm(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await _step(info, id, services.confirm_sale_order)

    @strawberry.mutation(
        description="Cancel a quotation or an order; its reservations are released."
    )
    async def sale_order_cancel(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await _step(info, id, services.cancel_sale_order)

    @strawberry.mutation(description="Lock a confirmed order (state done) against changes.")
    async def sale_order_lock(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await _step(info, id, services.lock_sale_order)

    @strawberry.mutation(description="Unlock a locked order back to state sale.")
    async def sale_order_unlock(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await _step(info, id, services.unlock_sale_order)

    @strawberry.mutation(description="Revive a cancelled quotation or order as a draft.")
    async def sale_order_draft(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await _step(info, id, services.reset_to_draft)
