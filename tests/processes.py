"""Running `erp` as a subprocess, the way an operator does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

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


def wait_ready(url: str, process: subprocess.Popen[Any], seconds: float = 180.0) -> None:
    """Return once the server at `url` is ready (`/readyz`); fail when it exits first or is
    not ready within `seconds` (start-up on a busy two-core machine can take a while)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"erp serve exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"erp serve was not ready within {seconds:.0f} s")
