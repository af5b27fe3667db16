"""A benchmark database: migrated, with a customer, taxed products and stock."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import psycopg
from sqlalchemy import update

from domain.catalog import services as catalog
from domain.catalog.models import Product, ProductType, TaxUse
from domain.core import services as core
from domain.core.db import create_engine, session_factory
from domain.core.dispatcher import PERMISSIONS
from domain.core.uow import UnitOfWork, transact
from domain.governance.identity import digest, new_api_key
from domain.governance.models import ApiKey
from domain.inventory.adjustments import CountedQuantity, apply_inventory_adjustment
from domain.inventory.warehouses import default_warehouse
from domain.partners import services as partners
from domain.sales import services as sales
from domain.storefront import services as storefront
from domain.wiring import load_handlers

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "erp_bench"
DATABASE_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
RAW_DSN = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
ERP = str(Path(sys.executable).with_name("erp"))


def recreate_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    env.pop("REDIS_URL", None)
    subprocess.run([ERP, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)


class Catalog:
    """IDs of what the seed created."""

    company_id: int
    customer_id: int
    deep_customer_id: int
    product_ids: list[int]
    tax_id: int
    #: An API key holding every permission: the bench signs its requests with it.
    api_key: str


async def seed(extra_products: int) -> Catalog:
    """One company (EUR, with its warehouse), two customers, 5 + `extra_products` storable
    products at 15 % tax, 1,000,000 units of the first five in stock and 10 of the others."""
    load_handlers()
    engine = create_engine(DATABASE_URL)
    ids = Catalog()

    async def build(uow: UnitOfWork) -> None:
        company = await core.create_company(uow, name="Bench Co", currency_code="EUR")
        ids.company_id = company.id
        tax = await catalog.create_tax(
            uow, company.id, {"name": "VAT 15%", "amount": Decimal(15), "type_tax_use": TaxUse.SALE}
        )
        ids.tax_id = tax.id
        ids.product_ids = []
        for number in range(5 + extra_products):
            product = await catalog.create_product(
                uow,
                company.id,
                {
                    "sku": f"SKU-{number:05d}",
                    "name": f"Product {number:05d}",
                    "type": ProductType.STORABLE,
                    "list_price": Decimal("10.00") + number,
                    "sale_tax_ids": [tax.id],
                },
            )
            ids.product_ids.append(product.id)
        for attribute, name in (
            ("customer_id", "Bench Customer"),
            ("deep_customer_id", "Deep Customer"),
        ):
            partner = await partners.create_partner(
                uow, company.id, {"name": name, "is_customer": True}
            )
            setattr(ids, attribute, partner.id)
        ids.api_key = new_api_key()
        uow.session.add(
            ApiKey(
                company_id=company.id,
                name="bench",
                prefix=ids.api_key[:12],
                key_hash=digest(ids.api_key),
                permissions=sorted(PERMISSIONS),
            )
        )
        warehouse = await default_warehouse(uow, company.id)
        await apply_inventory_adjustment(
            uow,
            company.id,
            warehouse.stock_location_id,
            [
                CountedQuantity(product_id=pid, quantity=Decimal(1_000_000 if n < 5 else 10))
                for n, pid in enumerate(ids.product_ids)
            ],
        )

    try:
        await transact(session_factory(engine), build)
    finally:
        await engine.dispose()
    return ids


async def add_orders(ids: Catalog, partner_id: int, count: int) -> None:
    """`count` draft orders of 5 lines (2 of each of the first five products)."""
    engine = create_engine(DATABASE_URL)

    async def build(uow: UnitOfWork) -> None:
        for _ in range(count):
            await sales.create_sale_order(
                uow,
                ids.company_id,
                {"partner_id": partner_id},
                [{"product_id": pid, "quantity": Decimal(2)} for pid in ids.product_ids[:5]],
            )

    try:
        await transact(session_factory(engine), build)
    finally:
        await engine.dispose()


async def open_storefront(ids: Catalog) -> str:
    """Every product published in a web channel with a parcel delivery; its token."""
    engine = create_engine(DATABASE_URL)

    async def build(uow: UnitOfWork) -> str:
        await uow.session.execute(
            update(Product).where(Product.company_id == ids.company_id).values(published=True)
        )
        channel = await storefront.create_channel(
            uow, ids.company_id, {"code": "WEB", "name": "Web"}
        )
        shipping = await catalog.create_product(
            uow,
            ids.company_id,
            {"sku": "SHIPPING", "name": "Shipping", "type": ProductType.SERVICE},
        )
        await storefront.create_delivery_method(
            uow,
            ids.company_id,
            channel_id=channel.id,
            name="Parcel",
            product_id=shipping.id,
            price=Decimal("4.90"),
        )
        token = await storefront.create_storefront_token(uow, ids.company_id, channel.id, "Bench")
        return token.token

    try:
        return await transact(session_factory(engine), build)
    finally:
        await engine.dispose()
