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
    secret_key: str = Field(default="dev-secret-change-me", description="Signs tokens.")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
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


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
