"""The statistics dashboards and the open statistics API on PostgreSQL at 1 M people: the
first (full) roll-up, a repeated (incremental) one, and the p95 of every dashboard view,
with each view's p95 as a ratio of a baseline page measured in the same run.

Run it from the repository root:

    .venv/bin/python bench/dashboards.py                        # 1 M people
    .venv/bin/python bench/dashboards.py --people 100000        # a quicker size
    .venv/bin/python bench/dashboards.py --people 100000 --keep # keep the database to EXPLAIN

What it does, in one process:

1. drops, creates and fills the benchmark database with bench/population.py's generator (shared with sweep.py and scale.py) (its name
   must contain "bench" and its host must be loopback): per person an account and a
   diagnosis result (a third an older second one), 60 % a plan with 8 steps, cases and
   attended bookings, referrals, enrolments — see bench/sweep.py's docstring;
2. times `insights.rollup.rollup(full=True)` (every fact) and then `rollup()` again (the
   daily, incremental run: nothing changed, so only the cells are rebuilt);
3. requests every dashboard view and statistics API call `--repeat` times, in-process
   through Django's test client as a logged-in analyst (middleware, view, template — no
   network), and the same number of times a baseline: `/insights/` (the dashboard index,
   one small query) — printing p50/p95/max in milliseconds, p95 / baseline p95, and whether
   the p95 is within the 1 s target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402 - the 1 M people generator (shared with sweep.py and scale.py)
import sweep  # noqa: E402 - its setup_django
from enrolment import BenchError, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lc_bench_insights"
TARGET_MS = 1000.0
VIEWS = (
    "/insights/funnel/",
    "/insights/funnel/?by=goal",
    "/insights/funnel/?by=month,region",
    "/insights/funnel/?by=instrument&goal=reemployment&age_band=50s",
    "/insights/funnel/?by=type&region=11&from=2026-01&to=2026-06",
    "/insights/funnel/?by=centre",
    "/insights/outcomes/?by=age_band",
    "/insights/outcomes/?by=region,status",
    "/insights/programmes/?by=centre",
    "/insights/programmes/?by=programme&format=csv",
    "/insights/funnel/?by=goal,age_band&format=xlsx",
    "/insights/capacity/",
    "/api/v1/stats/funnel?by=region",
    "/api/v1/stats/outcomes?by=goal&format=csv",
    "/api/v1/stats/programmes?by=month",
)
BASELINE = "/insights/"


def timed(client: object, path: str, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise BenchError(f"{path}: HTTP {response.status_code}")
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="a database kept by --keep: measure the views only")
    args = parser.parse_args(argv)
    if not 1000 <= args.people <= 5_000_000:
        raise BenchError("--people must be 1,000 … 5,000,000")
    sweep.setup_django(args.database_url)
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.models import StaffRole
    from core.roles import Role
    from core.tests.factories import UserFactory
    from insights.models import FunnelCell, FunnelFact
    from insights.rollup import rollup

    now = timezone.now()
    fill_s = full_s = daily_s = 0.0
    first: dict[str, object] = {}
    second: dict[str, object] = {}
    if not args.reuse:
        recreate_database(args.database_url)
        started = time.perf_counter()
        population.fill(args.people, now, population.Shape())
        fill_s = time.perf_counter() - started
        started = time.perf_counter()
        first = rollup(now, full=True)
        full_s = time.perf_counter() - started
        started = time.perf_counter()
        second = rollup(now)
        daily_s = time.perf_counter() - started

    # The pages, not hashed file names: no `collectstatic` manifest needed (as in the tests).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    from django.contrib.auth.models import User

    analyst = User.objects.filter(username="bench-analyst@example.invalid").first() or UserFactory.create(username="bench-analyst@example.invalid")
    StaffRole.objects.get_or_create(user=analyst, role=Role.ANALYST)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(analyst)
    timed(client, BASELINE, 2)  # warm-up
    base = timed(client, BASELINE, args.repeat)
    rows = []
    for path in VIEWS:
        timed(client, path, 1)  # warm-up (first compile of the template, caches)
        values = timed(client, path, args.repeat)
        rows.append((path, statistics.median(values), p95(values), max(values)))

    print(f"\n## bench/dashboards.py — {args.people:,} people, {FunnelFact.objects.count():,} facts, {FunnelCell.objects.count():,} funnel cells\n")
    if not args.reuse:
        print(f"fill {fill_s:.0f} s · full roll-up {full_s:.1f} s {first['seconds']} · repeated roll-up {daily_s:.1f} s {second['seconds']}\n")
    print(f"baseline `{BASELINE}`: p50 {statistics.median(base):.1f} ms, p95 {p95(base):.1f} ms ({args.repeat} requests each)\n")
    print("| view | p50 ms | p95 ms | max ms | p95 / baseline p95 | p95 ≤ 1 s |")
    print("|---|---:|---:|---:|---:|:---:|")
    ok = True
    for path, p50, p95_ms, worst in rows:
        ok &= p95_ms <= TARGET_MS
        print(f"| `{path}` | {p50:.1f} | {p95_ms:.1f} | {worst:.1f} | {p95_ms / p95(base):.1f} | {'yes' if p95_ms <= TARGET_MS else 'NO'} |")
    print(f"\nreproduce: .venv/bin/python bench/dashboards.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    if not args.keep:
        from django.db import connections

        connections.close_all()
        recreate_database(args.database_url, drop_only=True)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/dashboards.py: {exc}", file=sys.stderr)
        sys.exit(2)
