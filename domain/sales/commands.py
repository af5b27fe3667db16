"""Sales' use cases and the permissions they and sales' reads need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from domain.accounting.commands import ACCOUNTING_WRITE
from domain.accounting.models import JournalEntry
from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork
from domain.sales import invoicing, services
from domain.sales.models import SaleOrder
from domain.sales.services import LineValues, OrderValues

SALES_READ = Permission("sales.read", "Read quotations and sales orders.")
SALES_WRITE = Permission("sales.write", "Create, change, send and cancel quotations.")
SALES_CONFIRM = Permission("sales.confirm", "Confirm quotations into orders; lock, unlock.")


@dataclass(frozen=True, kw_only=True)
class CreateSaleOrder(Command[SaleOrder]):
    """A draft quotation with its lines."""

    permission: ClassVar[Permission | None] = SALES_WRITE
    values: OrderValues
    lines: tuple[LineValues, ...] = ()
    currency: str | None = None

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.create_sale_order(
            uow, self.company_id, self.values, self.lines, currency=self.currency
        )


@dataclass(frozen=True, kw_only=True)
class UpdateSaleOrder(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_WRITE
    values: OrderValues

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.update_sale_order(uow, self.company_id, self.id, self.values)


@dataclass(frozen=True, kw_only=True)
class AddSaleOrderLines(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_WRITE
    lines: tuple[LineValues, ...]

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.add_lines(uow, self.company_id, self.id, self.lines)


@dataclass(frozen=True, kw_only=True)
class UpdateSaleOrderLine(Step[SaleOrder]):
    """Change a line, named by `id`."""

    permission: ClassVar[Permission | None] = SALES_WRITE
    values: LineValues

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.update_line(uow, self.company_id, self.id, self.values)


@dataclass(frozen=True, kw_only=True)
class DeleteSaleOrderLine(Step[SaleOrder]):
    """Remove a line, named by `id`."""

    permission: ClassVar[Permission | None] = SALES_WRITE

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.delete_line(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class SendQuotation(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_WRITE

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.send_quotation(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ConfirmSaleOrder(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_CONFIRM

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.confirm_sale_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CancelSaleOrder(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_WRITE

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.cancel_sale_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class LockSaleOrder(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_CONFIRM

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.lock_sale_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class UnlockSaleOrder(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_CONFIRM

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.unlock_sale_order(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ResetSaleOrderToDraft(Step[SaleOrder]):
    permission: ClassVar[Permission | None] = SALES_WRITE

    async def handle(self, uow: UnitOfWork) -> SaleOrder:
        return await services.reset_to_draft(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class InvoiceSaleOrders(Command[JournalEntry]):
    """One draft invoice of what confirmed orders have to invoice; nothing is billed twice.
    Drafting an invoice needs accounting's permission."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE
    order_ids: tuple[int, ...]
    date: dt.date | None = None

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await invoicing.invoice_orders(uow, self.company_id, self.order_ids, date=self.date)
