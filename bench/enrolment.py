"""Concurrent enrolments per second on PostgreSQL, as a ratio of a bare-insert baseline.

The in-process breakdown of the enrol action (service function only, no HTTP). The
headline figure of issue 12 goal P6 — enrolling over HTTP as a ratio of the reference
project's 40-field form POST, with a hot spot and the no-overselling checks — is
bench/writes.py; docs/performance.md, "Enrolment and booking under concurrency".

Run it from the repository root:

    .venv/bin/python bench/enrolment.py
    .venv/bin/python bench/enrolment.py --threads 16 --sessions 200 --seconds 8 \\
        --database-url postgres://postgres@127.0.0.1:5432/lifecareer_bench_enrolment

What it does, in one process and one run:

1. drops and creates the benchmark database (its name must contain "bench" and its host
   must be loopback, so a real database is never dropped), migrates it, and creates the
   sessions (all open, `--capacity` seats each) and a pool of people;
2. runs three phases, each for a fixed `--seconds`, first with 1 thread and then with
   `--threads` threads, each thread on its own database connection (Django gives each
   thread one):
   a. **bare insert** (the baseline): one `INSERT` of a row with the same columns as an
      enrolment into a table with no constraints or indexes beyond its key, in its own
      transaction;
   b. **enrol**: `programmes.services.enrol` into a random session: read the person's
      latest diagnosis (eligibility), lock the session row (SELECT … FOR UPDATE, with its
      programme and centre), one query for the seat state (seats, waitlist, the person's
      place, live seat holds), insert the confirmed or waitlisted place, commit; the
      message is left out (`notify.send` is a no-op);
   c. **enrol + mail**: the same with the confirmation message (template, .ics file)
      built and written to the notification outbox inside the transaction, as in production;
3. checks that nothing was oversold (confirmed ≤ capacity in every session, waitlist
   positions 1..n) and prints a Markdown table: operations, ops/s, p50 and p95 latency,
   this process's CPU per operation, and ops/s divided by the bare-insert ops/s with the
   same number of threads in the same run.

With one thread the ratio shows the extra round trips (lock, one aggregate query) per
enrolment. With many threads in one Python process it is bounded by the ORM's CPU per
operation under the GIL (the "CPU ms/op" column); a server runs several worker processes.

Many sessions spread the load so that it is not all one row; `--sessions 1` measures the
worst case, every enrolment queueing on one lock. Read the figures as ratios: this is a
shared machine and the threads share its cores with PostgreSQL.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import random
import shlex
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lifecareer_bench_enrolment"


class BenchError(RuntimeError):
    pass


@dataclass
class Phase:
    name: str
    threads: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time (all threads) during the phase

    @property
    def cpu_ms_per_op(self) -> float:
        return self.cpu_seconds / self.ops * 1000 if self.ops else 0.0

    @property
    def ops(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def is_loopback(host: str) -> bool:
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"}:
        raise BenchError(f"--database-url must be postgres://, got {parts.scheme!r}")
    if "bench" not in name or not is_loopback(parts.hostname or ""):
        raise BenchError(f"refusing to drop {name!r} on {parts.hostname!r}: name must contain 'bench', host must be loopback")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, **extra_env: str) -> None:
    """Django on the bench database; `extra_env` adds settings of one benchmark."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuv",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOAD_DEMO_SCHEDULE": "0",
            **extra_env,
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifecareer.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def switch_database(url: str) -> None:
    """Point Django's default connection at another database (one process, several sizes)."""
    import dj_database_url
    from django.db import connections

    connections["default"].close()
    settings_dict = connections["default"].settings_dict
    settings_dict.update({k: v for k, v in dj_database_url.parse(url).items() if k in {"NAME", "USER", "PASSWORD", "HOST", "PORT"}})


def prepare(sessions: int, capacity: int, people: int) -> tuple[list[int], list[Any]]:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from programmes.models import Centre, Programme, Session

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, session_id bigint NOT NULL, user_id bigint NOT NULL,"
            " status varchar(10) NOT NULL, position integer NULL, created_at timestamptz NOT NULL)"
        )
    centre = Centre.objects.create(slug="bench-centre", name="벤치마크 센터", region="11")
    programme = Programme.objects.create(
        slug="bench-programme", name_ko="벤치마크 과정", audience="employed", track="employed_tier",
        min_enrolment=1, default_capacity=capacity,
    )
    start = timezone.now() + dt.timedelta(days=30)
    rows = []
    for i in range(sessions):
        s = Session(
            programme=programme, mode="centre", centre=centre, starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i, minutes=90), enrolment_deadline=start - dt.timedelta(days=1),
            capacity=capacity, min_enrolment=1, status="open",
        )
        s.derive()
        rows.append(s)
    Session.objects.bulk_create(rows)
    users = User.objects.bulk_create(
        [User(username=f"bench{i}@example.com", email=f"bench{i}@example.com") for i in range(people)], batch_size=1000
    )
    return list(Session.objects.values_list("pk", flat=True)), users


