"""Sales mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.context import Info
from api.ids import decode_id
from api.payloads import Payload, run, step
from api.sales.inputs import (
    SaleOrderCreateInput,
    SaleOrderInput,
    SaleOrderLineInput,
    SaleOrderLineUpdateInput,
)
from api.sales.types import SaleOrder, SalesError
from domain.sales import commands as c


@strawberry.type(description="The quotation or order after the change, or why nothing changed.")
class SaleOrderPayload(Payload, error=SalesError):
    sale_order: SaleOrder | None = strawberry.field(default=None, description="The order.")


@strawberry.type
class SalesMutation:
    @strawberry.mutation(
        description="Create a draft quotation, numbered S00001, S00002, ...",
        metadata=dispatches(c.CreateSaleOrder),
    )
    async def sale_order_create(
        self, info: Info, input: Annotated[SaleOrderCreateInput, arguments.INPUT]
    ) -> SaleOrderPayload:
        return await run(
            info,
            SaleOrderPayload,
            lambda company_id: c.CreateSaleOrder(
                company_id=company_id,
                values=input.values(),
                lines=tuple(line.values() for line in input.lines),
                currency=input.currency,
            ),
        )

    @strawberry.mutation(
        description="Change a quotation's header (draft or sent only).",
        metadata=dispatches(c.UpdateSaleOrder),
    )
    async def sale_order_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[SaleOrderInput, arguments.INPUT],
    ) -> SaleOrderPayload:
        return await run(
            info,
            SaleOrderPayload,
            lambda company_id: c.UpdateSaleOrder(
                company_id=company_id, id=decode_id(id, "SaleOrder", "id"), values=input.values()
            ),
        )

    @strawberry.mutation(
        description="Add lines to a quotation (draft or sent only).",
        metadata=dispatches(c.AddSaleOrderLines),
    )
    async def sale_order_lines_add(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        lines: Annotated[list[SaleOrderLineInput], arguments.LINES],
    ) -> SaleOrderPayload:
        return await run(
            info,
            SaleOrderPayload,
            lambda company_id: c.AddSaleOrderLines(
                company_id=company_id,
                id=decode_id(id, "SaleOrder", "id"),
                lines=tuple(line.values() for line in lines),
            ),
        )

    @strawberry.mutation(
        description="Change a quotation line; fields left out keep their value.",
        metadata=dispatches(c.UpdateSaleOrderLine),
    )
    async def sale_order_line_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[SaleOrderLineUpdateInput, arguments.INPUT],
    ) -> SaleOrderPayload:
        return await run(
            info,
            SaleOrderPayload,
            lambda company_id: c.UpdateSaleOrderLine(
                company_id=company_id,
                id=decode_id(id, "SaleOrderLine", "id"),
                values=input.values(),
            ),
        )

    @strawberry.mutation(
        description="Remove a line from a quotation.", metadata=dispatches(c.DeleteSaleOrderLine)
    )
    async def sale_order_line_delete(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await step(info, SaleOrderPayload, c.DeleteSaleOrderLine, id, "SaleOrderLine")

    @strawberry.mutation(
        description="Mark a draft quotation as sent to the customer.",
        metadata=dispatches(c.SendQuotation),
    )
    async def sale_order_send(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await step(info, SaleOrderPayload, c.SendQuotation, id, "SaleOrder")

    @strawberry.mutation(
        description="Confirm a quotation into a sales order; delivery and invoicing follow.",
        metadata=dispatches(c.ConfirmSaleOrder),
    )
    async def sale_order_confirm(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await step(info, SaleOrderPayload, c.ConfirmSaleOrder, id, "SaleOrder")

    @strawberry.mutation(
        description="Cancel a quotation or an order; its reservations are released.",
        metadata=dispatches(c.CancelSaleOrder),
    )
    async def sale_order_cancel(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await step(info, SaleOrderPayload, c.CancelSaleOrder, id, "SaleOrder")

    @strawberry.mutation(
        description="Lock a confirmed order (state done) against changes.",
        metadata=dispatches(c.LockSaleOrder),
    )
    async def sale_order_lock(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await step(info, SaleOrderPayload, c.LockSaleOrder, id, "SaleOrder")

    @strawberry.mutation(
        description="Unlock a locked order back to state sale.",
        metadata=dispatches(c.UnlockSaleOrder),
    )
    async def sale_order_unlock(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await step(info, SaleOrderPayload, c.UnlockSaleOrder, id, "SaleOrder")

    @strawberry.mutation(
        description="Revive a cancelled quotation or order as a draft.",
        metadata=dispatches(c.ResetSaleOrderToDraft),
    )
    async def sale_order_draft(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> SaleOrderPayload:
        return await step(info, SaleOrderPayload, c.ResetSaleOrderToDraft, id, "SaleOrder")
