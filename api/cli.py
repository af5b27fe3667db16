"""`erp`: the process entrypoint, and the one place that wires the API to the job broker.

erp serve [--host --port]   the API (with an in-process worker when REDIS_URL is unset)
erp worker                  Dramatiq workers on Redis
erp scheduler               periodic jobs (run exactly one)
erp db upgrade|downgrade    apply or revert migrations; `erp db current` shows where it stands
erp company create          the first company (or another one)
erp demo                    load demo data into an empty database
erp user create --admin     create the first administrator
erp replenish               run the replenishment scan of every company now
erp schema export           write the SDL to schema.graphql

Modules are imported by the commands that need them, so `erp --help` answers at once. A wrong
setting, a database out of reach or missing migrations end the command with one line on
stderr and exit status 1 (`main`).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from domain.core.dispatcher import Command

T = TypeVar("T")

app = typer.Typer(
    help="Headless ERP backend.", no_args_is_help=True, pretty_exceptions_enable=False
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
company_app = typer.Typer(help="Companies.", no_args_is_help=True)
schema_app = typer.Typer(help="GraphQL schema.", no_args_is_help=True)
user_app = typer.Typer(help="Users.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(company_app, name="company")
app.add_typer(schema_app, name="schema")

ROOT = Path(__file__).resolve().parent.parent


class StartupError(Exception):
    """A command cannot run as configured; the message says what to do."""


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"erp {version('erp')}")
        raise typer.Exit()


@app.callback()
def _setup(
    _version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Show the version."
    ),
) -> None:
    from domain.core.logs import configure_logging
    from domain.core.settings import get_settings

    configure_logging(get_settings())


def main() -> None:
    """The console script: the commands, with their expected failures told in one line."""
    try:
        app()
    except Exception as error:
        message = _one_line(error)
        if message is None:
            raise
        typer.echo(f"erp: {message}", err=True)
        sys.exit(1)


def _one_line(error: Exception) -> str | None:
    """What a configuration or database error means, or None for a bug (a traceback)."""
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from domain.core.errors import DomainError

    if isinstance(error, StartupError):
        return str(error)
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, ValidationError):
        return "; ".join(
            ": ".join([*(str(part).upper() for part in item["loc"]), _reason(item["msg"])])
            for item in error.errors(include_url=False)
        )
    if isinstance(error, DBAPIError):
        return f"cannot use the database at {_database()}: {_first_line(error.orig)}"
    if isinstance(error, SQLAlchemyError):
        return f"cannot use the database at {_database()}: {_first_line(error)}"
    return None


def _reason(message: str) -> str:
    return message.removeprefix("Value error, ")


def _first_line(error: BaseException | None) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _database() -> str:
    from sqlalchemy.engine import make_url

    from domain.core.settings import get_settings

    return make_url(get_settings().database_url).render_as_string(hide_password=True)


async def _with_engine(work: Callable[[Any], Awaitable[T]]) -> T:
    from domain.core.db import create_engine
    from domain.core.settings import get_settings

    engine = create_engine(get_settings().database_url)
    try:
        return await work(engine)
    finally:
        await engine.dispose()


def _require_migrated() -> None:
    """Refuse to run on a database that lacks migrations (it would answer errors only)."""
    from domain.core.migrations import schema_state

    state = asyncio.run(_with_engine(schema_state))
    if not state.at_head:
        raise StartupError(f"{state.describe()}: run `erp db upgrade` first")


def _dispatch(command: Command[T]) -> T:
    """Run one command as the command line's job, the way the API runs a mutation."""
    from domain.core.actors import Actor
    from domain.core.db import session_factory
    from domain.core.dispatcher import dispatch
    from domain.wiring import load_handlers

    load_handlers()
    return asyncio.run(
        _with_engine(lambda engine: dispatch(session_factory(engine), command, Actor.job("cli")))
    )


def app_with_jobs() -> Any:
    """The app of one server process, its commits kicking the job relay (`--workers`).

    Each process is started afresh by uvicorn, so it sets up its own logging.
    """
    from api.app import create_app
    from domain.core import outbox
    from domain.core.logs import configure_logging
    from domain.core.settings import get_settings
    from jobs.actors import kick_relay

    configure_logging(get_settings())
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
    from domain.core.settings import get_settings
    from jobs.actors import kick_relay
    from jobs.broker import broker

    _require_migrated()
    outbox.on_commit(kick_relay)
    if get_settings().redis_url is not None and workers > 1:
        uvicorn.run(
            "api.cli:app_with_jobs",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
        )
        return
    from api.app import create_app

    # The app, every area and every actor are imported before any thread starts, so the
    # worker and the scheduler never import modules concurrently with this thread.
    served = create_app()
    if get_settings().redis_url is None:
        # Embedded mode: the stub broker's messages run on a worker thread in this process,
        # and a sweeper thread relays rows whose message was lost (a crash, a restart).
        from dramatiq import Worker

        from jobs.scheduler import start_embedded

        Worker(broker, worker_threads=1).start()
        start_embedded()
    uvicorn.run(served, host=host, port=port, log_config=None)


