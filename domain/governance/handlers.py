"""Governance's reactions: whoever creates a company administers it."""

from __future__ import annotations

from sqlalchemy import select

from domain.core.actors import ActorKind
from domain.core.events import CompanyCreated, subscribe
from domain.core.uow import UnitOfWork
from domain.governance.models import Membership, MembershipRole, Role
from domain.governance.roles import ADMIN_ROLE


@subscribe(CompanyCreated)
async def admit_creator(event: CompanyCreated, uow: UnitOfWork) -> None:
    """Whoever creates a company (not a superuser, who has them all) administers it."""
    actor = uow.actor
    if actor.superuser or actor.kind is not ActorKind.USER or actor.id is None:
        return
    admin = await uow.session.scalar(select(Role).where(Role.name == ADMIN_ROLE, Role.builtin))
    if admin is None:
        return
    membership = Membership(user_id=actor.id, company_id=event.company_id)
    uow.session.add(membership)
    await uow.session.flush()
    uow.session.add(MembershipRole(membership_id=membership.id, role_id=admin.id))
    await uow.session.flush()
