#!/usr/bin/env python3
"""Measure what a browser downloads per page: the size budget of docs/frontend.md.

    scripts/serve-prod.sh 8123 1   # or any running instance (production mode: DEBUG=0)
    .venv/bin/python frontend/measure.py http://127.0.0.1:8123 / /diagnosis/step/0/ /privacy/
    .venv/bin/python frontend/measure.py --cookie sessionid=abc… http://127.0.0.1:8123 / /me/

Opens the pages in order in one Chromium tab (Debian's /usr/bin/chromium through
Playwright, 360 px wide, Korean, one browser cache for the whole walk) and prints, per
page, every response that was not already downloaded on an earlier page with the bytes
that crossed the wire (the encoded body: gzip/brotli as the server sent it, woff2 as is;
headers not counted).  The first page is the "first visit" (budget 300 KB), each later
one a "later page" (budget 30 KB); exit status 1 when a page is over its budget.

`bench/page_weight.py` walks the whole citizen journey (diagnosis, result, plan, services,
sessions, sign-up, /me/) with this meter against a production server it starts itself.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
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
KB = 1024


@dataclass
class PageWeight:
    """New downloads of one page (after everything earlier pages fetched is cached)."""

    label: str
    budget: int
    files: list[tuple[int, str, str]] = field(default_factory=list)  # (bytes, kind, path)

    def bytes_of(self, *kinds: str) -> int:
        return sum(size for size, kind, _ in self.files if kind in kinds)

    @property
    def total(self) -> int:
        return sum(size for size, _, _ in self.files)

    @property
    def over(self) -> bool:
        return self.total > self.budget


def kind_of(resource_type: str, url: str) -> str:
    if resource_type == "document":
        return "html"
    if resource_type in {"stylesheet", "script"}:
        return "css/js"
    if resource_type == "font" or url.split("?")[0].endswith(".woff2"):
        return "font"
    return "other"  # images, autosave fetches …


def wire_size(response: Any) -> int:
    """Encoded body bytes as received; a gzip -9 estimate when Chromium reports none."""
    try:
        size = int(response.request.sizes()["responseBodySize"])
    except Exception:  # noqa: BLE001 - aborted requests have no sizes
        size = 0
    if size > 0:
        return size
    try:
        body = response.body()
    except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
        return 0
    return len(body) if response.url.split("?")[0].endswith(".woff2") else len(gzip.compress(body, 9))


class Meter:
    """Records, page by page, what one Playwright page downloads that it had not before."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base.rstrip("/")
        self.pages: list[PageWeight] = []
        self._seen: set[str] = set()
        self._pending: list[Any] = []
        page.on("response", self._record)

    def _record(self, response: Any) -> None:
        self._pending.append(response)

    @contextlib.contextmanager
    def measure(self, label: str) -> Iterator[None]:
        """Everything downloaded inside the block (and until the network is idle) is this page's."""
        self._pending.clear()
        yield
        self.page.wait_for_load_state("networkidle")
        budget = FIRST_VISIT_BUDGET if not self.pages else LATER_PAGE_BUDGET
        weight = PageWeight(label, budget)
        for response in list(self._pending):
            url = response.url
            kind = kind_of(response.request.resource_type, url)
            # A page's HTML is fetched on every visit; anything else comes from the cache.
            if (url in self._seen and kind != "html") or not 200 <= response.status < 300 or url.startswith("data:"):
                continue
            self._seen.add(url)
            weight.files.append((wire_size(response), kind, url.replace(self.base, "")))
        self._pending.clear()
        self.pages.append(weight)

    def visit(self, path: str, label: str | None = None) -> None:
        with self.measure(label or path):
            self.page.goto(self.base + path)


def new_browser_page(pw: Any, cookies: list[dict[str, Any]] | None = None) -> Any:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
    context = browser.new_context(
        viewport={"width": 360, "height": 800},
        locale="ko-KR",
        extra_http_headers={"Accept-Language": "ko"},
    )
    if cookies:
        context.add_cookies(cookies)
    return context.new_page()


def detail(pages: list[PageWeight]) -> str:
    lines = []
    for number, weight in enumerate(pages):
        label = "first visit" if number == 0 else "later page"
        lines.append(f"\n{weight.label}  ({label}): {weight.total / KB:.1f} KB of {weight.budget // KB} KB")
        lines += [f"  {size:8d}  {kind:6s} {url}" for size, kind, url in sorted(weight.files, reverse=True)]
    return "\n".join(lines)


def table(pages: list[PageWeight]) -> str:
    """Markdown table: new KB per page by kind (KB = 1024 bytes)."""
    rows = [
        "| page | HTML | CSS/JS | fonts (files) | other | total | budget |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for weight in pages:
        fonts = sum(1 for _, kind, _ in weight.files if kind == "font")
        mark = " **over**" if weight.over else ""
        rows.append(
            f"| {weight.label} | {weight.bytes_of('html') / KB:.1f} | {weight.bytes_of('css/js') / KB:.1f} "
            f"| {weight.bytes_of('font') / KB:.1f} ({fonts}) | {weight.bytes_of('other') / KB:.1f} "
            f"| **{weight.total / KB:.1f}**{mark} | {weight.budget // KB} |"
        )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cookie", action="append", default=[], help="NAME=VALUE sent with every page (e.g. sessionid=…)")
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv[1:])
    host = args.base.split("//", 1)[-1].split("/", 1)[0].split(":")[0]
    cookies = [
        {"name": name, "value": value, "domain": host, "path": "/"}
        for name, _, value in (cookie.partition("=") for cookie in args.cookie)
    ]
    with sync_playwright() as pw:
        meter = Meter(new_browser_page(pw, cookies), args.base)
        for path in args.paths:
            meter.visit(path)
    print(detail(meter.pages))
    print()
    print(table(meter.pages))
    return 1 if any(weight.over for weight in meter.pages) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
