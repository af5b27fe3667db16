"""Requests built from the live schema, so a rule tested over every field covers fields added
later without anyone listing them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from api.schema import build_schema
from domain.core.settings import Settings
from domain.wiring import load_handlers

SCALARS = {
    "String": '"x"',
    "Int": "1",
    "Float": "1.5",
    "Boolean": "false",
    "Decimal": '"1"',
    "Date": '"2026-01-01"',
    "DateTime": '"2026-01-01T00:00:00+00:00"',
}


def live_schema() -> GraphQLSchema:
    load_handlers()
    return build_schema(Settings())._schema


def literal(graphql_type: GraphQLInputType, id_for: Callable[[str], str]) -> str:
    """A value of `graphql_type` that passes validation: required parts only; IDs from
    `id_for(argument name)`."""
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    if isinstance(graphql_type, GraphQLList):
        return f"[{literal(graphql_type.of_type, id_for)}]"
    if isinstance(graphql_type, GraphQLEnumType):
        return next(iter(graphql_type.values))
    if isinstance(graphql_type, GraphQLScalarType):
        return SCALARS.get(graphql_type.name, '"x"')
    assert isinstance(graphql_type, GraphQLInputObjectType)
    parts = [
        f"{name}: {_value(name, field.type, id_for)}"
        for name, field in graphql_type.fields.items()
        if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
    ]
    return "{" + ", ".join(parts) + "}"


def _value(name: str, graphql_type: GraphQLInputType, id_for: Callable[[str], str]) -> str:
    named = get_named_type(graphql_type)
    if named.name == "ID":
        wrapped = graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type
        value = json.dumps(id_for(name))
        return f"[{value}]" if isinstance(wrapped, GraphQLList) else value
    return literal(graphql_type, id_for)


@dataclass(frozen=True)
class RootCall:
    """A document calling one root field with required arguments only."""

    operation: str
    name: str
    document: str


def root_calls(
    schema: GraphQLSchema, id_for: Callable[[str], str] = lambda _name: "Tm9uZTox"
) -> Iterator[RootCall]:
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        for name, field in root.fields.items():
            yield RootCall(operation, name, _document(operation, name, field, id_for))


def _document(operation: str, name: str, field: GraphQLField, id_for: Callable[[str], str]) -> str:
    arguments = [
        f"{argument}: {_value(argument, spec.type, id_for)}"
        for argument, spec in field.args.items()
        if isinstance(spec.type, GraphQLNonNull) and spec.default_value is Undefined
    ]
    call = f"{name}({', '.join(arguments)})" if arguments else name
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    return f"{operation} {{ {call}{selection} }}"
