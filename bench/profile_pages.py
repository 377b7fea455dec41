"""Server time of lifecareer's pages, in-process (no HTTP, no server), as a ratio of the naive page.

Run it from the repository root:

    .venv/bin/python bench/profile_pages.py                       # the catalogue and programme pages
    .venv/bin/python bench/profile_pages.py --set diagnosis       # home, diagnosis steps, submit, result, plan
    .venv/bin/python bench/profile_pages.py /services/ /programmes/sessions/?region=11 -n 500
    .venv/bin/python bench/profile_pages.py /services/ result --profile   # + a cProfile breakdown per row
    .venv/bin/python bench/profile_pages.py --compare DIR --rounds 2      # DIR (e.g. main, exported) beside this one
    .venv/bin/python bench/profile_pages.py --root DIR            # time another checkout instead of this one
    .venv/bin/python bench/profile_pages.py --middleware          # /bench/hello and / with each middleware left out

Make DIR with `git archive main | tar -x -C DIR && ln -s "$PWD/.venv" DIR/.venv`.

What it does, in one run:

1. for each checkout (this one or `--root`, and `--compare DIR`), in a child process of its own:
   Django with DEBUG=0 (the cached template loader and manifest static files, as production)
   on a SQLite file made fresh for the run (var/bench/profile_pages.sqlite3 of that checkout:
   `migrate`, `load_reference_data` with the demo schedule (LOAD_DEMO_SCHEDULE=1, so there
   are sessions to list), `collectstatic`);
2. in another child process, the reference project `bench/ceiling/` (a bare Django 5.2
   project) and its naive `/page/` (a 40-line template with a loop of 20, i18n tags, 3 ORM
   queries) — the baseline of the ratios;
3. for each row: `--warmup` requests, one request whose queries are counted, then `-n` timed
   requests with django.test.Client (anonymous, or signed in as a citizen with `--citizen`);
   with `--rounds R` the checkouts and the naive page are measured in alternating rounds and
   the medians printed. The Markdown table gives ms/request, queries/request, response bytes
   and "× naive" = naive ms / page ms (the ratio of requests per second a server would
   reach, CPU-bound, one worker each). `--profile` adds the top functions of a cProfile run
   of each row, by cumulative and by own time.

Rows are URL paths or names. Sets (`--set`): `catalogue` (the default), `diagnosis` and
`citizen` (plan, plancold, myplan, me: the two per-person pages).
The first two catalogue rows are floors: `/bench/hello` (the middleware stack, no template)
and `/accessibility/` (a static page on the base layout); a page cannot cost less than the
latter. Names (the diagnosis set): hello, home, start, step0 and step1 (`/diagnosis/step/0/`
and `/1/` of a browser whose draft has the profile saved), save1 (that browser posting
step 1 with every item answered, as "다음" without JavaScript), submit (POST
/api/v1/diagnosis/results, a new client address each time, so the rate limit counts but
never refuses), result, plan (of a result submitted at start-up, anonymous; plancold: the same
with its kept main part thrown away before each request, as a worker's first view), me and myplan
(`/me/` and the plan page of a citizen signed up with consent, with a claimed result and its
plan and a place in a session, as bench/load.py's `/me/` citizen).

Placeholders in a path: {session} (the first upcoming public session's id), {service} (the
first published service's slug), {programme} (the first programme's slug), {result} (the
public id of the submitted result) and {plan} (its plan's public id).

The figures are the CPU time (time.process_time) of one Python process, SQLite included, so
that other work on a shared machine disturbs them less than wall time; still, read the
ratios, and compare two checkouts in the same run (`--compare`), not across days. The test
client sends no Accept-Encoding, so gzip is not in these figures (it is in bench/load.py's).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from journey import PROFILE  # bench/journey.py (this script's directory is on the path)

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
CEILING = HERE.parent / "ceiling"

SETS: dict[str, list[str]] = {
    "catalogue": [
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
    ],
    "diagnosis": ["hello", "home", "start", "step0", "step1", "save1", "result", "plan", "submit"],
    "citizen": ["plan", "plancold", "myplan", "me"],
}
# Names that stand for a path; step0, step1 and submit are requests of their own (see cases()).
NAMED_PATHS = {
    "hello": "/bench/hello",
    "home": "/",
    "start": "/diagnosis/",
    "result": "/diagnosis/r/{result}/",
    "plan": "/plans/{plan}/",
    "plancold": "/plans/{plan}/",
}
SPECIAL = {
    "step0": "/diagnosis/step/0/ (draft)",
    "step1": "/diagnosis/step/1/ (draft)",
    "save1": "POST /diagnosis/step/1/ (draft, every answer: to step 2)",
    "submit": "POST /api/v1/diagnosis/results",
    "me": "/me/ (citizen: result, plan, enrolment)",
    "myplan": "/plans/<id>/ (its owner, signed in)",
    "plancold": "/plans/<id>/ (its main part not kept: a worker's first view)",
}

DB_NAME = "profile_pages.sqlite3"


# --- in the child process ---------------------------------------------------------------


def _env(root: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{root / 'var' / 'bench' / DB_NAME}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuv",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOAD_DEMO_SCHEDULE": "1",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "lifecareer.settings",
        }
    )


def setup_app(root: Path, without: str = "") -> None:
    """Django for the checkout at `root`, its SQLite file loaded on first use in this run."""
    (root / "var" / "bench").mkdir(parents=True, exist_ok=True)
    _env(root)
    os.chdir(root)
    sys.path.insert(0, str(root))
    import django
    from django.conf import settings

    django.setup()
    if without:
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != without]
    from django.core.management import call_command

    marker = root / "var" / "bench" / f"{DB_NAME}.ready"
    if not marker.exists():
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0)
        marker.write_text("ok")


def placeholders(rows: list[str]) -> dict[str, str]:
    from catalog.models import Service
    from programmes.models import Programme
    from programmes.queries import upcoming_sessions

    session = upcoming_sessions().order_by("starts_at", "pk").values_list("pk", flat=True).first()
    service = Service.objects.filter(is_active=True).order_by("slug").values_list("slug", flat=True).first()
    programme = Programme.objects.order_by("track", "order", "slug").values_list("slug", flat=True).first()
    names = {"session": str(session or 0), "service": service or "none", "programme": programme or "none"}
    if any("{result}" in r or "{plan}" in r for r in rows):
        from django.test import Client

        from diagnosis.models import Result
        from journeys import services as journeys_services

        created = Client().post("/api/v1/diagnosis/results", submit_body(), content_type="application/json", REMOTE_ADDR="10.9.9.9")
        assert created.status_code == 201, created.content
        names["result"] = created.json()["id"]
        names["plan"] = str(journeys_services.plan_for_result(Result.objects.get(public_id=names["result"])).public_id)
    return names


def submit_body() -> str:
    from diagnosis import services

    instrument = services.current_instrument()
    item_ids = [item["id"] for s in services.sections(instrument) for item in s["items"]]
    return json.dumps({"instrument_version": instrument.version, "profile": PROFILE, "answers": dict.fromkeys(item_ids, 3)})


def submitter() -> Callable[[], Any]:
    """POST a diagnosis from a new client address each time: the rate limit counts but never refuses."""
    from django.test import Client

    body, anon = submit_body(), Client()
    counter = {"n": (int(time.time()) & 0xFF) << 16}

    def submit() -> Any:
        counter["n"] += 1
        n = counter["n"]
        response = anon.post(
            "/api/v1/diagnosis/results", body, content_type="application/json",
            REMOTE_ADDR=f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}",
        )
        assert response.status_code == 201, response.content
        return response

    return submit


def saver(browser: Any) -> Callable[[], Any]:
    """POST the first section's page with every item answered (the no-JS "다음"): the
    answers saved in the draft, then a redirect to step 2."""
    from diagnosis import services

    items = services.sections(services.current_instrument())[0]["items"]
    form = {**{item["id"]: "3" for item in items}, "action": "next"}

    body = urlencode(form)  # as a browser sends a form without files (the test client's default is multipart)

    def save() -> Any:
        response = browser.post("/diagnosis/step/1/", body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302 and response["Location"].endswith("/diagnosis/step/2/"), response
        return response

    return save


def owner_client() -> tuple[Any, str]:
    """A citizen as bench/load.py makes one: signed up with every consent, a result (and its
    plan) claimed, a place in the first upcoming public session; and that plan's address.
    A new one in each child process (the database is kept between rounds)."""
    from django.test import Client

    from diagnosis.models import Result
    from journeys import services as journeys_services
    from programmes.queries import upcoming_sessions

    browser = Client()
    page = browser.get("/accounts/signup/").content.decode()
    consent_fields = sorted(set(re.findall(r'name="(consent_[\w-]+)"', page)))
    password = "bench-Pass-7391-" + secrets.token_urlsafe(12)  # a fresh database each run
    signed = browser.post(
        "/accounts/signup/",
        {"email": f"bench-owner-{os.getpid()}@example.com", "password1": password, "password2": password, **dict.fromkeys(consent_fields, "on")},
    )
    assert signed.status_code == 302, signed.content[:2000]
    created = Client().post("/api/v1/diagnosis/results", submit_body(), content_type="application/json", REMOTE_ADDR="10.9.9.8")
    assert created.status_code == 201, created.content
    result_id = created.json()["id"]
    plan = journeys_services.plan_for_result(Result.objects.get(public_id=result_id))
    claimed = browser.post(f"/accounts/claim/{result_id}/")
    assert claimed.status_code == 302, claimed.content[:2000]
    session = upcoming_sessions().order_by("starts_at", "pk").values_list("pk", flat=True).first()
    enrolled = browser.post(f"/programmes/sessions/{session}/enrol/")
    assert enrolled.status_code == 302 and enrolled["Location"].endswith("/programmes/me/"), enrolled
    me = browser.get("/me/").content.decode()
    assert result_id in me and str(plan.public_id) in me, "/me/ does not show the claimed result and plan"
    return browser, f"/plans/{plan.public_id}/"


def uncached(request: Callable[[], Any]) -> Callable[[], Any]:
    """`request` with the per-process store of personal page parts (core.page_cache) emptied first."""
    from django.core.cache import caches

    def run() -> Any:
        caches["personal"].clear()
        return request()

    return run


def cases(rows: list[str], citizen: bool) -> dict[str, tuple[str, Callable[[], Any]]]:
    """Per row: its label and a callable doing one request, checking its status, returning the response."""
    from django.test import Client

    c = Client()
    if citizen:
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(username="bench-citizen@example.com")
        c.force_login(user)

    def get(client: Client, path: str) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            return response

        return run

    expanded = [NAMED_PATHS.get(r, r) for r in rows]
    names = placeholders(expanded)
    out: dict[str, tuple[str, Callable[[], Any]]] = {}
    drafting: Client | None = None
    owner: tuple[Client, str] | None = None
    for row, path in zip(rows, expanded, strict=True):
        if row in {"step0", "step1", "save1"}:
            if drafting is None:  # a browser with a draft: the profile saved
                drafting = Client()
                form = {k: v for k, v in PROFILE.items() if k != "availability"}
                r = drafting.post("/diagnosis/step/0/", {**form, "availability": PROFILE["availability"]})
                assert r.status_code == 302, r.content[:2000]
            out[row] = (SPECIAL[row], saver(drafting) if row == "save1" else get(drafting, f"/diagnosis/step/{row[-1]}/"))
        elif row == "submit":
            out[row] = (SPECIAL[row], submitter())
        elif row == "plancold":
            out[row] = (SPECIAL[row], uncached(get(c, path.format(**names))))
        elif row in {"me", "myplan"}:
            if owner is None:
                owner = owner_client()
            out[row] = (SPECIAL[row], get(owner[0], "/me/" if row == "me" else owner[1]))
        elif path.startswith("/"):
            formatted = path.format(**names)
            out[row] = (formatted, get(c, formatted))
        else:
            raise SystemExit(f"{row}: neither a path nor one of {sorted([*NAMED_PATHS, *SPECIAL])}")
    return out


def measure(fn: Callable[[], Any], n: int, warmup: int, profile: bool, top: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    queries = len(ctx.captured_queries)  # now: the next request clears the log
    start = time.process_time()
    for _ in range(n):
        fn()
    ms = (time.process_time() - start) * 1000 / n
    report = ""
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            fn()
        prof.disable()
        stream = io.StringIO()
        stats = pstats.Stats(prof, stream=stream).strip_dirs()
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        if os.environ.get("PROFILE_CALLEES"):
            stats.sort_stats("cumulative").print_callees(os.environ["PROFILE_CALLEES"])
        report = stream.getvalue()
    return {"ms": ms, "queries": queries, "bytes": len(response.content), "profile": report}


def ceiling_ms(n: int, warmup: int) -> float:
    """ms/request of the reference project's /page/ (this process becomes the ceiling project)."""
    db = ROOT / "var" / "bench" / "profile_pages_ceiling.sqlite3"
    os.environ.update({"CEILING_DB": str(db), "BENCH_CONN_MAX_AGE": "600", "DJANGO_SETTINGS_MODULE": "bench.settings"})
    os.chdir(CEILING)
    sys.path.insert(0, str(CEILING))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    if not db.with_suffix(".ready").exists():
        call_command("migrate", verbosity=0)
        from app import seed

        seed.run()
        db.with_suffix(".ready").write_text("ok")
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()

    def page() -> Any:
        response = client.get("/page/")
        assert response.status_code == 200
        return response

    return float(measure(page, n, warmup, False, 0)["ms"])


