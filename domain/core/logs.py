"""Structured logs: key-value events, JSON in production, readable lines in a terminal.

One configuration for every logger of the process. Ours log through structlog; the libraries'
(uvicorn, strawberry, SQLAlchemy, Dramatiq, Alembic) log through the standard library, whose
root handler renders their records with the same processors, so `LOG_JSON=true` makes every
line JSON.
"""

from __future__ import annotations

import logging
import sys

import structlog

from domain.core.settings import Settings

#: Libraries' loggers kept quieter than the process's level: start-up chatter (`erp db
#: upgrade` and `downgrade` turn Alembic's back on to show each migration).
QUIET_LOGGERS = ("alembic",)


def configure_logging(settings: Settings) -> None:
    """Route every log record through structlog's processors to one stderr handler."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    rendering: list[structlog.types.Processor] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
        if settings.log_json
        else [structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())]
    )
    handler = logging.StreamHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *rendering],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # SQLAlchemy logs each statement at INFO on this logger; `echo=True` would add a plain
    # handler of its own instead.
    logging.getLogger("sqlalchemy.engine").setLevel(
        logging.INFO if settings.sql_echo else logging.WARNING
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelName(settings.log_level)
        ),
        cache_logger_on_first_use=True,
    )
