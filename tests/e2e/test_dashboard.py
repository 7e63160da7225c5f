"""The dashboard in a real browser: `orderflow dashboard` in front of the running system,
driven by Playwright in the machine's Chromium (Debian's; never a browser of
Playwright's own download).

What a person would do: place an order with each preset and watch it reach its
end on the order page and in the feed, see the connector turn red while it is
paused, open the dead letters and the schemas. The page is found by the hooks
that the dashboard's contract names (data-testid, data-node, data-preset). Other
tests share the stack, so nothing here assumes an empty feed, and each order
is one of ours, found by its id.

Screenshots of the overview and of an order go to ``ORDERFLOW_SCREENSHOT_DIR``
when set (scripts/dashboard-screenshots points it at docs/images), else to
pytest's tmp_path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from playwright.sync_api import Browser, Page, Request, ViewportSize, expect, sync_playwright

from orderflow.events.ids import UserId
from orderflow.services.order.status import Status
from orderflow.services.payment.accounts import balance_of
from orderflow.stack.connector import outbox_connector, state

from .client import place, wait_terminal
from .kafka import dead_lettered
from .system import System, wait_for

pytestmark = pytest.mark.stack

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
# An order reaches its end in well under a second when well; a snapshot comes every
# dashboard_refresh_s (2 s). These are the deadlines of something that is not coming.
ORDER_MS = 60_000
LIVE_MS = 30_000
CONNECTOR = "[data-testid=pipeline] [data-node=connector]"


@pytest.fixture(scope="module")
def dashboard(system: System, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`orderflow dashboard` as the launcher runs it, on the session stack; its URL."""
    settings = system.settings
    url = f"http://{settings.host}:{settings.dashboard_port}"
    log_path = tmp_path_factory.mktemp("dashboard") / "dashboard.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "orderflow", "dashboard"],
            env={**os.environ, **settings.as_env()},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def alive() -> bool | None:
        if process.poll() is not None:
            raise AssertionError(
                f"the dashboard exited with {process.returncode}:\n"
                + log_path.read_text(errors="replace")
            )
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200 or None
        except httpx.TransportError:
            return None

    try:
        wait_for("the dashboard's /healthz", alive, 60)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium is not None, "no chromium on PATH: scripts/install-system-deps installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield launched
        launched.close()


def _open(browser: Browser, dashboard: str, viewport: ViewportSize) -> Iterator[Page]:
    """A fresh browser context; after the test, the page must have thrown nothing and
    asked nothing of any other origin (it works offline: no CDN)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    thrown: list[str] = []
    elsewhere: list[str] = []

    def asked(request: Request) -> None:
        if not request.url.startswith((f"{dashboard}/", "data:", "blob:")):
            elsewhere.append(request.url)

    page.on("pageerror", lambda error: thrown.append(str(error)))
    page.on("request", asked)
    try:
        yield page
    finally:
        context.close()
    assert thrown == [], f"the page threw: {thrown}"
    assert elsewhere == [], f"the page asked other origins: {elsewhere}"


@pytest.fixture
def page(browser: Browser, dashboard: str) -> Iterator[Page]:
    yield from _open(browser, dashboard, DESKTOP)


@pytest.fixture
def phone(browser: Browser, dashboard: str) -> Iterator[Page]:
    yield from _open(browser, dashboard, PHONE)


def _overview(page: Page, dashboard: str) -> None:
    page.goto(f"{dashboard}/#/")
    expect(page.locator(CONNECTOR)).to_be_visible(timeout=LIVE_MS)


def _place_with_preset(page: Page, preset: str) -> str:
    """Fill the form with a preset, submit it, and follow the page to the new order's."""
    form = page.locator("form#place-order")
    page.locator(f'button[data-preset="{preset}"]').click()
    form.locator("button:not([type]), [type=submit]").click()
    expect(page).to_have_url(re.compile(r"#/orders/[^/]+$"), timeout=LIVE_MS)
    return page.url.rsplit("#/orders/", 1)[1]


def _timeline_shows(page: Page, statuses: list[Status]) -> None:
    # Presence, not order: the status service may see two topics' events in either
    # order (a payment before the shipment it followed), and the page sorts by time.
    timeline = page.get_by_test_id("order-timeline")
    for status in statuses:
        expect(timeline).to_contain_text(status.value)


def test_a_paid_order_on_its_page_and_in_the_feed(page: Page, dashboard: str) -> None:
    _overview(page, dashboard)
    order_id = _place_with_preset(page, "paid")

    expect(page.get_by_test_id("order-status")).to_have_text(Status.PAID.value, timeout=ORDER_MS)
    _timeline_shows(
        page, [Status.ORDER_CREATED, Status.INVENTORY_CONFIRMED, Status.SHIPPED, Status.PAID]
    )
    expect(page.get_by_test_id("order-items")).to_contain_text("item1")
    expect(page.get_by_test_id("trace-id")).to_have_text(re.compile(r"\S"))

    page.locator('a[href="#/"]').first.click()
    row = page.locator(f'[data-testid=order-feed] [data-order-id="{order_id}"]')
    expect(row).to_contain_text(Status.PAID.value, timeout=LIVE_MS)
    link = page.locator(f'[data-testid=order-feed] a[href="#/orders/{order_id}"]').first
    link.click()
    expect(page.get_by_test_id("order-status")).to_have_text(Status.PAID.value)


