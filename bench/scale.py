"""Every citizen page and every staff list at national scale: p95 latency with 1 M people
as a ratio of the same page with 1 k people, both measured in the same run (issue 12, P2).

Run it from the repository root (PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/scale.py                      # 1 k and 1 M people (generates both)
    .venv/bin/python bench/scale.py --people 100000      # a quicker big database
    .venv/bin/python bench/scale.py --reuse              # measure only, if the databases hold the data
    .venv/bin/python bench/scale.py --reuse --explain    # and print the EXPLAIN of each page's slowest query

What it does:

1. generates two databases, `lifecareer_bench_1k` and `lifecareer_bench_1m` (or `…_<n>k`
   with --people; the names contain "bench" and the host must be loopback, so a real
   database is never dropped): migrated, reference data loaded (`load_reference_data
   --no-demo`), then filled by bench/population.py in raw SQL on the server: 35 centres over
   the 17 시도 with a lead and 6 counsellors each, 20 partners, per person 3 diagnosis results
   (really scored answers), a plan for 60 %, a case for 20 % (10 % of them open) with 1–8
   attended bookings, 1.5 enrolments on average over 0.0375 sessions per person, referrals,
   the after-care check-ins as yesterday's sweep left them, and as many access-log (접속기록)
   rows as make 5 events (enrolments + bookings + check-ins + access-log rows) per person.
   The objects the staff lists are measured on have the same load at both sizes, and at 1 M
   also their share of the bulk where a list must skip it: the heavy counsellor has 60 open
   cases (plus closed ones of the bulk), the full session 30 seats taken and 5 waitlisted,
   the first partner 200 referrals (plus its share), the first centre's staff 1,500
   access-log rows in the reviewed month, last month (their other rows fall in other
   months). So that the 1 k database's lists show as many rows as the 1 M one's, it alone
   has three floors (`shape`): 30 more sessions, all to come (20 tomorrow, 10 the day after,
   40 places taken in each), so the session search shows a page of 20 cards as at 1 M; a
   booking to come in every one of the heavy counsellor's 60 cases, so their coming week
   is as full (~40 appointments) as with the 1 M bulk's bookings; and 11 more sessions of
   the first centre 5 days ahead (40 places each), so that its coming week has 12 sessions
   as at 1 M, which the lead's at-risk page checks. A table `bench_scale`
   records what was generated (--reuse checks it; it does not compare shapes: to generate
   the 1 k database again, drop it and run --reuse, which keeps the 1 M one);
2. measures each page with django.test.Client in two worker processes, one per database,
   the requests alternating between them one by one so that both share the machine's
   noise: --warmup requests each, then --requests timed ones in --rounds rounds over all
   the pages (round 1 of every page, then round 2 …), as the generated citizen (a person
   with a plan, a case, enrolments and bookings, the same person number in both) or the
   staff member whose list it is;
3. prints a Markdown table: page | p50 and p95 at 1 k | at 1 M | p95 ratio | rounds within
   the limit | pooled p95 ratio | SQL queries at each size (they must be equal) | ✓ when the
   ratio is ≤ 1.2. The p95 of a size is the median over the rounds of each round's p95,
   and the ratio (the verdict) the median over the rounds of each round's p95 ratio: a
   burst of another job on the shared cores spoils one round of a page, not the verdict,
   while a page that costs more at 1 M does so in every round (the p50, over all requests,
   and the pooled p95 ratio are printed too). Exit status 1 when a ratio exceeds 1.2 or the
   query counts differ.

docs/performance.md ("At national scale") has the figures, the indexes and the plans.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402
from enrolment import BenchError, recreate_database, setup_django, switch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"
SMALL = 1000
LIMIT = 1.2
EVENTS_PER_PERSON = 5
HEAVY = 60
UPCOMING_FLOOR = 30  # more sessions at 1 k, all to come: with the bulk's, more than a page of 20
# More sessions of the first centre at 1 k, 5 days ahead: with the upcoming floor's one (2 days
# ahead), its coming week has 12, as the 1 M bulk gives it (all 5 days ahead) — the sessions
# the lead's at-risk page checks.
CENTRE_WEEK_FLOOR = 11


def shape(n: int, result_json: dict[str, str]) -> population.Shape:
    # The small database gets floors so that every list shows as many rows as at 1 M (a
    # page of 20 sessions in the search, a full coming week for the heavy counsellor): a
    # page that shows more rows costs more by construction, and the ratio is about the cost
    # per row as the data grows. No floor at the big sizes, whose shape is unchanged.
    small = n <= SMALL
    return population.Shape(
        centres=35, counsellors_per_centre=6, partners=20, services=20,
        sessions=max(40, n * 3 // 80), session_capacity=60, sessions_days_ahead=60,
        result_copies=3, result_where="true",
        case_pct=20, case_open_pct=10, past_bookings=8, past_gap_hours=3,
        enrolment_copies=3, enrolment_pct=50, referral_pct=10,
        heavy=HEAVY, heavy_capacity=30, result_json=result_json,
        upcoming_sessions=UPCOMING_FLOOR if small else 0, heavy_upcoming=HEAVY if small else 0,
        centre_week_sessions=CENTRE_WEEK_FLOOR if small else 0,
    )


def database_url(n: int) -> str:
    label = "1m" if n == 1_000_000 else "1k" if n == SMALL else f"{n // 1000}k"
    return f"{PG}lifecareer_bench_{label}"


# --- generation -------------------------------------------------------------------------


def scored_result_json() -> dict[str, str]:
    """The JSON columns of a diagnosis really scored with the current instrument (answers 1–5
    in turn), so that every generated result renders like a real one."""
    from diagnosis import scoring, services

    instrument = services.current_instrument()
    parsed = services.parsed(instrument)
    answers = {item.id: 1 + i % 5 for i, item in enumerate(parsed.items)}
    outcome = scoring.score(parsed, answers)
    details = {
        "weighted_answers": [services._json_ready(w) for w in outcome.weighted_answers],
        "what_would_change": [services._json_ready(c) for c in outcome.what_would_change],
    }

    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False).replace("'", "''")

    return {"answers": js(answers), "type_code": outcome.type_code, "scale_scores": js(dict(outcome.scale_scores)),
            "details": js(details), "availability": js(["weekday_day"])}


def generate(n: int, now: dt.datetime) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from counselling.leadwork import last_full_month, month_bounds

    url = database_url(n)
    recreate_database(url)
    switch_database(url)
    print(f"\n### {n:,} people → {url.rsplit('/', 1)[1]} — generating …", flush=True)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", "--no-demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"  migrate + reference data: {time.perf_counter() - t0:.1f} s", flush=True)
    month_start, _end = month_bounds(last_full_month(now))

    def access_log(cursor: Any, ids: population.Ids) -> list[tuple[str, float]]:
        t1 = time.perf_counter()
        cursor.execute("SELECT (SELECT count(*) FROM programmes_enrolment) + (SELECT count(*) FROM counselling_booking)"
                       " + (SELECT count(*) FROM aftercare_checkin)")
        rows = max(0, EVENTS_PER_PERSON * n - int(cursor.fetchone()[0]) - HEAVY * 25)
        population.access_log_rows(cursor, n, rows, ids, the_shape, now, month_start)
        return [("access log", time.perf_counter() - t1)]

    the_shape = shape(n, scored_result_json())
    timings, seconds, ids = population.fill(n, now, the_shape, after=access_log)
    seconds += 0.0
    for label, s in timings:
        print(f"  {label}: {s:.1f} s", flush=True)
    sizes = counts()
    total = time.perf_counter() - t0
    print(f"  generated in {total:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()), flush=True)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_scale (people integer, sizes jsonb, ids jsonb, now timestamptz, seconds real)")
        cursor.execute("INSERT INTO bench_scale VALUES (%s, %s, %s, %s, %s)",
                       [n, json.dumps(sizes), json.dumps(dataclasses.asdict(ids)), now, total])
    connection.close()
    return {"people": n, "sizes": sizes, "seconds": total}


SIZE_COUNTS = {
    "people": "SELECT count(*) FROM auth_user WHERE NOT is_staff",
    "results": "SELECT count(*) FROM diagnosis_result",
    "plans": "SELECT count(*) FROM journeys_plan",
    "cases": "SELECT count(*) FROM counselling_case",
    "enrolments": "SELECT count(*) FROM programmes_enrolment",
    "bookings": "SELECT count(*) FROM counselling_booking",
    "check-ins": "SELECT count(*) FROM aftercare_checkin",
    "access log": "SELECT count(*) FROM core_accesslog",
    "sessions": "SELECT count(*) FROM programmes_session",
    "referrals": "SELECT count(*) FROM referrals_referral",
}


def counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for label, sql in SIZE_COUNTS.items():
            cursor.execute(sql)
            out[label] = int(cursor.fetchone()[0])
    out["events"] = out["enrolments"] + out["bookings"] + out["check-ins"] + out["access log"]
    return out


def marker(url: str) -> dict[str, Any] | None:
    """What `generate` recorded in the database, or None when it holds no complete set."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT people, sizes, ids, seconds FROM bench_scale").fetchone()
    except psycopg.Error:
        return None
    return {"people": row[0], "sizes": row[1], "ids": row[2], "seconds": row[3]} if row else None


