"""Inventory's reactions: a warehouse for every new company, deliveries for sales orders."""

from __future__ import annotations

from domain.core.events import CompanyCreated, subscribe
from domain.core.uow import UnitOfWork
from domain.inventory import services, warehouses
from domain.sales.events import SaleOrderCancelled, SaleOrderConfirmed

#: Name and code of the warehouse every company starts with.
DEFAULT_WAREHOUSE = ("Main Warehouse", "WH")


@subscribe(CompanyCreated)
async def create_default_warehouse(event: CompanyCreated, uow: UnitOfWork) -> None:
    name, code = DEFAULT_WAREHOUSE
    await warehouses.create_warehouse(uow, event.company_id, name=name, code=code)


@subscribe(SaleOrderConfirmed)
async def deliver_confirmed_order(event: SaleOrderConfirmed, uow: UnitOfWork) -> None:
    """The order's goods get a delivery, reserved from stock as far as it goes."""
    await services.create_delivery(
        uow,
        event.company_id,
        sale_order_id=event.order_id,
        origin=event.name,
        partner_id=event.partner_shipping_id,
        scheduled_date=event.confirmed_at,
        lines=[
            services.DeliveryLine(
                sale_line_id=line.sale_line_id,
                product_id=line.product_id,
                quantity=line.quantity,
                uom_id=line.uom_id,
                name=line.name,
            )
            for line in event.lines
        ],
    )


@subscribe(SaleOrderCancelled)
async def cancel_order_deliveries(event: SaleOrderCancelled, uow: UnitOfWork) -> None:
    """The order's open deliveries are cancelled and their reservations released."""
    await services.cancel_order_pickings(uow, event.company_id, event.order_id)
