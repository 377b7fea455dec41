"""In-process timing of the site chrome, the middleware and the diagnosis pages.

No server, no network: Django's test client calls the WSGI handler directly, so the figures
are the application's own CPU time per request (middleware, view, queries, template), the
part a faster server cannot take away. Run it from the repository root:

    .venv/bin/python bench/profile_diag.py                      # this checkout, 300 requests a page
    .venv/bin/python bench/profile_diag.py -n 500 --compare DIR # DIR (e.g. main, exported) vs this checkout, same run
    .venv/bin/python bench/profile_diag.py --middleware         # /bench/hello with each middleware left out
    .venv/bin/python bench/profile_diag.py --profile result     # cProfile of one page (top 35 by own time)

`--compare DIR` measures another checkout of lifecareer (make one with
`git archive main | tar -x -C DIR`) and this one in alternating rounds, each in its own
child process, and prints ms/request of both side by side. The reference ("naive page":
bench/ceiling's /page/, a 40-line template with a loop of 20, i18n tags and 3 ORM queries)
is measured the same way in every round; "×naive" is the naive page's ms divided by the
page's ms, so 2.0 means the page is served twice as fast as the naive page.

Each checkout gets its own SQLite file under its var/bench/ (migrate + load_reference_data +
collectstatic on first use, DEBUG=0, the production settings otherwise). The pages measured:
home, diagnosis start, step 0 (profile) and step 1 (a section) of a draft, the result page, the
plan page, POST /api/v1/diagnosis/results (a new client address each time, so the rate
limit counts but never refuses) and /bench/hello. Noise: 2 shared cores; read the ratios,
and the median of the rounds.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
CEILING = HERE.parent / "ceiling"

PROFILE_ANSWERS = {
    "birth_year": 1968,
    "employment_status": "retiring",
    "career_years": 25,
    "occupation": "clerical",
    "region": "11",
    "goal": "reemployment",
    "availability": ["evening"],
}
PAGES = ("hello", "home", "start", "step0", "step1", "result", "plan", "submit")


def _env(root: Path, **extra: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{root / 'var' / 'bench' / 'profile.sqlite3'}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuv",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOAD_DEMO_SCHEDULE": "1",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "lifecareer.settings",
            **extra,
        }
    )


def _setup_app(root: Path, without: str | None = None) -> None:
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

    marker = root / "var" / "bench" / "profile.ready"
    if not marker.exists():
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0)
        marker.write_text("ok")


def _time(fn: Callable[[int], Any], n: int) -> float:
    for i in range(min(20, n)):  # warm caches, templates, connections
        fn(i)
    start = time.process_time()
    for i in range(n):
        fn(i)
    return (time.process_time() - start) * 1000 / n


def _app_cases(names: list[str]) -> dict[str, Callable[[int], Any]]:
    """One callable per page in `names`, each doing one request and checking its status."""
    from django.test import Client

    def get(client: Client, path: str) -> Callable[[int], Any]:
        def run(i: int) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return run

    cases: dict[str, Callable[[int], Any]] = {
        "hello": get(Client(SERVER_NAME="localhost"), "/bench/hello"),
        "home": get(Client(SERVER_NAME="localhost"), "/"),
        "start": get(Client(SERVER_NAME="localhost"), "/diagnosis/"),
    }
    if not set(names) - set(cases):
        return cases

    from diagnosis import services
    from diagnosis.models import Result
    from journeys import services as journeys_services

    instrument = services.current_instrument()
    item_ids = [item["id"] for s in services.sections(instrument) for item in s["items"]]
    body = json.dumps({"instrument_version": instrument.version, "profile": PROFILE_ANSWERS, "answers": dict.fromkeys(item_ids, 3)})
    anon = Client(SERVER_NAME="localhost")
    created = anon.post("/api/v1/diagnosis/results", body, content_type="application/json", REMOTE_ADDR="10.9.9.9")
    assert created.status_code == 201, created.content
    public_id = created.json()["id"]
    plan = journeys_services.plan_for_result(Result.objects.get(public_id=public_id))

    drafting = Client(SERVER_NAME="localhost")  # a browser with a draft: the profile saved
    form = {k: v for k, v in PROFILE_ANSWERS.items() if k != "availability"}
    r = drafting.post("/diagnosis/step/0/", {**form, "availability": PROFILE_ANSWERS["availability"]})
    assert r.status_code == 302, r.content[:2000]

    # A new client address each time: the rate limit counts every submit but never refuses.
    counter = {"n": (int(time.time()) & 0xFF) << 16}

    def submit(i: int) -> None:
        counter["n"] += 1
        n = counter["n"]
        response = anon.post(
            "/api/v1/diagnosis/results", body, content_type="application/json",
            REMOTE_ADDR=f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}",
        )
        assert response.status_code == 201, response.content

    return {
        **cases,
        "step0": get(drafting, "/diagnosis/step/0/"),
        "step1": get(drafting, "/diagnosis/step/1/"),
        "result": get(Client(SERVER_NAME="localhost"), f"/diagnosis/r/{public_id}/"),
        "plan": get(Client(SERVER_NAME="localhost"), f"/plans/{plan.public_id}/"),
        "submit": submit,
    }


def _ceiling_case() -> Callable[[int], Any]:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    db = ROOT / "var" / "bench" / "profile-ceiling.sqlite3"
    os.environ.update({"CEILING_DB": str(db), "BENCH_CONN_MAX_AGE": "600", "DJANGO_SETTINGS_MODULE": "bench.settings"})
    os.chdir(CEILING)
    sys.path.insert(0, str(CEILING))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    if not db.with_suffix(".ready").exists():
        call_command("migrate", verbosity=0)
        from app import seed

        seed.run()
        db.with_suffix(".ready").write_text("ok")
    client = Client(SERVER_NAME="localhost")

    def run(i: int) -> None:
        assert client.get("/page/?c=3&id=500").status_code == 200

    return run


def child(args: argparse.Namespace) -> None:
    """Measure in this process and print one JSON line: {page: ms/request}."""
    if args.root == "ceiling":
        print(json.dumps({"naive": _time(_ceiling_case(), args.n)}))
        return
    root = Path(args.root).resolve()
    _setup_app(root, without=args.without)
    names = args.pages.split(",") if args.pages else list(PAGES)
    cases = _app_cases(names)
    print(json.dumps({name: _time(cases[name], args.n) for name in names}))


def run_child(root: str, n: int, pages: str = "", without: str = "") -> dict[str, float]:
    cmd = [sys.executable, str(HERE), "--child", "--root", root, "-n", str(n)]
    if pages:
        cmd += ["--pages", pages]
    if without:
        cmd += ["--without", without]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child for {root} failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compare(args: argparse.Namespace) -> None:
    roots = {"base": str(Path(args.compare).resolve()), "this": str(ROOT)} if args.compare else {"this": str(ROOT)}
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in [*roots, "ceiling"]}
    for r in range(args.rounds):
        for name, root in [*roots.items(), ("ceiling", "ceiling")]:
            rounds[name].append(run_child(root, args.n))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    median = {name: {k: statistics.median(d[k] for d in runs) for k in runs[0]} for name, runs in rounds.items()}
    naive = median["ceiling"]["naive"]
    print(f"\nnaive page (bench/ceiling /page/): {naive:.2f} ms/request; median of {args.rounds} rounds x {args.n} requests\n")
    if args.compare:
        print("| page | base ms | base ×naive | this ms | this ×naive | speed-up |")
        print("|---|---:|---:|---:|---:|---:|")
        for page in PAGES:
            b, t = median["base"][page], median["this"][page]
            print(f"| {page} | {b:.2f} | {naive / b:.2f} | {t:.2f} | {naive / t:.2f} | {b / t:.2f}× |")
    else:
        print("| page | ms | ×naive |")
        print("|---|---:|---:|")
        for page in PAGES:
            t = median["this"][page]
            print(f"| {page} | {t:.2f} | {naive / t:.2f} |")


def middleware(args: argparse.Namespace) -> None:
    """ms/request of /bench/hello and the home page with each middleware left out."""
    root = str(Path(args.compare).resolve()) if args.compare else str(ROOT)
    _env(Path(root))
    sys.path.insert(0, root)
    code = "import django; django.setup(); from django.conf import settings; print('\\n'.join(settings.MIDDLEWARE))"
    listed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True).stdout.split()
    pages = "hello,home"
    runs: dict[str, list[dict[str, float]]] = {"(all)": [], **{m: [] for m in listed}}
    for _ in range(args.rounds):
        for name in list(runs):
            try:
                runs[name].append(run_child(root, args.n, pages, "" if name == "(all)" else name))
            except SystemExit:  # another middleware needs this one (sessions, auth)
                print(f"{name}: cannot be left out alone", file=sys.stderr)
                del runs[name]
    med = {name: {p: statistics.median(r[p] for r in rs) for p in pages.split(",")} for name, rs in runs.items()}
    full = med["(all)"]
    print(f"\n{root}: median of {args.rounds} rounds x {args.n} requests\n")
    print("| left out | hello ms | saves | home ms | saves |")
    print("|---|---:|---:|---:|---:|")
    for name, m in med.items():
        print(f"| {name} | {m['hello']:.3f} | {full['hello'] - m['hello']:+.3f} | {m['home']:.3f} | {full['home'] - m['home']:+.3f} |")


def profile(args: argparse.Namespace) -> None:
    _setup_app(ROOT)
    case = _app_cases([args.profile])[args.profile]
    _time(case, 20)
    prof = cProfile.Profile()
    prof.enable()
    for i in range(args.n):
        case(i)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=300, help="requests per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", metavar="DIR", help="another lifecareer checkout to measure beside this one")
    parser.add_argument("--middleware", action="store_true", help="leave out each middleware in turn")
    parser.add_argument("--profile", choices=PAGES, help="cProfile one page")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="tottime", help="pstats sort key for --profile (tottime, cumulative)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--pages", default="", help=argparse.SUPPRESS)
    parser.add_argument("--without", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    elif args.profile:
        profile(args)
    elif args.middleware:
        middleware(args)
    else:
        compare(args)


if __name__ == "__main__":
    main()
