"""What a document may ask for, checked in time linear in its size before anything runs.

Parsing stops at `max_tokens` (strawberry's `MaxTokensLimiter`). Before graphql-core's own
rules (some of which are quadratic in repeated fields) a single walk counts the fields,
aliases, fragment spreads and directives written in the document, how often one field is
selected in one selection set, and the depth of each operation, working out each fragment's
depth once however often it is spread. Large documents are parsed and validated on a worker
thread, so other requests go on meanwhile.

Cost: each connection's page size multiplies the cost of what is selected under it, and a
plain list by a typical size (`LIST_SIZE`) and `nodes` by its number of IDs. The cost is worked
out with the request's coerced variables before execution, each fragment once; page sizes
and ID counts outside their bounds are refused first, so a cost is never negative. A query
over the limit is refused whole with an error saying its cost and the limit. Every response
carries its cost in `extensions.cost`.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    parse,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types.execution import ParseOptions

from api.pagination import DEFAULT_PAGE, page_size_error
from domain.core.settings import Settings

#: What a plain list (an order's lines, a line's taxes) is costed as holding: a typical size,
#: since a plain list is kept for what stays small; connections count their page size.
LIST_SIZE = 3
#: Documents longer than this (in characters) are parsed and validated on a worker thread.
THREAD_ABOVE = 2_000
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """The bounds of one document; see `Settings` for what each means."""

    max_depth: int
    max_cost: int
    max_tokens: int
    max_selections: int
    max_repeats: int
    max_spreads: int
    max_directives: int
    max_aliases: int
    max_node_ids: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            max_depth=settings.graphql_max_depth,
            max_cost=settings.graphql_max_cost,
            max_tokens=settings.graphql_max_tokens,
            max_selections=settings.graphql_max_selections,
            max_repeats=settings.graphql_max_repeats,
            max_spreads=settings.graphql_max_spreads,
            max_directives=settings.graphql_max_directives,
            max_aliases=settings.graphql_max_aliases,
            max_node_ids=settings.graphql_max_node_ids,
        )


def _refusal(message: str, code: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


class _Census:
    """One walk over a document: what it writes, and how deep each operation goes."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            node.name.value: node
            for node in document.definitions
            if isinstance(node, FragmentDefinitionNode)
        }
        self.selections = self.aliases = self.spreads = self.directives = 0
        self.most_repeated = ("", 0)
        self._depths: dict[str, int] = {}
        stack = [
            node.selection_set
            for node in document.definitions
            if isinstance(node, OperationDefinitionNode | FragmentDefinitionNode)
        ]
        for node in document.definitions:
            self.directives += len(getattr(node, "directives", None) or ())
        self._fragment_names: dict[str, Counter[str]] = {}
        while stack:
            selection_set = stack.pop()
            for selection in selection_set.selections:
                self.directives += len(selection.directives or ())
                if isinstance(selection, FieldNode):
                    self.selections += 1
                    self.aliases += selection.alias is not None
                    if selection.selection_set:
                        stack.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    self.spreads += 1
                elif isinstance(selection, InlineFragmentNode):
                    stack.append(selection.selection_set)
            merged = self.names(selection_set)
            if merged:
                name, times = merged.most_common(1)[0]
                if times > self.most_repeated[1]:
                    self.most_repeated = (name, times)

    def names(self, selection_set: SelectionSetNode) -> Counter[str]:
        """How often each response name is selected at the level of `selection_set`, counting
        what its inline fragments and the fragments it spreads (each once, as graphql-core
        merges them) select there: what graphql-core compares pairwise."""
        names: Counter[str] = Counter()
        spread: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, InlineFragmentNode):
                names.update(self.names(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
                spread.add(selection.name.value)
                names.update(self._names_of_fragment(selection.name.value))
        return names

    def _names_of_fragment(self, name: str) -> Counter[str]:
        if name not in self._fragment_names:
            self._fragment_names[name] = Counter()  # a cycle (refused by validation) ends here
            fragment = self.fragments.get(name)
            if fragment is not None:
                self._fragment_names[name] = self.names(fragment.selection_set)
        return self._fragment_names[name]

    def depth(self, selection_set: SelectionSetNode | None) -> int:
        """Levels of fields under `selection_set`; introspection fields count none."""
        deepest = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__") or selection.selection_set is None:
                    continue
                deepest = max(deepest, 1 + self.depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._fragment_depth(selection.name.value))
        return deepest

    def _fragment_depth(self, name: str) -> int:
        if name not in self._depths:
            self._depths[name] = 0  # a cycle (refused by validation) ends here
            fragment = self.fragments.get(name)
            self._depths[name] = self.depth(fragment.selection_set) if fragment else 0
        return self._depths[name]


def check_document(document: DocumentNode, limits: Limits) -> GraphQLError | None:
    """Why `document` is refused before validation, or None."""
    census = _Census(document)
    counted = (
        (census.selections, limits.max_selections, "fields"),
        (census.aliases, limits.max_aliases, "aliases"),
        (census.spreads, limits.max_spreads, "fragment spreads"),
        (census.directives, limits.max_directives, "directives"),
    )
    for count, limit, what in counted:
        if count > limit:
            return _refusal(
                f"The document has {count} {what}, over the limit of {limit}.",
                "QUERY_TOO_LARGE",
                limit=limit,
            )
    name, times = census.most_repeated
    if times > limits.max_repeats:
        return _refusal(
            f"`{name}` is selected {times} times in one selection set (its fragments "
            f"included), over the limit of {limits.max_repeats}: select it once.",
            "QUERY_TOO_LARGE",
            limit=limits.max_repeats,
        )
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        # The operation's own level counts, as graphql-depth-limit counts it.
        depth = census.depth(operation.selection_set) + 1
        if depth > limits.max_depth:
            label = operation.name.value if operation.name else "anonymous"
            return _refusal(
                f"'{label}' exceeds maximum operation depth of {limits.max_depth}",
                "QUERY_TOO_DEEP",
                limit=limits.max_depth,
            )
    return None


class _Costing:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
        limits: Limits,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self._fragment_costs: dict[str, int] = {}

    def multiplier(
        self, field: FieldNode, definition: GraphQLField, parent: GraphQLNamedType
    ) -> int:
        """How many of what is selected under `field` it can return; a connection's edges
        are counted by the connection's page size."""
        child = get_named_type(definition.type)
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        if parent.name.endswith("Connection") or not (child.name.endswith("Connection") or is_list):
            return 1
        try:
            arguments = get_argument_values(definition, field, self.variables)
        except GraphQLError:
            return 1  # execution reports the bad argument
        if child.name.endswith("Connection"):
            first, last = arguments.get("first"), arguments.get("last")
            for name, size in (("first", first), ("last", last)):
                if size is not None and (error := page_size_error(name, size)):
                    raise _refusal(error, "INVALID_PAGE_SIZE")
            if first is None and last is None:
                return DEFAULT_PAGE
            return max(first or 0, last or 0)
        ids = arguments.get("ids")
        if isinstance(ids, list):
            if len(ids) > self.limits.max_node_ids:
                raise _refusal(
                    f"`{field.name.value}` takes at most {self.limits.max_node_ids} IDs; "
                    f"{len(ids)} were given.",
                    "TOO_MANY_IDS",
                    limit=self.limits.max_node_ids,
                )
            return len(ids)
        return LIST_SIZE

    def cost(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType) -> int:
        """The cost of `selection_set` read once on `parent`."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, target or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_cost(selection.name.value, parent)
        return total

    def _field_cost(self, field: FieldNode, parent: GraphQLNamedType) -> int:
        if field.name.value.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0
        definition = parent.fields.get(field.name.value)
        if definition is None:
            return 0
        inner = self.cost(field.selection_set, get_named_type(definition.type))
        return 1 + self.multiplier(field, definition, parent) * inner

    def _fragment_cost(self, name: str, parent: GraphQLNamedType) -> int:
        if name not in self._fragment_costs:
            fragment = self.fragments.get(name)
            if fragment is None:
                return 0
            self._fragment_costs[name] = 0  # a cycle (refused by validation) ends here
            target = self.schema.get_type(fragment.type_condition.name.value)
            self._fragment_costs[name] = self.cost(fragment.selection_set, target or parent)
        return self._fragment_costs[name]


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any],
    limits: Limits,
) -> int:
    """The cost of the operation to run from `document`; a `GraphQLError` if an argument is
    out of bounds. Zero when the variables do not fit (execution says why)."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    chosen = [
        node
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode)
        and (operation_name is None or (node.name and node.name.value == operation_name))
    ]
    if not chosen:
        return 0
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if root is None or isinstance(coerced, list):
        return 0
    return _Costing(schema, fragments, coerced, limits).cost(operation.selection_set, root)


