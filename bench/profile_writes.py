"""CPU per enrolment and per booking request, in-process on PostgreSQL: where bench/writes.py's
requests spend their server time, without HTTP, wrk or a second process.

Run it from the repository root:

    .venv/bin/python bench/profile_writes.py                          # this checkout, 200 requests each
    .venv/bin/python bench/profile_writes.py --compare DIR --rounds 2 # DIR (e.g. main, exported) beside it
    .venv/bin/python bench/profile_writes.py --profile enrol          # + cProfile of the enrol button

Make DIR with `git archive main | tar -x -C DIR && ln -s "$PWD/.venv" DIR/.venv`.

What it does: for each checkout (in a child process of its own, alternating with `--rounds`),
drops and creates `--database-url` (its name must contain "bench", host loopback), seeds it
with bench/writes.py's `seed` (one centre, open sessions, free slots, citizens with a
logged-in session row) and sends, through django.test.Client with CSRF checks on and the
full middleware, the four requests of bench/writes.py: the enrol button, the enrol API, the
booking page's confirm and the booking API, each a new citizen on a new session or slot.
After 10 warm-up requests of each, it counts the statements of one request and times `-n`
more (time.process_time of this process: Django's CPU, not PostgreSQL's). One test client
serves every citizen (switching the session cookie), so the middleware chain is built once,
as in a server's worker. Read the figures side by side, not as a server's (no HTTP parsing,
no WSGI server, PostgreSQL sharing the machine).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

KINDS = ("enrol", "enrol_api", "book", "book_api")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lifecareer_bench_profile_writes"


def child(root: Path, url: str, n: int, profile: str) -> dict[str, Any]:
    sys.path.insert(0, str(root / "bench"))
    os.chdir(root)
    from enrolment import recreate_database, setup_django

    recreate_database(url)
    setup_django(url)
    import writes
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    data = writes.seed(sessions=300, capacity=40, hot_capacity=10, slots=4 * n + 200, citizens=2 * n + 100)
    csrf = data["csrf"]
    # One client (its handler builds the middleware chain once, as a server's worker does),
    # signed in as each request's citizen by its session cookie.
    client = Client(enforce_csrf_checks=True, SERVER_NAME="127.0.0.1")
    client.cookies["csrftoken"] = csrf
    cookies = data["cookies"]
    sessions, slots = data["sessions"], data["slots"]
    used = {"enrol": 0, "book": 0}

    def request(kind: str) -> None:
        family = "enrol" if kind.startswith("enrol") else "book"
        i = used[family]
        used[family] += 1
        client.cookies["sessionid"] = cookies[i % len(cookies)]
        # wrk sends no cookie back; kept here, the page's "booked" notices would pile up in
        # the messages cookie and Django would spend milliseconds trimming it on every request
        client.cookies.pop("messages", None)
        if family == "enrol":
            session = sessions[(i * 7 + i // len(cookies)) % len(sessions)]
            if kind == "enrol":
                r = client.post(f"/programmes/sessions/{session}/enrol/", {"csrfmiddlewaretoken": csrf})
                assert r.status_code == 302 and r["Location"].endswith("/programmes/me/"), r
            else:
                r = client.post(f"/api/v1/sessions/{session}/enrolments", "{}", content_type="application/json",
                                HTTP_X_CSRFTOKEN=csrf, HTTP_ACCEPT="application/json")
                assert r.status_code == 201, r.content
        elif kind == "book":
            r = client.post("/counselling/book/", {
                "csrfmiddlewaretoken": csrf, "action": "confirm", "centre": data["centre"], "mode": "phone",
                "topic": "unsure", "share": "latest_diagnosis", "slot": slots[i],
            })
            assert r.status_code == 302 and "/counselling/mine/" in r["Location"], r
        else:
            body = json.dumps({"slot_id": slots[i], "mode": "phone", "topic": "unsure", "share": ["latest_diagnosis"]})
            r = client.post("/api/v1/bookings", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf, HTTP_ACCEPT="application/json")
            assert r.status_code == 201, r.content

    for kind in KINDS:
        for _ in range(10):
            request(kind)
    result: dict[str, Any] = {}
    for kind in KINDS:
        with CaptureQueriesContext(connection) as queries:
            request(kind)
        statements = len(queries.captured_queries)  # now: every request clears the log (reset_queries)
        profiler = cProfile.Profile(time.process_time) if kind == profile else None
        if profiler:
            profiler.enable()
        started = time.process_time()
        for _ in range(n):
            request(kind)
        ms = (time.process_time() - started) / n * 1000
        if profiler:
            profiler.disable()
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(45)
                print(out.getvalue(), file=sys.stderr)
        result[kind] = {"ms": ms, "queries": statements}
    connection.close()
    recreate_database(url, drop_only=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("-n", type=int, default=200, help="timed requests of each kind")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--compare", type=Path, help="another checkout (e.g. main, exported), measured in alternate rounds")
    parser.add_argument("--profile", choices=KINDS, default="", help="cProfile this kind (in the first round; slower)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.database_url, args.n, args.profile)))
        return 0
    here = Path(__file__).resolve().parent.parent
    roots = [here] + ([args.compare.resolve()] if args.compare else [])
    runs: dict[Path, list[dict[str, Any]]] = {root: [] for root in roots}
    for round_no in range(args.rounds):
        for root in reversed(roots):  # the other checkout first, then this one
            command = [str(root / ".venv/bin/python"), str(here / "bench/profile_writes.py"), "--child", str(root),
                       "--database-url", args.database_url, "-n", str(args.n)]
            if args.profile and round_no == 0 and root == here:
                command += ["--profile", args.profile]
            out = subprocess.run(command, check=True, capture_output=True, text=True)
            if args.profile and round_no == 0 and root == here:
                print(out.stderr[out.stderr.find("function calls"):])
            runs[root].append(json.loads(out.stdout.split("RESULT ", 1)[1]))
    print(f"\n| request | {' | '.join(f'{r.name} ms (statements)' for r in roots)} |")
    print("|---|" + "---:|" * len(roots))
    for kind in KINDS:
        cells = [f"{statistics.median(run[kind]['ms'] for run in runs[r]):.2f} ({runs[r][0][kind]['queries']})" for r in roots]
        print(f"| {kind} | {' | '.join(cells)} |")
    print(f"\nmedian of {args.rounds} round(s), {args.n} requests each, time.process_time per request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
