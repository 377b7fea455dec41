"""The after-care daily sweep (`aftercare.jobs.daily`) over 100 k, 300 k and 1 M people on
PostgreSQL, with the time per person as a ratio of the 100 k run.

Run it from the repository root:

    .venv/bin/python bench/sweep.py                      # 100 k, 300 k, then 1 M people
    .venv/bin/python bench/sweep.py --people 1000000     # one size
    .venv/bin/python bench/sweep.py --people 100000 --keep   # keep the database to EXPLAIN

What it does, for each size, in one process:

1. drops and creates the benchmark database (its name must contain "bench" and its host
   must be loopback, so a real database is never dropped) and migrates it;
2. fills it with bench/population.py (the generator bench/scale.py shares) in raw SQL (`INSERT … SELECT generate_series`, no ORM per row; the choices are
   deterministic hashes of the person's number) with the shapes of a running service:
   staff (counsellors, a lead per centre) in 102 centres over the 17 시도, partners and
   catalogue services; per person an account (1 % deactivated), a diagnosis result (a
   second, older one for a third of people); 60 % a plan with 8 steps (2 per stage, some
   ticked, plans started over the last 600 days; 6 % an older second plan); 20 % a case
   with an attended counselling booking (a quarter also a booking to come), some with a
   satisfaction answer; 10 % a referral in every state and age; 30 % an enrolment;
   10 % SMS opt-in;
3. brings it to the state *after yesterday's sweep* (the steady state of a daily job): the
   check-ins of every anchor reached by yesterday, sent / reminded / answered as the days
   went by; the tasks for unanswered check-ins, stalled plans and stale referrals already
   made; the stall messages of the last six weeks in the outbox. These are computed with the
   application's own queries (stalls.open_plans, the anchor rules) as of yesterday;
4. times `aftercare.jobs.daily(now)` (mail goes to the outbox only: `Notification` rows and
   their queue rows, no SMTP), counts the rows each step created, runs it a second time
   (it must create nothing), and times two baselines on the same database in the same run:
   a bare `SELECT count(*)` over the people and a bare `INSERT … SELECT` of one row per
   person into an unindexed table.

It prints a Markdown table: people, seconds of the first run, seconds per step, rows
created, the second run's seconds and rows (must be 0), and the growth ratio: seconds per
person divided by the same at 100 k (linear growth ≈ 1; below 1, fixed costs dominate).
The same ratio for the bare INSERT shows what the machine itself does at that size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import enrolment  # noqa: E402 - the shared bench helpers, after the path
import population  # noqa: E402
from enrolment import BenchError, recreate_database, switch_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lc_bench_sweep"
SIZES = (100_000, 300_000, 1_000_000)
TARGET_SECONDS = 60.0


def setup_django(url: str) -> None:
    # The outbox rows are the sweep's work; delivering them is not (no worker in the bench).
    enrolment.setup_django(url, NOTIFICATIONS_QUEUE_SYNC="0")


# --- measuring ---------------------------------------------------------------------------

COUNTS = {
    "check-ins": "SELECT count(*) FROM aftercare_checkin",
    "check-ins sent": "SELECT count(*) FROM aftercare_checkin WHERE sent_at IS NOT NULL",
    "reminders 1": "SELECT count(*) FROM aftercare_checkin WHERE reminder_1_at IS NOT NULL",
    "reminders 2": "SELECT count(*) FROM aftercare_checkin WHERE reminder_2_at IS NOT NULL",
    "outbox": "SELECT count(*) FROM notifications_notification",
    "queue": "SELECT count(*) FROM django_q_ormq",
    "tasks checkin_unanswered": "SELECT count(*) FROM aftercare_task WHERE kind = 'checkin_unanswered'",
    "tasks stalled": "SELECT count(*) FROM aftercare_task WHERE kind = 'stalled'",
    "tasks referral_stale": "SELECT count(*) FROM aftercare_task WHERE kind = 'referral_stale'",
}
SIZE_COUNTS = {
    "people": "SELECT count(*) FROM auth_user WHERE NOT is_staff",
    "results": "SELECT count(*) FROM diagnosis_result",
    "plans": "SELECT count(*) FROM journeys_plan",
    "steps": "SELECT count(*) FROM journeys_planstep",
    "cases": "SELECT count(*) FROM counselling_case",
    "bookings": "SELECT count(*) FROM counselling_booking",
    "referrals": "SELECT count(*) FROM referrals_referral",
    "enrolments": "SELECT count(*) FROM programmes_enrolment",
    "check-ins": "SELECT count(*) FROM aftercare_checkin",
    "tasks": "SELECT count(*) FROM aftercare_task",
    "outbox": "SELECT count(*) FROM notifications_notification",
}


def counts(queries: dict[str, str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for label, sql in queries.items():
            cursor.execute(sql)
            out[label] = cursor.fetchone()[0]
    return out


@dataclass
class Run:
    people: int
    fill_seconds: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)
    first: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    second: float = 0.0
    created_again: dict[str, int] = field(default_factory=dict)
    count_scan: float = 0.0
    bare_insert: float = 0.0


def timed_daily(now: dt.datetime) -> tuple[float, dict[str, float], dict[str, int]]:
    from aftercare import jobs

    before = counts(COUNTS)
    t0 = time.perf_counter()
    result = jobs.daily(now)
    seconds = time.perf_counter() - t0
    after = counts(COUNTS)
    return seconds, dict(result.get("seconds", {})), {k: after[k] - before[k] for k in COUNTS}


def baselines(n: int) -> tuple[float, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute("SELECT count(*) FROM auth_user")
        scan = time.perf_counter() - t0
        cursor.execute("CREATE TABLE bench_bare (id bigint PRIMARY KEY, citizen_id integer NOT NULL, due_on date NOT NULL, created_at timestamptz NOT NULL)")
        t0 = time.perf_counter()
        cursor.execute(f"INSERT INTO bench_bare SELECT g, g, current_date, now() FROM generate_series(1, {n}) g")
        insert = time.perf_counter() - t0
        cursor.execute("DROP TABLE bench_bare")
    return scan, insert


def bench_one(url: str, n: int, keep: bool) -> Run:
    from django.db import connection
    from django.utils import timezone

    recreate_database(url)
    switch_database(url)
    # A fixed time of day (09:00 Seoul, when the schedule runs): the same work whatever the clock says.
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    run = Run(n)
    print(f"\n### {n:,} people — generating …", flush=True)
    fill_timings, run.fill_seconds, _ids = population.fill(n, now, population.Shape())
    for label, seconds in fill_timings:
        print(f"  {label}: {seconds:.1f} s", flush=True)
    run.sizes = counts(SIZE_COUNTS)
    print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in run.sizes.items()), flush=True)
    connection.close()
    run.first, run.steps, run.created = timed_daily(now)
    print(f"  first run: {run.first:.1f} s {run.steps} created {run.created}", flush=True)
    run.second, _steps, run.created_again = timed_daily(now)
    print(f"  second run: {run.second:.1f} s created {run.created_again}", flush=True)
    run.count_scan, run.bare_insert = baselines(n)
    connection.close()
    if not keep:
        recreate_database(url, drop_only=True)
    return run


def report(runs: list[Run], argv: list[str]) -> int:
    base = runs[0]
    print(f"\n## Daily after-care sweep (`aftercare.jobs.daily`) — PostgreSQL, {os.cpu_count()} cores, target {TARGET_SECONDS:g} s at 1 M\n")
    steps = list(runs[0].steps)
    print("| people | plans | check-ins | first run s | " + " | ".join(f"{s} s" for s in steps)
          + " | rows created | second run s | rows created 2nd | growth ratio | bare INSERT ratio | count(*) ms |")
    print("|" + "---:|" * (9 + len(steps)))
    failed = False
    for r in runs:
        created = sum(v for k, v in r.created.items() if k in ("check-ins", "outbox", "tasks checkin_unanswered", "tasks stalled", "tasks referral_stale"))
        again = sum(v for k, v in r.created_again.items() if k in ("check-ins", "outbox", "queue", "tasks checkin_unanswered", "tasks stalled", "tasks referral_stale"))
        ratio = (r.first / r.people) / (base.first / base.people)
        bare_ratio = (r.bare_insert / r.people) / (base.bare_insert / base.people)
        print(f"| {r.people:,} | {r.sizes['plans']:,} | {r.sizes['check-ins']:,} | {r.first:.1f} | "
              + " | ".join(f"{r.steps.get(s, 0):.1f}" for s in steps)
              + f" | {created:,} | {r.second:.1f} | {again} | {ratio:.2f} | {bare_ratio:.2f} | {r.count_scan * 1000:.0f} |")
        failed |= again != 0 or (r.people >= 1_000_000 and r.first > TARGET_SECONDS)
    print("\nrows created by the first run: ")
    for r in runs:
        print(f"- {r.people:,}: " + ", ".join(f"{k} {v:,}" for k, v in r.created.items() if v))
    print("\ngrowth ratio = (seconds / people) ÷ (seconds / people at the first size); 1 = linear.")
    print("bare INSERT ratio: the same for one INSERT … SELECT of a row per person into an unindexed table (the machine's own growth).")
    print(f"reproduce: .venv/bin/python {shlex.join(['bench/sweep.py', *argv])}   (or `make bench`)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--keep", action="store_true", help="keep the (last) database for EXPLAIN")
    args = parser.parse_args(argv)
    if any(not 1000 <= n <= 5_000_000 for n in args.people):
        raise BenchError("--people must be 1,000 … 5,000,000")
    setup_django(args.database_url)
    runs = [bench_one(args.database_url, n, args.keep) for n in args.people]
    return report(runs, argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/sweep.py: {exc}", file=sys.stderr)
        sys.exit(2)
