"""Query cost: each connection's page size multiplies the cost of what is selected under it.

The cost is worked out with the request's variables before execution; a query over the
limit is refused whole with an error saying its cost and the limit. Every response carries
its cost in `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from api.pagination import DEFAULT_PAGE


class _Costing:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def page_size(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value not in ("first", "last"):
                continue
            if isinstance(argument.value, IntValueNode):
                return int(argument.value.value)
            if isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
                if isinstance(value, int):
                    return value
        return DEFAULT_PAGE

    def cost(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, factor: int
    ) -> int:
        total = 0
        for field, field_parent in self._fields(selection_set, parent):
            if field.name.value.startswith("__") or not isinstance(
                field_parent, GraphQLObjectType | GraphQLInterfaceType
            ):
                continue
            definition = field_parent.fields.get(field.name.value)
            if definition is None:
                continue
            child = get_named_type(definition.type)
            total += factor
            inner = factor * self.page_size(field) if child.name.endswith("Connection") else factor
            total += self.cost(field.selection_set, child, inner)
        return total

    def _fields(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                yield from self._fields(selection.selection_set, target or parent)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    yield from self._fields(fragment.selection_set, target or parent)


def operation_cost(
    schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict[str, Any]
) -> int:
    """The cost of the operation to run from `document`."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    operations = [
        node for node in document.definitions if isinstance(node, OperationDefinitionNode)
    ]
    chosen = [
        node
        for node in operations
        if operation_name is None or (node.name and node.name.value == operation_name)
    ]
    if not chosen:
        return 0
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    return _Costing(schema, fragments, variables).cost(operation.selection_set, root, 1)


class QueryCostLimiter(SchemaExtension):
    """Refuses operations costing more than `max_cost` before they run."""

    def __init__(self, *, max_cost: int) -> None:
        self.max_cost = max_cost
        self.cost = 0

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            self.cost = operation_cost(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables or {},
            )
            if self.cost > self.max_cost:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"The query costs {self.cost}, over the limit of {self.max_cost}: "
                            "ask for smaller pages (`first`/`last`) or fewer nested lists.",
                            extensions={
                                "code": "QUERY_TOO_COSTLY",
                                "cost": self.cost,
                                "limit": self.max_cost,
                            },
                        )
                    ],
                )
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": {"requested": self.cost, "limit": self.max_cost}}
