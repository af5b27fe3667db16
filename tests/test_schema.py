"""The checked-in SDL matches the live schema, and the schema documents itself."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from api.access import undeclared_root_fields
from api.schema import build_schema
from domain.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_schema_graphql_is_up_to_date() -> None:
    live = build_schema(Settings()).as_str() + "\n"
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == live, "schema.graphql is stale: run `erp schema export` (make schema)"


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    schema = build_schema(Settings())._schema
    missing = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__"):
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({arg_name})"
                    for arg_name, arg in field.args.items()
                    if not arg.description
                )
        elif isinstance(graphql_type, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in graphql_type.fields.items()
                if not field.description
            )
        elif isinstance(graphql_type, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in graphql_type.values.items()
                if not value.description
            )
    assert missing == []


def test_every_mutation_declares_the_command_it_dispatches() -> None:
    schema = build_schema(Settings())._schema
    undeclared = undeclared_root_fields(schema)
    assert [name for name in undeclared if name.startswith("Mutation.")] == []
