"""Who may read and run what: the one check of a request's document against its caller.

Permissions are declared once: a record type needs its area's read permission (a
`ModelNode` of `domain.sales.models` needs `sales.read`; other types name theirs as
`read_permission`), a field may name its own (`requires(CATALOG_COST)` in its metadata), and a
mutation needs its command's permission (`dispatches(ConfirmSaleOrder)` in its metadata).
Before a document runs, every field it selects and every type it names is checked against
the caller's permissions in the request's company, in time linear in the document: a
caller without one gets FORBIDDEN and nothing runs; a caller without credentials gets
UNAUTHENTICATED (HTTP 401) unless it only signs in or reads the schema. A storefront token
is confined further: it reaches only root fields and mutations that need a permission (the
storefront's), never one open to any signed-in caller (`me`, `node`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
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
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from api.context import Context
from domain.core.actors import Actor, ActorKind
from domain.core.dispatcher import PERMISSIONS, Command, Permission

#: Root fields anyone may use without signing in, and the schema's own introspection.
ANONYMOUS_FIELDS = frozenset({"login", "tokenRefresh", "logout", "__schema", "__type"})
PERMISSION_KEY = "permission"
COMMAND_KEY = "command"


def requires(permission: Permission) -> dict[str, Any]:
    """Field metadata: reading this field needs `permission` beyond its type's."""
    return {PERMISSION_KEY: permission}


def readable_by_all() -> dict[str, Any]:
    """Field metadata: any signed-in caller may read this field, whatever its type needs
    elsewhere (the companies the caller belongs to, in `me`)."""
    return {PERMISSION_KEY: None}


def dispatches(command: type[Command[Any]]) -> dict[str, Any]:
    """Mutation metadata: the command the mutation runs, whose permission it needs."""
    return {COMMAND_KEY: command}


def area_read_permission(model: type) -> Permission:
    """The read permission of the area a mapped class lives in: `domain.sales...` → sales.read."""
    area = model.__module__.split(".")[1]
    return PERMISSIONS[f"{area}.read"]


@dataclass(frozen=True)
class Rules:
    """The schema's permission declarations, gathered once per schema."""

    types: Mapping[str, Permission]
    fields: Mapping[tuple[str, str], Permission | None]
    mutations: Mapping[str, Permission | None]


def _type_permission(graphql_type: GraphQLNamedType) -> Permission | None:
    definition = (graphql_type.extensions or {}).get("strawberry-definition")
    origin = getattr(definition, "origin", None)
    declared = getattr(origin, "read_permission", None)
    if declared is not None:
        return declared
    model = getattr(origin, "model", None)
    return area_read_permission(model) if model is not None else None


@cache
def rules_of(schema: GraphQLSchema) -> Rules:
    types: dict[str, Permission] = {}
    fields: dict[tuple[str, str], Permission | None] = {}
    mutations: dict[str, Permission | None] = {}
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or not isinstance(
            graphql_type, GraphQLObjectType | GraphQLInterfaceType
        ):
            continue
        if (permission := _type_permission(graphql_type)) is not None:
            types[name] = permission
        for field_name, field in graphql_type.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            metadata = getattr(definition, "metadata", None) or {}
            if PERMISSION_KEY in metadata:
                fields[name, field_name] = metadata[PERMISSION_KEY]
            if graphql_type is schema.mutation_type and COMMAND_KEY in metadata:
                mutations[field_name] = metadata[COMMAND_KEY].permission
    # A connection or edge needs what its nodes need: `totalCount` reveals as much as a row.
    for name, graphql_type in schema.type_map.items():
        node_type = _node_type(graphql_type)
        if node_type is not None and node_type.name in types:
            types[name] = types[node_type.name]
    return Rules(types, fields, mutations)


def _node_type(graphql_type: GraphQLNamedType) -> GraphQLNamedType | None:
    """The node type of a connection (through `edges`) or of an edge."""
    fields = getattr(graphql_type, "fields", None) or {}
    if "edges" in fields:
        edge = get_named_type(fields["edges"].type)
        fields = getattr(edge, "fields", None) or {}
    return get_named_type(fields["node"].type) if "node" in fields else None


def undeclared_root_fields(schema: GraphQLSchema) -> list[str]:
    """Root fields whose permission nobody declared: each one a hole in the access rules."""
    rules = rules_of(schema)
    missing = []
    if schema.query_type is not None:
        for name, field in schema.query_type.fields.items():
            returned = get_named_type(field.type)
            if (
                ("Query", name) not in rules.fields
                and returned.name not in rules.types
                and name not in ANONYMOUS_FIELDS
                and not _public(returned)
            ):
                missing.append(f"Query.{name}")
    if schema.mutation_type is not None:
        mutations = schema.mutation_type.fields
        missing += [f"Mutation.{name}" for name in mutations if name not in rules.mutations]
    return missing


def _public(graphql_type: GraphQLNamedType) -> bool:
    """Types any signed-in caller may read (`me`, `node`): declared `read_permission = None`
    explicitly, or the Node interface whose records are checked as they resolve."""
    if graphql_type.name == "Node":
        return True
    definition = (graphql_type.extensions or {}).get("strawberry-definition")
    origin = getattr(definition, "origin", None)
    return origin is not None and "read_permission" in vars(origin)


