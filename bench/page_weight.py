"""Page weight of the citizen journey under the production server: the size budget of issue 8.

Run it from the repository root (also part of `make bench`):

    .venv/bin/python bench/page_weight.py            # starts its own server on a free port
    .venv/bin/python bench/page_weight.py --base http://127.0.0.1:8123   # an already running one

Budget (docs/frontend.md): the first visit (home) ≤ 300 KB, every later page ≤ 30 KB,
fonts included, in one browser with its cache.

What it does:

1. starts `scripts/serve-prod.sh PORT 1` (DEBUG off, collected static files, granian) on a
   fresh SQLite file var/bench/page-weight.sqlite3 with the demo schedule of sessions, in its own process group that is always
   stopped at the end (bench/servers.py);
2. walks the journey a person makes in one Chromium tab (360 px, Korean), filling the real
   forms: home → 자가진단 → profile (step 0) → the five question sections → result →
   나의 가이드맵 (plan) → services list → a service → session search → a session →
   로그인 → 회원가입 → signed up → /me/;
3. records per page what crossed the wire that earlier pages had not downloaded
   (frontend/measure.py's meter: encoded body bytes, so gzip from GZipMiddleware and
   WhiteNoise's precompressed files, woff2 as is) and prints a Markdown table, written
   also to var/bench/page-weight-latest.md, plus every file per page with --detail;
4. exits 1 when a page is over its budget.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "frontend")]

import measure  # noqa: E402 - frontend/measure.py: the meter
import servers  # noqa: E402 - bench/servers.py: app_server

BENCH_DIR = ROOT / "var" / "bench"
DB = BENCH_DIR / "page-weight.sqlite3"
PASSWORD = "Saeroun-gil-2026!"  # noqa: S105 - a throwaway account in a throwaway database
ANSWER = "그렇다"  # the 4th option of every question


def label(page: Any, base: str, name: str) -> str:
    path = page.url.replace(base, "").split("?")[0]
    path = re.sub(r"/(r|plans)/[^/]+/", r"/\1/<id>/", path)
    path = re.sub(r"/sessions/\d+/", "/sessions/<id>/", path)
    return f"{name} `{path}`"


def walk(meter: measure.Meter, base: str) -> None:
    page = meter.page
    page.set_default_timeout(30_000)
    meter.visit("/", "home `/` (first visit)")

    with meter.measure("diagnosis start"):
        page.get_by_role("link", name="10분 자가진단 시작하기").click()
        page.wait_for_load_state()
    meter.pages[-1].label = label(page, base, "diagnosis start")
    if "/step/0/" not in page.url:  # an intro page first: its button leads to the profile
        with meter.measure("profile"):
            page.locator("main a.krds-btn.primary, main button.krds-btn.primary").first.click()
            page.wait_for_url("**/step/0/")
        meter.pages[-1].label = label(page, base, "profile (step 0)")

    page.get_by_label("출생연도").fill("1968")
    page.get_by_label("퇴직 예정").check()
    page.get_by_label("지금까지 일한 기간(년)").fill("25")
    page.get_by_label("가장 오래 일한 직업군").select_option("clerical")
    page.get_by_label("사는 지역 (시·도)").select_option("11")
    page.get_by_label("재취업").check()
    page.get_by_label("평일 저녁").check()
    step = 1
    button = "다음"
    while True:
        with meter.measure("step"):
            page.get_by_role("button", name=button).click()
            page.wait_for_load_state()
        if "/diagnosis/r/" in page.url:
            meter.pages[-1].label = label(page, base, "result")
            break
        meter.pages[-1].label = label(page, base, f"questions (step {step})")
        groups = page.locator("fieldset.likert")
        for i in range(groups.count()):
            groups.nth(i).get_by_label(ANSWER, exact=True).check()
        page.wait_for_function("!document.querySelector('form[data-lc-saving]')")
        button = "결과 보기" if page.get_by_role("button", name="결과 보기").count() else "다음"
        step += 1

    with meter.measure("plan"):
        page.get_by_role("button", name="나의 가이드맵 만들기").click()
        page.wait_for_url("**/plans/*/")
    meter.pages[-1].label = label(page, base, "guide map (plan)")

    meter.visit("/services/", "services `/services/`")
    service = page.eval_on_selector_all(
        "main a[href^='/services/']", "els => els.map(e => e.getAttribute('href')).find(h => /^\\/services\\/[\\w-]+\\/$/.test(h) && !h.startsWith('/services/staff'))"
    )
    meter.visit(service, "a service `/services/<slug>/`")

    meter.visit("/programmes/sessions/", "session search `/programmes/sessions/`")
    session = page.eval_on_selector_all(
        "main a[href^='/programmes/sessions/']", "els => els.map(e => e.getAttribute('href')).find(h => /^\\/programmes\\/sessions\\/\\d+\\/$/.test(h))"
    )
    meter.visit(session, "a session `/programmes/sessions/<id>/`")

    meter.visit("/accounts/login/", "log-in `/accounts/login/`")
    meter.visit("/accounts/signup/", "sign-up `/accounts/signup/`")
    page.locator("#id_email").fill(f"weight-{int(time.time())}@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("input[name=consent_account]").check()
    with meter.measure("signed up"):
        page.get_by_role("button", name="동의하고 가입하기").click()
        page.wait_for_load_state()
    meter.pages[-1].label = label(page, base, "signed up →")
    if not page.url.endswith("/me/"):
        meter.visit("/me/", "나의 생애경력설계 `/me/`")


def run(base: str, show_detail: bool) -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        meter = measure.Meter(measure.new_browser_page(pw), base)
        walk(meter, base)
    report = measure.table(meter.pages)
    if show_detail:
        print(measure.detail(meter.pages))
        print()
    print(report)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "page-weight-latest.md").write_text(report + "\n", encoding="utf-8")
    over = [weight.label for weight in meter.pages if weight.over]
    if over:
        print(f"\nover budget: {', '.join(over)}")
    return 1 if over else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", help="measure this running server instead of starting one")
    parser.add_argument("--port", type=int, default=0, help="port for the server it starts (default: a free one)")
    parser.add_argument("--detail", action="store_true", help="also list every file per page")
    args = parser.parse_args()
    if args.base:
        return run(args.base, args.detail)
    port = args.port or servers.free_port(8200)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    log_path = BENCH_DIR / "page-weight-server.log"
    base = f"http://127.0.0.1:{port}"
    print(f"starting scripts/serve-prod.sh {port} 1 (log: {log_path.relative_to(ROOT)})", file=sys.stderr)
    os.environ["LOAD_DEMO_SCHEDULE"] = "1"  # sessions to search and open (off by default with DEBUG=0)
    try:
        with servers.app_server(port, 1, f"sqlite:///{DB}", log_path):
            return run(base, args.detail)
    except servers.ServerError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
