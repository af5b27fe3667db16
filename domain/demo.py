"""Demo data: a company with customers, products, taxes, a few orders in every state, and a
web storefront channel with its publishable token."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from domain.catalog import services as catalog
from domain.catalog.models import InvoicePolicy, ProductType, TaxUse
from domain.core import services as core
from domain.core.db import create_engine, session_factory, utcnow
from domain.core.models import Company, Uom
from domain.core.uow import UnitOfWork, transact
from domain.governance import access
from domain.governance.models import Role
from domain.inventory.adjustments import CountedQuantity, apply_inventory_adjustment
from domain.inventory.warehouses import default_warehouse
from domain.partners import services as partners
from domain.partners.models import AddressType
from domain.sales import services as sales
from domain.storefront import services as storefront
from domain.storefront.models import CouponKind, StorefrontToken
from domain.wiring import load_handlers

CUSTOMERS = [
    ("Azure Interior", "info@azure-interior.example", "Brussels", "BE"),
    ("Deco Addict", "contact@deco-addict.example", "Antwerp", "BE"),
    ("Gemini Furniture", "hello@gemini-furniture.example", "Ghent", "BE"),
    ("Lumber Inc", "sales@lumber.example", "Leuven", "BE"),
    ("Ready Mat", "orders@readymat.example", "Namur", "BE"),
]
#: What one unit of each currency is worth in EUR.
RATES = [("USD", "0.92"), ("GBP", "1.17")]
PRODUCTS = [
    # sku, name, type, price, cost, invoice policy
    ("DESK-001", "Office Desk", ProductType.STORABLE, "320.00", "210.00", InvoicePolicy.DELIVERED),
    (
        "CHAIR-001",
        "Ergonomic Chair",
        ProductType.STORABLE,
        "189.90",
        "95.00",
        InvoicePolicy.DELIVERED,
    ),
    ("LAMP-001", "Desk Lamp", ProductType.CONSUMABLE, "39.99", "14.50", InvoicePolicy.ORDERED),
    ("CABLE-001", "Cable Tray", ProductType.CONSUMABLE, "12.50", "4.10", InvoicePolicy.ORDERED),
    (
        "INSTALL",
        "Installation (hour)",
        ProductType.SERVICE,
        "65.00",
        "40.00",
        InvoicePolicy.ORDERED,
    ),
]


async def _load(uow: UnitOfWork) -> None:
    company = await core.create_company(
        uow,
        name="My Company",
        currency_code="EUR",
        email="info@my-company.example",
        country_code="BE",
    )
    # Rates from the first of the year, so documents in dollars and pounds can be entered.
    new_year = utcnow().date().replace(month=1, day=1)
    for code, rate in RATES:
        await core.set_currency_rate(
            uow, company.id, currency_code=code, date=new_year, rate=Decimal(rate)
        )
    vat = await catalog.create_tax(
        uow, company.id, {"name": "VAT 21%", "amount": Decimal(21), "type_tax_use": TaxUse.SALE}
    )
    purchase_vat = await catalog.create_tax(
        uow, company.id, {"name": "VAT 21%", "amount": Decimal(21), "type_tax_use": TaxUse.PURCHASE}
    )
    furniture = await catalog.create_category(uow, company.id, name="Furniture")
    hours = await uow.session.scalar(select(Uom.id).where(Uom.name == "Hours"))
    product_ids = []
    for sku, name, kind, price, cost, policy in PRODUCTS:
        product = await catalog.create_product(
            uow,
            company.id,
            {
                "sku": sku,
                "name": name,
                "type": kind,
                "list_price": Decimal(price),
                "standard_price": Decimal(cost),
                "invoice_policy": policy,
                "category_id": furniture.id if kind is ProductType.STORABLE else None,
                "published": kind is not ProductType.SERVICE,
                "sale_tax_ids": [vat.id],
                "purchase_tax_ids": [purchase_vat.id],
                **(
                    {"uom_id": hours, "purchase_uom_id": hours}
                    if kind is ProductType.SERVICE and hours
                    else {}
                ),
            },
        )
        product_ids.append(product.id)
    # Opening stock: 20 of each storable product on the main warehouse's Stock shelf.
    warehouse = await default_warehouse(uow, company.id)
    storable = [
        pid
        for pid, spec in zip(product_ids, PRODUCTS, strict=True)
        if spec[2] is ProductType.STORABLE
    ]
    await apply_inventory_adjustment(
        uow,
        company.id,
        warehouse.stock_location_id,
        [CountedQuantity(product_id=pid, quantity=Decimal(20)) for pid in storable],
        reason="Opening stock",
        opening_balance=True,
    )
    for index, (name, email, city, country) in enumerate(CUSTOMERS):
        customer = await partners.create_partner(
            uow,
            company.id,
            {
                "name": name,
                "email": email,
                "city": city,
                "country_code": country,
                "is_company": True,
                "is_customer": True,
            },
        )
        await partners.create_partner(
            uow,
            company.id,
            {
                "name": f"{name} (deliveries)",
                "parent_id": customer.id,
                "address_type": AddressType.DELIVERY,
                "city": city,
                "country_code": country,
            },
        )
        lines: list[sales.LineValues] = [
            {"product_id": product_ids[(index + k) % len(product_ids)], "quantity": Decimal(k + 1)}
            for k in range(3)
        ]
        order = await sales.create_sale_order(uow, company.id, {"partner_id": customer.id}, lines)
        if index % 2 == 0:
            await sales.confirm_sale_order(uow, company.id, order.id)
        elif index == 3:
            await sales.send_quotation(uow, company.id, order.id)
    await _users(uow, company.id)
    await _storefront(uow, company.id, warehouse.id, vat.id)


#: Who can sign in to the demo: (e-mail, name, password, superuser, roles).
DEMO_PASSWORD = "demo-password-123"
DEMO_USERS = [
    ("admin@demo.example", "Demo Admin", True, ()),
    ("sales@demo.example", "Demo Salesperson", False, ("salesperson",)),
    ("accounts@demo.example", "Demo Accountant", False, ("accountant",)),
]


async def _users(uow: UnitOfWork, company_id: int) -> None:
    roles = {role.name: role.id for role in await uow.session.scalars(select(Role))}
    for email, name, superuser, role_names in DEMO_USERS:
        user = await access.create_user(
            uow, email=email, name=name, password=DEMO_PASSWORD, superuser=superuser
        )
        if role_names:
            await access.set_membership(
                uow, company_id, user.id, [roles[role] for role in role_names], default=True
            )


async def _storefront(uow: UnitOfWork, company_id: int, warehouse_id: int, vat_id: int) -> None:
    """A web channel over the main warehouse, with parcel delivery, a coupon and a token."""
    channel = await storefront.create_channel(
        uow,
        company_id,
        {"code": "WEB", "name": "My Company online", "warehouse_ids": [warehouse_id]},
    )
    shipping = await catalog.create_product(
        uow,
        company_id,
        {
            "sku": "SHIPPING",
            "name": "Shipping",
            "type": ProductType.SERVICE,
            "sale_tax_ids": [vat_id],
        },
    )
    await storefront.create_delivery_method(
        uow,
        company_id,
        channel_id=channel.id,
        name="Parcel",
        product_id=shipping.id,
        price=Decimal("4.90"),
        free_over=Decimal(200),
    )
    await storefront.create_coupon(
        uow,
        company_id,
        channel_id=channel.id,
        code="WELCOME10",
        kind=CouponKind.PERCENTAGE,
        value=Decimal(10),
    )
    await storefront.create_storefront_token(uow, company_id, channel.id, "Example storefront")


async def storefront_token(database_url: str) -> str | None:
    """The demo channel's publishable token, for the example page's address."""
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            return await session.scalar(
                select(StorefrontToken.token)
                .where(StorefrontToken.revoked_at.is_(None))
                .order_by(StorefrontToken.id)
                .limit(1)
            )
    finally:
        await engine.dispose()


async def load_demo(database_url: str, *, force: bool = False) -> bool:
    """Load the demo into `database_url`; skipped (False) when a company exists already."""
    load_handlers()
    engine = create_engine(database_url)
    try:
        sessions = session_factory(engine)
        async with sessions() as session:
            companies = await session.scalar(select(func.count()).select_from(Company))
        if companies and not force:
            return False
        await transact(sessions, _load)
        return True
    finally:
        await engine.dispose()
