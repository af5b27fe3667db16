"""Perpetual valuation at average cost: a valuation layer per done move entering or leaving
the company's stock, and a Stock-journal entry for it.

Goods coming in (from vendors, a count, production) add their move's unit cost, the
product's standard price when none was given; goods sent back by a customer come back at the
cost they left with. Goods going out leave at the current average cost, rounded to the
currency; the last unit out takes what value is left, so value is 0.00 when quantity is 0.
Moves between internal locations change nothing. Costs are kept per company in
`product_cost`, locked while they change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from domain.accounting.valuation import StockValuationKind, post_stock_valuation
from domain.core.db import utcnow
from domain.core.models import Company, Currency
from domain.core.money import ZERO, CurrencyRule
from domain.core.services import currency_rule
from domain.core.uow import UnitOfWork
from domain.inventory.availability import Execute
from domain.inventory.models import LocationUsage, Move, Picking, ProductCost, ValuationLayer
from domain.inventory.stock import Stock

if TYPE_CHECKING:
    from domain.inventory.validation import DoneLine

#: The kind of entry by the usage of the location outside our stock.
KIND_OF_USAGE: dict[LocationUsage, StockValuationKind] = {
    LocationUsage.VENDOR: StockValuationKind.RECEIPT,
    LocationUsage.CUSTOMER: StockValuationKind.DELIVERY,
    LocationUsage.INVENTORY: StockValuationKind.ADJUSTMENT,
    LocationUsage.PRODUCTION: StockValuationKind.ADJUSTMENT,
    LocationUsage.SCRAP: StockValuationKind.SCRAP,
}
#: Unit costs are kept to this many places (the `MONEY` columns').
COST_STEP = Decimal("0.000001")


@dataclass
class _Valued:
    move: Move
    quantity: Decimal  # signed: positive in, negative out
    kind: StockValuationKind


async def value_done_moves(
    uow: UnitOfWork,
    stock: Stock,
    plans: Sequence[tuple[Move, Sequence[DoneLine]]],
    kind: StockValuationKind | None = None,
) -> list[ValuationLayer]:
    """Layers and Stock-journal entries for the done moves entering or leaving our stock;
    their counterpart follows from the place outside our stock, unless `kind` says it."""
    valued: list[_Valued] = []
    for move, done in plans:
        quantity = sum((line.quantity for line in done), ZERO)
        if quantity <= 0:
            continue
        into = stock.counts(move.product_id, move.location_dest_id)
        out_of = stock.counts(move.product_id, move.location_id)
        if into == out_of:
            continue
        outside = stock.locations[move.location_id if into else move.location_dest_id]
        why = kind or KIND_OF_USAGE.get(outside.usage, StockValuationKind.ADJUSTMENT)
        valued.append(_Valued(move, quantity if into else -quantity, why))
    if not valued:
        return []
    company_id = stock.company_id
    rule = await _currency_rule(uow, company_id)
    costs = await _lock_costs(uow, company_id, {item.move.product_id for item in valued})
    returned = await _returned_layers(uow, [item.move for item in valued])
    layers: list[ValuationLayer] = []
    for item in valued:
        move = item.move
        cost = costs[move.product_id]
        if item.quantity > 0:
            value = _incoming_value(stock, move, item.quantity, rule, returned)
        elif cost.quantity <= 0:  # stock that was never valued: at the last known cost
            value = -rule.round(-item.quantity * cost.average_cost)
        elif -item.quantity >= cost.quantity:
            value = -cost.value  # the last units out take what is left
        else:
            value = -rule.round(-item.quantity * cost.value / cost.quantity)
        cost.quantity += item.quantity
        cost.value += value
        if cost.quantity > 0:
            cost.average_cost = (cost.value / cost.quantity).quantize(COST_STEP)
        layers.append(
            ValuationLayer(
                company_id=company_id,
                product_id=move.product_id,
                move_id=move.id,
                quantity=item.quantity,
                unit_cost=(value / item.quantity).quantize(COST_STEP),
                value=value,
                remaining_quantity=cost.quantity,
                remaining_value=cost.value,
            )
        )
    uow.session.add_all(layers)
    await uow.session.flush()
    await _post_entries(uow, company_id, valued, layers)
    return layers


@dataclass(frozen=True)
class StockValuation:
    """A product's valued quantity on hand in a company, its value and average cost."""

    quantity: Decimal
    value: Decimal
    average_cost: Decimal


