"""Every page of the citizen journey under load, beside the reference project, as ratios.

Run it from the repository root:

    .venv/bin/python bench/load.py                          # SQLite, 3 × 10 s per page, 32 connections
    .venv/bin/python bench/load.py --only home,result,me    # a quick subset (the reference page always runs)
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/lifecareer_bench
    make bench                                              # installs wrk, then every bench script

It measures goal P1 of issue 12 the issue's way: granian WSGI with 2 workers, wrk with 32
connections on loopback, SQLite (or PostgreSQL for both projects), medians of 3 × 10 s.

What one run does:

1. checks that `wrk` is installed (Debian package `wrk`; `make bench` installs it) — this
   script installs nothing;
2. starts both servers through bench/servers.py and keeps both up for the whole run:
   lifecareer (`app_server`: migrate, load_reference_data with the demo schedule on,
   collectstatic, granian) on a fresh database — a new SQLite file under var/bench/, or, with
   --database-url, a PostgreSQL database dropped and created again (its name must contain
   "bench" and its host must be loopback) — and the reference project in bench/ceiling/
   (`ceiling_server`) on the same kind of database;
3. sets up what the pages need through the real HTTP interfaces: diagnosis results and
   plans through the public API; a browser that fills in the diagnosis profile page (its
   session cookie holds a draft, so the step pages render rather than redirect); a citizen
   who signs up with consent, claims a result with its plan and enrols in a session, whose
   session cookie is sent to /me/; service slugs and session ids read from the API;
4. runs wrk (127.0.0.1 only, fixed duration) for every scenario, interleaved run by run so
   that the machine's noise hits every page and the reference alike; each scenario's Lua
   script rotates over real ids and counts every non-2xx answer;
5. prints a Markdown table — page | req/s | × naive page | p50 | p95 | non-2xx | P1 verdict —
   and writes it to var/bench/load-latest.md. "× naive page" is the page's req/s divided by
   the reference project's naive page (`/page/?c=3&id=500`) in the same run, median over the
   runs; p50/p95 are medians over the runs. The P1 verdict is ✓ when the page reaches ≥ 2× the
   naive page and p95 ≤ 100 ms. A scenario with more than 1 % non-2xx answers (or socket
   errors) is marked INVALID: its figures measure errors, not the page.

Read the figures as ratios only. This is a noisy, shared 2-core machine and wrk runs on the
same cores as the servers, so absolute req/s move from one run to the next; the ratio of a
page to the reference measured in the same run is what means something.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from enrolment import BenchError, recreate_database  # noqa: E402 - the shared bench helpers, after the path
from journey import PROFILE, answers_body  # noqa: E402
from servers import (  # noqa: E402
    BENCH_DIR,
    HOST,
    ROOT,
    VENV_BIN,
    ServerError,
    app_server,
    ceiling_server,
    free_port,
    http,
    log_tail,
)

SUBMIT_PATH = "/api/v1/diagnosis/results"
INSTRUMENT_PATH = "/api/v1/diagnosis/instrument"
SUBMIT_BODIES = 8  # pre-built valid bodies rotated by the submit scenario
NAIVE_PAGE = "/page/?c=3&id=500"  # the reference project's naive page: the denominator
P1_RATIO = 2.0  # goal P1: every citizen page at ≥ 2× the naive page …
P1_P95_MS = 100.0  # … with p95 ≤ 100 ms at 32 connections
INVALID_SHARE = 0.01  # more than 1 % failed answers: the figures are not the page's

# Typical searches: what a guide map's schedule link and the search form's first fields send.
SESSION_FILTERS = ("region=11", "region=11&for_band=50s&for_status=retiring", "region=41&time_of_day=evening", "mode=online_live")  # a valid filter: "mode=online" is refused (a Korean error on the form)

RESULT_LINE = re.compile(r"^BENCH_RESULT (\{.*\})$", re.MULTILINE)


@dataclass
class Scenario:
    key: str
    title: str
    server: str  # "app" or "ceiling"
    plan: list[tuple[str, str, int]]  # (method, path, body number or 0), rotated
    cookie: str = ""  # a browser's cookies, sent with every request
    fresh_ip: bool = False  # a new X-Forwarded-For per request: one person per submission
    p1: bool = True  # a citizen page that goal P1 is about

    @property
    def script(self) -> Path:
        return BENCH_DIR / f"wrk-{self.key}.lua"


@dataclass
class RunResult:
    requests: int
    duration_us: int
    p50_us: int
    p95_us: int
    non2xx: int
    socket_errors: int
    status: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1_000_000) if self.duration_us else 0.0


@dataclass
class Journey:
    """What the set-up made, for the scenarios to rotate over."""

    result_ids: list[str]
    plan_ids: list[str]
    bodies: list[str]
    steps: int  # the profile page (0) and one page per section
    draft_cookie: str
    citizen_cookie: str
    service_slugs: list[str]
    session_ids: list[int]


# --- wrk Lua ------------------------------------------------------------------------------

LUA_TEMPLATE = """-- generated by bench/load.py; do not edit
local plan = {plan}
local bodies = {bodies}
local cookie = {cookie}
local fresh_ip = {fresh_ip}
-- what a browser sends: the app compresses its pages itself (GZipMiddleware), the reference does not
local headers_get = {{["Accept"] = "text/html,application/json", ["Accept-Language"] = "ko", ["Accept-Encoding"] = "gzip, deflate, br"}}
local headers_post = {{["Content-Type"] = "application/json", ["Accept"] = "application/json", ["Accept-Encoding"] = "gzip, deflate, br"}}
if cookie ~= "" then
  headers_get["Cookie"] = cookie
  headers_post["Cookie"] = cookie
