"""Units of measure and their categories, managed over GraphQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import create_product

CATEGORY = """mutation($input: UomCategoryInput!) { uomCategoryCreate(input: $input) {
    uomCategory { id name } errors { field code message } } }"""
UNIT = """mutation($input: UomCreateInput!) { uomCreate(input: $input) {
    uom { id name ratio rounding category { name } } errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: UomUpdateInput!) { uomUpdate(id: $id, input: $input) {
    uom { name ratio rounding } errors { field code message } } }"""


async def category(gql: GraphQLClient, name: str) -> str:
    data = await gql(CATEGORY, {"input": {"name": name}})
    assert data["uomCategoryCreate"]["errors"] == []
    return data["uomCategoryCreate"]["uomCategory"]["id"]


async def unit(gql: GraphQLClient, category_id: str, name: str, ratio: str, rounding: str) -> Any:
    data = await gql(
        UNIT,
        {"input": {"categoryId": category_id, "name": name, "ratio": ratio, "rounding": rounding}},
    )
    return data["uomCreate"]


def errors(payload: Any) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def unit_id(gql: GraphQLClient, name: str) -> str:
    data = await gql("{ uoms(first: 100) { edges { node { id name } } } }")
    return next(e["node"]["id"] for e in data["uoms"]["edges"] if e["node"]["name"] == name)


async def test_a_category_starts_with_its_reference_unit(gql: GraphQLClient) -> None:
    packaging = await category(gql, "Packaging")
    assert errors(await unit(gql, packaging, "Pallets", "40", "1")) == [
        (["ratio"], "REFERENCE_UNIT")
    ]
    boxes = await unit(gql, packaging, "Boxes", "1", "1")
    assert boxes["errors"] == []
    assert errors(await unit(gql, packaging, "Cases", "1", "1")) == [(["ratio"], "REFERENCE_UNIT")]
    pallets = await unit(gql, packaging, "Pallets", "40", "1")
    assert pallets["uom"]["category"] == {"name": "Packaging"}
    data = await gql(
        "query($id: ID!) { node(id: $id) { ... on UomCategory { name units { name ratio } } } }",
        {"id": packaging},
    )
    assert [(u["name"], u["ratio"]) for u in data["node"]["units"]] == [
        ("Boxes", "1"),
        ("Pallets", "40"),
    ]
    # A product can be sold in the new units: 2 pallets of 40 boxes at 3.00 a box.
    product = await create_product(gql, "TILE", "3.00", uomId=boxes["uom"]["id"])
    customer = await gql(
        'mutation { partnerCreate(input: {name: "Ready Mat"}) { partner { id } } }'
    )
    order = await gql(
        """mutation($input: SaleOrderCreateInput!) { saleOrderCreate(input: $input) {
            saleOrder { amountUntaxed { amount } } errors { code } } }""",
        {
            "input": {
                "partnerId": customer["partnerCreate"]["partner"]["id"],
                "lines": [{"productId": product, "quantity": "2", "uomId": pallets["uom"]["id"]}],
            }
        },
    )
    assert order["saleOrderCreate"]["saleOrder"]["amountUntaxed"] == {"amount": "240.00"}


async def test_bad_units_are_refused_with_typed_errors(gql: GraphQLClient) -> None:
    weight = await gql("{ uomCategories { edges { node { id name } } } }")
    weight_id = next(
        e["node"]["id"] for e in weight["uomCategories"]["edges"] if e["node"]["name"] == "Weight"
    )
    assert errors(await unit(gql, weight_id, "lb", "0", "0.01")) == [(["ratio"], "INVALID")]
    assert errors(await unit(gql, weight_id, "lb", "-0.45", "0.01")) == [(["ratio"], "INVALID")]
    assert errors(await unit(gql, weight_id, "lb", "0.45359237", "0")) == [
        (["rounding"], "INVALID")
    ]
    assert errors(await unit(gql, weight_id, "lb", "0.45359237", "0.0000001")) == [
        (["rounding"], "INVALID")
    ]
    assert errors(await unit(gql, weight_id, "g", "0.001", "0.01")) == [(["name"], "UNIQUE")]
    assert errors(await unit(gql, weight_id, " ", "0.001", "0.01")) == [(["name"], "REQUIRED")]
    assert errors(await unit(gql, "UHJvZHVjdDox", "lb", "0.45", "0.01")) == [
        (["categoryId"], "NOT_FOUND")
    ]
    data = await gql(CATEGORY, {"input": {"name": "Weight"}})
    assert errors(data["uomCategoryCreate"]) == [(["name"], "UNIQUE")]
    pound = await unit(gql, weight_id, "lb", "0.45359237", "0.01")
    assert pound["errors"] == []
    assert pound["uom"]["ratio"] == "0.45359237"


async def test_a_unit_changes_unless_its_meaning_would(gql: GraphQLClient) -> None:
    kg, dozens, pairs = [await unit_id(gql, name) for name in ("kg", "Dozens", "Pairs")]
    refused = await gql(UPDATE, {"id": kg, "input": {"ratio": "1000"}})
    assert errors(refused["uomUpdate"]) == [(["ratio"], "REFERENCE_UNIT")]
    refused = await gql(UPDATE, {"id": pairs, "input": {"ratio": "1"}})
    assert errors(refused["uomUpdate"]) == [(["ratio"], "REFERENCE_UNIT")]
    # Once a product is counted in Dozens, its ratio keeps the product's quantities right.
    await create_product(gql, "EGGS", "3.00", uomId=dozens)
    refused = await gql(UPDATE, {"id": dozens, "input": {"ratio": "10"}})
    assert errors(refused["uomUpdate"]) == [(["ratio"], "UNIT_IN_USE")]
    renamed = await gql(UPDATE, {"id": dozens, "input": {"name": "Dozen", "rounding": "0.5"}})
    assert renamed["uomUpdate"] == {
        "uom": {"name": "Dozen", "ratio": "12", "rounding": "0.5"},
        "errors": [],
    }
    changed = await gql(UPDATE, {"id": pairs, "input": {"ratio": "3"}})
    assert changed["uomUpdate"]["uom"]["ratio"] == "3"
    missing = await gql(UPDATE, {"id": "VW9tOjk5OTk=", "input": {"name": "Gross"}})
    assert errors(missing["uomUpdate"]) == [(["id"], "NOT_FOUND")]
    category_id = await category(gql, "Energy")
    renamed_category = await gql(
        """mutation($id: ID!) { uomCategoryUpdate(id: $id, input: {name: "Power"}) {
            uomCategory { name } errors { code } } }""",
        {"id": category_id},
    )
    assert renamed_category["uomCategoryUpdate"] == {
        "uomCategory": {"name": "Power"},
        "errors": [],
    }
