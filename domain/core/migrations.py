"""The schema's history (Alembic) and whether a database has all of it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.settings import ROOT


def alembic_config(database_url: str | None = None) -> Config:
    """Alembic's configuration; the logging set up by the process is left as it is."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["skip_logging"] = True
    if database_url is not None:
        config.attributes["database_url"] = database_url
    return config


@lru_cache
def head_revisions() -> frozenset[str]:
    """The latest revisions of the history (read once: they change only with the code)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


@dataclass(frozen=True)
class SchemaState:
    applied: frozenset[str]
    heads: frozenset[str]

    @property
    def at_head(self) -> bool:
        return self.applied == self.heads

    def describe(self) -> str:
        applied = ", ".join(sorted(self.applied)) or "none"
        return (
            f"the database's schema is at {applied}, the code's at {', '.join(sorted(self.heads))}"
        )


async def schema_state(engine: AsyncEngine) -> SchemaState:
    """The revisions the database is at, beside the code's; raises if it is out of reach."""
    async with engine.connect() as connection:
        applied = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return SchemaState(frozenset(applied), head_revisions())
