"""Catalog mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.catalog.inputs import PricelistInput, ProductCategoryInput, ProductInput, TaxInput
from api.catalog.types import CatalogError, Pricelist, Product, ProductCategory, Tax
from api.context import Info
from api.ids import decode_id
from api.payloads import Payload, run
from domain.catalog import commands as c


@strawberry.type(description="The product created or changed, or why not.")
class ProductPayload(Payload, error=CatalogError):
    product: Product | None = strawberry.field(default=None, description="The product.")


@strawberry.type(description="The category created, or why not.")
class ProductCategoryPayload(Payload, error=CatalogError):
    category: ProductCategory | None = strawberry.field(default=None, description="The category.")


@strawberry.type(description="The tax created, or why not.")
class TaxPayload(Payload, error=CatalogError):
    tax: Tax | None = strawberry.field(default=None, description="The tax.")


@strawberry.type(description="The pricelist created, or why not.")
class PricelistPayload(Payload, error=CatalogError):
    pricelist: Pricelist | None = strawberry.field(default=None, description="The pricelist.")


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(description="Create a product.", metadata=dispatches(c.CreateProduct))
    async def product_create(
        self, info: Info, input: Annotated[ProductInput, arguments.INPUT]
    ) -> ProductPayload:
        return await run(
            info,
            ProductPayload,
            lambda company_id: c.CreateProduct(company_id=company_id, values=input.values()),
            aliases=ProductInput.ALIASES,
        )

    @strawberry.mutation(
        description="Change a product; fields left out keep their value.",
        metadata=dispatches(c.UpdateProduct),
    )
    async def product_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[ProductInput, arguments.INPUT],
    ) -> ProductPayload:
        return await run(
            info,
            ProductPayload,
            lambda company_id: c.UpdateProduct(
                company_id=company_id, id=decode_id(id, "Product", "id"), values=input.values()
            ),
            aliases=ProductInput.ALIASES,
        )

    @strawberry.mutation(
        description="Create a product category.", metadata=dispatches(c.CreateProductCategory)
    )
    async def product_category_create(
        self,
        info: Info,
        input: Annotated[ProductCategoryInput, arguments.INPUT],
    ) -> ProductCategoryPayload:
        return await run(
            info,
            ProductCategoryPayload,
            lambda company_id: c.CreateProductCategory(
                company_id=company_id,
                name=input.name,
                parent_id=decode_id(input.parent_id, "ProductCategory", "parent_id")
                if input.parent_id
                else None,
            ),
        )

    @strawberry.mutation(
        description="Create a sales or purchase tax.", metadata=dispatches(c.CreateTax)
    )
    async def tax_create(
        self, info: Info, input: Annotated[TaxInput, arguments.INPUT]
    ) -> TaxPayload:
        return await run(
            info,
            TaxPayload,
            lambda company_id: c.CreateTax(company_id=company_id, values=input.values()),
        )

    @strawberry.mutation(
        description="Create a pricelist with its items, for channels and sales orders.",
        metadata=dispatches(c.CreatePricelist),
    )
    async def pricelist_create(
        self, info: Info, input: Annotated[PricelistInput, arguments.INPUT]
    ) -> PricelistPayload:
        return await run(
            info,
            PricelistPayload,
            lambda company_id: c.CreatePricelist(
                company_id=company_id,
                name=input.name,
                currency=input.currency,
                items=input.item_values(),
            ),
        )
