"""The quants an operation works on, locked for the rest of its transaction.

Every operation that reads or changes quantities starts by locking the quants it may touch:
`Stock.lock` takes `SELECT ... FOR UPDATE` on every quant of the given products under the
given locations, in quant ID order, in one statement. Operations lock quants before pickings
and sequence counters, so concurrent operations queue in one consistent order; whatever
they read after that is current. On SQLite the Unit of Work's `BEGIN IMMEDIATE` already
serializes writers.

Reservation changes `reserved_quantity` through `reserve`/`release`; done moves change
`quantity` through `take`/`put`, and nothing else does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite

from domain.catalog.models import Product, ProductType, Tracking
from domain.core.db import utcnow
from domain.core.models import Uom
from domain.core.uow import UnitOfWork
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import Location, LocationUsage, Quant

QuantKey = tuple[int, int, int | None]
ZERO = Decimal(0)


class Stock:
    """Locked quants of some products under some locations, with those products and places."""

    def __init__(self, uow: UnitOfWork, company_id: int) -> None:
        self.uow = uow
        self.company_id = company_id
        self.quants: dict[QuantKey, Quant] = {}
        self.locations: dict[int, Location] = {}
        self.products: dict[int, Product] = {}
        self.uoms: dict[int, Uom] = {}
        self._roots: list[str] = []

    @classmethod
    async def lock(
        cls,
        uow: UnitOfWork,
        company_id: int,
        product_ids: Iterable[int],
        location_ids: Iterable[int],
        uom_ids: Iterable[int] = (),
    ) -> Stock:
        """Lock the quants of `product_ids` in the subtrees of `location_ids`."""
        stock = cls(uow, company_id)
        await stock.load_locations(location_ids)
        await stock._load_products(set(product_ids), set(uom_ids))
        stock._roots = sorted(
            {
                location.parent_path
                for location in stock.locations.values()
                if location.usage in (LocationUsage.INTERNAL, LocationUsage.VIEW)
            }
        )
        storable = sorted(
            product.id
            for product in stock.products.values()
            if product.type is ProductType.STORABLE
        )
        if stock._roots and storable:
            await stock._lock_quants(
                Quant.product_id.in_(storable),
                or_(*(Location.parent_path.startswith(path) for path in stock._roots)),
            )
        return stock

    async def _lock_quants(self, *conditions: Any) -> None:
        rows = await self.uow.session.execute(
            select(Quant, Location)
            .join(Location, Location.id == Quant.location_id)
            .where(Quant.company_id == self.company_id, *conditions)
            .order_by(Quant.id)
            .with_for_update(of=Quant)
            .execution_options(populate_existing=True)
        )
        for quant, location in rows:
            self.quants[(quant.product_id, quant.location_id, quant.lot_id)] = quant
            self.locations[location.id] = location

    async def load_locations(self, location_ids: Iterable[int]) -> None:
        missing = set(location_ids) - self.locations.keys()
        if missing:
            rows = await self.uow.session.scalars(
                select(Location).where(
                    Location.id.in_(missing), Location.company_id == self.company_id
                )
            )
            for location in rows:
                self.locations[location.id] = location

    async def _load_products(self, product_ids: set[int], uom_ids: set[int]) -> None:
        if product_ids:
            for product in await self.uow.session.scalars(
                select(Product).where(
                    Product.id.in_(product_ids), Product.company_id == self.company_id
                )
            ):
                self.products[product.id] = product
        uom_ids |= {product.uom_id for product in self.products.values()}
        if uom_ids:
            for uom in await self.uow.session.scalars(select(Uom).where(Uom.id.in_(uom_ids))):
                self.uoms[uom.id] = uom

    # What counts -----------------------------------------------------------------------

    def is_internal(self, location_id: int) -> bool:
        return self.locations[location_id].usage is LocationUsage.INTERNAL

    def counts(self, product_id: int, location_id: int) -> bool:
        """Whether stock of the product at the location is kept in quants."""
        product = self.products[product_id]
        return product.type is ProductType.STORABLE and self.is_internal(location_id)

    def tracking(self, product_id: int) -> Tracking:
        return self.products[product_id].tracking

    def product_uom(self, product_id: int) -> Uom:
        return self.uoms[self.products[product_id].uom_id]

    @staticmethod
    def free(quant: Quant) -> Decimal:
        return quant.quantity - quant.reserved_quantity

    def quant(self, product_id: int, location_id: int, lot_id: int | None) -> Quant:
        quant = self.quants.get((product_id, location_id, lot_id))
        if quant is None:
            raise InventoryError(
                InventoryErrorCode.INSUFFICIENT_STOCK,
                "No stock of this product there.",
            )
        return quant

    def under(self, location_id: int) -> str:
        return self.locations[location_id].parent_path

    def fifo(
        self,
        product_id: int,
        location_id: int,
        *,
        lot_ids: Collection[int | None] | None = None,
        first: Iterable[QuantKey] = (),
    ) -> list[Quant]:
        """Quants with free stock of the product under the location, oldest first.

        `first` puts the quants of these keys ahead (a move's own former reservation).
        `lot_ids` limits to these lots.
        """
        path = self.under(location_id)
        preferred = list(dict.fromkeys(first))
        rank = {key: index for index, key in enumerate(preferred)}
        found = [
            quant
            for key, quant in self.quants.items()
            if key[0] == product_id
            and self.under(quant.location_id).startswith(path)
            and (lot_ids is None or quant.lot_id in lot_ids)
            and self.free(quant) > 0
        ]
        return sorted(
            found,
            key=lambda quant: (
                rank.get((quant.product_id, quant.location_id, quant.lot_id), len(rank)),
                quant.in_date,
                quant.id,
            ),
        )

    # Changes ---------------------------------------------------------------------------

    def reserve(self, quant: Quant, quantity: Decimal) -> None:
        if quantity > self.free(quant):
            raise InventoryError(InventoryErrorCode.INSUFFICIENT_STOCK, "Not enough free stock.")
        quant.reserved_quantity += quantity

    def release(self, product_id: int, location_id: int, lot_id: int | None, qty: Decimal) -> None:
        quant = self.quant(product_id, location_id, lot_id)
        quant.reserved_quantity = max(quant.reserved_quantity - qty, ZERO)

    def take(self, quant: Quant, quantity: Decimal) -> None:
        """Goods leave the quant (a done move): only free stock can leave."""
        if quantity > self.free(quant):
            raise InventoryError(InventoryErrorCode.INSUFFICIENT_STOCK, "Not enough free stock.")
        quant.quantity -= quantity

    async def ensure(self, keys: Iterable[QuantKey], in_date: dt.datetime | None = None) -> None:
        """Make sure quants exist (and are locked) for these keys, creating empty ones."""
        missing = sorted(
            set(keys) - self.quants.keys(), key=lambda key: (key[0], key[1], key[2] or 0)
        )
        if not missing:
            return
        dialect = self.uow.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        now = in_date or utcnow()
        await self.uow.session.execute(
            insert(Quant)
            .values(
                [
                    {
                        "company_id": self.company_id,
                        "product_id": product_id,
                        "location_id": location_id,
                        "lot_id": lot_id,
                        "quantity": ZERO,
                        "reserved_quantity": ZERO,
                        "in_date": now,
                    }
                    for product_id, location_id, lot_id in missing
                ]
            )
            .on_conflict_do_nothing()
        )
        await self._lock_quants(
            Quant.product_id.in_({key[0] for key in missing}),
            Quant.location_id.in_({key[1] for key in missing}),
        )

    def put(
        self, product_id: int, location_id: int, lot_id: int | None, qty: Decimal, in_date: Any
    ) -> None:
        """Goods arrive in a quant (a done move); `ensure` must have created it."""
        quant = self.quant(product_id, location_id, lot_id)
        if quant.quantity <= 0 or in_date < quant.in_date:
            quant.in_date = in_date
        quant.quantity += qty
        if self.tracking(product_id) is Tracking.SERIAL and quant.quantity > 1:
            raise InventoryError(
                InventoryErrorCode.SERIAL_IN_STOCK,
                "A serial number names one unit, which is in stock already.",
            )
