"""Reorder rules and the replenishment scan.

A rule keeps a product's forecast in a warehouse between a minimum and a maximum: forecast =
on hand + incoming − outgoing within the lead window (the default vendor's lead time plus
the rule's security days), where incoming counts open moves into the warehouse and the
quantities of requests for quotation not confirmed yet (so a second scan right after the
first orders nothing). Under the minimum the scan orders up to the maximum, rounded up to the
rule's multiple in the purchase unit:

- buy: a line to the product's cheapest vendor for that quantity; lines for the same vendor
  and warehouse go on one draft request for quotation, the oldest draft one for that vendor
  and warehouse when there is one;
- transfer: an internal transfer from the source warehouse, of what it has to spare;
- manufacture: skipped, with the reason recorded on the rule, until manufacturing exists.

The forecasts of every rule come from a few grouped statements driven by the rule table (no
statement per product): the rules, the vendor prices, the stock on hand, the open moves by
day, and the open requests. Scans of one company queue behind each other on a lock of the
company's row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any, TypedDict

from sqlalchemy import and_, case, func, not_, or_, select, type_coerce, update
from sqlalchemy.orm import aliased

from domain.catalog.models import Product
from domain.core.db import utcnow
from domain.core.models import QUANTITY, Company, Uom
from domain.core.records import get_owned
from domain.core.services import currency_rate
from domain.core.uow import UnitOfWork
from domain.inventory import services as inventory
from domain.inventory.availability import PENDING
from domain.inventory.models import Location, LocationUsage, Move, Quant, Warehouse
from domain.purchasing import services
from domain.purchasing.errors import PurchasingError, PurchasingErrorCode
from domain.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderState,
    ReorderRule,
    ReplenishmentRoute,
    VendorPrice,
)

ZERO = Decimal(0)
R = ReplenishmentRoute
NO_MANUFACTURING = "Manufacturing is not available yet."
NO_VENDOR = "No vendor price is valid today for this quantity."
NO_SOURCE = "The rule names no warehouse to transfer from."
NOTHING_TO_SPARE = "The source warehouse has no stock to spare."


class RuleValues(TypedDict, total=False):
    """A reorder rule as the caller gives it."""

    product_id: int
    warehouse_id: int
    route: ReplenishmentRoute
    source_warehouse_id: int | None
    min_quantity: Decimal
    max_quantity: Decimal
    multiple: Decimal
    security_days: int
    active: bool


async def create_rule(uow: UnitOfWork, company_id: int, values: RuleValues) -> ReorderRule:
    for key in ("product_id", "warehouse_id", "min_quantity", "max_quantity"):
        if values.get(key) is None:
            raise PurchasingError(
                PurchasingErrorCode.REQUIRED, "A reorder rule needs this.", field=[key]
            )
    rule = ReorderRule(company_id=company_id, route=R.BUY, multiple=Decimal(1), security_days=0)
    await _apply_rule(uow, rule, values)
    if await uow.session.scalar(
        select(ReorderRule.id).where(
            ReorderRule.company_id == company_id,
            ReorderRule.product_id == rule.product_id,
            ReorderRule.warehouse_id == rule.warehouse_id,
        )
    ):
        raise PurchasingError(
            PurchasingErrorCode.UNIQUE,
            "The product has a rule in this warehouse already.",
            field=["product_id"],
        )
    uow.session.add(rule)
    await uow.session.flush()
    return rule


async def update_rule(
    uow: UnitOfWork, company_id: int, rule_id: int, values: RuleValues
) -> ReorderRule:
    rule = await _get_rule(uow, company_id, rule_id)
    await _apply_rule(uow, rule, values)
    await uow.session.flush()
    return rule


async def delete_rule(uow: UnitOfWork, company_id: int, rule_id: int) -> ReorderRule:
    rule = await _get_rule(uow, company_id, rule_id)
    await uow.session.delete(rule)
    await uow.session.flush()
    return rule


async def _get_rule(uow: UnitOfWork, company_id: int, rule_id: int) -> ReorderRule:
    rule = await get_owned(uow.session, ReorderRule, rule_id, company_id, lock=True)
    if rule is None:
        raise PurchasingError(PurchasingErrorCode.NOT_FOUND, "No such reorder rule.", field=["id"])
    return rule


async def _apply_rule(uow: UnitOfWork, rule: ReorderRule, values: RuleValues) -> None:
    company_id = rule.company_id
    if values.get("product_id") is not None:
        if await get_owned(uow.session, Product, values["product_id"], company_id) is None:
            raise PurchasingError(
                PurchasingErrorCode.NOT_FOUND, "No such product.", field=["product_id"]
            )
        rule.product_id = values["product_id"]
    for key in ("warehouse_id", "source_warehouse_id"):
        warehouse_id = values.get(key)
        if warehouse_id is not None:
            if await get_owned(uow.session, Warehouse, warehouse_id, company_id) is None:  # type: ignore[arg-type]
                raise PurchasingError(
                    PurchasingErrorCode.NOT_FOUND, "No such warehouse.", field=[key]
                )
            setattr(rule, key, warehouse_id)
    for key in ("route", "active", "min_quantity", "max_quantity", "multiple", "security_days"):
        if values.get(key) is not None:
            setattr(rule, key, values[key])  # type: ignore[literal-required]
    if rule.min_quantity < 0 or rule.security_days < 0:
        raise PurchasingError(
            PurchasingErrorCode.INVALID, "This cannot be negative.", field=["min_quantity"]
        )
    if rule.max_quantity < rule.min_quantity:
        raise PurchasingError(
            PurchasingErrorCode.INVALID,
            "The maximum cannot be below the minimum.",
            field=["max_quantity"],
        )
    if rule.multiple <= 0:
        raise PurchasingError(
            PurchasingErrorCode.INVALID, "The multiple must be positive.", field=["multiple"]
        )
    if rule.route is R.TRANSFER and rule.source_warehouse_id in (None, rule.warehouse_id):
        raise PurchasingError(
            PurchasingErrorCode.INVALID,
            "A transfer comes from another warehouse.",
            field=["source_warehouse_id"],
        )


# The scan ---------------------------------------------------------------------------------


@dataclass
class ReplenishmentReport:
    """What one scan did."""

    rules: int = 0
    orders_created: list[int] = field(default_factory=list)
    orders_extended: list[int] = field(default_factory=list)
    lines_added: int = 0
    transfers: list[int] = field(default_factory=list)
    #: (rule ID, reason) of the rules under their minimum the scan did nothing for.
    skipped: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Rule:
    id: int
    product_id: int
    warehouse_id: int
    route: ReplenishmentRoute
    source_warehouse_id: int | None
    min_quantity: Decimal
    max_quantity: Decimal
    multiple: Decimal
    security_days: int
    uom_id: int
    purchase_uom_id: int


async def replenish(
    uow: UnitOfWork,
    company_id: int,
    *,
    product_ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
) -> ReplenishmentReport:
    """Scan the company's active rules (those of `product_ids` only, when given) and order
    what is missing."""
    now = now or utcnow()
    today = now.date()
    await uow.session.execute(
        select(Company.id).where(Company.id == company_id).with_for_update(key_share=True)
    )
    scope = and_(ReorderRule.company_id == company_id, ReorderRule.active.is_(True))
    if product_ids is not None:
        scope = and_(scope, ReorderRule.product_id.in_(list(product_ids)))
    rules = [
        _Rule(*row)
        for row in await _rows(
            uow,
            select(
                ReorderRule.id,
                ReorderRule.product_id,
                ReorderRule.warehouse_id,
                ReorderRule.route,
                ReorderRule.source_warehouse_id,
                ReorderRule.min_quantity,
                ReorderRule.max_quantity,
                ReorderRule.multiple,
                ReorderRule.security_days,
                Product.uom_id,
                Product.purchase_uom_id,
            )
            .join(Product, Product.id == ReorderRule.product_id)
            .where(scope)
            .order_by(ReorderRule.id),
        )
    ]
    report = ReplenishmentReport(rules=len(rules))
    if not rules:
        return report
    uoms = {uom.id: uom for uom in await uow.session.scalars(select(Uom))}
    prices = await _vendor_prices(uow, company_id, scope, today)
    windows = {
        rule.id: rule.security_days
        + (
            _choose(
                prices.get(rule.product_id, ()), _in_purchase_unit(rule, rule.max_quantity, uoms)
            )
            or _NO_QUOTE
        ).lead_days
        for rule in rules
    }
    units = {rule.id: rule.uom_id for rule in rules}
    forecast = await _forecasts(uow, company_id, scope, now, windows, units, uoms)
    spare = await _spare(uow, company_id, scope)
    buys: dict[tuple[int, int], list[tuple[_Rule, Decimal, _Quote]]] = defaultdict(list)
    transfers: dict[tuple[int, int], list[tuple[_Rule, Decimal]]] = defaultdict(list)
    for rule in rules:
        level = forecast.get(rule.id, ZERO)
        if level >= rule.min_quantity:
            continue
        missing = rule.max_quantity - level
        if rule.route is R.MANUFACTURE:
            report.skipped.append((rule.id, NO_MANUFACTURING))
        elif rule.route is R.TRANSFER:
            if rule.source_warehouse_id is None:
                report.skipped.append((rule.id, NO_SOURCE))
                continue
            key = (rule.product_id, rule.source_warehouse_id)
            quantity = min(_round_up(missing, rule.multiple), spare.get(key, ZERO))
            if quantity <= 0:
                report.skipped.append((rule.id, NOTHING_TO_SPARE))
                continue
            spare[key] -= quantity
            transfers[(rule.source_warehouse_id, rule.warehouse_id)].append((rule, quantity))
        else:
            quantity = _round_up(_in_purchase_unit(rule, missing, uoms), rule.multiple)
            quote = _choose(prices.get(rule.product_id, ()), quantity)
            if quote is None:
                report.skipped.append((rule.id, NO_VENDOR))
                continue
            buys[(quote.partner_id, rule.warehouse_id)].append((rule, quantity, quote))
    await _order(uow, company_id, now, buys, report)
    await _transfer(uow, company_id, now, transfers, report)
    await _record_skips(uow, company_id, scope, report.skipped)
    return report


async def _rows(uow: UnitOfWork, statement: Any) -> Any:
    """The rows of a statement of plain columns, read without the ORM's per-row work."""
    connection = await uow.session.connection()
    return await connection.execute(statement)


