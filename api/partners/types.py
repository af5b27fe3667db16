"""The `Partner` type."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.accounting.loaders import partner_balances, partner_invoices
from api.context import Info
from api.enums import graphql_enum
from api.errors import UserError
from api.nodes import ModelNode
from api.pagination import (
    FILTER,
    SORT,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    child_connection,
)
from api.partners.enums import AddressType
from api.purchasing.filters import (
    PurchaseOrderFilterInput,
    PurchaseOrderSortInput,
    purchase_order_children,
)
from api.sales.filters import SaleOrderFilterInput, SaleOrderSortInput, sale_order_children
from domain.partners import models
from domain.partners.errors import PartnerErrorCode

if TYPE_CHECKING:
    from api.accounting.types import Invoice
    from api.purchasing.types import PurchaseOrder
    from api.sales.types import SaleOrder

graphql_enum(
    PartnerErrorCode,
    "Why a partner change was refused.",
    {
        "INVALID_EMAIL": "The e-mail address is not valid.",
        "INVALID_VAT": "The VAT number fails its country's check.",
        "INVALID_PARENT": "The parent would make a partner its own ancestor.",
    },
)


@strawberry.type(description="A partner mutation refused its input.")
class PartnerError(UserError):
    codes = PartnerErrorCode
    code: PartnerErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.type(
    description="A person or company we do business with: customer, vendor, or both. "
    "A company partner owns its contact people and its invoice and delivery addresses."
)
class Partner(ModelNode):
    model = models.Partner
    name: str = strawberry.field(description="Full name of the person or company.")
    is_company: bool = strawberry.field(description="A company rather than a person.")
    address_type: AddressType = strawberry.field(
        description="For a child: contact person, invoice address, delivery address or other."
    )
    email: str | None = strawberry.field(description="E-mail, unique among a company's customers.")
    phone: str | None = strawberry.field(description="Phone number.")
    vat: str | None = strawberry.field(
        description="VAT number, validated when it has a country prefix."
    )
    street: str | None = strawberry.field(description="Street and number.")
    street2: str | None = strawberry.field(description="Second address line.")
    city: str | None = strawberry.field(description="City.")
    zip: str | None = strawberry.field(description="Postal code.")
    country_code: str | None = strawberry.field(description="ISO 3166 country code.")
    is_customer: bool = strawberry.field(description="Buys from us.")
    is_vendor: bool = strawberry.field(description="Sells to us.")
    active: bool = strawberry.field(description="False once archived.")
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The company this contact or address belongs to.")
    async def parent(self, info: Info) -> Partner | None:
        return await info.context.loaders.one(models.Partner, self.parent_id)

    @strawberry.field(description="Contacts and addresses of this company.")
    async def children(self, info: Info) -> list[Partner]:
        loader = info.context.loaders.by_parent(models.Partner.parent_id, models.Partner.id)
        return await loader.load(self.id)

    @strawberry.field(
        description="Quotations and orders of this customer, newest first by default."
    )
    async def orders(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[SaleOrderFilterInput | None, FILTER] = None,
        sort_by: Annotated[SaleOrderSortInput | None, SORT] = None,
    ) -> Connection[Annotated[SaleOrder, strawberry.lazy("api.sales.types")]]:
        children = sale_order_children(info, filter, sort_by, PageArgs(first, after, last, before))
        return await child_connection(info, children, self.id)

    @strawberry.field(
        description="Requests for quotation and purchase orders to this vendor, newest first "
        "by default."
    )
    async def purchase_orders(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[PurchaseOrderFilterInput | None, FILTER] = None,
        sort_by: Annotated[PurchaseOrderSortInput | None, SORT] = None,
    ) -> Connection[Annotated[PurchaseOrder, strawberry.lazy("api.purchasing.types")]]:
        children = purchase_order_children(
            info, filter, sort_by, PageArgs(first, after, last, before)
        )
        return await child_connection(info, children, self.id)

    @strawberry.field(
        description="What the partner still owes us (positive) or we owe them (negative), "
        "over posted invoices, bills, credit notes and payments, in the company currency."
    )
    async def balance(self, info: Info) -> Decimal:
        return (await partner_balances(info).load(self.id)).quantize(Decimal("0.01"))

    @strawberry.field(description="Invoices, bills and credit notes of this partner, oldest first.")
    async def invoices(
        self, info: Info
    ) -> list[Annotated[Invoice, strawberry.lazy("api.accounting.types")]]:
        return await partner_invoices(info).load(self.id)  # type: ignore[return-value]
