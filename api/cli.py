"""`erp`: the process entrypoint, and the one place that wires the API to the job broker.

erp serve [--host --port]   the API (with an in-process worker when REDIS_URL is unset)
erp worker                  Dramatiq workers on Redis
erp scheduler               periodic jobs (run exactly one)
erp db upgrade              apply migrations
erp demo                    load demo data into an empty database
erp user create --admin     create the first administrator
erp replenish               run the replenishment scan of every company now
erp schema export           write the SDL to schema.graphql
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import typer

from domain.core.logs import configure_logging
from domain.core.settings import get_settings

app = typer.Typer(help="Headless ERP backend.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
schema_app = typer.Typer(help="GraphQL schema.", no_args_is_help=True)
user_app = typer.Typer(help="Users.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(schema_app, name="schema")

ROOT = Path(__file__).resolve().parent.parent


@app.callback()
def _setup() -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)


def app_with_jobs() -> Any:
    """The app of one server process, its commits kicking the job relay (`--workers`)."""
    from api.app import create_app
    from domain.core import outbox
    from jobs.actors import kick_relay

    outbox.on_commit(kick_relay)
    return create_app()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Server processes (with REDIS_URL set)."),
) -> None:
    """Serve the API, GraphiQL at /graphql."""
    import uvicorn

    from domain.core import outbox
    from jobs.actors import kick_relay
    from jobs.broker import broker

    outbox.on_commit(kick_relay)
    if get_settings().redis_url is None:
        # Embedded mode: the stub broker's messages run on a worker thread in this process.
        from dramatiq import Worker

        Worker(broker, worker_threads=1).start()
        workers = 1
    if workers > 1:
        uvicorn.run("api.cli:app_with_jobs", factory=True, host=host, port=port, workers=workers)
    else:
        from api.app import create_app

        uvicorn.run(create_app(), host=host, port=port, log_config=None)


@app.command()
def worker(
    processes: int = typer.Option(2, help="Worker processes."),
    threads: int = typer.Option(4, help="Threads per process."),
) -> None:
    """Run Dramatiq workers against Redis."""
    if get_settings().redis_url is None:
        typer.echo("REDIS_URL is not set: `erp serve` runs jobs in-process.", err=True)
        raise typer.Exit(1)
    command = [
        sys.executable,
        "-m",
        "dramatiq",
        "jobs.actors",
        "jobs.replenishment",
        "-p",
        str(processes),
        "-t",
        str(threads),
    ]
    # Replace this process, so stop signals reach Dramatiq's own graceful shutdown.
    os.execv(sys.executable, command)


@app.command()
def scheduler() -> None:
    """Enqueue periodic jobs; run exactly one."""
    from jobs.scheduler import run_forever

    run_forever()


@app.command()
def replenish(
    company: list[int] = typer.Option(
        None, "--company", help="Only this company (repeat for more); all by default."
    ),
) -> None:
    """Scan every company's reorder rules and order what is missing, with a progress bar."""
    from rich.progress import Progress
    from sqlalchemy import select

    from domain.core.actors import Actor
    from domain.core.db import create_engine, session_factory
    from domain.core.dispatcher import dispatch
    from domain.core.models import Company
    from domain.purchasing.commands import Replenish
    from domain.wiring import load_handlers

    async def scan() -> None:
        load_handlers()
        engine = create_engine(get_settings().database_url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session:
                ids = list(await session.scalars(select(Company.id).order_by(Company.id)))
            ids = [company_id for company_id in ids if not company or company_id in company]
            with Progress() as progress:
                task = progress.add_task("Replenishing", total=len(ids))
                for company_id in ids:
                    report = await dispatch(
                        sessions, Replenish(company_id=company_id), Actor.job("replenish")
                    )
                    progress.console.print(
                        f"Company {company_id}: {report.rules} rules, "
                        f"{len(report.orders_created)} requests created, "
                        f"{len(report.orders_extended)} extended, "
                        f"{len(report.transfers)} transfers, {len(report.skipped)} skipped."
                    )
                    progress.advance(task)
        finally:
            await engine.dispose()

    asyncio.run(scan())


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("heads")) -> None:
    """Apply migrations up to REVISION."""
    from alembic.config import Config

    from alembic import command

    command.upgrade(Config(str(ROOT / "alembic.ini")), revision)


@app.command()
def demo(force: bool = typer.Option(False, help="Load even if data exists.")) -> None:
    """Load demo data (a company, customers, products, orders) into an empty database."""
    from domain.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

    loaded = asyncio.run(load_demo(get_settings().database_url, force=force))
    typer.echo("Demo data loaded." if loaded else "The database has data; demo skipped.")
    typer.echo(
        f'Sign in with mutation login(input: {{email: "{DEMO_USERS[0][0]}", password: '
        f'"{DEMO_PASSWORD}"}}) and send its accessToken as `Authorization: Bearer <token>` '
        "(GraphiQL: the Headers tab)."
    )


@user_app.command("create")
def user_create(
    email: str = typer.Argument(..., help="Sign-in e-mail."),
    name: str = typer.Option(..., help="Full name."),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="ERP_USER_PASSWORD",
        help="At least 10 characters (asked for when not given).",
    ),
    admin: bool = typer.Option(False, "--admin", help="A superuser: everything, everywhere."),
) -> None:
    """Create a user; `--admin` makes the first administrator."""
    from domain.core.actors import Actor
    from domain.core.db import create_engine, session_factory
    from domain.core.dispatcher import dispatch
    from domain.core.errors import DomainError
    from domain.governance.commands import CreateUser
    from domain.wiring import load_handlers

    async def create() -> None:
        load_handlers()
        engine = create_engine(get_settings().database_url)
        try:
            command = CreateUser(
                company_id=0, email=email, name=name, password=password, superuser=admin
            )
            await dispatch(session_factory(engine), command, Actor.job("cli"))
        finally:
            await engine.dispose()

    try:
        asyncio.run(create())
    except DomainError as error:
        typer.echo(f"Not created: {error.message}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"User {email} created{' (superuser)' if admin else ''}.")


@schema_app.command("export")
def schema_export(
    output: Path = typer.Option(ROOT / "schema.graphql", help="Where to write the SDL."),
) -> None:
    """Write the GraphQL schema (SDL) to a file."""
    from api.schema import build_schema

    output.write_text(build_schema(get_settings()).as_str() + "\n")
    typer.echo(f"Wrote {output}")
