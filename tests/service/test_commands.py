"""The dispatcher: permissions checked before anything runs, idempotency keys, the audit record."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from domain.catalog import services as catalog
from domain.core.actors import Actor, ActorKind
from domain.core.dispatcher import Forbidden, IdempotencyConflict, dispatch
from domain.governance.models import AuditChange, AuditEvent
from domain.partners import services as partners
from domain.sales.commands import ConfirmSaleOrder, CreateSaleOrder
from domain.sales.models import SaleOrder
from tests.conftest import Db


async def _customer_and_product(db: Db) -> tuple[int, int]:
    async def create(uow: Any) -> tuple[int, int]:
        partner = await partners.create_partner(
            uow, db.company_id, {"name": "Azure Interior", "is_customer": True}
        )
        product = await catalog.create_product(
            uow, db.company_id, {"sku": "DESK", "name": "Desk", "list_price": Decimal("320.00")}
        )
        return partner.id, product.id

    return await db.run(create)


def seller(db: Db, user_id: int = 7, *permissions: str) -> Actor:
    granted = permissions or ("sales.read", "sales.write")
    return Actor(ActorKind.USER, user_id, f"user {user_id}", {db.company_id: frozenset(granted)})


def order(db: Db, partner: int, product: int, quantity: str, key: str | None) -> CreateSaleOrder:
    return CreateSaleOrder(
        company_id=db.company_id,
        values={"partner_id": partner},
        lines=({"product_id": product, "quantity": Decimal(quantity)},),
        idempotency_key=key,
    )


async def count(db: Db, model: Any) -> int:
    return await db.scalar(select(func.count()).select_from(model))


async def test_a_command_needs_its_permission_in_its_company(db: Db) -> None:
    partner, product = await _customer_and_product(db)
    with pytest.raises(Forbidden, match=r"sales\.write"):
        await dispatch(
            db.sessions, order(db, partner, product, "1", None), seller(db, 7, "sales.read")
        )
    elsewhere = Actor(ActorKind.USER, 8, "other", {db.company_id + 1: frozenset({"sales.write"})})
    with pytest.raises(Forbidden, match="not one of yours"):
        await dispatch(db.sessions, order(db, partner, product, "1", None), elsewhere)
    assert await count(db, SaleOrder) == 0
    assert await count(db, AuditEvent) == 0


async def test_the_same_key_gives_back_the_first_result_once(db: Db) -> None:
    partner, product = await _customer_and_product(db)
    first = await dispatch(db.sessions, order(db, partner, product, "2", "order-1"), seller(db))
    again = await dispatch(db.sessions, order(db, partner, product, "2", "order-1"), seller(db))
    assert again.id == first.id
    assert (await count(db, SaleOrder), await count(db, AuditEvent)) == (1, 1)
    # Another input under the same key is refused; nothing is created.
    with pytest.raises(IdempotencyConflict) as refused:
        await dispatch(db.sessions, order(db, partner, product, "3", "order-1"), seller(db))
    assert refused.value.field == ["idempotency_key"]
    assert await count(db, SaleOrder) == 1
    # Keys belong to their actor: another user's "order-1" is theirs.
    other = await dispatch(db.sessions, order(db, partner, product, "2", "order-1"), seller(db, 9))
    assert other.id != first.id
    assert await count(db, SaleOrder) == 2


async def test_concurrent_requests_with_one_key_make_one_record(db: Db) -> None:
    partner, product = await _customer_and_product(db)
    results = await asyncio.gather(
        *(
            dispatch(db.sessions, order(db, partner, product, "2", "retry-me"), seller(db))
            for _ in range(6)
        )
    )
    assert len({result.id for result in results}) == 1
    assert await count(db, SaleOrder) == 1


async def test_every_command_leaves_an_audit_record_of_who_changed_what(db: Db) -> None:
    partner, product = await _customer_and_product(db)
    manager = seller(db, 5, "sales.read", "sales.write", "sales.confirm")
    created = await dispatch(db.sessions, order(db, partner, product, "2", None), manager)
    await dispatch(
        db.sessions,
        ConfirmSaleOrder(company_id=db.company_id, id=created.id),
        manager,
        request_id="r-1",
    )
    async with db.sessions() as session:
        events = list(await session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        changes = list(
            await session.scalars(
                select(AuditChange).where(
                    AuditChange.event_id == events[1].id, AuditChange.record_type == "SaleOrder"
                )
            )
        )
    assert [(e.command, e.actor_kind, e.actor_id, e.request_id) for e in events] == [
        ("CreateSaleOrder", ActorKind.USER, 5, None),
        ("ConfirmSaleOrder", ActorKind.USER, 5, "r-1"),
    ]
    assert events[1].input == {"id": created.id}
    assert [(c.record_id, c.action, c.values["state"]) for c in changes] == [
        (created.id, "update", ["draft", "sale"])
    ]
