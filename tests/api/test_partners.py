"""Partners: validation, uniqueness of customer e-mails, company contacts and addresses."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.partners.models import Partner
from tests.conftest import Db, GraphQLClient
from tests.factories import create_order, create_partner, create_product

CREATE = """mutation($input: PartnerInput!) {
    partnerCreate(input: $input) { partner { id name email vat countryCode } errors { field code message } }
}"""
UPDATE = """mutation($id: ID!, $input: PartnerInput!) {
    partnerUpdate(id: $id, input: $input) { partner { id name email phone isVendor } errors { field code } }
}"""


async def test_values_are_normalized(gql: GraphQLClient) -> None:
    data = await gql(
        CREATE,
        {
            "input": {
                "name": "  Azure Interior ",
                "email": "Info@Azure.Example",
                "vat": "be 0477.472.701",
                "countryCode": "be",
            }
        },
    )
    assert data["partnerCreate"]["partner"] == {
        "id": data["partnerCreate"]["partner"]["id"],
        "name": "Azure Interior",
        "email": "info@azure.example",
        "vat": "BE0477472701",
        "countryCode": "BE",
    }


async def test_invalid_values_are_refused_and_nothing_is_created(
    gql: GraphQLClient, db: Db
) -> None:
    cases = [
        ({"name": ""}, ["name"], "REQUIRED"),
        ({"name": "X", "email": "not-an-email"}, ["email"], "INVALID_EMAIL"),
        ({"name": "X", "vat": "BE0123456789"}, ["vat"], "INVALID_VAT"),
        ({"name": "X", "countryCode": "Belgium"}, ["countryCode"], "INVALID"),
        ({"name": "X", "parentId": "UGFydG5lcjo5OTk="}, ["parentId"], "NOT_FOUND"),
    ]
    for values, field, code in cases:
        payload = (await gql(CREATE, {"input": values}))["partnerCreate"]
        assert payload["partner"] is None
        assert (payload["errors"][0]["field"], payload["errors"][0]["code"]) == (field, code), (
            values
        )
    assert await db.scalar(select(func.count()).select_from(Partner)) == 0


async def test_customer_emails_are_unique_per_company(gql: GraphQLClient) -> None:
    await create_partner(gql, "First", email="shared@example.com")
    duplicate = await gql(
        CREATE, {"input": {"name": "Second", "email": "SHARED@example.com", "isCustomer": True}}
    )
    assert duplicate["partnerCreate"]["errors"] == [
        {
            "field": ["email"],
            "code": "UNIQUE",
            "message": "Another customer already uses shared@example.com.",
        }
    ]
    # A vendor (not a customer) may share it.
    vendor = await gql(
        CREATE, {"input": {"name": "Vendor", "email": "shared@example.com", "isVendor": True}}
    )
    assert vendor["partnerCreate"]["errors"] == []


async def test_update_changes_only_given_fields(gql: GraphQLClient) -> None:
    partner = await create_partner(
        gql, "Deco Addict", email="deco@example.com", phone="+32 2 123 45 67"
    )
    data = await gql(UPDATE, {"id": partner, "input": {"isVendor": True, "phone": None}})
    assert data["partnerUpdate"]["partner"] == {
        "id": partner,
        "name": "Deco Addict",
        "email": "deco@example.com",
        "phone": None,
        "isVendor": True,
    }
    cycle = await create_partner(gql, "Child", parentId=partner)
    refused = await gql(UPDATE, {"id": partner, "input": {"parentId": cycle}})
    assert refused["partnerUpdate"]["errors"] == [{"field": ["parentId"], "code": "INVALID_PARENT"}]


async def test_orders_go_to_the_company_addresses(gql: GraphQLClient) -> None:
    company = await create_partner(gql, "Gemini Furniture", isCompany=True)
    invoice = await create_partner(
        gql, "Gemini Accounts", parentId=company, addressType="INVOICE", isCustomer=False
    )
    delivery = await create_partner(
        gql, "Gemini Warehouse", parentId=company, addressType="DELIVERY", isCustomer=False
    )
    buyer = await create_partner(gql, "Ann Buyer", parentId=company, isCustomer=False)
    product = await create_product(gql, "CHAIR", "50.00")
    order = await create_order(gql, buyer, [{"productId": product, "quantity": "1"}])
    data = await gql(
        """query($id: ID!) { node(id: $id) { ... on SaleOrder {
            partner { name } partnerInvoice { id } partnerShipping { id }
        } } }""",
        {"id": order["id"]},
    )
    assert data["node"] == {
        "partner": {"name": "Ann Buyer"},
        "partnerInvoice": {"id": invoice},
        "partnerShipping": {"id": delivery},
    }
    children = await gql(
        "query($id: ID!) { node(id: $id) { ... on Partner { children { name addressType } } } }",
        {"id": company},
    )
    assert children["node"]["children"] == [
        {"name": "Gemini Accounts", "addressType": "INVOICE"},
        {"name": "Gemini Warehouse", "addressType": "DELIVERY"},
        {"name": "Ann Buyer", "addressType": "CONTACT"},
    ]
