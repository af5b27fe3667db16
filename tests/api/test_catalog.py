"""Products, categories and taxes through the API."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import create_product, create_tax

PRODUCT = """mutation($input: ProductInput!) {
    productCreate(input: $input) {
        product { id sku type invoicePolicy salePrice { amount currency } cost { amount } uom { name } purchaseUom { name }
                  category { name parent { name } } saleTaxes { name } purchaseTaxes { name } }
        errors { field code message }
    }
}"""


async def uom_id(gql: GraphQLClient, name: str) -> str:
    edges = (await gql("{ uoms(first: 100) { edges { node { id name } } } }"))["uoms"]["edges"]
    return next(edge["node"]["id"] for edge in edges if edge["node"]["name"] == name)


async def test_product_defaults_and_relations(gql: GraphQLClient) -> None:
    root = await gql(
        'mutation { productCategoryCreate(input: {name: "Furniture"}) { category { id } } }'
    )
    root_id = root["productCategoryCreate"]["category"]["id"]
    child = await gql(
        'mutation($p: ID!) { productCategoryCreate(input: {name: "Desks", parentId: $p}) { category { id } } }',
        {"p": root_id},
    )
    vat = await create_tax(gql, "VAT 21%", "21")
    buy_vat = await create_tax(gql, "VAT 21% (purchase)", "21", typeTaxUse="PURCHASE")
    data = await gql(
        PRODUCT,
        {
            "input": {
                "sku": "DESK-1",
                "name": "Desk",
                "salePrice": "320",
                "cost": "210.5",
                "categoryId": child["productCategoryCreate"]["category"]["id"],
                "saleTaxIds": [vat],
                "purchaseTaxIds": [buy_vat],
            }
        },
    )
    product = data["productCreate"]["product"]
    assert product["type"] == "CONSUMABLE"
    assert product["invoicePolicy"] == "ORDERED"
    assert product["salePrice"] == {"amount": "320.00", "currency": "EUR"}
    assert product["cost"] == {"amount": "210.50"}
    assert (product["uom"], product["purchaseUom"]) == ({"name": "Units"}, {"name": "Units"})
    assert product["category"] == {"name": "Desks", "parent": {"name": "Furniture"}}
    assert product["saleTaxes"] == [{"name": "VAT 21%"}]
    assert product["purchaseTaxes"] == [{"name": "VAT 21% (purchase)"}]


async def test_product_rules(gql: GraphQLClient) -> None:
    await create_product(gql, "DESK-1", "10")
    kg = await uom_id(gql, "kg")
    units = await uom_id(gql, "Units")
    purchase_tax = await create_tax(gql, "Buy 10%", "10", typeTaxUse="PURCHASE")
    cases = [
        ({"sku": "DESK-1", "name": "Again"}, ["sku"], "UNIQUE"),
        ({"sku": "", "name": "No SKU"}, ["sku"], "REQUIRED"),
        ({"sku": "NEG", "name": "Negative", "salePrice": "-1"}, ["salePrice"], "INVALID"),
        (
            {"sku": "UOM", "name": "Mixed units", "uomId": units, "purchaseUomId": kg},
            ["purchaseUomId"],
            "INCOMPATIBLE_UNITS",
        ),
        (
            {"sku": "TAX", "name": "Wrong tax", "saleTaxIds": [purchase_tax]},
            ["saleTaxIds"],
            "INVALID_TAX",
        ),
        ({"sku": "BAD", "name": "Bad unit id", "uomId": purchase_tax}, ["uomId"], "NOT_FOUND"),
    ]
    for values, field, code in cases:
        payload = (await gql(PRODUCT, {"input": values}))["productCreate"]
        assert payload["product"] is None, values
        assert (payload["errors"][0]["field"], payload["errors"][0]["code"]) == (field, code), (
            payload
        )
    listed = await gql("{ products { totalCount } }")
    assert listed["products"]["totalCount"] == 1


async def test_update_lookup_and_filters(gql: GraphQLClient) -> None:
    lamp = await create_product(gql, "LAMP-1", "39.99", name="Desk Lamp", published=True)
    await create_product(gql, "CABLE-1", "12.50", name="Cable Tray")
    await create_product(gql, "CHAIR-1", "189.90", name="Chair", type="STORABLE")
    updated = await gql(
        'mutation($id: ID!) { productUpdate(id: $id, input: {salePrice: "35.00", active: false}) { product { salePrice { amount } active } errors { code } } }',
        {"id": lamp},
    )
    assert updated["productUpdate"]["product"] == {
        "salePrice": {"amount": "35.00"},
        "active": False,
    }
    found = await gql('{ productBySku(sku: "LAMP-1") { name active } }')
    assert found["productBySku"] == {"name": "Desk Lamp", "active": False}
    listed = await gql(
        """{ cheap: products(filter: {salePrice: {lte: "100"}}) { edges { node { sku } } }
             archived: products(filter: {active: false}) { edges { node { sku } } }
             storable: products(filter: {type: [STORABLE]}) { edges { node { sku } } }
             byPrice: products(sortBy: {field: SALE_PRICE, direction: DESC}) { edges { node { sku } } } }"""
    )
    assert [e["node"]["sku"] for e in listed["cheap"]["edges"]] == ["CABLE-1"]
    assert [e["node"]["sku"] for e in listed["archived"]["edges"]] == ["LAMP-1"]
    assert [e["node"]["sku"] for e in listed["storable"]["edges"]] == ["CHAIR-1"]
    assert [e["node"]["sku"] for e in listed["byPrice"]["edges"]] == ["CHAIR-1", "CABLE-1"]
