"""Purchasing's use cases and the permissions they and purchasing's reads need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from domain.accounting.models import JournalEntry
from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork
from domain.purchasing import billing, replenishment, services
from domain.purchasing.billing import BillLine
from domain.purchasing.models import PurchaseOrder, ReorderRule, VendorPrice
from domain.purchasing.replenishment import ReplenishmentReport, RuleValues
from domain.purchasing.services import LineValues, OrderValues, VendorPriceValues

PURCHASING_READ = Permission(
    "purchasing.read", "Read vendor prices, requests for quotation and purchase orders."
)
PURCHASING_WRITE = Permission(
    "purchasing.write", "Create, change, send and cancel requests for quotation; vendor prices."
)
PURCHASING_CONFIRM = Permission(
    "purchasing.confirm", "Confirm requests for quotation into purchase orders; lock them."
)
PURCHASING_BILL = Permission(
    "purchasing.bill", "Bill purchase orders, and override the three-way match with a reason."
)
PURCHASING_REPLENISH = Permission(
    "purchasing.replenish", "Keep reorder rules and run the replenishment scan."
)


@dataclass(frozen=True, kw_only=True)
class CreateVendorPrice(Command[VendorPrice]):
    permission: ClassVar[Permission | None] = PURCHASING_WRITE
    values: VendorPriceValues

    async def handle(self, uow: UnitOfWork) -> VendorPrice:
        return await services.create_vendor_price(uow, self.company_id, self.values)


@dataclass(frozen=True, kw_only=True)
class UpdateVendorPrice(Step[VendorPrice]):
    permission: ClassVar[Permission | None] = PURCHASING_WRITE
    values: VendorPriceValues

    async def handle(self, uow: UnitOfWork) -> VendorPrice:
        return await services.update_vendor_price(uow, self.company_id, self.id, self.values)


@dataclass(frozen=True, kw_only=True)
class DeleteVendorPrice(Step[VendorPrice]):
    permission: ClassVar[Permission | None] = PURCHASING_WRITE

    async def handle(self, uow: UnitOfWork) -> VendorPrice:
        return await services.delete_vendor_price(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CreatePurchaseOrder(Command[PurchaseOrder]):
    """A draft request for quotation with its lines."""

    permission: ClassVar[Permission | None] = PURCHASING_WRITE
    values: OrderValues
    lines: tuple[LineValues, ...] = ()
    currency: str | None = None

    async def handle(self, uow: UnitOfWork) -> PurchaseOrder:
        return await services.create_purchase_order(
            uow, self.company_id, self.values, self.lines, currency=self.currency
        )


@dataclass(frozen=True, kw_only=True)
class AddPurchaseOrderLines(Step[PurchaseOrder]):
    permission: ClassVar[Permission | None] = PURCHASING_WRITE
    lines: tuple[LineValues, ...]

    async def handle(self, uow: UnitOfWork) -> PurchaseOrder:
        return await services.add_lines(uow, self.company_id, self.id, self.lines)


@dataclass(frozen=True, kw_only=True)
class SendPurchaseOrder(Step[PurchaseOrder]):
    permission: ClassVar[Permission | None] = PURCHASING_WRITE

    async def handle(self, uow: UnitOfWork) -> PurchaseOrder:
        return await services.send_purchase_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ConfirmPurchaseOrder(Step[PurchaseOrder]):
    permission: ClassVar[Permission | None] = PURCHASING_CONFIRM

    async def handle(self, uow: UnitOfWork) -> PurchaseOrder:
        return await services.confirm_purchase_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CancelPurchaseOrder(Step[PurchaseOrder]):
    permission: ClassVar[Permission | None] = PURCHASING_WRITE

    async def handle(self, uow: UnitOfWork) -> PurchaseOrder:
        return await services.cancel_purchase_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class LockPurchaseOrder(Step[PurchaseOrder]):
    permission: ClassVar[Permission | None] = PURCHASING_CONFIRM

    async def handle(self, uow: UnitOfWork) -> PurchaseOrder:
        return await services.lock_purchase_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ResetPurchaseOrderToDraft(Step[PurchaseOrder]):
    permission: ClassVar[Permission | None] = PURCHASING_WRITE

    async def handle(self, uow: UnitOfWork) -> PurchaseOrder:
        return await services.reset_to_draft(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class BillPurchaseOrders(Command[JournalEntry]):
    """A draft vendor bill for the orders; `override_reason` lets through lines the
    three-way match refuses, and stays in the audit record."""

    permission: ClassVar[Permission | None] = PURCHASING_BILL
    order_ids: tuple[int, ...]
    date: dt.date | None = None
    lines: tuple[BillLine, ...] = ()
    override_reason: str | None = None
    vendor_ref: str | None = None

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await billing.bill_purchase_orders(
            uow,
            self.company_id,
            self.order_ids,
            date=self.date,
            lines=self.lines,
            override_reason=self.override_reason,
            vendor_ref=self.vendor_ref,
        )


@dataclass(frozen=True, kw_only=True)
class CreateReorderRule(Command[ReorderRule]):
    permission: ClassVar[Permission | None] = PURCHASING_REPLENISH
    values: RuleValues

    async def handle(self, uow: UnitOfWork) -> ReorderRule:
        return await replenishment.create_rule(uow, self.company_id, self.values)


@dataclass(frozen=True, kw_only=True)
class UpdateReorderRule(Step[ReorderRule]):
    permission: ClassVar[Permission | None] = PURCHASING_REPLENISH
    values: RuleValues

    async def handle(self, uow: UnitOfWork) -> ReorderRule:
        return await replenishment.update_rule(uow, self.company_id, self.id, self.values)


@dataclass(frozen=True, kw_only=True)
class DeleteReorderRule(Step[ReorderRule]):
    permission: ClassVar[Permission | None] = PURCHASING_REPLENISH

    async def handle(self, uow: UnitOfWork) -> ReorderRule:
        return await replenishment.delete_rule(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class Replenish(Command[ReplenishmentReport]):
    """Scan the reorder rules (of `product_ids` only, when given) and order what is missing."""

    permission: ClassVar[Permission | None] = PURCHASING_REPLENISH
    product_ids: tuple[int, ...] | None = None

    async def handle(self, uow: UnitOfWork) -> ReplenishmentReport:
        return await replenishment.replenish(uow, self.company_id, product_ids=self.product_ids)
