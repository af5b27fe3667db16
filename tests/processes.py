"""Running `erp` as a subprocess, the way an operator does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ERP = str(Path(sys.executable).with_name("erp"))
#: Settings a test's subprocess must not inherit from the test process or the shell.
INHERITED_SETTINGS = (
    "DATABASE_URL",
    "REDIS_URL",
    "ENVIRONMENT",
    "SECRET_KEY",
    "LOG_LEVEL",
    "LOG_JSON",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def erp_env(**settings: str) -> dict[str, str]:
    """The environment for `erp`: this one without our settings, plus `settings`."""
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_SETTINGS}
    env.update(settings)
    return env


def run_erp(
    *args: str, cwd: Path | None = None, **settings: str
) -> subprocess.CompletedProcess[str]:
    """Run `erp ARGS` to its end with `settings` as environment variables."""
    return subprocess.run(
        [ERP, *args], env=erp_env(**settings), cwd=cwd, capture_output=True, text=True, timeout=120
    )
