"""`make run`'s path end to end: migrate, demo data, `erp serve` with its in-process worker."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from domain.demo import DEMO_PASSWORD, DEMO_USERS
from tests.processes import ERP, erp_env, free_port, run_erp

#: Start-up on a busy two-core machine can take a while; the server dying ends the wait.
READY_WITHIN = 180.0


@dataclass
class Server:
    url: str
    database: Path
    output: Path

    def lines(self) -> list[str]:
        return self.output.read_text().splitlines()


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `condition` until it holds; fail saying `what` did not happen in time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds:.0f} s")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module's tests (start-up is the slow part); they run in order."""
    tmp_path = tmp_path_factory.mktemp("embedded")
    database = tmp_path / "embedded.sqlite3"
    settings = {"DATABASE_URL": f"sqlite:///{database}", "LOG_JSON": "true"}
    for command in (["db", "upgrade"], ["demo"]):
        done = run_erp(*command, **settings)
        assert done.returncode == 0, done.stderr
    assert "Demo data loaded." in done.stdout
    server = Server(f"http://127.0.0.1:{free_port()}", database, tmp_path / "serve.log")
    with server.output.open("w") as output:
        process = subprocess.Popen(
            [ERP, "serve", "--port", server.url.rsplit(":", 1)[1]],
            env=erp_env(**settings),
            stdout=output,
            stderr=subprocess.STDOUT,
        )

    def ready() -> bool:
        if process.poll() is not None:
            pytest.fail(f"erp serve exited with {process.returncode}:\n{server.output.read_text()}")
        try:
            return httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    try:
        try:
            wait_until(ready, READY_WITHIN, "erp serve was not ready")
        except pytest.fail.Exception as timeout:
            pytest.fail(f"{timeout}:\n{server.output.read_text()}")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def outbox_states(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT topic, state FROM outbox_message ORDER BY id").fetchall()


def leave_rows_as_a_crash_does(database: Path) -> None:
    """A row committed but never relayed, and one relayed long ago but never run."""
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO outbox_message (topic, payload, state, attempts, created_at, sent_at)"
            " VALUES (?, '{}', ?, 0, ?, ?)",
            [
                ("crash.pending", "pending", long_ago, None),
                ("crash.sent", "sent", long_ago, long_ago),
            ],
        )


def test_serve_with_demo_data_and_in_process_worker(server: Server) -> None:
    url, database = server.url, server.database
    # The demo's three confirmations, and two rows a crash left behind, are relayed and run
    # by the worker thread without any new commit: the embedded scheduler sweeps them.
    leave_rows_as_a_crash_does(database)
    wait_until(
        lambda: all(state == "done" for _, state in outbox_states(database)),
        60,
        "the outbox rows were not swept",
    )
    assert len(outbox_states(database)) == 5

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
    # This confirmation is relayed right after its commit.
    wait_until(
        lambda: outbox_states(database)[5:] == [("sale_order.confirmed", "done")],
        60,
        "the confirmation was not relayed",
    )

    # Every line the server wrote, uvicorn's and the relay's alike, is one JSON object.
    events = [json.loads(line) for line in server.lines()]
    loggers = {event.get("logger") for event in events}
    assert {"uvicorn.error", "uvicorn.access", "jobs.actors", "jobs.scheduler"} <= loggers
    assert all({"event", "level", "timestamp"} <= event.keys() for event in events)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_graphiql_renders_with_every_other_site_out_of_reach(
    server: Server, tmp_path: Path
) -> None:
    dom = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path}",
            # Every host name but the server's fails to resolve: offline, as far as it knows.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=20000",
            "--dump-dom",
            f"{server.url}/graphql",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    assert "graphiql-editor" in dom  # React rendered GraphiQL's editors
    assert "Quotations" in dom  # opened on the example document
    assert "Headers" in dom