def _in_purchase_unit(rule: _Rule, quantity: Decimal, uoms: dict[int, Uom]) -> Decimal:
    return quantity * uoms[rule.uom_id].ratio / uoms[rule.purchase_uom_id].ratio


def _round_up(quantity: Decimal, multiple: Decimal) -> Decimal:
    """The smallest multiple of `multiple` at least `quantity`."""
    return (quantity / multiple).to_integral_value(rounding=ROUND_CEILING) * multiple


@dataclass(frozen=True)
class _Quote:
    """A vendor price as the scan compares them."""

    partner_id: int
    company_price: Decimal
    lead_days: int
    min_quantity: Decimal
    id: int


_NO_QUOTE = _Quote(0, ZERO, 0, ZERO, 0)


def _choose(quotes: Sequence[_Quote], quantity: Decimal) -> _Quote | None:
    """The cheapest quote whose minimum `quantity` reaches; ties: shortest lead time."""
    fitting = [quote for quote in quotes if quote.min_quantity <= quantity]
    return min(
        fitting, key=lambda quote: (quote.company_price, quote.lead_days, quote.id), default=None
    )


async def _vendor_prices(
    uow: UnitOfWork, company_id: int, scope: Any, today: dt.date
) -> dict[int, list[_Quote]]:
    """The vendor prices valid today of the rules' products, in the company currency."""
    rows = await _rows(
        uow,
        select(
            VendorPrice.product_id,
            VendorPrice.partner_id,
            VendorPrice.price,
            VendorPrice.currency_id,
            VendorPrice.lead_days,
            VendorPrice.min_quantity,
            VendorPrice.id,
        ).where(
            VendorPrice.company_id == company_id,
            VendorPrice.product_id.in_(
                select(ReorderRule.product_id).where(scope, ReorderRule.route == R.BUY)
            ),
            or_(VendorPrice.date_start.is_(None), VendorPrice.date_start <= today),
            or_(VendorPrice.date_end.is_(None), VendorPrice.date_end >= today),
        ),
    )
    rates: dict[int, Decimal | None] = {}
    found: dict[int, list[_Quote]] = defaultdict(list)
    for product_id, partner_id, price, currency_id, lead_days, min_quantity, price_id in rows:
        if currency_id not in rates:
            rates[currency_id] = await currency_rate(uow, company_id, currency_id, today)
        rate = rates[currency_id]
        if rate is not None:
            found[product_id].append(
                _Quote(partner_id, price * rate, lead_days, min_quantity, price_id)
            )
    return found