class _Walk:
    """The permissions a document needs: one pass over each selection set."""

    def __init__(self, schema: GraphQLSchema, rules: Rules) -> None:
        self.schema = schema
        self.rules = rules
        self.needed: dict[str, set[str]] = {}

    def need(self, permission: Permission | None, where: str) -> None:
        if permission is not None:
            self.needed.setdefault(permission.name, set()).add(where)

    def selections(self, selection_set: SelectionSetNode | None, parent: Any) -> None:
        stack: list[tuple[SelectionSetNode | None, Any]] = [(selection_set, parent)]
        while stack:
            current, owner = stack.pop()
            if current is None or owner is None:
                continue
            for selection in current.selections:
                if isinstance(selection, FieldNode):
                    stack.append(self.field(selection, owner))
                elif isinstance(selection, InlineFragmentNode):
                    target = owner
                    if selection.type_condition is not None:
                        target = self.schema.get_type(selection.type_condition.name.value)
                        self.need(self.rules.types.get(getattr(target, "name", "")), "fragment")
                    stack.append((selection.selection_set, target))

    def field(self, node: FieldNode, owner: Any) -> tuple[SelectionSetNode | None, Any]:
        name = node.name.value
        fields = getattr(owner, "fields", None)
        if name.startswith("__") or fields is None or name not in fields:
            return None, None
        where = f"{owner.name}.{name}"
        returned = get_named_type(fields[name].type)
        if (owner.name, name) in self.rules.fields:
            self.need(self.rules.fields[owner.name, name], where)
        else:
            self.need(self.rules.types.get(returned.name), where)
        return node.selection_set, returned


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    for node in document.definitions:
        if isinstance(node, OperationDefinitionNode) and (
            name is None or (node.name is not None and node.name.value == name)
        ):
            return node
    return None


def _root_names(operation: OperationDefinitionNode, document: DocumentNode) -> Iterator[str]:
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    seen: set[str] = set()
    stack = [operation.selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection.name.value
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None and fragment.name.value not in seen:
                    seen.add(fragment.name.value)
                    stack.append(fragment.selection_set)


def refusal(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, context: Context
) -> GraphQLError | None:
    """Why the caller may not run this operation, or None if they may."""
    operation = _operation(document, operation_name)
    if operation is None:
        return None
    actor = context.actor
    if actor is None:
        if context.auth_error is None and all(
            name in ANONYMOUS_FIELDS or name == "__typename"
            for name in _root_names(operation, document)
        ):
            return None
        return unauthenticated(context, context.auth_error or "Sign in first (mutation login).")
    if context.company_error is not None:
        return forbidden(context.company_error, [])
    rules = rules_of(schema)
    if actor.kind is ActorKind.STOREFRONT:
        open_fields = sorted(
            name
            for name in set(_root_names(operation, document))
            if not name.startswith("__")
            and _root_permission(schema, rules, operation.operation, name) is None
        )
        if open_fields:
            return forbidden(
                "A storefront token reaches only the storefront's fields, not "
                f"{', '.join(open_fields)}.",
                [],
            )
    walk = _Walk(schema, rules)
    root = schema.get_root_type(operation.operation)
    if operation.operation is OperationType.MUTATION:
        for name in _root_names(operation, document):
            if name in rules.mutations:
                walk.need(rules.mutations[name], f"Mutation.{name}")
    walk.selections(operation.selection_set, root)
    for node in document.definitions:
        if isinstance(node, FragmentDefinitionNode):
            target = schema.get_type(node.type_condition.name.value)
            walk.need(rules.types.get(node.type_condition.name.value), "fragment")
            walk.selections(node.selection_set, target)
    missing = sorted(name for name in walk.needed if not actor.may(name, context.company_id))
    if not missing:
        return None
    places = sorted({place for name in missing for place in walk.needed[name]})
    return forbidden(
        f"This needs the permission{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
        f"(for {', '.join(places[:5])}{', ...' if len(places) > 5 else ''}).",
        missing,
    )


def _root_permission(
    schema: GraphQLSchema, rules: Rules, operation: OperationType, name: str
) -> Permission | None:
    """What the root field or mutation `name` needs by itself; None when open to anyone
    signed in (or unknown, which validation refuses)."""
    if operation is OperationType.MUTATION:
        return rules.mutations.get(name)
    root = schema.get_root_type(operation)
    if root is None or name not in root.fields:
        return None
    if ("Query", name) in rules.fields:
        return rules.fields["Query", name]
    return rules.types.get(get_named_type(root.fields[name].type).name)


def unauthenticated(context: Context, message: str) -> GraphQLError:
    if context.response is not None:
        context.response.status_code = 401
    return GraphQLError(message, extensions={"code": "UNAUTHENTICATED"})


def forbidden(message: str, permissions: list[str]) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "FORBIDDEN", "permissions": permissions})


def may_read(actor: Actor | None, permission: Permission | None, company_id: int) -> bool:
    return actor is not None and (permission is None or actor.may(permission, company_id))


class AccessControl(SchemaExtension):
    """Refuses a document its caller may not run, before any of it runs."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        if execution.graphql_document is not None and isinstance(context, Context):
            error = refusal(
                execution.schema._schema,
                execution.graphql_document,
                execution.operation_name,
                context,
            )
            if error is not None:
                execution.result = ExecutionResult(data=None, errors=[error])
        yield
