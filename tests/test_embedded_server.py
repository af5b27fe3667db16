"""`make run`'s path end to end: migrate, demo data, `erp serve` with its in-process worker."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from domain.demo import DEMO_PASSWORD, DEMO_USERS

ERP = str(Path(sys.executable).with_name("erp"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str) -> None:
    """Return once the server at `url` answers /healthz; fail the test after 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("erp serve did not become healthy in 30 s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    database = tmp_path / "embedded.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    subprocess.run([ERP, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    demo = subprocess.run(
        [ERP, "demo"], env=env, check=True, capture_output=True, text=True, timeout=60
    )
    assert "Demo data loaded." in demo.stdout
    port = free_port()
    process = subprocess.Popen(
        [ERP, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield url, database
    finally:
        process.terminate()
        process.wait(timeout=10)


def outbox_states(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT topic, state FROM outbox_message ORDER BY id").fetchall()


def test_serve_with_demo_data_and_in_process_worker(server: tuple[str, Path]) -> None:
    url, database = server
    assert "graphiql" in httpx.get(f"{url}/graphql", headers={"accept": "text/html"}).text.lower()
    login = (
        "mutation($email: String!, $password: String!) { login(input: {email: $email, "
        "password: $password}) { tokens { accessToken } errors { code } } }"
    )
    signed_in = httpx.post(
        f"{url}/graphql",
        json={"query": login, "variables": {"email": DEMO_USERS[0][0], "password": DEMO_PASSWORD}},
    ).json()["data"]["login"]
    headers = {"Authorization": f"Bearer {signed_in['tokens']['accessToken']}"}
    query = "{ saleOrders(filter: {state: [DRAFT]}) { totalCount edges { node { id name } } } }"
    drafts = httpx.post(f"{url}/graphql", json={"query": query}, headers=headers).json()["data"][
        "saleOrders"
    ]
    # The demo has five quotations: three confirmed, one sent, one draft.
    assert drafts["totalCount"] == 1
    order = drafts["edges"][0]["node"]
    confirm = (
        "mutation($id: ID!) { saleOrderConfirm(id: $id) { saleOrder { state } errors { code } } }"
    )
    payload = httpx.post(
        f"{url}/graphql", json={"query": confirm, "variables": {"id": order["id"]}}, headers=headers
    ).json()
    assert payload["data"]["saleOrderConfirm"] == {"saleOrder": {"state": "SALE"}, "errors": []}

    # The demo's three confirmations and this one were relayed and run by the worker thread.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        states = outbox_states(database)
        if len(states) == 4 and all(state == "done" for _, state in states):
            break
        time.sleep(0.2)
    assert outbox_states(database) == [("sale_order.confirmed", "done")] * 4
