"""The schema: every area's queries and mutations, plus the node lookups and safety limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from functools import cache, partial

import strawberry
from strawberry import relay
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

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
from api.governance.mutations import GovernanceMutation
from api.governance.queries import GovernanceQuery
from api.inventory.mutations import InventoryMutation
from api.inventory.queries import InventoryQuery
from api.limits import QueryCostLimiter
from api.partners.mutations import PartnerMutation
from api.partners.queries import PartnerQuery
from api.purchasing.mutations import PurchasingMutation
from api.purchasing.queries import PurchasingQuery
from api.sales.mutations import SalesMutation
from api.sales.queries import SalesQuery
from api.scalars import DECIMAL
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


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the settings' limits; built once per set of limits."""
    return _schema(settings.graphql_max_depth, settings.graphql_max_cost)


@cache
def _schema(max_depth: int, max_cost: int) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map={Decimal: DECIMAL}),
        extensions=[
            CloseSession,
            AccessControl,
            partial(QueryDepthLimiter, max_depth=max_depth),
            partial(MaxAliasesLimiter, max_alias_count=50),
            partial(QueryCostLimiter, max_cost=max_cost),
        ],
    )