# --- the worker: one database, one process -------------------------------------------------


def pages(ids: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """page name → (user, URL), in the order of the table."""
    from django.contrib.auth.models import User
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from catalog.models import Service
    from counselling.models import Booking, Case
    from diagnosis.models import Result
    from journeys.models import Plan
    from programmes.models import Enrolment

    staff = ids["staff"]
    # The citizen: the first person past the heavy ones with a plan, a case with bookings and
    # an enrolment — the same person number at every size (their rows are hashes of it).
    citizen = (
        User.objects.filter(pk__gt=staff + HEAVY, is_active=True)
        .filter(Exists(Plan.objects.filter(owner=OuterRef("pk"))), Exists(Case.objects.filter(citizen=OuterRef("pk"))),
                Exists(Booking.objects.filter(citizen=OuterRef("pk"))), Exists(Enrolment.objects.filter(user=OuterRef("pk"))))
        .order_by("pk").first()
    )
    if citizen is None:
        raise BenchError("no generated citizen with a plan, a case, bookings and an enrolment")
    result = Result.objects.filter(owner=citizen).order_by("-created_at").first()
    plan = Plan.objects.filter(owner=citizen).order_by("-created_at").first()
    service = Service.objects.filter(is_active=True).exclude(slug__startswith="bench-").order_by("pk").first()
    assert result is not None and plan is not None and service is not None
    lead = User.objects.get(pk=1)  # the lead of the first centre
    counsellor = User.objects.get(pk=ids["leads"] + 1)  # the heavy counsellor
    partner = User.objects.get(pk=ids["leads"] + ids["counsellors"] + 1)  # the first partner's account
    session = ids["session0"] + 1
    return {
        "home": (citizen, reverse("home")),
        "diagnosis result": (citizen, reverse("diagnosis:result", args=[result.public_id])),
        "plan": (citizen, reverse("journeys:detail", args=[plan.public_id])),
        "services list": (citizen, reverse("catalog:list")),
        "service detail": (citizen, reverse("catalog:detail", args=[service.slug])),
        "session search": (citizen, reverse("programmes:session_search")),
        "session detail": (citizen, reverse("programmes:session_detail", args=[session])),
        "/me/": (citizen, reverse("me:dashboard")),
        "my enrolments": (citizen, reverse("programmes:my_enrolments")),
        "my bookings": (citizen, reverse("counselling:my_bookings")),
        "timeline": (citizen, reverse("me:timeline")),
        "roster (full session)": (lead, reverse("programmes:staff_roster", args=[session])),
        "counsellor workspace": (counsellor, reverse("counselling:workspace")),
        "centre cases (lead)": (lead, reverse("counselling:centre_cases")),
        "access review": (lead, reverse("counselling:access_review")),
        "at-risk sessions": (lead, reverse("programmes:rescue_at_risk")),
        "partner referrals": (partner, reverse("referrals:partner_list")),
    }


def worker(url: str) -> int:
    """Serve the parent's requests on stdin, one JSON line each, with one JSON line each."""
    setup_django(url, ALLOWED_HOSTS="testserver", NOTIFICATIONS_QUEUE_SYNC="0")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    mark = marker(url)
    if mark is None:
        raise BenchError(f"{url}: no generated data")
    todo = pages(mark["ids"])
    clients: dict[int, Client] = {}
    for user, _url in todo.values():
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
    out = sys.stdout
    print(json.dumps({"ready": True, "citizen": next(iter(todo.values()))[0].pk}), file=out, flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        user, path = todo[ask["page"]]
        client = clients[user.pk]
        if ask.get("explain"):
            out.write(json.dumps(explain(client, path)) + "\n")
            out.flush()
            continue
        # The SQL of a warm request: the fewest over three in a row. A per-process fragment's
        # stamp is read again once a second (core.fragments), which adds a query to whichever
        # request comes after it: one size's first request could have it and not the other's.
        counts = []
        for _i in range(3):
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            counts.append(len(captured))  # now: the next request clears the connection's log
        queries = min(counts)
        ms = []
        for _i in range(ask["n"]):
            t0 = time.perf_counter()
            client.get(path)
            ms.append((time.perf_counter() - t0) * 1000)
        out.write(json.dumps({"ms": ms, "status": status, "queries": queries}) + "\n")
        out.flush()
    return 0


def explain(client: Any, path: str, top: int = 2) -> list[dict[str, Any]]:
    """The `top` SELECTs of one request that take the database longest, by EXPLAIN (ANALYZE,
    BUFFERS) of each (a query's wall time in the request is too noisy to pick them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    selects = list(dict.fromkeys(q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")))
    plans: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [r[0] for r in cursor.fetchall()]
            ms = next((float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")), 0.0)
            plans.append({"sql": sql, "ms": ms, "plan": lines})
    plans.sort(key=lambda p: -p["ms"])
    return plans[:top]


# --- the parent ----------------------------------------------------------------------------


class Worker:
    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, __file__, "--worker", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        hello = self.read()
        self.citizen = hello["citizen"]

    def read(self) -> Any:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise BenchError("a worker stopped (see its error above)")
        return json.loads(line)

    def ask(self, **what: Any) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(what) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return (ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2) if ordered else 0.0


def measure(small: Worker, big: Worker, names: list[str], requests: int, warmup: int, rounds: int) -> list[dict[str, Any]]:
    """Each page's requests in `rounds` rounds over all the pages (round 1 of every page, then
    round 2 …), the two sizes alternating request by request within a round. The p95 of a
    page is taken per round and size; the verdict is the median over the rounds of the
    round's p95 ratio (1 M ÷ 1 k, both measured in the same seconds). Why: with every request
    of a page in one block, a few seconds of another job's work on the shared cores land in
    one page's block and, unevenly, on the slowest few requests of one size, which is all a
    p95 is made of. In rounds, such a burst spoils one round of a page, which the median
    leaves out; a page that really costs more at 1 M is slower in every round, so its median
    ratio shows it (and the p50, pooled over all requests, too). The pooled p95 ratio over all
    requests is printed beside it."""
    first: dict[str, list[Any]] = {}
    for name in names:  # warm-up, and the status and SQL count of each page's first request
        first[name] = [small.ask(page=name, n=warmup), big.ask(page=name, n=warmup)]
    per_round = -(-requests // rounds)
    ms: dict[str, list[list[list[float]]]] = {name: [[], []] for name in names}  # page → size → round → ms
    turn = 0
    for r in range(rounds):
        t0 = time.perf_counter()
        for name in names:
            got: list[list[float]] = [[], []]
            for _i in range(per_round):
                order = (0, 1) if turn % 2 == 0 else (1, 0)  # who goes first alternates
                turn += 1
                for s in order:
                    got[s] += (small, big)[s].ask(page=name, n=1)["ms"]
            for s in (0, 1):
                ms[name][s].append(got[s])
        print(f"  round {r + 1}/{rounds}: {time.perf_counter() - t0:.0f} s", flush=True)
    rows = []
    for name in names:
        per = ms[name]
        p95s = [[percentile(per[s][r], 0.95) for r in range(rounds)] for s in (0, 1)]
        ratios = [p95s[1][r] / p95s[0][r] if p95s[0][r] else 0.0 for r in range(rounds)]
        pooled = [[x for chunk in per[s] for x in chunk] for s in (0, 1)]
        row: dict[str, Any] = {
            "page": name, "status": (first[name][0]["status"], first[name][1]["status"]),
            "queries": (first[name][0]["queries"], first[name][1]["queries"]),
            "p50": (percentile(pooled[0], 0.5), percentile(pooled[1], 0.5)),
            "p95": (median(p95s[0]), median(p95s[1])),
            "ratio": median(ratios),
            "rounds_ok": sum(1 for x in ratios if x <= LIMIT),
            "pooled": percentile(pooled[1], 0.95) / percentile(pooled[0], 0.95) if percentile(pooled[0], 0.95) else 0.0,
            "ratios": ratios,
        }
        rows.append(row)
        print(f"  {name}: p95 {row['p95'][0]:.1f} / {row['p95'][1]:.1f} ms, ratio {row['ratio']:.2f} "
              f"(rounds {' '.join(f'{x:.2f}' for x in ratios)}; pooled {row['pooled']:.2f}), "
              f"queries {row['queries'][0]}/{row['queries'][1]}, status {row['status']}", flush=True)
    return rows


def report(rows: list[dict[str, Any]], marks: list[dict[str, Any]], argv: list[str], requests: int, rounds: int) -> int:
    small, big = marks
    print(f"\n## Pages at national scale — PostgreSQL, {os.cpu_count()} cores, {requests} requests per page and size in {rounds} rounds, "
          f"p95 ratio limit {LIMIT}\n")
    for m in marks:
        s = m["sizes"]
        print(f"- {m['people']:,} people: {s['results']:,} diagnosis results, {s['events']:,} events (enrolments {s['enrolments']:,}, "
              f"bookings {s['bookings']:,}, check-ins {s['check-ins']:,}, access log {s['access log']:,}), {s['sessions']:,} sessions, "
              f"{s['cases']:,} cases; generated in {m['seconds']:.0f} s")
    print(f"- p50: over all {requests} requests; p95: median over the {rounds} rounds of each round's p95; p95 ratio: median over the "
          f"rounds of the round's ratio (the verdict); rounds ≤ {LIMIT}: how many rounds' ratios were; pooled: the p95 ratio over all "
          "requests at once")
    size = f"{big['people'] // 1000:,} k" if big["people"] < 1_000_000 else f"{big['people'] // 1_000_000} M"
    print(f"\n| page | p50 1 k ms | p95 1 k ms | p50 {size} ms | p95 {size} ms | p95 ratio | rounds ≤ {LIMIT} | pooled | SQL 1 k | SQL {size} | ≤ {LIMIT} |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    failed = False
    for r in rows:
        ok = r["ratio"] <= LIMIT and r["queries"][0] == r["queries"][1] and r["status"] == (200, 200)
        failed |= not ok
        print(f"| {r['page']} | {r['p50'][0]:.1f} | {r['p95'][0]:.1f} | {r['p50'][1]:.1f} | {r['p95'][1]:.1f} | {r['ratio']:.2f} "
              f"| {r['rounds_ok']}/{rounds} | {r['pooled']:.2f} | {r['queries'][0]} | {r['queries'][1]} | {'✓' if ok else '✗'} |")
    bad = [r for r in rows if r["status"] != (200, 200)]
    if bad:
        print("\nnot 200: " + ", ".join(f"{r['page']} {r['status']}" for r in bad))
    print(f"\nreproduce: .venv/bin/python {shlex.join(['bench/scale.py', *argv])}   (or `make bench`)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000, help="the big database's people (the small one has 1,000)")
    parser.add_argument("--reuse", action="store_true", help="keep the databases if they already hold the data of these sizes")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page and size, over all rounds")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over all the pages; the verdict is the median round's p95 ratio")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--page", action="append", help="measure only this page (repeatable)")
    parser.add_argument("--explain", action="store_true", help="print the EXPLAIN of each page's slowest queries on the big database")
    parser.add_argument("--generate-only", action="store_true", help="generate (or check) the databases, measure nothing")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    if args.rounds < 1 or args.requests < args.rounds:
        raise BenchError("--rounds must be 1 … --requests")
    if not 10_000 <= args.people <= 2_000_000:
        raise BenchError("--people must be 10,000 … 2,000,000")
    sizes = [SMALL, args.people]
    marks: list[dict[str, Any]] = []
    setup_django(database_url(SMALL), NOTIFICATIONS_QUEUE_SYNC="0")
    from django.utils import timezone

    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for n in sizes:
        mark = marker(database_url(n)) if args.reuse else None
        if mark is None or mark["people"] != n:
            mark = generate(n, now)
        else:
            from django.core.management import call_command

            switch_database(database_url(n))
            call_command("migrate", verbosity=0)  # indexes added since the data was generated
            print(f"reusing {database_url(n).rsplit('/', 1)[1]}: {mark['people']:,} people", flush=True)
        marks.append(mark)
    if args.generate_only:
        return 0
    if not (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():  # pages name the hashed static files, as in production
        from django.core.management import call_command

        print("collectstatic …", flush=True)
        call_command("collectstatic", "--noinput", verbosity=0)
    small, big = Worker(database_url(SMALL)), Worker(database_url(args.people))
    try:
        if small.citizen - marks[0].get("ids", {}).get("staff", 0) != big.citizen - marks[1].get("ids", {}).get("staff", 0):
            print(f"warning: the citizen differs (user {small.citizen} vs {big.citizen})", flush=True)
        names = args.page or [
            "home", "diagnosis result", "plan", "services list", "service detail", "session search", "session detail", "/me/",
            "my enrolments", "my bookings", "timeline", "roster (full session)", "counsellor workspace", "centre cases (lead)",
            "access review", "at-risk sessions", "partner referrals",
        ]
        print("\nmeasuring (1 k / big) …", flush=True)
        rows = measure(small, big, names, args.requests, args.warmup, args.rounds)
        if args.explain:
            for name in names:
                print(f"\n#### {name}")
                for q in big.ask(page=name, explain=True):
                    print(f"\n{q['ms']:.2f} ms: {q['sql'][:600]}\n" + "\n".join(q["plan"]))
    finally:
        small.close()
        big.close()
    return report(rows, marks, argv if argv is not None else sys.argv[1:], args.requests, args.rounds)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/scale.py: {exc}", file=sys.stderr)
        sys.exit(2)