def _inside(location: Any, view: Any) -> Any:
    """`location` is an internal location of the warehouse whose view is `view`."""
    return and_(
        location.usage == LocationUsage.INTERNAL, location.parent_path.startswith(view.parent_path)
    )


def _sum(column: Any) -> Any:
    return type_coerce(func.coalesce(func.sum(column), 0), QUANTITY)


async def _forecasts(
    uow: UnitOfWork,
    company_id: int,
    scope: Any,
    now: dt.datetime,
    windows: dict[int, int],
    units: dict[int, int],
    uoms: dict[int, Uom],
) -> dict[int, Decimal]:
    """Each rule's forecast in its warehouse, in the product's unit (`units`: each rule's
    product unit)."""
    forecast: dict[int, Decimal] = defaultdict(Decimal)
    view, place = aliased(Location), aliased(Location)
    on_hand = (
        select(ReorderRule.id, _sum(Quant.quantity))
        .join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
        .join(view, view.id == Warehouse.view_location_id)
        .join(Quant, Quant.product_id == ReorderRule.product_id)
        .join(place, place.id == Quant.location_id)
        .where(scope, Quant.company_id == company_id, _inside(place, view))
        .group_by(ReorderRule.id)
    )
    for rule_id, quantity in await _rows(uow, on_hand):
        forecast[rule_id] += quantity
    # Open moves by day up to the longest window; each rule keeps the days of its own.
    source, destination = aliased(Location), aliased(Location)
    inbound = and_(_inside(destination, view), not_(_inside(source, view)))
    outbound = and_(_inside(source, view), not_(_inside(destination, view)))
    day = func.date(Move.date)
    horizon = now + dt.timedelta(days=max(windows.values()) + 1)
    moves = (
        select(
            ReorderRule.id,
            day,
            _sum(case((inbound, Move.product_qty), else_=0)),
            _sum(case((outbound, Move.product_qty), else_=0)),
        )
        .join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
        .join(view, view.id == Warehouse.view_location_id)
        .join(Move, Move.product_id == ReorderRule.product_id)
        .join(source, source.id == Move.location_id)
        .join(destination, destination.id == Move.location_dest_id)
        .where(
            scope,
            Move.company_id == company_id,
            Move.state.in_(PENDING),
            Move.date < horizon,
            or_(inbound, outbound),
        )
        .group_by(ReorderRule.id, day)
    )
    for rule_id, when, incoming, outgoing in await _rows(uow, moves):
        moved_on = when if isinstance(when, dt.date) else dt.date.fromisoformat(str(when))
        if moved_on <= (now + dt.timedelta(days=windows[rule_id])).date():
            forecast[rule_id] += incoming - outgoing
    # Requests for quotation not confirmed yet will come in too.
    requested = (
        select(ReorderRule.id, PurchaseOrderLine.uom_id, _sum(PurchaseOrderLine.quantity))
        .join(PurchaseOrder, PurchaseOrder.warehouse_id == ReorderRule.warehouse_id)
        .join(
            PurchaseOrderLine,
            and_(
                PurchaseOrderLine.order_id == PurchaseOrder.id,
                PurchaseOrderLine.product_id == ReorderRule.product_id,
            ),
        )
        .where(
            scope,
            PurchaseOrder.company_id == company_id,
            PurchaseOrder.state.in_(services.EDITABLE),
        )
        .group_by(ReorderRule.id, PurchaseOrderLine.uom_id)
    )
    for rule_id, uom_id, quantity in await _rows(uow, requested):
        forecast[rule_id] += quantity * uoms[uom_id].ratio / uoms[units[rule_id]].ratio
    return forecast