def child(args: argparse.Namespace) -> None:
    """Measure in this process; print one JSON line: {"naive": ms} or {row: {ms, queries, bytes, label, profile}}."""
    if args.child == "ceiling":
        print(json.dumps({"naive": ceiling_ms(args.n, args.warmup)}))
        return
    setup_app(Path(args.child), without=args.without)
    rows = json.loads(args.rows_json)
    result = {}
    for row, (label, fn) in cases(rows, args.citizen).items():
        result[row] = {"label": label, **measure(fn, args.n, args.warmup, args.profile, args.top)}
    print(json.dumps(result))


# --- in the parent process --------------------------------------------------------------


def run_child(target: str, args: argparse.Namespace, rows: list[str], without: str = "", profile: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE), "--child", target, "-n", str(args.n), "--warmup", str(args.warmup), "--rows-json", json.dumps(rows), "--top", str(args.top)]
    cmd += ["--without", without] if without else []
    cmd += ["--citizen"] if args.citizen else []
    cmd += ["--profile"] if profile else []
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child for {target} {without} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def fresh(root: Path) -> None:
    """Delete the checkout's bench database, so this run loads it anew."""
    bench = root / "var" / "bench"
    for name in (DB_NAME, "profile_pages_ceiling.sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal", ".ready"):
            Path(f"{bench / name}{suffix}").unlink(missing_ok=True)
    (bench / "profile_pages_ceiling.ready").unlink(missing_ok=True)


