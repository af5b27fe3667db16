"""Catalog mutations: each parses its input, calls one service and maps the result."""

from __future__ import annotations

from typing import Annotated, ClassVar

import strawberry

from api import arguments
from api.access import dispatches
from api.catalog.inputs import PricelistInput, ProductCategoryInput, ProductInput, TaxInput
from api.catalog.types import CatalogError, Pricelist, Product, ProductCategory, Tax
from api.context import Info
from api.ids import decode_id
from api.payloads import mutate, run
from domain.catalog import commands as c
from domain.catalog import services


@strawberry.type(description="The product created or changed, or why not.")
class ProductPayload:
    result_field: ClassVar[str] = "product"
    error_type: ClassVar[type[CatalogError]] = CatalogError
    product: Product | None = strawberry.field(default=None, description="The product.")
    errors: list[CatalogError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The category created, or why not.")
class ProductCategoryPayload:
    result_field: ClassVar[str] = "category"
    error_type: ClassVar[type[CatalogError]] = CatalogError
    category: ProductCategory | None = strawberry.field(default=None, description="The category.")
    errors: list[CatalogError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The tax created, or why not.")
class TaxPayload:
    result_field: ClassVar[str] = "tax"
    error_type: ClassVar[type[CatalogError]] = CatalogError
    tax: Tax | None = strawberry.field(default=None, description="The tax.")
    errors: list[CatalogError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The pricelist created, or why not.")
class PricelistPayload:
    result_field: ClassVar[str] = "pricelist"
    error_type: ClassVar[type[CatalogError]] = CatalogError
    pricelist: Pricelist | None = strawberry.field(default=None, description="The pricelist.")
    errors: list[CatalogError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(description="Create a product.")
    async def product_create(
        self, info: Info, input: Annotated[ProductInput, arguments.INPUT]
    ) -> ProductPayload:
        return await mutate(
            info,
            ProductPayload,
            lambda uow, company_id: services.create_product(uow, company_id, input.values()),
            aliases=ProductInput.ALIASES,
        )

    @strawberry.mutation(description="Change a product; fields left out keep their value.")
    async def product_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[ProductInput, arguments.INPUT],
    ) -> ProductPayload:
        return await mutate(
            info,
            ProductPayload,
            lambda uow, company_id: services.update_product(
                uow, company_id, decode_id(id, "Product", "id"), input.values()
            ),
            aliases=ProductInput.ALIASES,
        )

    @strawberry.mutation(description="Create a product category.")
    async def product_category_create(
        self,
        info: Info,
        input: Annotated[ProductCategoryInput, arguments.INPUT],
    ) -> ProductCategoryPayload:
        return await mutate(
            info,
            ProductCategoryPayload,
            lambda uow, company_id: services.create_category(
                uow,
                company_id,
                name=input.name,
                parent_id=decode_id(input.parent_id, "ProductCategory", "parent_id")
                if input.parent_id
                else None,
            ),
        )

    @strawberry.mutation(description="Create a sales or purchase tax.")
    async def tax_create(
        self, info: Info, input: Annotated[TaxInput, arguments.INPUT]
    ) -> TaxPayload:
        return await mutate(
            info,
            TaxPayload,
            lambda uow, company_id: services.create_tax(uow, company_id, input.values()),
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
