"""Configuration read from the environment (and an optional `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")


class Settings(BaseSettings):
    """Every knob of the service. Names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{VAR_DIR / 'erp.sqlite3'}",
        description="SQLAlchemy URL; postgresql+psycopg://... in production.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Dramatiq's Redis broker; unset means an in-process stub broker and worker.",
    )
    secret_key: str = Field(
        default="dev-secret-change-me-not-for-production",
        description="Signs access tokens; set a long random value in production.",
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_json: bool = Field(default=False, description="JSON log lines instead of console ones.")
    graphql_max_depth: int = Field(default=12, description="Deepest query accepted.")
    graphql_max_cost: int = Field(default=50_000, description="Costliest query accepted.")
    sql_echo: bool = Field(default=False, description="Log every SQL statement.")
    storefront_rate_per_token: int = Field(
        default=1200, description="Storefront requests a token may send per minute."
    )
    storefront_rate_per_address: int = Field(
        default=300, description="Storefront requests a client address may send per minute."
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