end

local threads = {{}}
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local reqs = {{}}
local idx = 0
non2xx = 0
status_counts = {{}}
function init(args)
  for i, step in ipairs(plan) do
    local method, path, body = step[1], step[2], step[3]
    if method == "POST" then
      reqs[i] = wrk.format("POST", path, headers_post, bodies[body])
    else
      reqs[i] = wrk.format("GET", path, headers_get, nil)
    end
  end
  -- each thread starts at a different place in the rotation
  idx = ((tid or 1) - 1) * 7919 % #reqs
  math.randomseed(tid or 1)
end

function request()
  idx = idx % #reqs + 1
  if not fresh_ip then
    return reqs[idx]
  end
  -- each submission from its own client address (a person), as the rate limit sees it
  local step = plan[idx]
  local headers = {{}}
  for k, v in pairs(headers_post) do headers[k] = v end
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format(step[1], step[2], headers, bodies[step[3]])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    local key = tostring(status)
    status_counts[key] = (status_counts[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  local parts = {{}}
  local merged = {{}}
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    local counts = thread:get("status_counts") or {{}}
    for k, v in pairs(counts) do merged[k] = (merged[k] or 0) + v end
  end
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
      .. '"non2xx": %d, "socket_errors": %d, "status": {{%s}}}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    bad, e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
"""


def lua_string(value: str) -> str:
    """A Lua long-bracket string literal that is safe for any text."""
    level = 0
    while f"]{'=' * level}]" in value:
        level += 1
    eq = "=" * level
    return f"[{eq}[{value}]{eq}]"


def write_lua(sc: Scenario, bodies: list[str]) -> None:
    plan = "{\n" + "".join(f"  {{{lua_string(m)}, {lua_string(p)}, {b}}},\n" for m, p, b in sc.plan) + "}"
    body_list = "{\n" + "".join(f"  {lua_string(b)},\n" for b in bodies) + "}"
    sc.script.write_text(
        LUA_TEMPLATE.format(
            plan=plan, bodies=body_list, cookie=lua_string(sc.cookie), fresh_ip="true" if sc.fresh_ip else "false"
        ),
        encoding="utf-8",
    )


# --- a browser for the set-up -----------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to check, not to follow


class Browser:
    """One person's browser: keeps its cookies, follows no redirect, posts forms with the CSRF
    token, like the pages' own forms do."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, method: str, path: str, data: bytes | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one request."""
        req = urllib.request.Request(f"{self.base}{path}", data=data, method=method)  # noqa: S310 - loopback
        req.add_header("Accept-Language", "ko")
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(req, timeout=30) as resp:
                return int(resp.status), resp.headers.get("Location", ""), resp.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.headers.get("Location", ""), exc.read().decode(errors="replace")

    def get(self, path: str, expect: int = 200) -> str:
        status, _location, body = self.request("GET", path)
        if status != expect:
            raise BenchError(f"GET {path} answered {status}, expected {expect}: {body[:300]!r}")
        return body

    def post_form(self, path: str, fields: dict[str, str | list[str]], expect: int = 302) -> str:
        """Post a form as the page would; returns where it redirects to."""
        pairs = [("csrfmiddlewaretoken", self.cookie("csrftoken"))]
        for name, value in fields.items():
            pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
        status, location, body = self.request("POST", path, urllib.parse.urlencode(pairs).encode())
        if status != expect:
            raise BenchError(f"POST {path} answered {status}, expected {expect}: {body[:500]!r}")
        return location

    def cookie(self, name: str) -> str:
        for c in self.jar:
            if c.name == name:
                return c.value or ""
        raise BenchError(f"no {name} cookie after {[c.name for c in self.jar]}")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


# --- set-up through the HTTP interfaces ---------------------------------------------------------


def api_get(base: str, path: str) -> Any:
    status, raw = http("GET", f"{base}{path}")
    if status != 200:
        raise BenchError(f"GET {path} answered {status}: {raw[:300]!r}")
    return json.loads(raw)


def api_post(base: str, path: str, body: dict[str, Any], client: int) -> Any:
    """POST as the person at a client address of their own (the API's rate limit is per address)."""
    forwarded = {"X-Forwarded-For": f"10.255.{client // 250 % 250}.{client % 250 + 1}"}
    status, raw = http("POST", f"{base}{path}", body, headers=forwarded)
    if status != 201:
        raise BenchError(f"POST {path} answered {status}: {raw[:500]!r}")
    return json.loads(raw)


def seed_results_and_plans(base: str, instrument: dict[str, Any], results: int, plans: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Results through the public API, then a plan (guide map) for the first `plans` of them."""
    ids = [str(api_post(base, SUBMIT_PATH, answers_body(instrument, rng), n)["id"]) for n in range(results)]
    plan_ids = [str(api_post(base, "/api/v1/plans", {"result_id": rid}, n)["id"]) for n, rid in enumerate(ids[:plans])]
    return ids, plan_ids


def draft_browser(base: str) -> Browser:
    """A browser that has filled in the profile page: its session holds a draft."""
    browser = Browser(base)
    browser.get("/diagnosis/step/0/")
    fields = {k: v if isinstance(v, list) else str(v) for k, v in PROFILE.items()}
    location = browser.post_form("/diagnosis/step/0/", fields)
    if not location.endswith("/diagnosis/step/1/"):
        raise BenchError(f"the profile page sent the browser to {location!r}, not to step 1")
    browser.get("/diagnosis/step/1/")
    return browser


def citizen_browser(base: str, result_id: str, session_id: int) -> Browser:
    """A citizen signed up with consent, with a claimed result (and its plan) and an enrolment."""
    browser = Browser(base)
    page = browser.get("/accounts/signup/")
    consent_fields = sorted(set(re.findall(r'name="(consent_[\w-]+)"', page)))
    if not consent_fields:
        raise BenchError("the sign-up page has no consent_* fields")
    password = "bench-Pass-7391-" + "".join(random.Random(7).choices("abcdefghjkmnpqrstuvwxyz", k=12))
    browser.post_form(
        "/accounts/signup/",
        {"email": "bench-citizen@example.com", "password1": password, "password2": password,
         **dict.fromkeys(consent_fields, "on")},
    )
    browser.post_form(f"/accounts/claim/{result_id}/", {})
    enrolled = browser.post_form(f"/programmes/sessions/{session_id}/enrol/", {})
    if not enrolled.endswith("/programmes/me/"):
        raise BenchError(f"the enrolment in session {session_id} was refused (sent to {enrolled!r})")
    me = browser.get("/me/")
    if result_id not in me:
        raise BenchError("/me/ of the bench citizen does not show the claimed result")
    return browser


def paged_ids(base: str, path: str, key: str) -> list[Any]:
    """Every item's `key` from a paginated list endpoint of the API."""
    found: list[Any] = []
    while True:
        page = api_get(base, f"{path}?limit=100&offset={len(found)}")
        found += [item[key] for item in page["items"]]
        if not page["items"] or len(found) >= page["count"]:
            return found


def prepare_journey(base: str, results: int, seed: int) -> Journey:
    rng = random.Random(seed)
    instrument = api_get(base, INSTRUMENT_PATH)
    print(f"creating {results} results and {results // 2} plans through the API ...", flush=True)
    result_ids, plan_ids = seed_results_and_plans(base, instrument, results, results // 2, rng)
    bodies = [json.dumps(answers_body(instrument, rng), separators=(",", ":")) for _ in range(SUBMIT_BODIES)]
    slugs = paged_ids(base, "/api/v1/services", "id")
    sessions = paged_ids(base, "/api/v1/sessions", "id")
    if not slugs or not sessions:
        raise BenchError(f"{len(slugs)} services and {len(sessions)} sessions: load_reference_data (with LOAD_DEMO_SCHEDULE=1) made none")
    print(f"{len(slugs)} services, {len(sessions)} sessions; signing up a citizen ...", flush=True)
    # The citizen's own result and plan, not one of those the anonymous scenarios rotate over.
    own = str(api_post(base, SUBMIT_PATH, answers_body(instrument, rng), results)["id"])
    api_post(base, "/api/v1/plans", {"result_id": own}, results)
    citizen = citizen_browser(base, own, sessions[len(sessions) // 2])
    return Journey(
        result_ids=result_ids,
        plan_ids=plan_ids,
        bodies=bodies,
        steps=len(instrument["sections"]) + 1,
        draft_cookie=draft_browser(base).cookie_header(),
        citizen_cookie=citizen.cookie_header(),
        service_slugs=slugs,
        session_ids=sessions,
    )


# --- scenarios --------------------------------------------------------------------------------


def gets(paths: list[str]) -> list[tuple[str, str, int]]:
    return [("GET", p, 0) for p in paths]


def build_scenarios(j: Journey) -> list[Scenario]:
    searches = ["/programmes/sessions/?" + q for q in SESSION_FILTERS]
    return [
        Scenario("ceiling-hello", "reference `/hello/`", "ceiling", gets(["/hello/"]), p1=False),
        Scenario("ceiling-page", f"**reference naive page** `{NAIVE_PAGE}`", "ceiling", gets([NAIVE_PAGE]), p1=False),
        Scenario("hello", "app `/bench/hello`", "app", gets(["/bench/hello"]), p1=False),
        Scenario("home", "home `/`", "app", gets(["/"])),
        Scenario("diagnosis", "diagnosis start `/diagnosis/`", "app", gets(["/diagnosis/"])),
        Scenario("step", f"diagnosis steps `/diagnosis/step/<0..{j.steps - 1}>/` (draft cookie)", "app",
                 gets([f"/diagnosis/step/{n}/" for n in range(j.steps)]), cookie=j.draft_cookie),
        Scenario("submit", f"diagnosis submit `POST {SUBMIT_PATH}`", "app",
                 [("POST", SUBMIT_PATH, b + 1) for b in range(len(j.bodies))], fresh_ip=True),
        Scenario("result", "result `/diagnosis/r/<id>/`", "app", gets([f"/diagnosis/r/{i}/" for i in j.result_ids])),
        Scenario("plan", "plan `/plans/<id>/`", "app", gets([f"/plans/{i}/" for i in j.plan_ids])),
        Scenario("services", "services list `/services/`", "app", gets(["/services/"])),
        Scenario("service", "service detail `/services/<slug>/`", "app", gets([f"/services/{s}/" for s in j.service_slugs])),
        Scenario("sessions", "session search `/programmes/sessions/`", "app", gets(["/programmes/sessions/"])),
        Scenario("sessions-filtered", "session search, filtered `?region=11…`", "app", gets(searches)),
        Scenario("session", "session detail `/programmes/sessions/<id>/`", "app",
                 gets([f"/programmes/sessions/{i}/" for i in j.session_ids])),
        Scenario("me", "`/me/` (citizen: result, plan, enrolment)", "app", gets(["/me/"]), cookie=j.citizen_cookie),
    ]


SCENARIO_KEYS = (
    "ceiling-hello", "ceiling-page", "hello", "home", "diagnosis", "step", "submit", "result", "plan",
    "services", "service", "sessions", "sessions-filtered", "session", "me",
)


# --- wrk --------------------------------------------------------------------------------------


def run_wrk(sc: Scenario, base: str, args: argparse.Namespace, seconds: int) -> RunResult:
    cmd = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(sc.script), f"{base}/",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    match = RESULT_LINE.search(proc.stdout)
    if proc.returncode != 0 or match is None:
        raise BenchError(f"wrk failed ({proc.returncode}) on {sc.key}: {proc.stdout}\n{proc.stderr}")
    return RunResult(**json.loads(match.group(1)))


def print_run(n: int, runs: int, sc: Scenario, res: RunResult) -> None:
    print(
        f"run {n}/{runs} {sc.key:<17} {res.rps:>8,.0f} req/s  p50 {res.p50_us / 1000:6.1f} ms"
        f"  p95 {res.p95_us / 1000:6.1f} ms  non-2xx {res.non2xx} {res.status or ''}  socket errors {res.socket_errors}",
        flush=True,
    )


def measure(scenarios: list[Scenario], bases: dict[str, str], args: argparse.Namespace) -> dict[str, list[RunResult]]:
    """Warm every scenario up, then run them all once per run, in turn."""
    if args.warmup:
        for sc in scenarios:
            run_wrk(sc, bases[sc.server], args, args.warmup)
    results: dict[str, list[RunResult]] = {sc.key: [] for sc in scenarios}
    for n in range(1, args.runs + 1):
        for sc in scenarios:
            res = run_wrk(sc, bases[sc.server], args, args.seconds)
            results[sc.key].append(res)
            print_run(n, args.runs, sc, res)
    return results


# --- report -----------------------------------------------------------------------------------


@dataclass
class Row:
    sc: Scenario
    rps: float
    ratio: float
    p50_ms: float
    p95_ms: float
    failed: int
    requests: int

    @property
    def invalid(self) -> bool:
        return self.requests == 0 or self.failed > INVALID_SHARE * self.requests

    @property
    def verdict(self) -> str:
        if self.invalid:
            return "**INVALID**"
        if not self.sc.p1:
            return "—"
        return "✓" if self.ratio >= P1_RATIO and self.p95_ms <= P1_P95_MS else "✗"


def summarise(sc: Scenario, runs: list[RunResult], naive: list[RunResult]) -> Row:
    ratios = [r.rps / n.rps for r, n in zip(runs, naive, strict=True) if n.rps]
    return Row(
        sc=sc,
        rps=statistics.median(r.rps for r in runs),
        ratio=statistics.median(ratios) if ratios else 0.0,
        p50_ms=statistics.median(r.p50_us for r in runs) / 1000,
        p95_ms=statistics.median(r.p95_us for r in runs) / 1000,
        failed=sum(r.non2xx + r.socket_errors for r in runs),
        requests=sum(r.requests for r in runs),
    )


def versions() -> dict[str, str]:
    code = (
        "import importlib.metadata as m, platform; "
        "print(platform.python_version(), m.version('django'), m.version('granian'))"
    )
    python = VENV_BIN / "python"
    out = subprocess.run([str(python if python.exists() else sys.executable), "-c", code],
                         capture_output=True, text=True, timeout=60, check=False).stdout.split()
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False)
    py, django, granian = (out + ["?", "?", "?"])[:3]
    return {
        "nproc": str(os.cpu_count() or "?"),
        "python": py,
        "django": django,
        "granian": granian,
        "wrk": (wrk.stdout + wrk.stderr).split("Copyright")[0].strip() or "?",
    }


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def reproduce_command(args: argparse.Namespace) -> str:
    cmd = [".venv/bin/python", "bench/load.py", "--seconds", str(args.seconds), "--runs", str(args.runs),
           "--connections", str(args.connections)]
    if args.only:
        cmd += ["--only", args.only]
    if args.database_url:
        cmd += ["--database-url", redact(args.database_url)]
    return shlex.join(cmd)


def render_report(args: argparse.Namespace, rows: list[Row], info: dict[str, str], database: str, load_before: str) -> str:
    lines = [
        f"### Citizen pages beside the reference project — {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"- machine: `nproc` = {info['nproc']}; load average (1/5/15 min) before / after: {load_before} / {load_average()}",
        f"- Python {info['python']}, Django {info['django']}, granian {info['granian']} (WSGI, {args.workers} workers, "
        f"`--blocking-threads 1`) for both projects; {info['wrk']}",
        f"- database: {database}",
        f"- load: wrk `-t{args.threads} -c{args.connections} -d{args.seconds}s` on 127.0.0.1, {args.runs} runs per "
        f"scenario interleaved; medians over the runs; {args.results} results pre-created",
        f"- reproduce: `{reproduce_command(args)}`",
        "",
        "| page | req/s | × naive page | p50 ms | p95 ms | non-2xx | P1 verdict |",
        "|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        failed = f"{row.failed} ({100 * row.failed / max(row.requests, 1):.1f} %)" if row.failed else "0"
        lines.append(
            f"| {row.sc.title} | {row.rps:,.0f} | {row.ratio:.2f} | {row.p50_ms:.1f} | {row.p95_ms:.1f} | {failed} | {row.verdict} |"
        )
    lines += [
        "",
        f"× naive page: the page's req/s divided by the reference naive page's req/s in the same run, median over "
        f"the runs. P1 verdict: ✓ when ≥ {P1_RATIO:.0f}× and p95 ≤ {P1_P95_MS:.0f} ms; INVALID when more than "
        f"{100 * INVALID_SHARE:.0f} % of the answers were not 2xx (or socket errors), or none came back. "
        "Requests send `Accept-Encoding: gzip, deflate, br` as browsers do (the app gzips its pages, the reference "
        "does not). Read the figures as ratios only: "
        "the machine is shared and wrk runs on the same cores as the servers.",
    ]
    return "\n".join(lines) + "\n"


# --- main -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--seconds", type=int, default=10, help="seconds per wrk run (-d)")
    p.add_argument("--runs", type=int, default=3, help="runs per scenario; medians are shown")
    p.add_argument("--connections", type=int, default=32, help="wrk connections (-c)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (-t)")
    p.add_argument("--workers", type=int, default=2, help="granian workers of each server")
    p.add_argument("--only", default="", help=f"comma-separated scenarios (the reference page always runs): {','.join(SCENARIO_KEYS)}")
    p.add_argument("--database-url", default=None, help="postgres://… (dropped and created again; the reference uses PostgreSQL too); default: fresh SQLite")
    p.add_argument("--port", type=int, default=8790, help="first port tried for the app; the reference takes the next free one")
    p.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured warm-up per scenario")
    p.add_argument("--results", type=int, default=200, help="results to pre-create through the API (half get a plan)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--startup-timeout", type=float, default=600.0, help="seconds to wait for the app (migrate and collectstatic run first)")
    args = p.parse_args(argv)
    for name in ("seconds", "runs", "connections", "threads", "workers", "results"):
        if getattr(args, name) < 1:
            p.error(f"--{name} must be at least 1")
    if args.connections < args.threads:
        p.error("--connections must be at least --threads")
    unknown = {k for k in args.only.split(",") if k} - set(SCENARIO_KEYS)
    if unknown:
        p.error(f"--only: unknown scenario(s) {', '.join(sorted(unknown))}; known: {', '.join(SCENARIO_KEYS)}")
    return args


def selected(scenarios: list[Scenario], only: str) -> list[Scenario]:
    if [sc.key for sc in scenarios] != list(SCENARIO_KEYS):
        raise BenchError("SCENARIO_KEYS and build_scenarios disagree")
    keys = {k for k in only.split(",") if k} | {"ceiling-page"}
    return scenarios if not only else [sc for sc in scenarios if sc.key in keys]


def app_database(database_url: str | None) -> tuple[str, str]:
    """(DATABASE_URL for the app, a description) of an empty database."""
    if not database_url:
        db = BENCH_DIR / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{db}", "SQLite for both (fresh files under var/bench/, WAL)"
    recreate_database(database_url)
    return database_url, f"PostgreSQL for both ({redact(database_url)} and the reference's `bench`, dropped and created)"


def run(args: argparse.Namespace) -> tuple[list[Row], str]:
    database_url, database = app_database(args.database_url)
    print(f"database: {database}", flush=True)
    app_port = free_port(args.port)
    ceiling_port = free_port(app_port + 1)
    app_log = BENCH_DIR / "server.log"
    bases = {"app": f"http://{HOST}:{app_port}", "ceiling": f"http://{HOST}:{ceiling_port}"}
    ceiling_db = "pg" if args.database_url else "sqlite"
    print(f"starting lifecareer on {app_port} (log: {app_log.relative_to(ROOT)}) and the reference on {ceiling_port} ...", flush=True)
    with (
        app_server(app_port, args.workers, database_url, app_log, timeout=args.startup_timeout, LOAD_DEMO_SCHEDULE="1") as app,
        ceiling_server(ceiling_port, database=ceiling_db, workers=args.workers) as ceiling,
    ):
        journey = prepare_journey(bases["app"], args.results, args.seed)
        scenarios = selected(build_scenarios(journey), args.only)
        for sc in scenarios:
            write_lua(sc, journey.bodies)
        results = measure(scenarios, bases, args)
        for name, proc in (("lifecareer", app), ("the reference", ceiling)):
            if proc.poll() is not None:
                raise BenchError(f"{name} exited with status {proc.returncode} during the benchmark")
    naive = results["ceiling-page"]
    return [summarise(sc, results[sc.key], naive) for sc in scenarios], database


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench/load.py needs wrk: apt-get install -y wrk   (`make bench` does this)", file=sys.stderr)
        return 2

    # SIGTERM/SIGHUP take the same path as Ctrl-C, so both server groups are always stopped.
    def _interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    info = versions()
    load_before = load_average()
    try:
        rows, database = run(args)
    except ServerError as exc:  # its message ends with the server's log
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    except BenchError as exc:
        print(f"benchmark failed: {exc}\n--- last lines of var/bench/server.log ---\n{log_tail(BENCH_DIR / 'server.log')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130

    report = render_report(args, rows, info, database, load_before)
    out = BENCH_DIR / "load-latest.md"
    out.write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"written to {out.relative_to(ROOT)}")
    invalid = [row.sc.key for row in rows if row.invalid]
    if invalid:
        print(f"WARNING: INVALID (over 1 % non-2xx): {', '.join(invalid)}; see var/bench/server.log", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