async def _spare(uow: UnitOfWork, company_id: int, scope: Any) -> dict[tuple[int, int], Decimal]:
    """What the source warehouses of transfer rules have on hand and not reserved, by
    (product, warehouse)."""
    view, place = aliased(Location), aliased(Location)
    rows = await _rows(
        uow,
        select(
            ReorderRule.product_id,
            ReorderRule.source_warehouse_id,
            _sum(Quant.quantity - Quant.reserved_quantity),
        )
        .join(Warehouse, Warehouse.id == ReorderRule.source_warehouse_id)
        .join(view, view.id == Warehouse.view_location_id)
        .join(Quant, Quant.product_id == ReorderRule.product_id)
        .join(place, place.id == Quant.location_id)
        .where(
            scope,
            ReorderRule.route == R.TRANSFER,
            Quant.company_id == company_id,
            _inside(place, view),
        )
        .group_by(ReorderRule.product_id, ReorderRule.source_warehouse_id),
    )
    return {(product_id, warehouse_id): spare for product_id, warehouse_id, spare in rows}


async def _order(
    uow: UnitOfWork,
    company_id: int,
    now: dt.datetime,
    buys: dict[tuple[int, int], list[tuple[_Rule, Decimal, _Quote]]],
    report: ReplenishmentReport,
) -> None:
    """One draft request per vendor and warehouse: the oldest draft one, extended, or a new
    one expected after the longest lead time of its lines."""
    for (partner_id, warehouse_id), wanted in sorted(buys.items()):
        lines: list[services.LineValues] = [
            {"product_id": rule.product_id, "quantity": quantity, "uom_id": rule.purchase_uom_id}
            for rule, quantity, _ in wanted
        ]
        draft = await uow.session.scalar(
            select(PurchaseOrder.id)
            .where(
                PurchaseOrder.company_id == company_id,
                PurchaseOrder.partner_id == partner_id,
                PurchaseOrder.warehouse_id == warehouse_id,
                PurchaseOrder.state == PurchaseOrderState.DRAFT,
            )
            .order_by(PurchaseOrder.id)
            .limit(1)
        )
        if draft is not None:
            await services.add_lines(uow, company_id, draft, lines)
            report.orders_extended.append(draft)
        else:
            lead = max(quote.lead_days for _, _, quote in wanted)
            order = await services.create_purchase_order(
                uow,
                company_id,
                {
                    "partner_id": partner_id,
                    "warehouse_id": warehouse_id,
                    "date_order": now,
                    "date_planned": now + dt.timedelta(days=lead),
                    "note": "Replenishment",
                },
                lines,
            )
            report.orders_created.append(order.id)
        report.lines_added += len(lines)


