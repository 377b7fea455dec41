"""Concurrent counselling bookings per second on PostgreSQL, as a ratio of a bare-insert
baseline (the structure, flags and helpers of bench/enrolment.py).

The in-process breakdown of the booking action (service function only, no HTTP). The
headline figure of issue 12 goal P6 — booking over HTTP as a ratio of the reference
project's 40-field form POST, with a race for single slots and the no-double-booking
checks — is bench/writes.py; docs/performance.md, "Enrolment and booking under concurrency".

Run it from the repository root:

    .venv/bin/python bench/booking.py
    .venv/bin/python bench/booking.py --threads 16 --seconds 8 \\
        --database-url postgres://postgres@127.0.0.1:5432/lifecareer_bench_booking

What it does, in one process and one run:

1. drops and creates the benchmark database (name must contain "bench", host loopback),
   migrates it, and creates one centre, a pool of free slots and a pool of people;
2. runs three phases, each for `--seconds`, with 1 thread and then `--threads` threads,
   each thread on its own connection:
   a. **bare insert** (the baseline): one INSERT of a row with a booking's columns into a
      table with no constraints, in its own transaction;
   b. **book**: `counselling.services.book` of a new person into a free slot: lock the
      person's row and the slot's row only (SELECT … FOR UPDATE OF the slot, not its
      centre), one query for "taken" and the person's future bookings, open the case
      (with its counsellor) and the share consent, insert the booking under the partial
      unique constraint, commit; the confirmation mail is left out;
   c. **book + mail**: the same with the confirmation (template, .ics) written to the
      outbox in the same transaction;
   `--hot N` (default 0) makes every thread race for the same N slots at a time
   instead of its own: most attempts are then "taken" refusals with the next free slots
   (counted as operations: they are correct answers, and reported separately);
3. checks that no slot holds two live bookings and nobody holds more than two future
   bookings, and prints a Markdown table with the ratio to the bare insert.
"""

from __future__ import annotations

import argparse
import random
import shlex
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from enrolment import BenchError, Phase, print_phases, recreate_database, run_phase, setup_django  # noqa: E402 - after the path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lifecareer_bench_booking"


def prepare(slots: int, people: int) -> tuple[list[int], list[Any]]:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from counselling.models import Slot
    from programmes.models import Centre

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, slot_id bigint NOT NULL, citizen_id bigint NOT NULL,"
            " mode varchar(10) NOT NULL, topic varchar(20) NOT NULL, status varchar(10) NOT NULL, created_at timestamptz NOT NULL)"
        )
    centre = Centre.objects.create(slug="bench-centre", name="벤치마크 센터", region="11")
    counsellor = User.objects.create(username="bench-counsellor@example.com", email="bench-counsellor@example.com", is_staff=True)
    start = timezone.now() + dt.timedelta(days=3)
    Slot.objects.bulk_create(
        [
            Slot(counsellor=counsellor, centre=centre, starts_at=start + dt.timedelta(minutes=i), ends_at=start + dt.timedelta(minutes=i + 60), modes=["visit", "phone", "video"])
            for i in range(slots)
        ],
        batch_size=2000,
    )
    users = User.objects.bulk_create([User(username=f"bench{i}@example.com", email=f"bench{i}@example.com") for i in range(people)], batch_size=2000)
    return list(Slot.objects.order_by("starts_at").values_list("pk", flat=True)), users


def check_no_double_booking() -> tuple[int, int]:
    """(slots with two live bookings, people with more than two future bookings)."""
    from django.db.models import Count
    from django.utils import timezone

    from counselling.models import LIVE_BOOKING, Booking

    doubled = Booking.objects.filter(LIVE_BOOKING).values("slot").annotate(n=Count("pk")).filter(n__gt=1).count()
    over = (
        Booking.objects.filter(status="confirmed", slot__starts_at__gt=timezone.now())
        .values("citizen").annotate(n=Count("pk")).filter(n__gt=2).count()
    )
    return doubled, over


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase (three phases)")
    parser.add_argument("--hot", type=int, default=0, help="race for this many slots at a time (0: each thread its own slots)")
    parser.add_argument("--pool", type=int, default=20_000, help="slots and people created (one person per booking)")
    args = parser.parse_args(argv)
    if not 1 <= args.threads <= 64:
        raise BenchError("--threads must be 1..64 (each thread holds a PostgreSQL connection)")
    if not 0.5 <= args.seconds <= 60:
        raise BenchError("--seconds must be 0.5..60: the run is bounded in time")
    if not 1000 <= args.pool <= 500_000:
        raise BenchError("--pool must be 1000..500000")

    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone

    from counselling import notify, services

    slot_ids, users = prepare(args.pool, args.pool)
    reverse("counselling:my_bookings")  # warm the URLconf outside the timed phases
    connection.close()

    lock = threading.Lock()
    state = {"slot": 0, "person": 0, "taken": 0}

    def take(name: str, step: int = 1) -> int:
        with lock:
            value = state[name]
            state[name] += step
        return value

    def next_slot(rng: random.Random) -> int:
        if args.hot:
            # Everyone races for the first `hot` slots not yet taken (approximately: the
            # cursor moves past a slot once someone has booked it).
            base = state["slot"]
            return slot_ids[(base + rng.randrange(args.hot)) % len(slot_ids)]
        return slot_ids[take("slot") % len(slot_ids)]

    def bare(index: int, rng: random.Random) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare (slot_id, citizen_id, mode, topic, status, created_at) VALUES (%s, %s, %s, %s, %s, %s)",
                [rng.choice(slot_ids), users[rng.randrange(len(users))].pk, "phone", "unsure", "confirmed", timezone.now()],
            )

    def book(index: int, rng: random.Random) -> None:
        person = users[take("person") % len(users)]
        try:
            services.book(person, next_slot(rng), mode="phone", topic="unsure", share=["latest_diagnosis"])
        except services.BookingRefused as refused:
            if refused.code != "taken":
                raise
            take("taken")
        else:
            if args.hot:
                take("slot")

    real_booked = notify.booked
    phases: list[Phase] = []
    taken: dict[str, int] = {}
    for threads in sorted({1, args.threads}):
        notify.booked = lambda booking, **kwargs: None
        phases.append(run_phase("bare insert (baseline)", threads, args.seconds, bare))
        before = state["taken"]
        phases.append(run_phase("book (lock person + slot, check, insert)", threads, args.seconds, book))
        taken[f"{threads}:book"] = state["taken"] - before
        notify.booked = real_booked
        before = state["taken"]
        phases.append(run_phase("book + confirmation to the outbox (.ics)", threads, args.seconds, book))
        taken[f"{threads}:mail"] = state["taken"] - before
    doubled, over = check_no_double_booking()
    connection.close()

    mode = f"all threads racing for {args.hot} slots at a time" if args.hot else "each booking a free slot"
    print(f"\n## Booking benchmark — PostgreSQL, threads with one connection each, {mode}, {args.seconds:g} s per phase\n")
    print_phases(phases)
    if args.hot:
        print(f"\n'taken' answers (counted as operations): {taken}")
    print(f"\nslots with two live bookings: {doubled}; people with more than two future bookings: {over}")
    command = ["bench/booking.py", *(argv if argv is not None else sys.argv[1:])]
    print(f"reproduce: .venv/bin/python {shlex.join(command)}")
    return 1 if doubled or over or any(p.errors for p in phases) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/booking.py: {exc}", file=sys.stderr)
        sys.exit(2)
