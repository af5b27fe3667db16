"""The example storefront end to end, as `make run` serves it: headless Chromium lists the
demo's products, searches, adds a lamp to the cart and checks out with the test provider
through the public API only; the back office then finds the order confirmed, its delivery
reserved and its invoice paid.

Needs Debian's `chromium` and `chromium-driver`; `.ci/run` installs them and sets
`E2E_BROWSER_REQUIRED=1`, so on CI a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.demo import DEMO_PASSWORD, DEMO_USERS
from tests.processes import free_port, wait_ready

ERP = str(Path(sys.executable).with_name("erp"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REQUIRED = os.environ.get("E2E_BROWSER_REQUIRED") == "1"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if REQUIRED:
        raise RuntimeError("E2E_BROWSER_REQUIRED=1 but chromium or chromedriver is missing")
    pytest.skip(
        "needs chromium and chromium-driver (.ci/run installs them)", allow_module_level=True
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as expected  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`make run`'s server on a free port: its address and the demo's storefront page."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'shop.sqlite3'}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    subprocess.run([ERP, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    demo = subprocess.run(
        [ERP, "demo", "--url", url], env=env, check=True, capture_output=True, text=True, timeout=60
    )
    page = re.search(r"Example storefront: (\S+)", demo.stdout)
    assert page, demo.stdout
    process = subprocess.Popen(
        [ERP, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(url, process)
        yield url, page.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def back_office(url: str, query: str) -> dict[str, Any]:
    login = httpx.post(
        f"{url}/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { tokens { accessToken } } }",
            "variables": {"e": DEMO_USERS[0][0], "p": DEMO_PASSWORD},
        },
    ).json()
    token = login["data"]["login"]["tokens"]["accessToken"]
    body = httpx.post(
        f"{url}/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert not body.get("errors"), body
    return body["data"]


def test_a_visitor_searches_adds_to_cart_and_pays(served: tuple[str, str], browser: Any) -> None:
    url, page = served
    wait = WebDriverWait(browser, 20)
    browser.get(page)
    wait.until(
        lambda driver: (
            driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true"
        )
    )
    listed = {
        element.get_attribute("data-sku")
        for element in browser.find_elements(By.CSS_SELECTOR, ".product")
    }
    assert {"DESK-001", "CHAIR-001", "LAMP-001", "CABLE-001"} <= listed
    assert "INSTALL" not in listed

    browser.find_element(By.ID, "search").send_keys("lamp")
    wait.until(
        lambda driver: (
            [e.get_attribute("data-sku") for e in driver.find_elements(By.CSS_SELECTOR, ".product")]
            == ["LAMP-001"]
        )
    )
    browser.find_element(By.CSS_SELECTOR, '.product[data-sku="LAMP-001"] button.add').click()
    wait.until(expected.text_to_be_present_in_element((By.ID, "cart-items"), "Desk Lamp"))

    for field, value in (
        ("email", "visitor@example.com"),
        ("name", "Vera Visitor"),
        ("street", "Rue Haute 5"),
        ("city", "Namur"),
    ):
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.ID, "place-order").click()
    wait.until(expected.text_to_be_present_in_element((By.ID, "order"), "is placed"))
    number = re.search(r"Order (S\d+)", browser.find_element(By.ID, "order").text)
    assert number, browser.find_element(By.ID, "order").text

    found = back_office(
        url,
        f"""{{ saleOrders(filter: {{search: "{number.group(1)}"}}) {{ edges {{ node {{
            name state partner {{ email }} amountTotal {{ amount }}
            deliveries {{ state }} invoices {{ state paymentState }} }} }} }} }}""",
    )
    order = found["saleOrders"]["edges"][0]["node"]
    assert (order["state"], order["partner"]["email"]) == ("SALE", "visitor@example.com")
    assert [delivery["state"] for delivery in order["deliveries"]] == ["ASSIGNED"]
    assert [(i["state"], i["paymentState"]) for i in order["invoices"]] == [("POSTED", "PAID")]