async def _transfer(
    uow: UnitOfWork,
    company_id: int,
    now: dt.datetime,
    transfers: dict[tuple[int, int], list[tuple[_Rule, Decimal]]],
    report: ReplenishmentReport,
) -> None:
    """One internal transfer per source and destination warehouse."""
    if not transfers:
        return
    warehouses = {
        warehouse.id: warehouse
        for warehouse in await uow.session.scalars(
            select(Warehouse).where(Warehouse.company_id == company_id)
        )
    }
    for (source_id, destination_id), wanted in sorted(transfers.items()):
        picking = await inventory.create_internal_transfer(
            uow,
            company_id,
            source_location_id=warehouses[source_id].stock_location_id,
            destination_location_id=warehouses[destination_id].stock_location_id,
            scheduled_date=now,
            moves=[
                {"product_id": rule.product_id, "quantity": quantity, "uom_id": rule.uom_id}
                for rule, quantity in wanted
            ],
        )
        report.transfers.append(picking.id)


async def _record_skips(
    uow: UnitOfWork, company_id: int, scope: Any, skipped: Sequence[tuple[int, str]]
) -> None:
    """The rules skipped keep why; the others forget an older reason."""
    by_reason: dict[str, list[int]] = defaultdict(list)
    for rule_id, reason in skipped:
        by_reason[reason].append(rule_id)
    await uow.session.execute(
        update(ReorderRule)
        .where(scope, ReorderRule.skip_reason.is_not(None))
        .values(skip_reason=None)
        .execution_options(synchronize_session=False)
    )
    for reason, rule_ids in by_reason.items():
        await uow.session.execute(
            update(ReorderRule)
            .where(ReorderRule.company_id == company_id, ReorderRule.id.in_(rule_ids))
            .values(skip_reason=reason)
            .execution_options(synchronize_session=False)
        )