async def stock_valuations(
    execute: Execute, company_id: int, product_ids: Sequence[int]
) -> list[StockValuation]:
    """Each product's valuation, in the order of `product_ids` (zero when never valued)."""
    rows = await execute(
        select(
            ProductCost.product_id,
            ProductCost.quantity,
            ProductCost.value,
            ProductCost.average_cost,
        ).where(ProductCost.company_id == company_id, ProductCost.product_id.in_(product_ids))
    )
    found = {
        row.product_id: StockValuation(row.quantity, row.value, row.average_cost) for row in rows
    }
    empty = StockValuation(ZERO, ZERO, ZERO)
    return [found.get(product_id, empty) for product_id in product_ids]


async def _currency_rule(uow: UnitOfWork, company_id: int) -> CurrencyRule:
    currency = await uow.session.scalar(
        select(Currency)
        .join(Company, Company.currency_id == Currency.id)
        .where(Company.id == company_id)
    )
    assert currency is not None
    return currency_rule(currency)


async def _lock_costs(
    uow: UnitOfWork, company_id: int, product_ids: set[int]
) -> dict[int, ProductCost]:
    """The products' cost rows, locked (created when missing), in product order."""
    query = (
        select(ProductCost)
        .where(ProductCost.company_id == company_id, ProductCost.product_id.in_(product_ids))
        .order_by(ProductCost.product_id)
        .with_for_update()
    )
    costs = {cost.product_id: cost for cost in await uow.session.scalars(query)}
    missing = sorted(product_ids - costs.keys())
    if missing:
        # Concurrent first moves of a product may both create its row: one insert wins.
        dialect = uow.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await uow.session.execute(
            insert(ProductCost)
            .values(
                [
                    {
                        "company_id": company_id,
                        "product_id": product_id,
                        "quantity": ZERO,
                        "value": ZERO,
                        "average_cost": ZERO,
                    }
                    for product_id in missing
                ]
            )
            .on_conflict_do_nothing()
        )
        costs = {cost.product_id: cost for cost in await uow.session.scalars(query)}
    return costs


async def _returned_layers(
    uow: UnitOfWork, moves: Sequence[Move]
) -> dict[int, tuple[Decimal, Decimal]]:
    """{returned move ID: (quantity, value)} of the layers of the moves these moves send back."""
    ids = {move.origin_return_move_id for move in moves if move.origin_return_move_id}
    if not ids:
        return {}
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for layer in await uow.session.scalars(
        select(ValuationLayer).where(ValuationLayer.move_id.in_(ids))
    ):
        quantity, value = totals.get(layer.move_id, (ZERO, ZERO))
        totals[layer.move_id] = (quantity + layer.quantity, value + layer.value)
    return totals


def _incoming_value(
    stock: Stock,
    move: Move,
    quantity: Decimal,
    rule: CurrencyRule,
    returned: dict[int, tuple[Decimal, Decimal]],
) -> Decimal:
    """Goods sent back come in at the cost they left with; others at the move's unit cost."""
    origin = returned.get(move.origin_return_move_id or 0)
    if origin is not None and origin[0] < 0:
        left_quantity, left_value = origin
        return rule.round(quantity * left_value / left_quantity)
    unit_cost = move.price_unit
    if unit_cost is None:
        unit_cost = stock.products[move.product_id].standard_price
    return rule.round(quantity * unit_cost)


async def _post_entries(
    uow: UnitOfWork,
    company_id: int,
    valued: Sequence[_Valued],
    layers: Sequence[ValuationLayer],
) -> None:
    """One Stock-journal entry per picking (or loose move) and kind of change."""
    picking_ids = {item.move.picking_id for item in valued if item.move.picking_id}
    names: dict[int, str] = {}
    if picking_ids:
        names = dict(
            (
                await uow.session.execute(
                    select(Picking.id, Picking.name).where(Picking.id.in_(picking_ids))
                )
            ).all()
        )
    groups: dict[tuple[str, StockValuationKind], list[ValuationLayer]] = defaultdict(list)
    for item, layer in zip(valued, layers, strict=True):
        move = item.move
        reference = names[move.picking_id] if move.picking_id else (move.origin_name or move.name)
        groups[(reference, item.kind)].append(layer)
    today = utcnow().date()
    for (reference, kind), grouped in groups.items():
        entry = await post_stock_valuation(
            uow,
            company_id,
            amount=sum((layer.value for layer in grouped), ZERO),
            kind=kind,
            reference=reference,
            date=today,
        )
        for layer in grouped:
            layer.entry_id = entry.id if entry is not None else None
    await uow.session.flush()
