"""Server time of citizen pages, in-process (no HTTP, no server), as a ratio of the naive page.

Run it from the repository root:

    .venv/bin/python bench/profile_pages.py                      # the default pages
    .venv/bin/python bench/profile_pages.py /services/ /programmes/sessions/?region=11 -n 500
    .venv/bin/python bench/profile_pages.py /services/ --profile  # + a cProfile breakdown
    .venv/bin/python bench/profile_pages.py --root /tmp/main-export   # time another checkout

What it does, in one run:

1. sets Django up with DEBUG=0 (the cached template loader, as production) on a fresh SQLite
   file (var/bench/profile_pages.sqlite3 under `--root`), runs `migrate`, `load_reference_data`
   with the demo schedule (LOAD_DEMO_SCHEDULE=1, so there are sessions to list) and, if
   missing, `collectstatic` (production's manifest storage needs it);
2. in a child process, does the same for the reference project `bench/ceiling/` (a bare
   Django 5.2 project) and times its naive `/page/` (a 40-line template with a loop of 20,
   i18n tags, 3 ORM queries) — the baseline of the ratios;
3. for each path: `--warmup` requests, then `-n` timed requests with django.test.Client
   (anonymous, or signed in as a citizen with `--citizen`), and prints a Markdown table:
   ms/request, queries/request, response bytes and "× naive" = naive ms / page ms (the
   ratio of requests per second a server would reach, CPU-bound, one worker each).
   `--profile` adds the top functions of a cProfile run of each path.

The first two default rows are floors: `/bench/hello` (the middleware stack, no template) and
`/accessibility/` (a static page on the base layout); a page cannot cost less than the latter.

Placeholders in a path: {session} (the first upcoming public session's id), {service} (the
first published service's slug), {programme} (the first programme's slug).

The figures are the CPU time (time.process_time) of one Python process, SQLite included, so
that other work on a shared machine disturbs them less than wall time; still, read the
ratios, and compare two checkouts in the same minute (`--root`), not across days.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_PATHS = [
    "/bench/hello",  # floor: the middleware stack alone
    "/accessibility/",  # floor: a static page on the site's base layout
    "/services/",
    "/services/?goal=reemployment",
    "/services/{service}/",
    "/programmes/",
    "/programmes/{programme}/",
    "/programmes/sessions/",
    "/programmes/sessions/?region=11&time_of_day=evening",
    "/programmes/sessions/?region=99",
    "/programmes/sessions/{session}/",
]

CEILING_SNIPPET = """
import os, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from app import seed
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    seed.run()
from django.test import Client
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
client = Client()
n, warmup = int(sys.argv[1]), int(sys.argv[2])
for _ in range(warmup):
    assert client.get("/page/").status_code == 200
start = time.process_time()
for _ in range(n):
    client.get("/page/")
print((time.process_time() - start) * 1000 / n)
"""


def naive_page_ms(n: int, warmup: int) -> float:
    """ms/request of the reference project's /page/, in a child process of its own."""
    ceiling = HERE / "ceiling"
    db = ROOT / "var" / "bench" / "profile_pages_ceiling.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}}
    env.update({"CEILING_DB": str(db), "BENCH_CONN_MAX_AGE": "600", "DJANGO_SETTINGS_MODULE": "bench.settings"})
    done = subprocess.run(
        [sys.executable, "-c", CEILING_SNIPPET, str(n), str(warmup)],
        cwd=ceiling, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"ceiling /page/ failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def setup(root: Path) -> None:
    bench_dir = root / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db = bench_dir / "profile_pages.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuv",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOAD_DEMO_SCHEDULE": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifecareer.settings")
    os.chdir(root)
    sys.path.insert(0, str(root))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def placeholders() -> dict[str, str]:
    from catalog.models import Service
    from programmes.models import Programme
    from programmes.queries import upcoming_sessions

    session = upcoming_sessions().order_by("starts_at", "pk").values_list("pk", flat=True).first()
    service = Service.objects.filter(is_active=True).order_by("slug").values_list("slug", flat=True).first()
    programme = Programme.objects.order_by("track", "order", "slug").values_list("slug", flat=True).first()
    return {"session": str(session or 0), "service": service or "none", "programme": programme or "none"}


def client(citizen: bool) -> Any:
    from django.test import Client

    c = Client()
    if citizen:
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(username="bench-citizen@example.com")
        c.force_login(user)
    return c


def measure(c: Any, path: str, n: int, warmup: int, profile: bool, top: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = c.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(path)
    queries = len(ctx.captured_queries)  # now: the next request clears the log
    start = time.process_time()
    for _ in range(n):
        c.get(path)
    ms = (time.process_time() - start) * 1000 / n
    report = ""
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            c.get(path)
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        report = out.getvalue()
    return {"path": path, "ms": ms, "queries": queries, "bytes": len(response.content), "profile": report}


def main(argv: list[str] | None = None) -> int:
    global ROOT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="URL paths (default: the catalogue and programme pages)")
    parser.add_argument("-n", type=int, default=300, help="timed requests per path")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--citizen", action="store_true", help="signed in as a citizen")
    parser.add_argument("--profile", action="store_true", help="print a cProfile breakdown per path")
    parser.add_argument("--top", type=int, default=25, help="functions per cProfile listing")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive page")
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the checkout to time (default: this one)")
    args = parser.parse_args(argv)
    ROOT = args.root.resolve()

    baseline = None if args.no_baseline else naive_page_ms(args.n, args.warmup)
    setup(ROOT)
    names = placeholders()
    c = client(args.citizen)
    rows = [measure(c, p.format(**names), args.n, args.warmup, args.profile, args.top) for p in args.paths or DEFAULT_PATHS]

    print(f"checkout: {ROOT}  ({'citizen' if args.citizen else 'anonymous'}, n={args.n}, DEBUG=0, SQLite)")
    if baseline is not None:
        print(f"naive page (bench/ceiling /page/): {baseline:.2f} ms/request")
    print()
    print("| path | ms/request | queries | bytes | × naive |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        ratio = f"{baseline / row['ms']:.2f}" if baseline else "-"
        print(f"| `{row['path']}` | {row['ms']:.2f} | {row['queries']} | {row['bytes']:,} | {ratio} |")
    for row in rows:
        if row["profile"]:
            print(f"\n### {row['path']}\n{row['profile']}")
    return 0


ROOT = HERE.parent

if __name__ == "__main__":
    raise SystemExit(main())
