"""Purchasing mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.context import Info
from api.ids import decode_id, decode_ids
from api.payloads import Payload, run, step
from api.purchasing.inputs import (
    BillFromPurchaseOrdersInput,
    PurchaseOrderCreateInput,
    PurchaseOrderLineInput,
    ReorderRuleInput,
    ReorderRuleUpdateInput,
    ReplenishmentRunInput,
    VendorPriceInput,
    VendorPriceUpdateInput,
)
from api.purchasing.types import (
    PurchaseOrder,
    PurchasingError,
    ReorderRule,
    ReplenishmentReport,
    VendorPrice,
)
from domain.purchasing import commands as c

if TYPE_CHECKING:
    from api.accounting.types import Invoice


@strawberry.type(description="The vendor price after the change, or why nothing changed.")
class VendorPricePayload(Payload, error=PurchasingError):
    vendor_price: VendorPrice | None = strawberry.field(
        default=None, description="The vendor price (as it was, when deleted)."
    )


@strawberry.type(description="The request or order after the change, or why nothing changed.")
class PurchaseOrderPayload(Payload, error=PurchasingError):
    purchase_order: PurchaseOrder | None = strawberry.field(default=None, description="The order.")


@strawberry.type(description="The draft vendor bill, or why nothing was billed.")
class PurchaseBillPayload(Payload, error=PurchasingError):
    bill: Annotated[Invoice, strawberry.lazy("api.accounting.types")] | None = strawberry.field(
        default=None, description="The draft bill."
    )


@strawberry.type(description="The reorder rule after the change, or why nothing changed.")
class ReorderRulePayload(Payload, error=PurchasingError):
    reorder_rule: ReorderRule | None = strawberry.field(
        default=None, description="The rule (as it was, when deleted)."
    )


@strawberry.type(description="What the scan did, or why it did nothing.")
class ReplenishmentPayload(Payload, error=PurchasingError):
    report: ReplenishmentReport | None = strawberry.field(
        default=None, description="What the scan did."
    )


@strawberry.type
class PurchasingMutation:
    @strawberry.mutation(
        description="Record a vendor's price of a product.",
        metadata=dispatches(c.CreateVendorPrice),
    )
    async def vendor_price_create(
        self, info: Info, input: Annotated[VendorPriceInput, arguments.INPUT]
    ) -> VendorPricePayload:
        return await run(
            info,
            VendorPricePayload,
            lambda company_id: c.CreateVendorPrice(company_id=company_id, values=input.values()),
        )

    @strawberry.mutation(
        description="Change a vendor price; fields left out keep their value.",
        metadata=dispatches(c.UpdateVendorPrice),
    )
    async def vendor_price_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[VendorPriceUpdateInput, arguments.INPUT],
    ) -> VendorPricePayload:
        return await run(
            info,
            VendorPricePayload,
            lambda company_id: c.UpdateVendorPrice(
                company_id=company_id,
                id=decode_id(id, "VendorPrice", "id"),
                values=input.values(),
            ),
        )

    @strawberry.mutation(
        description="Remove a vendor price.", metadata=dispatches(c.DeleteVendorPrice)
    )
    async def vendor_price_delete(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> VendorPricePayload:
        return await step(info, VendorPricePayload, c.DeleteVendorPrice, id, "VendorPrice")

    @strawberry.mutation(
        description="Create a draft request for quotation, numbered P00001, P00002, ...",
        metadata=dispatches(c.CreatePurchaseOrder),
    )
    async def purchase_order_create(
        self, info: Info, input: Annotated[PurchaseOrderCreateInput, arguments.INPUT]
    ) -> PurchaseOrderPayload:
        return await run(
            info,
            PurchaseOrderPayload,
            lambda company_id: c.CreatePurchaseOrder(
                company_id=company_id,
                values=input.values(),
                lines=tuple(line.values() for line in input.lines),
                currency=input.currency,
            ),
        )

    @strawberry.mutation(
        description="Add lines to a request for quotation (draft or sent only).",
        metadata=dispatches(c.AddPurchaseOrderLines),
    )
    async def purchase_order_lines_add(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        lines: Annotated[list[PurchaseOrderLineInput], arguments.LINES],
    ) -> PurchaseOrderPayload:
        return await run(
            info,
            PurchaseOrderPayload,
            lambda company_id: c.AddPurchaseOrderLines(
                company_id=company_id,
                id=decode_id(id, "PurchaseOrder", "id"),
                lines=tuple(line.values() for line in lines),
            ),
        )

    @strawberry.mutation(
        description="Mark a draft request for quotation as sent to the vendor.",
        metadata=dispatches(c.SendPurchaseOrder),
    )
    async def purchase_order_send(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> PurchaseOrderPayload:
        return await step(info, PurchaseOrderPayload, c.SendPurchaseOrder, id, "PurchaseOrder")

    @strawberry.mutation(
        description="Confirm a request into a purchase order; its receipt is created.",
        metadata=dispatches(c.ConfirmPurchaseOrder),
    )
    async def purchase_order_confirm(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> PurchaseOrderPayload:
        return await step(info, PurchaseOrderPayload, c.ConfirmPurchaseOrder, id, "PurchaseOrder")

    @strawberry.mutation(
        description="Cancel a request, or an order nothing of which was received or billed.",
        metadata=dispatches(c.CancelPurchaseOrder),
    )
    async def purchase_order_cancel(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> PurchaseOrderPayload:
        return await step(info, PurchaseOrderPayload, c.CancelPurchaseOrder, id, "PurchaseOrder")

    @strawberry.mutation(
        description="Lock a confirmed order (state done) against changes.",
        metadata=dispatches(c.LockPurchaseOrder),
    )
    async def purchase_order_lock(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> PurchaseOrderPayload:
        return await step(info, PurchaseOrderPayload, c.LockPurchaseOrder, id, "PurchaseOrder")

    @strawberry.mutation(
        description="Revive a cancelled request or order as a draft.",
        metadata=dispatches(c.ResetPurchaseOrderToDraft),
    )
    async def purchase_order_draft(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> PurchaseOrderPayload:
        return await step(
            info, PurchaseOrderPayload, c.ResetPurchaseOrderToDraft, id, "PurchaseOrder"
        )

    @strawberry.mutation(
        description="A draft vendor bill for confirmed orders, matched three ways: a line "
        "beyond what is left to bill or at a price off the ordered one is refused unless "
        "`overrideReason` says why.",
        metadata=dispatches(c.BillPurchaseOrders),
    )
    async def bill_create_from_purchase_orders(
        self, info: Info, input: Annotated[BillFromPurchaseOrdersInput, arguments.INPUT]
    ) -> PurchaseBillPayload:
        return await run(
            info,
            PurchaseBillPayload,
            lambda company_id: c.BillPurchaseOrders(
                company_id=company_id,
                order_ids=tuple(decode_ids(input.order_ids, "PurchaseOrder", "order_ids")),
                date=input.date,
                lines=tuple(line.value() for line in input.lines or ()),
                override_reason=input.override_reason,
                vendor_ref=input.vendor_ref,
            ),
        )

    @strawberry.mutation(
        description="Keep a product's forecast in a warehouse between a minimum and a maximum.",
        metadata=dispatches(c.CreateReorderRule),
    )
    async def reorder_rule_create(
        self, info: Info, input: Annotated[ReorderRuleInput, arguments.INPUT]
    ) -> ReorderRulePayload:
        return await run(
            info,
            ReorderRulePayload,
            lambda company_id: c.CreateReorderRule(company_id=company_id, values=input.values()),
        )

    @strawberry.mutation(
        description="Change a reorder rule; fields left out keep their value.",
        metadata=dispatches(c.UpdateReorderRule),
    )
    async def reorder_rule_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[ReorderRuleUpdateInput, arguments.INPUT],
    ) -> ReorderRulePayload:
        return await run(
            info,
            ReorderRulePayload,
            lambda company_id: c.UpdateReorderRule(
                company_id=company_id, id=decode_id(id, "ReorderRule", "id"), values=input.values()
            ),
        )

    @strawberry.mutation(
        description="Remove a reorder rule.", metadata=dispatches(c.DeleteReorderRule)
    )
    async def reorder_rule_delete(
        self, info: Info, id: Annotated[strawberry.ID, arguments.ID]
    ) -> ReorderRulePayload:
        return await step(info, ReorderRulePayload, c.DeleteReorderRule, id, "ReorderRule")

    @strawberry.mutation(
        description="Run the replenishment scan now: what is under its minimum is ordered (draft "
        "requests for quotation, internal transfers); a second run right after orders nothing.",
        metadata=dispatches(c.Replenish),
    )
    async def replenishment_run(
        self, info: Info, input: Annotated[ReplenishmentRunInput, arguments.INPUT]
    ) -> ReplenishmentPayload:
        return await run(
            info,
            ReplenishmentPayload,
            lambda company_id: c.Replenish(
                company_id=company_id,
                product_ids=tuple(decode_ids(input.product_ids, "Product", "product_ids"))
                if input.product_ids is not None
                else None,
            ),
            present=lambda report: ReplenishmentReport(report=report),
        )
