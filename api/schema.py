"""The schema: every area's queries and mutations, plus the node lookups and safety limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from functools import cache, partial

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import MaxTokensLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from api.access import AccessControl
from api.accounting.mutations import AccountingMutation
from api.accounting.queries import AccountingQuery
from api.accounting.statements import BankStatementMutation, BankStatementQuery
from api.catalog.mutations import CatalogMutation
from api.catalog.queries import CatalogQuery
from api.context import Context
from api.core.job_runs import JobRunQuery
from api.core.mutations import CoreMutation
from api.core.queries import CoreQuery
from api.errors import report_errors
from api.governance.mutations import GovernanceMutation
from api.governance.queries import GovernanceQuery
from api.inventory.mutations import InventoryMutation
from api.inventory.queries import InventoryQuery
from api.limits import DocumentLimiter, Limits, QueryCostLimiter
from api.partners.mutations import PartnerMutation
from api.partners.queries import PartnerQuery
from api.purchasing.mutations import PurchasingMutation
from api.purchasing.queries import PurchasingQuery
from api.sales.mutations import SalesMutation
from api.sales.queries import SalesQuery
from api.scalars import DATETIME, DECIMAL
from api.storefront.mutations import (
    CartMutation,
    ContactMutation,
    CustomerMutation,
    StorefrontMutation,
)
from api.storefront.queries import StorefrontQuery
from domain.core.settings import Settings


@strawberry.type
class NodeQuery:
    node: relay.Node | None = relay.node(description="Any record by its global ID.")
    nodes: list[relay.Node | None] = relay.node(
        description="Records by their global IDs, in the same order; null where not found."
    )


Query = merge_types(
    "Query",
    (
        NodeQuery,
        CoreQuery,
        JobRunQuery,
        PartnerQuery,
        CatalogQuery,
        SalesQuery,
        InventoryQuery,
        PurchasingQuery,
        AccountingQuery,
        BankStatementQuery,
        GovernanceQuery,
        StorefrontQuery,
    ),
)
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Everything readable, within the request's company (header `X-Company-Id`)."
)
Mutation = merge_types(
    "Mutation",
    (
        CoreMutation,
        PartnerMutation,
        CatalogMutation,
        SalesMutation,
        InventoryMutation,
        PurchasingMutation,
        AccountingMutation,
        BankStatementMutation,
        GovernanceMutation,
        StorefrontMutation,
        CartMutation,
        CustomerMutation,
        ContactMutation,
    ),
)
Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Every change. Each mutation is one transaction: its payload has the changed record, "
    "or `errors` and nothing changed."
)


class CloseSession(SchemaExtension):
    """Closes the request's read session once the operation is done."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if isinstance(context, Context):
            await context.close()


class ErpSchema(strawberry.Schema):
    """The schema, with errors reported the edge's way (`api.errors.report_errors`)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        report_errors(errors)


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the settings' limits; built once per set of limits."""
    return _schema(Limits.of(settings))


@cache
def _schema(limits: Limits) -> strawberry.Schema:
    return ErpSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map={Decimal: DECIMAL, dt.datetime: DATETIME}),
        extensions=[
            CloseSession,
            AccessControl,
            partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
            partial(DocumentLimiter, limits=limits),
            partial(QueryCostLimiter, limits=limits),
        ],
    )