def run_phase(name: str, threads: int, seconds: float, op: Callable[[int, random.Random], None]) -> Phase:
    from django.db import connection

    phase = Phase(name, threads)
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)
    stop = threading.Event()

    def worker(index: int) -> None:
        rng = random.Random(index)  # seeded: the same sequence of choices every run
        mine: list[float] = []
        kinds: dict[str, int] = {}
        try:
            try:
                connection.ensure_connection()
                barrier.wait(timeout=60)
            except Exception:
                barrier.abort()  # the main thread stops instead of waiting for this worker
                raise
            while not stop.is_set():
                t0 = time.perf_counter()
                try:
                    op(index, rng)
                except Exception as exc:  # counted and reported, never hidden
                    kind = getattr(exc, "code", None) or type(exc).__name__
                    kinds[kind] = kinds.get(kind, 0) + 1
                    continue
                mine.append(time.perf_counter() - t0)
        finally:
            connection.close()
            with lock:
                phase.latencies.extend(mine)
                for kind, n in kinds.items():
                    phase.errors += n
                    phase.error_kinds[kind] = phase.error_kinds.get(kind, 0) + n

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    try:
        barrier.wait(timeout=60)
    except threading.BrokenBarrierError as exc:
        stop.set()
        raise BenchError(f"phase {name!r}: a worker thread could not start (database gone?)") from exc
    started, cpu_started = time.perf_counter(), time.process_time()
    time.sleep(seconds)
    stop.set()
    for t in pool:
        t.join(timeout=60)
    phase.seconds = time.perf_counter() - started
    phase.cpu_seconds = time.process_time() - cpu_started
    return phase


def check_no_overselling() -> tuple[int, int]:
    """(sessions oversold, sessions whose waitlist is not 1..n)."""
    from django.db.models import Count, F, Q

    from programmes.models import Enrolment, Session

    oversold = (
        Session.objects.annotate(c=Count("enrolments", filter=Q(enrolments__status="confirmed")))
        .filter(c__gt=F("capacity"))
        .count()
    )
    broken = 0
    for session_id in Session.objects.values_list("pk", flat=True):
        positions = list(
            Enrolment.objects.filter(session_id=session_id, status="waitlisted").order_by("position").values_list("position", flat=True)
        )
        if positions != list(range(1, len(positions) + 1)):
            broken += 1
    return oversold, broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase (three phases)")
    parser.add_argument(
        "--people-per-thread", type=int, default=0,
        help="default: enough that no (person, session) pair repeats within the run",
    )
    args = parser.parse_args(argv)
    if args.people_per_thread <= 0:
        # Thread 0 runs the single-thread phases too: up to ~1,000 enrolments/s for two phases.
        args.people_per_thread = max(200, -(-int(2 * args.seconds * 1000) // args.sessions))
    if not 1 <= args.threads <= 64:
        raise BenchError("--threads must be 1..64 (each thread holds a PostgreSQL connection)")
    if not 0.5 <= args.seconds <= 60:
        raise BenchError("--seconds must be 0.5..60: the run is bounded in time")

    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection, transaction
    from django.utils import timezone

    from programmes import notify, services

    session_ids, users = prepare(args.sessions, args.capacity, args.threads * args.people_per_thread)
    # Warm-up outside the timed phases: the first reverse() imports the whole URLconf
    # (seconds: some views import heavy libraries), which a running server has done long ago.
    from django.urls import reverse

    reverse("programmes:my_enrolments")
    connection.close()
    # Each thread walks its own people through the sessions in its own random order, so a
    # (person, session) pair is never repeated and every call is a real new enrolment.
    cursors = [0] * args.threads
    orders = [random.Random(1000 + i).sample(session_ids, len(session_ids)) for i in range(args.threads)]

    def next_pair(index: int) -> tuple[int, Any]:
        n = cursors[index]
        cursors[index] += 1
        person = users[index * args.people_per_thread + (n // len(session_ids)) % args.people_per_thread]
        return orders[index][n % len(session_ids)], person

    def bare(index: int, rng: random.Random) -> None:
        person = users[index * args.people_per_thread + rng.randrange(args.people_per_thread)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare (session_id, user_id, status, position, created_at) VALUES (%s, %s, %s, %s, %s)",
                [rng.choice(session_ids), person.pk, "confirmed", None, timezone.now()],
            )

    def enrol(index: int, rng: random.Random) -> None:
        session_id, person = next_pair(index)
        services.enrol(session_id, person)

    real_send = notify.send
    phases: list[Phase] = []
    for threads in sorted({1, args.threads}):
        notify.send = lambda event, enrolment_id, **kw: None
        phases.append(run_phase("bare insert (baseline)", threads, args.seconds, bare))
        phases.append(run_phase("enrol (lock + count + insert)", threads, args.seconds, enrol))
        notify.send = real_send
        phases.append(run_phase("enrol + confirmation mail built (.ics)", threads, args.seconds, enrol))
    oversold, broken = check_no_overselling()
    connection.close()

    print(f"\n## Enrolment benchmark — PostgreSQL, threads with one connection each, "
          f"{args.sessions} sessions × {args.capacity} seats, {args.seconds:g} s per phase\n")
    print_phases(phases)
    print(f"\nsessions oversold: {oversold}; sessions whose waitlist is not 1..n: {broken}")
    command = ["bench/enrolment.py", *(argv if argv is not None else sys.argv[1:])]
    print(f"reproduce: .venv/bin/python {shlex.join(command)}")
    return 1 if oversold or broken or any(p.errors for p in phases) else 0


def print_phases(phases: list[Phase]) -> None:
    """The table every concurrency benchmark prints: each phase as a ratio of the first
    phase (the bare insert) with the same number of threads, measured in the same run."""
    print("| threads | phase | ops | ops/s | p50 ms | p95 ms | CPU ms/op | errors | ratio to bare insert |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for p in phases:
        base = next(b.rate for b in phases if b.threads == p.threads) or 1.0
        print(
            f"| {p.threads} | {p.name} | {p.ops} | {p.rate:,.0f} | {p.percentile(0.5):.1f} | {p.percentile(0.95):.1f} "
            f"| {p.cpu_ms_per_op:.2f} | {p.errors} | {p.rate / base:.2f} |"
        )
    for p in phases:
        if p.errors:
            print(f"errors in {p.threads}-thread '{p.name}': {p.error_kinds}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/enrolment.py: {exc}", file=sys.stderr)
        sys.exit(2)