async def _off_loop(size: int, work: Callable[[], T]) -> T:
    """`work()`, on a worker thread when the document is large."""
    return await asyncio.to_thread(work) if size > THREAD_ABOVE else work()


def _parse(query: str, options: ParseOptions) -> DocumentNode:
    try:
        return parse(query, **options)
    except RecursionError:
        raise GraphQLError("Syntax Error: the document is nested too deeply.") from None


class DocumentLimiter(SchemaExtension):
    """Parses (with the token limit strawberry's `MaxTokensLimiter` sets) and refuses
    oversized documents before graphql-core's rules run, large documents off the event loop."""

    def __init__(self, *, limits: Limits) -> None:
        self.limits = limits

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        query = context.query
        if context.graphql_document is None and query:
            options = context.parse_options
            context.graphql_document = await _off_loop(len(query), lambda: _parse(query, options))
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            size = len(context.query or "")
            context.pre_execution_errors = await _off_loop(size, lambda: self._validate(document))
        yield

    def _validate(self, document: DocumentNode) -> list[GraphQLError]:
        refused = check_document(document, self.limits)
        if refused is not None:
            return [refused]
        context = self.execution_context
        return validate_document(context.schema._schema, document, context.validation_rules)


class QueryCostLimiter(SchemaExtension):
    """Refuses operations costing more than the limit, or with arguments out of bounds,
    before they run."""

    def __init__(self, *, limits: Limits) -> None:
        self.limits = limits
        self.cost = 0

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            refusal = self._refusal()
            if refusal is not None:
                context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def _refusal(self) -> GraphQLError | None:
        context = self.execution_context
        assert context.graphql_document is not None
        try:
            self.cost = operation_cost(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables or {},
                self.limits,
            )
        except GraphQLError as error:
            return error
        limit = self.limits.max_cost
        if self.cost <= limit:
            return None
        return _refusal(
            f"The query costs {self.cost}, over the limit of {limit}: "
            "ask for smaller pages (`first`/`last`) or fewer nested lists.",
            "QUERY_TOO_COSTLY",
            cost=self.cost,
            limit=limit,
        )

    def get_results(self) -> dict[str, Any]:
        return {"cost": {"requested": self.cost, "limit": self.limits.max_cost}}
