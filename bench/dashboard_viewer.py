"""One browser watching the dashboard, for measuring what a viewer costs the system.

Opens the page in the system's headless Chromium (Debian's, as the browser test
drives it), waits until the live pipeline is drawn, then keeps it open. Run a
benchmark with and without it and compare the two reports:

    .venv/bin/orderflow bench --rate 300                        # report A: nobody watching
    .venv/bin/python bench/dashboard_viewer.py http://127.0.0.1:8094 120 &
    .venv/bin/orderflow bench --rate 300                        # report B: one viewer
    .venv/bin/orderflow bench --compare bench/reports/<A> bench/reports/<B>
"""

from __future__ import annotations

import argparse
import shutil
import time

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the dashboard, e.g. http://127.0.0.1:8094")
    parser.add_argument("seconds", type=float, help="how long to keep it open")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        parser.error("no chromium on PATH; scripts/install-system-deps installs it")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(args.url)
        page.wait_for_selector("[data-testid=pipeline] [data-node=connector]", timeout=60_000)
        started = time.monotonic()
        # The page's own event loop keeps running while we wait in Playwright's.
        page.wait_for_timeout(args.seconds * 1000)
        print(f"watched {args.url} for {time.monotonic() - started:.0f} s")
        browser.close()


if __name__ == "__main__":
    main()
