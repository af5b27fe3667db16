"""Configuration read from the environment (and an optional `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

#: The project's root (alembic.ini, alembic/ and var/ live there), whatever the working directory.
ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = ROOT / "var"
#: The development value of SECRET_KEY; refused outside development.
DEVELOPMENT_SECRET_KEY = "dev-secret-change-me-not-for-production"
#: The async driver each database is reached with, so `sqlite:///x.db` and `postgresql://...`
#: work as written.
ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class Settings(BaseSettings):
    """Every knob of the service. Names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="development",
        description="`production` refuses the development SECRET_KEY.",
    )
    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{VAR_DIR / 'erp.sqlite3'}",
        description="SQLAlchemy URL; postgresql+psycopg://... in production.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Dramatiq's Redis broker; unset means an in-process stub broker and worker.",
    )
    secret_key: str = Field(
        default=DEVELOPMENT_SECRET_KEY,
        description="Signs access tokens; set a long random value in production.",
    )
    log_level: LogLevel = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_json: bool = Field(default=False, description="JSON log lines instead of console ones.")
    graphql_max_depth: int = Field(default=12, description="Deepest query accepted.")
    graphql_max_cost: int = Field(default=50_000, description="Costliest query accepted.")
    sql_echo: bool = Field(default=False, description="Log every SQL statement.")
    graphql_max_tokens: int = Field(default=10_000, description="Most tokens in one document.")
    graphql_max_selections: int = Field(
        default=1_000, description="Most fields written in one document."
    )
    graphql_max_repeats: int = Field(
        default=10,
        description="Most times one field (or alias) is selected in one selection set.",
    )
    graphql_max_spreads: int = Field(
        default=100, description="Most fragment spreads in a document."
    )
    graphql_max_directives: int = Field(default=50, description="Most directives in a document.")
    graphql_max_aliases: int = Field(default=50, description="Most aliases in a document.")
    graphql_max_node_ids: int = Field(default=100, description="Most IDs one `nodes` lookup takes.")
    max_body_bytes: int = Field(
        default=1_048_576, description="Largest request body accepted, in bytes (413 above)."
    )
    rate_limit: str | None = Field(
        default="1000/minute",
        description="Requests per client (address and token), e.g. `1000/minute`; empty: none.",
    )
    cors_origins: list[str] = Field(
        default=[], description="Origins browsers may call the API from; none: same origin only."
    )
    metrics_token: str | None = Field(
        default=None, description="When set, /metrics asks for `Authorization: Bearer <token>`."
    )
    storefront_rate_per_token: int = Field(
        default=1200, description="Storefront requests a token may send per minute."
    )
    storefront_rate_per_address: int = Field(
        default=300, description="Storefront requests a client address may send per minute."
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_any_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                f"{value!r} is not a database URL (sqlite:///path or postgresql://user@host/db)"
            ) from None
        driver = ASYNC_DRIVERS.get(url.drivername)
        if driver is not None:
            url = url.set(drivername=driver)
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"{backend!r}: only PostgreSQL and SQLite are supported")
        return url.render_as_string(hide_password=False)

    @model_validator(mode="after")
    def _secret_key_set_outside_development(self) -> Settings:
        if self.environment != "development" and self.secret_key in ("", DEVELOPMENT_SECRET_KEY):
            raise ValueError(
                f"SECRET_KEY is empty or the development value; set a secret of your own "
                f"(ENVIRONMENT={self.environment})"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