def test_an_order_of_a_sold_out_item_fails_its_inventory(page: Page, dashboard: str) -> None:
    _overview(page, dashboard)
    _place_with_preset(page, "no-stock")

    status = page.get_by_test_id("order-status")
    expect(status).to_have_text(Status.INVENTORY_FAILED.value, timeout=ORDER_MS)
    expect(page.get_by_test_id("order-items")).to_contain_text("item3")


def test_a_declined_payment_ends_cancelled(page: Page, dashboard: str, system: System) -> None:
    _overview(page, dashboard)
    form = page.locator("form#place-order")
    page.locator('button[data-preset="no-money"]').click()
    expect(form.locator("input[name=noMoney]")).to_be_checked()
    user = form.locator("input[name=userId]").input_value()
    assert user.startswith("broke-"), user
    form.locator("button:not([type]), [type=submit]").click()

    # Declined, then compensated: the reservation released and the shipment cancelled.
    status = page.get_by_test_id("order-status")
    expect(status).to_have_text(Status.CANCELLED.value, timeout=ORDER_MS)
    _timeline_shows(page, [Status.ORDER_CREATED, Status.PAYMENT_FAILED, Status.CANCELLED])
    with psycopg.connect(system.settings.postgres_dsn) as conn:
        assert balance_of(conn, UserId(user)) == 0  # set to 0 by the page, nothing charged


def test_a_paused_connector_is_drawn_red(page: Page, dashboard: str, system: System) -> None:
    settings = system.settings
    name, _ = outbox_connector(settings)
    _overview(page, dashboard)
    node = page.locator(CONNECTOR)
    expect(node).to_have_attribute("data-alert", "false", timeout=LIVE_MS)

    paused = httpx.put(f"{settings.connect_url}/connectors/{name}/pause", timeout=10)
    assert paused.status_code == 202, paused.text
    try:
        expect(node).to_have_attribute("data-alert", "true", timeout=LIVE_MS)
        expect(node).to_contain_text(re.compile("paused", re.IGNORECASE))
    finally:
        # The stack is the session's: every later test needs the connector running.
        resumed = httpx.put(f"{settings.connect_url}/connectors/{name}/resume", timeout=10)
        assert resumed.status_code == 202, resumed.text
        wait_for(
            f"connector {name} to run again",
            lambda: True if (found := state(settings, name)) and found.running else None,
            60,
        )
    expect(node).to_have_attribute("data-alert", "false", timeout=LIVE_MS)


def test_the_dead_letters_and_the_schemas(page: Page, dashboard: str, system: System) -> None:
    # One letter of our own, so the table has at least a row whatever ran before.
    dead_lettered(system.settings, "OrderEventsTopic", b"\x00\x00\x00\x00\x07not avro")
    _overview(page, dashboard)

    page.locator('a[href="#/dead-letters"]').first.click()
    letters = page.get_by_test_id("dead-letters")
    expect(letters).to_be_visible(timeout=LIVE_MS)
    ours = letters.locator("tr").filter(has_text="OrderEventsTopic").filter(has_text="inventory")
    expect(ours.first).to_be_visible(timeout=LIVE_MS)

    page.locator('a[href="#/schemas"]').first.click()
    schemas = page.get_by_test_id("schemas")
    expect(schemas).to_contain_text("OrderEventsTopic-value", timeout=LIVE_MS)


def _screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ORDERFLOW_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _charted(dashboard: str) -> bool | None:
    """Whether the charts' history has a curve: completed orders, and a few points of
    their latency (a histogram's quantile needs two scrapes, 5 s apart)."""
    history = httpx.get(f"{dashboard}/api/history", params={"minutes": 10}, timeout=10)
    if history.status_code != 200:
        return None
    found = history.json()
    completed = any(value > 0 for _, value in found["completedPerSecond"])
    return (completed and len(found["p50Ms"]) >= 3 and len(found["p99Ms"]) >= 3) or None


def test_screenshots(
    page: Page, phone: Page, dashboard: str, http: httpx.Client, tmp_path: Path
) -> None:
    folder = _screenshot_dir(tmp_path)
    orders: list[str] = []

    def busy_until_charted() -> bool | None:
        # Waves of our own orders, each followed to its end, until the history shows
        # them: the feed is full and the charts have a curve to draw.
        wave = [place(http, f"user-{uuid.uuid4()}", ["item1"]) for _ in range(5)]
        for order_id in wave:
            wait_terminal(http, order_id)
        orders.extend(wave)
        return _charted(dashboard)

    wait_for("the dashboard's history to chart our orders", busy_until_charted, 120, 0)

    _overview(page, dashboard)
    feed = page.locator(f'[data-testid=order-feed] [data-order-id="{orders[-1]}"]')
    expect(feed).to_contain_text(Status.PAID.value, timeout=LIVE_MS)
    for chart in ("chart-throughput", "chart-latency"):
        expect(page.get_by_test_id(chart).locator("canvas").first).to_be_visible()
    page.screenshot(path=folder / "dashboard-desktop.png")

    page.goto(f"{dashboard}/#/orders/{orders[-1]}")
    status = page.get_by_test_id("order-status")
    expect(status).to_have_text(Status.PAID.value, timeout=LIVE_MS)
    page.screenshot(path=folder / "dashboard-order.png")

    _overview(phone, dashboard)
    expect(phone.locator(f'[data-testid=order-feed] [data-order-id="{orders[-1]}"]')).to_be_visible(
        timeout=LIVE_MS
    )
    # Phone width: the pipeline scrolls or stacks inside the page, the page does not widen.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (
        f"the overview is {width} px wide on a {PHONE['width']} px phone"
    )
    phone.screenshot(path=folder / "dashboard-phone.png")
