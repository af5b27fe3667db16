"""The catalog's use cases and the permissions they and the catalog's reads need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.catalog import services
from domain.catalog.models import Pricelist, Product, ProductCategory, Tax
from domain.catalog.services import ProductValues, TaxValues
from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork

CATALOG_READ = Permission("catalog.read", "Read products, categories and taxes.")
CATALOG_WRITE = Permission("catalog.write", "Create and change products, categories, taxes.")
CATALOG_COST = Permission("catalog.cost", "See product costs, margins and stock valuation.")


@dataclass(frozen=True, kw_only=True)
class CreateProduct(Command[Product]):
    permission: ClassVar[Permission | None] = CATALOG_WRITE
    values: ProductValues

    async def handle(self, uow: UnitOfWork) -> Product:
        return await services.create_product(uow, self.company_id, self.values)


@dataclass(frozen=True, kw_only=True)
class UpdateProduct(Step[Product]):
    permission: ClassVar[Permission | None] = CATALOG_WRITE
    values: ProductValues

    async def handle(self, uow: UnitOfWork) -> Product:
        return await services.update_product(uow, self.company_id, self.id, self.values)


@dataclass(frozen=True, kw_only=True)
class CreateProductCategory(Command[ProductCategory]):
    permission: ClassVar[Permission | None] = CATALOG_WRITE
    name: str
    parent_id: int | None = None

    async def handle(self, uow: UnitOfWork) -> ProductCategory:
        return await services.create_category(
            uow, self.company_id, name=self.name, parent_id=self.parent_id
        )


@dataclass(frozen=True, kw_only=True)
class CreateTax(Command[Tax]):
    """A sales or purchase tax."""

    permission: ClassVar[Permission | None] = CATALOG_WRITE
    values: TaxValues

    async def handle(self, uow: UnitOfWork) -> Tax:
        return await services.create_tax(uow, self.company_id, self.values)


@dataclass(frozen=True, kw_only=True)
class CreatePricelist(Command[Pricelist]):
    """A pricelist with its items, for channels and sales orders to price from."""

    permission: ClassVar[Permission | None] = CATALOG_WRITE
    name: str
    currency: str | None = None
    items: tuple[services.PricelistItemValues, ...] = ()

    async def handle(self, uow: UnitOfWork) -> Pricelist:
        return await services.create_pricelist(
            uow, self.company_id, name=self.name, currency=self.currency, items=self.items
        )
