#!/usr/bin/env python3
"""Measure what a browser downloads per page: the size budget of docs/frontend.md.

    make run   # or any running instance
    .venv/bin/python frontend/measure.py http://127.0.0.1:8000 / /diagnosis/step/0/ /privacy/

Opens the pages in order in one Chromium tab (Debian's /usr/bin/chromium through
Playwright, 360 px wide, Korean) and prints, per page, every response that was not
already downloaded on an earlier page, with its compressed size: gzip -9 for text
(what WhiteNoise serves), raw size for woff2 (already compressed).  The first page
is the "first visit" (budget 300 KB), each later one a "later page" (budget 30 KB).
"""

from __future__ import annotations

import gzip
import shutil
import sys
from typing import Any

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_VISIT_BUDGET = 300 * 1024
LATER_PAGE_BUDGET = 30 * 1024


def transfer_size(url: str, body: bytes) -> int:
    if url.split("?")[0].endswith(".woff2"):
        return len(body)
    return len(gzip.compress(body, 9))


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    if len(argv) < 3:
        print(__doc__)
        return 2
    base, paths = argv[1].rstrip("/"), argv[2:]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("Debian's chromium is needed: apt-get install chromium")
        return 2
    seen: set[str] = set()
    over = False
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        context = browser.new_context(
            viewport={"width": 360, "height": 800},
            locale="ko-KR",
            extra_http_headers={"Accept-Language": "ko"},
        )
        page = context.new_page()
        responses: list[tuple[str, int, bytes]] = []

        def record(response: Any) -> None:
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                body = b""
            responses.append((response.url, response.status, body))

        page.on("response", record)
        for number, path in enumerate(paths):
            responses.clear()
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            rows = []
            for url, status, body in responses:
                if url in seen or not 200 <= status < 300:
                    continue
                seen.add(url)
                rows.append((transfer_size(url, body), url.replace(base, "")))
            total = sum(size for size, _ in rows)
            budget = FIRST_VISIT_BUDGET if number == 0 else LATER_PAGE_BUDGET
            over |= total > budget
            label = "first visit" if number == 0 else "later page"
            print(f"\n{path}  ({label}): {total / 1024:.1f} KB of {budget // 1024} KB")
            for size, url in sorted(rows, reverse=True):
                print(f"  {size:8d}  {url}")
        browser.close()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
