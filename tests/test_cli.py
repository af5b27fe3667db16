"""`erp`: fast help, one clear line for each start-up mistake, and the first-run commands."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from domain.core.settings import ROOT, Settings
from tests.processes import free_port, run_erp


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("erp: ")
    for word in words:
        assert word in lines[0]


def test_help_imports_the_command_line_only() -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, api.cli; print(sorted(m for m in sys.modules"
            " if m.split('.')[0] in {'api', 'domain', 'jobs', 'sqlalchemy', 'strawberry',"
            " 'pydantic_settings', 'structlog', 'dramatiq', 'alembic'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "['api', 'api.cli']"
    help_text = run_erp("--help")
    assert help_text.returncode == 0
    assert "company" in help_text.stdout


def test_version() -> None:
    result = run_erp("--version")
    assert (result.returncode, result.stdout) == (0, "erp 0.1.0\n")


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"DATABASE_URL": "erp.sqlite3"}, ["DATABASE_URL", "not a database URL"]),
        ({"DATABASE_URL": "mysql://erp@localhost/erp"}, ["only PostgreSQL and SQLite"]),
        ({"LOG_LEVEL": "verbose"}, ["LOG_LEVEL", "'DEBUG', 'INFO', 'WARNING' or 'ERROR'"]),
        ({"ENVIRONMENT": "production"}, ["SECRET_KEY is empty or the development value"]),
        (
            {"DATABASE_URL": f"postgresql://erp:hunter2@127.0.0.1:{free_port()}/erp"},
            ["cannot use the database at postgresql+psycopg://erp:***@127.0.0.1", "refused"],
        ),
    ],
    ids=["not-a-url", "other-database", "log-level", "default-secret", "unreachable"],
)
def test_a_wrong_setting_is_one_line_and_a_failure(
    settings: dict[str, str], words: list[str]
) -> None:
    assert_one_line_failure(run_erp("db", "current", **settings), *words)


def test_urls_without_a_driver_get_the_async_one() -> None:
    assert Settings(database_url="sqlite:///x.db").database_url == "sqlite+aiosqlite:///x.db"
    assert (
        Settings(database_url="postgresql://erp:pw@db/erp").database_url
        == "postgresql+psycopg://erp:pw@db/erp"
    )
    assert Settings(database_url="postgres://db/erp").database_url == "postgresql+psycopg://db/erp"


def test_the_sqlite_default_does_not_depend_on_the_working_directory() -> None:
    default = Settings.model_fields["database_url"].default
    assert default == f"sqlite+aiosqlite:///{ROOT / 'var' / 'erp.sqlite3'}"


def test_production_needs_a_secret_key_of_its_own() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY is empty or the development value"):
        Settings(environment="production")
    with pytest.raises(ValidationError, match="SECRET_KEY is empty"):
        Settings(environment="production", secret_key="")
    assert Settings(environment="production", secret_key="s3cret-from-the-vault").secret_key


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "empty.sqlite3")
    for command in (["serve", "--port", str(free_port())], ["demo"]):
        result = run_erp(*command, DATABASE_URL=url)
        assert_one_line_failure(result, "schema is at none", "run `erp db upgrade` first")


def test_first_run_migrate_create_the_company_and_step_back(tmp_path: Path) -> None:
    # A relative path, as written, in the directory the commands run in.
    settings = {"DATABASE_URL": "sqlite:///erp.sqlite3", "LOG_JSON": "true"}
    upgrade = run_erp("db", "upgrade", cwd=tmp_path, **settings)
    assert upgrade.returncode == 0, upgrade.stderr
    ran = [json.loads(line)["event"] for line in upgrade.stderr.splitlines()]
    assert any(event.startswith("Running upgrade") for event in ran)
    current = run_erp("db", "current", cwd=tmp_path, **settings)
    assert current.returncode == 0
    head = current.stdout.split()[0]
    assert current.stdout == f"{head} (up to date)\n"

    created = run_erp(
        "company",
        "create",
        "--name",
        "Acme",
        "--currency",
        "eur",
        "--country",
        "BE",
        cwd=tmp_path,
        **settings,
    )
    assert (created.returncode, created.stdout) == (0, "Company 'Acme' created.\n")
    with sqlite3.connect(tmp_path / "erp.sqlite3") as connection:
        rows = connection.execute(
            "SELECT company.name, currency.code, company.country_code FROM company"
            " JOIN currency ON currency.id = company.currency_id"
        ).fetchall()
    assert rows == [("Acme", "EUR", "BE")]
    # The service's rules hold here as in the API: one line, nothing written.
    again = run_erp(
        "company", "create", "--name", "Acme", "--currency", "XYZ", cwd=tmp_path, **settings
    )
    assert_one_line_failure(again, "A company named 'Acme' exists.")

    assert run_erp("db", "downgrade", "-1", cwd=tmp_path, **settings).returncode == 0
    behind = run_erp("db", "current", cwd=tmp_path, **settings)
    assert behind.returncode == 1
    assert behind.stdout.split()[0] != head
    assert "run `erp db upgrade`" in behind.stdout
