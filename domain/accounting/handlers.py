"""Accounting's reactions: a chart of accounts for every new company."""

from __future__ import annotations

from domain.accounting import chart
from domain.core.events import CompanyCreated, subscribe
from domain.core.uow import UnitOfWork


@subscribe(CompanyCreated)
async def install_chart_of_accounts(event: CompanyCreated, uow: UnitOfWork) -> None:
    await chart.install_chart(uow, event.company_id)
