"""`LOG_JSON=true`: every logger of the process, ours and the libraries', writes JSON lines."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.processes import erp_env

PROGRAM = """
import logging, structlog
from sqlalchemy import create_engine, text
from domain.core.logs import configure_logging
from domain.core.settings import Settings

configure_logging(Settings(log_json=True, sql_echo=True))
structlog.get_logger("jobs.actors").info("outbox.relayed", count=2)
logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
logging.getLogger("dramatiq.worker.Worker").info("Worker is ready.")
try:
    raise ValueError("no such field")
except ValueError:
    logging.getLogger("strawberry.execution").exception("An error occurred")
with create_engine("sqlite://").connect() as connection:
    connection.execute(text("SELECT 1"))
"""


def test_every_logger_writes_json_lines() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=erp_env(), capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    events = [json.loads(line) for line in run.stderr.splitlines()]
    by_logger = {event["logger"]: event for event in events}
    assert by_logger["jobs.actors"]["count"] == 2
    assert by_logger["uvicorn.error"]["event"] == "Started server process [42]"
    assert by_logger["dramatiq.worker.Worker"]["level"] == "info"
    assert "ValueError: no such field" in by_logger["strawberry.execution"]["exception"]
    assert any(
        event["logger"].startswith("sqlalchemy.engine") and event["event"] == "SELECT 1"
        for event in events
    )
    assert all({"event", "level", "timestamp"} <= event.keys() for event in events)