@app.command()
def worker(
    processes: int = typer.Option(2, help="Worker processes."),
    threads: int = typer.Option(4, help="Threads per process."),
) -> None:
    """Run Dramatiq workers against Redis."""
    from domain.core.settings import get_settings

    if get_settings().redis_url is None:
        raise StartupError("REDIS_URL is not set: `erp serve` runs jobs in-process")
    _require_migrated()
    command = [
        sys.executable,
        "-m",
        "dramatiq",
        "jobs.worker:setup",
        "jobs.replenishment",
        "--skip-logging",
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
    from domain.core.settings import get_settings
    from domain.purchasing.commands import Replenish
    from domain.wiring import load_handlers

    _require_migrated()

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


def _show_migrations() -> None:
    """Log each migration as it runs (Alembic's logs are quiet otherwise)."""
    import logging

    logging.getLogger("alembic").setLevel(logging.INFO)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("heads")) -> None:
    """Apply migrations up to REVISION."""
    from alembic import command
    from domain.core.migrations import alembic_config

    _show_migrations()
    command.upgrade(alembic_config(), revision)


# `-1` reads as an unknown option to the parser: let it through as the revision.
@db_app.command("downgrade", context_settings={"ignore_unknown_options": True})
def db_downgrade(
    revision: str = typer.Argument(..., help="A revision, `-1` for one step, `base` for all."),
) -> None:
    """Revert migrations down to REVISION."""
    from alembic import command
    from domain.core.migrations import alembic_config

    _show_migrations()
    command.downgrade(alembic_config(), revision)


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision and whether it is the latest."""
    from domain.core.migrations import schema_state

    state = asyncio.run(_with_engine(schema_state))
    applied = ", ".join(sorted(state.applied)) or "none (an empty database)"
    typer.echo(f"{applied} ({'up to date' if state.at_head else 'run `erp db upgrade`'})")
    if not state.at_head:
        raise typer.Exit(1)


@company_app.command("create")
def company_create(
    name: str = typer.Option(..., help="The company's name."),
    currency: str = typer.Option(..., help="Its currency's ISO code, e.g. EUR."),
    email: str | None = typer.Option(None, help="Its e-mail address."),
    vat: str | None = typer.Option(None, help="Its VAT number."),
    country: str | None = typer.Option(None, help="Its country's ISO code, e.g. BE."),
) -> None:
    """Create a company (the first one, on a fresh install)."""
    from domain.core.commands import CreateCompany

    _require_migrated()
    company = _dispatch(
        CreateCompany(
            company_id=0, name=name, currency=currency, vat=vat, email=email, country_code=country
        )
    )
    typer.echo(f"Company {company.name!r} created.")


@app.command()
def demo(
    force: bool = typer.Option(False, help="Load even if data exists."),
    url: str = typer.Option("http://127.0.0.1:8000", help="Where the server will listen."),
) -> None:
    """Load demo data (a company, customers, products, orders) into an empty database."""
    from domain.core.settings import get_settings
    from domain.demo import DEMO_PASSWORD, DEMO_USERS, load_demo, storefront_token

    _require_migrated()
    loaded = asyncio.run(load_demo(get_settings().database_url, force=force))
    typer.echo("Demo data loaded." if loaded else "The database has data; demo skipped.")
    typer.echo(
        f'Sign in with mutation login(input: {{email: "{DEMO_USERS[0][0]}", password: '
        f'"{DEMO_PASSWORD}"}}) and send its accessToken as `Authorization: Bearer <token>` '
        "(GraphiQL: the Headers tab)."
    )
    token = asyncio.run(storefront_token(get_settings().database_url))
    if token:
        typer.echo(f"Example storefront: {url}/storefront/?token={token}")


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
    from domain.governance.commands import CreateUser

    _require_migrated()
    _dispatch(CreateUser(company_id=0, email=email, name=name, password=password, superuser=admin))
    typer.echo(f"User {email} created{' (superuser)' if admin else ''}.")


@schema_app.command("export")
def schema_export(
    output: Path = typer.Option(ROOT / "schema.graphql", help="Where to write the SDL."),
) -> None:
    """Write the GraphQL schema (SDL) to a file."""
    from api.schema import build_schema
    from domain.core.settings import get_settings

    output.write_text(build_schema(get_settings()).as_str() + "\n")
    typer.echo(f"Wrote {output}")
