"""Playwright driving Debian's Chromium (never a browser downloaded by the test tool)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, ViewportSize

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed: run `apt-get install chromium` (make test does).")
    return path


@pytest.fixture
def phone_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport=PHONE, locale="ko-KR", device_scale_factor=1, is_mobile=True, has_touch=True)
        page = context.new_page()
        csp_errors: list[str] = []

        def on_console(msg: ConsoleMessage) -> None:
            if "Content Security Policy" in msg.text:
                csp_errors.append(msg.text)

        page.on("console", on_console)
        page.csp_errors = csp_errors  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
            browser.close()


def serious_violations(page: Any) -> list[dict[str, Any]]:
    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