def median_rows(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row: {**runs[0][row], "ms": statistics.median(r[row]["ms"] for r in runs)} for row in runs[0]}


def pages(args: argparse.Namespace) -> None:
    roots = {"base": Path(args.compare).resolve()} if args.compare else {}
    roots["this"] = args.root.resolve()
    for root in {*roots.values(), ROOT}:
        fresh(root)
    rows = args.rows or SETS[args.set]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in [*roots, "ceiling"]}
    for r in range(args.rounds):
        for name, root in roots.items():
            runs[name].append(run_child(str(root), args, rows, profile=args.profile and r == 0))
        if not args.no_baseline:
            runs["ceiling"].append(run_child("ceiling", args, rows))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    naive = statistics.median(x["naive"] for x in runs["ceiling"]) if runs["ceiling"] else None
    med = {name: median_rows(runs[name]) for name in roots}

    def ratio(ms: float) -> str:
        return f"{naive / ms:.2f}" if naive else "-"

    who = "citizen" if args.citizen else "anonymous"
    print(f"\n{' vs '.join(f'{k}: {v}' for k, v in roots.items())}  ({who}, {args.rounds} round(s) x n={args.n}, DEBUG=0, SQLite)")
    if naive is not None:
        print(f"naive page (bench/ceiling /page/): {naive:.2f} ms/request")
    print()
    if args.compare:
        print("| page | base ms | base × naive | this ms | this × naive | speed-up | queries base → this |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            b, t = med["base"][row], med["this"][row]
            print(f"| `{t['label']}` | {b['ms']:.2f} | {ratio(b['ms'])} | {t['ms']:.2f} | {ratio(t['ms'])} | {b['ms'] / t['ms']:.2f}× | {b['queries']} → {t['queries']} |")
    else:
        print("| page | ms/request | queries | bytes | × naive |")
        print("|---|---:|---:|---:|---:|")
        for row in rows:
            t = med["this"][row]
            print(f"| `{t['label']}` | {t['ms']:.2f} | {t['queries']} | {t['bytes']:,} | {ratio(t['ms'])} |")
    for name in roots:
        for row in rows:
            if runs[name][0][row]["profile"]:
                print(f"\n### {name}: {runs[name][0][row]['label']}\n{runs[name][0][row]['profile']}")


def middleware(args: argparse.Namespace) -> None:
    """ms/request of the rows (default /bench/hello and /) with each middleware left out."""
    root = (Path(args.compare) if args.compare else args.root).resolve()
    fresh(root)
    _env(root)
    code = "import django; django.setup(); from django.conf import settings; print('\\n'.join(settings.MIDDLEWARE))"
    env = {**os.environ, "PYTHONPATH": str(root)}
    listed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env, check=True).stdout.split()
    rows = args.rows or ["hello", "home"]
    runs: dict[str, list[dict[str, Any]]] = {"(all)": [], **{m: [] for m in listed}}
    for _ in range(args.rounds):
        for name in list(runs):
            try:
                runs[name].append(run_child(str(root), args, rows, "" if name == "(all)" else name))
            except SystemExit:  # another middleware needs this one (sessions, auth)
                print(f"{name}: cannot be left out alone", file=sys.stderr)
                del runs[name]
    med = {name: median_rows(rs) for name, rs in runs.items()}
    full = med["(all)"]
    print(f"\n{root}: median of {args.rounds} round(s) x {args.n} requests, CPU ms/request\n")
    print("| left out | " + " | ".join(f"`{full[r]['label']}` ms | saves" for r in rows) + " |")
    print("|---|" + "---:|---:|" * len(rows))
    for name, m in med.items():
        cells = " | ".join(f"{m[r]['ms']:.3f} | {full[r]['ms'] - m[r]['ms']:+.3f}" for r in rows)
        print(f"| {name} | {cells} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", nargs="*", help="URL paths or page names (default: the rows of --set)")
    parser.add_argument("--set", choices=sorted(SETS), default="catalogue", help="the named rows to time when none are given")
    parser.add_argument("-n", type=int, default=300, help="timed requests per row per round")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds; the medians are printed")
    parser.add_argument("--citizen", action="store_true", help="signed in as a citizen (path rows)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile breakdown per row")
    parser.add_argument("--top", type=int, default=25, help="functions per cProfile listing")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive page")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to time (default: this one)")
    parser.add_argument("--compare", metavar="DIR", help="another lifecareer checkout to time beside --root, same run")
    parser.add_argument("--middleware", action="store_true", help="leave out each middleware in turn (of --compare DIR if given)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--without", default="", help=argparse.SUPPRESS)
    parser.add_argument("--rows-json", default="[]", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
    elif args.middleware:
        middleware(args)
    else:
        pages(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
