"""The production topology on one machine's loopback, walked and then broken on purpose.

Run it from the repository root (as root or with sudo-less access to the tools below):

    .venv/bin/python bench/topology.py                  # ~3 min; prints the summary table
    .venv/bin/python bench/topology.py --load-seconds 30 --writers 4 --readers 4
    make bench                                          # installs nginx, then runs this too

What it starts (all on 127.0.0.1, every process in its own process group through
bench/servers.py, all torn down at the end whatever happens; data under var/topo/):

- PostgreSQL primary (port 9032) — a new cluster (initdb as the `postgres` user), WAL for
  streaming replication — and a hot-standby replica of it (9033) made by `pg_basebackup -R`;
- Redis (9079, no persistence): the shared cache, the rate limits and the django-q2 broker;
- two granian app processes (9010, 9011; `--app-workers` each) started by
  `scripts/serve-prod.sh` with SKIP_RELEASE_STEPS=1 after one `migrate`,
  `load_reference_data` and `collectstatic`, with DATABASE_URL → primary,
  DATABASE_REPLICA_URL → replica, REDIS_URL → Redis, TRUSTED_PROXIES=127.0.0.1;
- a django-q2 worker process (`manage.py qcluster`), same environment;
- nginx (Debian package; HTTPS 9443 with a self-signed certificate made here by openssl,
  HTTP 9080 redirecting) from the template deploy/nginx.conf: gzip/brotli, static files from
  collectstatic's output, an upstream of the two app processes.

What it checks:

1. the journey through nginx over verified TLS: HTTP→HTTPS redirect, the home page
   (compressed), a hashed static file (brotli, immutable), the diagnosis instrument, a
   submit through the API, the result page, a citizen log-in and an enrolment (whose
   confirmation the worker delivers), a staff log-in and the staff session list — which is
   read from the replica (seen in the replica's pg_stat_activity as application
   `lifecareer-report`) — and the client address the app recorded for the log-in (the one
   the client gave in X-Forwarded-For, appended to by nginx, believed because 127.0.0.1 is
   a trusted proxy);
2. a load phase: writer threads submit diagnoses through nginx (each from its own client
   address, so no rate limit is hit), reader threads read result pages, the home page and
   the staff report; mid-load one app process is SIGKILLed (and later restarted), then the
   replica is SIGKILLed;
3. afterwards: every submit answered 2xx is in the primary (no lost write; the script exits
   1 otherwise), every failed request is listed with whether it was in flight at a kill
   (the script exits 2 if any other request failed), and report pages kept answering after
   the replica died (read from the primary instead).

Tools it needs: nginx (with libnginx-mod-http-brotli-filter/-static for brotli), openssl,
redis-server, the PostgreSQL server binaries, runuser when run as root. Missing nginx is
installed with apt-get when run as root, else the script says what to install.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import random
import re
import secrets
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http import client as httpclient
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from journey import answers_body  # noqa: E402 - bench/ is not a package
from servers import (  # noqa: E402 - bench/ is not a package
    HOST,
    ROOT,
    VENV_BIN,
    ServerError,
    app_server,
    free_port,
    http,
    nginx_proxy,
    pg_bin,
    pg_primary,
    pg_replica,
    qcluster,
    redis_server,
)

TOPO = ROOT / "var" / "topo"
DB_NAME = "lifecareer"
STAFF_EMAIL = "operator@topology.example"
CITIZEN_EMAIL = "citizen@topology.example"
PASSWORD = "topology-" + secrets.token_hex(8)
APT_PACKAGES = ["nginx", "libnginx-mod-http-brotli-filter", "libnginx-mod-http-brotli-static"]
BROTLI_MODULES = Path("/usr/share/nginx/modules")



class TopologyError(RuntimeError):
    pass


# --- setup -------------------------------------------------------------------------------


def ensure_tools() -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("nginx missing: apt-get install " + " ".join(APT_PACKAGES), flush=True)
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
            subprocess.run(["apt-get", "install", "-y", "-qq", *APT_PACKAGES], check=True, env=env, stdout=subprocess.DEVNULL)
        else:
            raise TopologyError("nginx is not installed: apt-get install -y " + " ".join(APT_PACKAGES))
    for tool in ("openssl", "redis-server", "psql"):
        if shutil.which(tool) is None:
            raise TopologyError(f"{tool} is not installed (Debian: openssl, redis-server, postgresql-client)")
    pg_bin("initdb")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def nginx_conf(prefix: Path, *, upstreams: list[int], https_port: int, http_port: int, cert: Path, key: Path) -> Path:
    """deploy/nginx.conf with its placeholders filled for this run."""
    brotli = (BROTLI_MODULES / "ngx_http_brotli_filter_module.so").exists()
    brotli_static = (BROTLI_MODULES / "ngx_http_brotli_static_module.so").exists()
    modules = []
    if brotli:
        modules.append(f"load_module {BROTLI_MODULES}/ngx_http_brotli_filter_module.so;")
    if brotli_static:
        modules.append(f"load_module {BROTLI_MODULES}/ngx_http_brotli_static_module.so;")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:
        user = "user www-data;"
        for path in [prefix / "tmp", *(prefix / "tmp").iterdir()]:
            shutil.chown(path, "www-data")
    values = {
        "MODULES": "\n".join(modules),
        "USER": user,
        "PREFIX": str(prefix),
        "UPSTREAMS": "\n        ".join(f"server {HOST}:{p} max_fails=1 fail_timeout=5s;" for p in upstreams),
        "HTTPS_PORT": str(https_port),
        "HTTP_PORT": str(http_port),
        "SERVER_NAME": "127.0.0.1 localhost",
        "CERT": str(cert),
        "KEY": str(key),
        "STATIC_ROOT": str(ROOT / "var" / "staticfiles"),
        "BROTLI": "brotli on; brotli_types text/css application/javascript application/json image/svg+xml text/plain;" if brotli else "",
        "BROTLI_STATIC": "brotli_static on;" if brotli_static else "",
    }
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    left = re.findall(r"@@[A-Z_]+@@", text)
    if left:
        raise TopologyError(f"deploy/nginx.conf: unfilled placeholders {left}")
    path = prefix / "nginx.conf"
    path.write_text(text)
    return path


def psql(port: int, sql: str, db: str = DB_NAME) -> str:
    done = subprocess.run(
        ["psql", "-h", HOST, "-p", str(port), "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
        capture_output=True, text=True, timeout=60, check=False,
    )
    if done.returncode != 0:
        raise TopologyError(f"psql on {port}: {done.stderr.strip()}")
    return done.stdout.strip()


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    done = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise TopologyError(f"manage.py {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


SETUP_PEOPLE = f"""
from django.contrib.auth.models import User
from accounts.models import StaffRole
from core.roles import Role
staff = User.objects.create_user("{STAFF_EMAIL}", "{STAFF_EMAIL}", "{PASSWORD}")
StaffRole.objects.create(user=staff, role=Role.OPERATOR)  # national programme operator
User.objects.create_user("{CITIZEN_EMAIL}", "{CITIZEN_EMAIL}", "{PASSWORD}")
"""


# --- a browser-like client ---------------------------------------------------------------


class Client:
    """Cookies, verified TLS against our certificate, Referer for CSRF; no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def __init__(self, base: str, context: ssl.SSLContext, client_address: str | None = None) -> None:
        self.base = base
        self.jar = CookieJar()
        self.address = client_address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), urllib.request.HTTPSHandler(context=context), self._NoRedirect
        )

    def request(self, method: str, path: str, data: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float = 15.0) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 - loopback
        req.add_header("Referer", self.base + path)
        req.add_header("Accept-Language", "ko")
        if self.address:
            req.add_header("X-Forwarded-For", self.address)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return int(resp.status), {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as exc:
            return int(exc.code), {k.lower(): v for k, v in exc.headers.items()}, exc.read()

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "") or ""

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        status, _h, body = self.request("GET", path)
        if status != 200:
            raise TopologyError(f"GET {path}: {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        token = match.group(1).decode() if match else self.csrf()
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.request("POST", path, data, {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, email: str) -> None:
        status, headers, _b = self.form("/accounts/login/", {"username": email, "password": PASSWORD})
        if status != 302:
            raise TopologyError(f"log-in of {email}: {status}")


# --- the walk ----------------------------------------------------------------------------


@dataclass
class Check:
    step: str
    ok: bool
    detail: str


def walk(base: str, http_port: int, context: ssl.SSLContext, primary: int, replica: int) -> tuple[list[Check], dict[str, Any]]:
    checks: list[Check] = []

    def check(step: str, ok: bool, detail: str) -> None:
        checks.append(Check(step, ok, detail))
        print(f"  {'ok ' if ok else 'BAD'} {step}: {detail}", flush=True)

    conn = httpclient.HTTPConnection(HOST, http_port, timeout=10)
    conn.request("GET", "/diagnosis/", headers={"Host": f"{HOST}:{http_port}"})
    plain = conn.getresponse()
    check("HTTP → HTTPS", plain.status == 301 and plain.getheader("Location", "").startswith("https://"),
          f"{plain.status} {plain.getheader('Location')}")
    conn.close()

    citizen = Client(base, context, client_address="203.0.113.10")
    status, headers, body = citizen.request("GET", "/", headers={"Accept-Encoding": "gzip, br"})
    html = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    check("home page", status == 200, f"{status}, Content-Encoding {headers.get('content-encoding')}, "
          f"{len(body):,} B on the wire / {len(html):,} B, HSTS {'strict-transport-security' in headers}")
    css = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', html)
    if css:
        status, headers, body = citizen.request("GET", css.group(1).decode(), headers={"Accept-Encoding": "gzip, br"})
        check("hashed static file (nginx)", status == 200 and "immutable" in headers.get("cache-control", ""),
              f"{status} {css.group(1).decode()}: {headers.get('content-encoding')}, {headers.get('cache-control')}, server {headers.get('server')}")
    else:
        check("hashed static file (nginx)", False, "no hashed stylesheet on the home page")

    status, _h, body = citizen.request("GET", "/api/v1/diagnosis/instrument", headers={"Accept": "application/json"})
    instrument = json.loads(body)
    check("instrument (API)", status == 200, f"{status}, version {instrument.get('version')}")
    payload = json.dumps(answers_body(instrument, random.Random(1))).encode()
    status, _h, body = citizen.request("POST", "/api/v1/diagnosis/results", payload, {"Content-Type": "application/json"})
    result = json.loads(body) if status == 201 else {}
    check("diagnosis submit (API)", status == 201, f"{status}, result {result.get('id', '?')[:12]}…, url {result.get('url', '')[:40]}…")
    status, _h, _b = citizen.request("GET", f"/diagnosis/r/{result.get('id')}/")
    check("result page", status == 200, str(status))

    citizen.login(CITIZEN_EMAIL)
    session_id = psql(primary, "SELECT id FROM programmes_session WHERE status = 'open' AND mode <> 'employer' "
                      "AND starts_at > now() ORDER BY starts_at LIMIT 1")
    if session_id:
        status, headers, _b = citizen.form(f"/programmes/sessions/{session_id}/enrol/", {})
        enrolled = psql(primary, f"SELECT status FROM programmes_enrolment e JOIN auth_user u ON u.id = e.user_id "
                        f"WHERE u.username = '{CITIZEN_EMAIL}' AND e.session_id = {session_id}")
        check("citizen log-in + enrolment", status == 302 and bool(enrolled), f"{status} → {headers.get('location')}, enrolment {enrolled}")
        deadline = time.monotonic() + 20
        sent = ""
        while time.monotonic() < deadline and sent != "sent":
            sent = psql(primary, "SELECT status FROM notifications_notification ORDER BY id DESC LIMIT 1")
            time.sleep(0.5)
        check("confirmation delivered by the worker (qcluster, Redis broker)", sent == "sent", f"latest notification: {sent or 'none'}")
    else:
        check("citizen log-in + enrolment", False, "no open session (LOAD_DEMO_SCHEDULE)")

    staff = Client(base, context, client_address="198.51.100.77")
    staff.login(STAFF_EMAIL)
    seen_ip = psql(primary, f"SELECT ip_address FROM axes_accesslog WHERE username = '{STAFF_EMAIL}' ORDER BY id DESC LIMIT 1")
    check("client address behind nginx", seen_ip == "198.51.100.77", f"axes recorded {seen_ip} (client sent 198.51.100.77, nginx appended 127.0.0.1)")
    status, _h, body = staff.request("GET", "/programmes/staff/")
    report_rows = psql(replica, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lifecareer-report'")
    last_query = psql(replica, "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) FROM pg_stat_activity "
                      "WHERE application_name = 'lifecareer-report' ORDER BY query_start DESC LIMIT 1")
    check("staff report read on the replica", status == 200 and int(report_rows or 0) > 0,
          f"{status}; replica connections 'lifecareer-report': {report_rows}; last: {last_query}…")
    lag = psql(primary, "SELECT coalesce(max(replay_lag)::text, 'n/a') FROM pg_stat_replication")
    check("replica streaming", lag != "", f"replay lag {lag}")
    return checks, {"instrument": instrument, "result_id": result.get("id"), "staff": staff}


# --- load and kills ----------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    start: float
    end: float
    status: int  # 0: no HTTP answer
    error: str = ""
    result_id: str = ""


@dataclass
class Load:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    ids: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)
            if outcome.result_id:
                self.ids.append(outcome.result_id)


def timed(load: Load, kind: str, call: Callable[[], tuple[int, bytes]], parse_id: bool = False) -> None:
    start = time.monotonic()
    try:
        status, body = call()
        rid = ""
        if parse_id and status == 201:
            rid = json.loads(body)["id"]
        load.add(Outcome(kind, start, time.monotonic(), status, "" if 200 <= status < 400 else body[:80].decode(errors="replace"), rid))
    except (OSError, httpclient.HTTPException, ValueError) as exc:
        load.add(Outcome(kind, start, time.monotonic(), 0, f"{type(exc).__name__}: {exc}"[:120]))


def writer(load: Load, n: int, base: str, context: ssl.SSLContext, instrument: dict[str, Any]) -> None:
    rng = random.Random(n)
    i = 0
    while not load.stop.is_set():
        i += 1
        address = f"198.18.{n}.{i % 250 + 1}" if i < 250 else f"198.19.{(n * 50 + i // 250) % 256}.{i % 250 + 1}"
        body = answers_body(instrument, rng)
        timed(load, "submit", lambda body=body, address=address: http(  # type: ignore[misc]
            "POST", base + "/api/v1/diagnosis/results", body, timeout=15, headers={"X-Forwarded-For": address}, context=context,
        ), parse_id=True)


def reader(load: Load, n: int, base: str, context: ssl.SSLContext, staff: Client) -> None:
    rng = random.Random(1000 + n)
    while not load.stop.is_set():
        pick = rng.random()
        if pick < 0.2:
            def report() -> tuple[int, bytes]:
                status, _h, body = staff.request("GET", "/programmes/staff/")
                return status, body
            timed(load, "report", report)
        elif pick < 0.35 or not load.ids:
            timed(load, "home", lambda: http("GET", base + "/", timeout=15, context=context))
        else:
            with load.lock:
                rid = rng.choice(load.ids)
            timed(load, "result", lambda rid=rid: http("GET", base + f"/diagnosis/r/{rid}/", timeout=15, context=context))  # type: ignore[misc]


def wait_group_gone(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> float:
    """After a SIGKILL: the moment no process of `proc`'s group is left (monotonic time)."""
    proc.wait(timeout=timeout)  # the leader, reaped
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.005)
    return time.monotonic()


def tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by the live process `root` and its descendants
    (PostgreSQL backends leave the process group with setsid(), so the tree, not the group)."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(stat.parent.name)
        parent[pid] = int(fields[1])
        ticks[pid] = int(fields[11]) + int(fields[12])
    total = 0
    for pid, cpu in ticks.items():
        node = pid
        while node > 1:
            if node == root:
                total += cpu
                break
            node = parent.get(node, 0)
    return total / os.sysconf("SC_CLK_TCK")


def short(text: str) -> str:
    """An error body on one line: tags dropped, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:90]


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--load-seconds", type=float, default=30.0)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--app-workers", type=int, default=1, help="granian workers per app process")
    parser.add_argument("--kill-app-at", type=float, default=12.0)
    parser.add_argument("--restart-app-at", type=float, default=18.0)
    parser.add_argument("--kill-replica-at", type=float, default=16.0)
    parser.add_argument("--reuse-static", action="store_true",
                        help="keep var/staticfiles from an earlier collectstatic (it takes minutes on a busy 2-core host)")
    args = parser.parse_args()
    started = dt.datetime.now(dt.UTC)
    load_avg_start = os.getloadavg()[0]
    ensure_tools()
    TOPO.mkdir(parents=True, exist_ok=True)

    ports = {"app_a": free_port(9010), "pg": free_port(9032), "redis": free_port(9079)}
    ports["app_b"] = free_port(ports["app_a"] + 1)
    ports["replica"] = free_port(ports["pg"] + 1)
    ports["https"] = free_port(9443)
    ports["http"] = free_port(9080)
    logs = TOPO / "logs"
    logs.mkdir(exist_ok=True)
    cert, key = make_certificate(TOPO)
    context = ssl.create_default_context(cafile=str(cert))
    base = f"https://{HOST}:{ports['https']}"

    env: dict[str, Any] = {  # Any: also passed as app_server(**env)
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL"}},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key for every process, or sessions break
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@{HOST}:{ports['pg']}/{DB_NAME}",
        "DATABASE_REPLICA_URL": f"postgres://postgres@{HOST}:{ports['replica']}/{DB_NAME}",
        "REDIS_URL": f"redis://{HOST}:{ports['redis']}/0",
        "TRUSTED_PROXIES": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_COOKIES": "1",
        "SECURE_HSTS_SECONDS": "0",  # loopback: no HSTS pinned into anyone's browser
        "SKIP_RELEASE_STEPS": "1",
        "LOAD_DEMO_SCHEDULE": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    print(f"topology: ports {ports}; data and logs in {TOPO.relative_to(ROOT)}/", flush=True)
    with contextlib.ExitStack() as stack:
        t0 = time.monotonic()
        groups: dict[str, Any] = {}
        groups["PostgreSQL primary"] = stack.enter_context(pg_primary(TOPO / "pg-primary", ports["pg"], logs / "pg-primary.log"))
        subprocess.run([pg_bin("createdb"), "-h", HOST, "-p", str(ports["pg"]), "-U", "postgres", DB_NAME], check=True)
        replica_proc = stack.enter_context(pg_replica(TOPO / "pg-replica", ports["replica"], ports["pg"], logs / "pg-replica.log"))
        groups["Redis"] = stack.enter_context(redis_server(ports["redis"], logs / "redis.log"))
        print(f"  PostgreSQL primary + streaming replica + Redis up in {time.monotonic() - t0:.1f} s; release steps …", flush=True)
        t0 = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_reference_data", "-v0")
        if not (args.reuse_static and (ROOT / "var" / "staticfiles" / "staticfiles.json").exists()):
            manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "shell", "-c", SETUP_PEOPLE)
        print(f"  migrate, load_reference_data, collectstatic once: {time.monotonic() - t0:.1f} s", flush=True)
        apps: dict[str, Any] = {}
        for name in ("app_a", "app_b"):
            apps[name] = stack.enter_context(app_server(ports[name], args.app_workers, env["DATABASE_URL"], logs / f"{name}.log", **env))
        groups["qcluster"] = stack.enter_context(qcluster(env, logs / "qcluster.log"))
        conf = nginx_conf(TOPO / "nginx", upstreams=[ports["app_a"], ports["app_b"]], https_port=ports["https"],
                          http_port=ports["http"], cert=cert, key=key)
        groups["nginx"] = stack.enter_context(nginx_proxy(conf, TOPO / "nginx", base + "/healthz", context, logs / "nginx.log"))
        groups["app processes (granian)"] = [apps["app_a"], apps["app_b"]]
        groups["PostgreSQL replica"] = replica_proc
        print(f"  two app processes ({args.app_workers} worker(s) each), qcluster and nginx up\n\nThe journey through nginx (HTTPS):", flush=True)

        checks, state = walk(base, ports["http"], context, ports["pg"], ports["replica"])
        rows_before = int(psql(ports["pg"], "SELECT count(*) FROM diagnosis_result"))

        print(f"\nLoad: {args.writers} writers + {args.readers} readers for {args.load_seconds:.0f} s; "
              f"SIGKILL app process {ports['app_b']} at {args.kill_app_at:.0f} s (restart at {args.restart_app_at:.0f} s), "
              f"SIGKILL the replica at {args.kill_replica_at:.0f} s", flush=True)
        load = Load()
        if state["result_id"]:
            load.ids.append(state["result_id"])
        threads = [threading.Thread(target=writer, args=(load, n, base, context, state["instrument"]), daemon=True) for n in range(args.writers)]
        threads += [threading.Thread(target=reader, args=(load, n, base, context, state["staff"]), daemon=True) for n in range(args.readers)]
        def cpu_now() -> dict[str, float]:
            return {name: sum(tree_cpu_seconds(p.pid) for p in (procs if isinstance(procs, list) else [procs]))
                    for name, procs in groups.items()}

        cpu_start = cpu_now()
        load_start = time.monotonic()
        for thread in threads:
            thread.start()
        events: dict[str, float] = {}
        plan = sorted([(args.kill_app_at, "kill_app"), (args.kill_replica_at, "kill_replica"), (args.restart_app_at, "restart_app")])
        for at, event in plan:
            time.sleep(max(0.0, load_start + at - time.monotonic()))
            events[event] = time.monotonic()
            if event == "kill_app":
                cpu_steady = {k: v - cpu_start[k] for k, v in cpu_now().items()}
                events[event] = time.monotonic()
                os.killpg(apps["app_b"].pid, signal.SIGKILL)
                events["app_gone"] = wait_group_gone(apps["app_b"])
                print(f"  {events[event] - load_start:5.1f} s  SIGKILL app process {ports['app_b']} (granian and its workers); "
                      f"its last process was gone {1000 * (events['app_gone'] - events[event]):.0f} ms later", flush=True)
            elif event == "kill_replica":
                replica_before = psql(ports["replica"], "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lifecareer-report'")
                os.killpg(replica_proc.pid, signal.SIGKILL)
                events["replica_gone"] = wait_group_gone(replica_proc)
                time.sleep(0.5)
                alive = subprocess.run([pg_bin("pg_isready"), "-h", HOST, "-p", str(ports["replica"]), "-q"], check=False).returncode == 0
                print(f"  {events[event] - load_start:5.1f} s  SIGKILL the replica's postmaster (it had {replica_before} report "
                      f"connection(s)); 0.5 s later it {'still answers!' if alive else 'is gone (pg_isready fails)'}", flush=True)
            else:
                apps["app_b"] = stack.enter_context(app_server(ports["app_b"], args.app_workers, env["DATABASE_URL"], logs / "app_b-2.log", **env))
                events["restarted_app"] = time.monotonic()
                print(f"  {events[event] - load_start:5.1f} s  restarting app process {ports['app_b']} … answering /healthz at "
                      f"{events['restarted_app'] - load_start:.1f} s", flush=True)
        time.sleep(max(0.0, load_start + args.load_seconds - time.monotonic()))
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        load_end = time.monotonic()

        # --- the count ----------------------------------------------------------------------
        ok_ids = [o.result_id for o in load.outcomes if o.kind == "submit" and 200 <= o.status < 300]
        found = 0
        for chunk in range(0, len(ok_ids), 500):
            part = ok_ids[chunk:chunk + 500]
            quoted = ",".join(f"'{i}'" for i in part)
            found += int(psql(ports["pg"], f"SELECT count(*) FROM diagnosis_result WHERE public_id IN ({quoted})"))
        rows_after = int(psql(ports["pg"], "SELECT count(*) FROM diagnosis_result"))
        report_after = [o for o in load.outcomes if o.kind == "report" and o.start > events["kill_replica"]]
        fallback_log = (logs / "app_a.log").read_text(errors="replace").count("replica unreachable")
        fallback_log += sum(p.read_text(errors="replace").count("replica unreachable") for p in logs.glob("app_b*.log"))

    # --- summary (everything is stopped by now) -----------------------------------------------
    def in_flight(o: Outcome) -> str:
        """A kill lasts from the signal until its last process is gone: until then the dying
        process's listening socket still completes TCP handshakes that nobody will answer."""
        for event, gone in (("kill_app", "app_gone"), ("kill_replica", "replica_gone")):
            begin, end = events.get(event, 0.0), events.get(gone, events.get(event, 0.0))
            if o.start <= end + 0.05 and o.end >= begin - 0.05:
                return event.replace("_", " ")
        return ""

    failures = [o for o in load.outcomes if not (200 <= o.status < 400)]
    unexpected = [o for o in failures if not in_flight(o)]
    missing = len(ok_ids) - found
    duration = load_end - load_start
    kill_at = events["kill_app"]
    steady = [o for o in load.outcomes if o.end < kill_at and 200 <= o.status < 400]
    steady_rps = len(steady) / (kill_at - load_start) if kill_at > load_start else 0.0
    steady_kinds = {k: sum(1 for o in steady if o.kind == k) for k in ("submit", "result", "home", "report")}

    print(f"\n## Topology kill test — {started:%Y-%m-%d %H:%M} UTC\n")
    print(f"- machine: `nproc` = {os.cpu_count()}; load average (1 min) at the start / the end: {load_avg_start:.2f} / {os.getloadavg()[0]:.2f} — other engineers' work shares these cores")
    print(f"- two granian app processes × {args.app_workers} worker(s), nginx, PostgreSQL primary + streaming replica, Redis, qcluster; all on 127.0.0.1")
    print(f"- reproduce: `.venv/bin/python bench/topology.py --load-seconds {args.load_seconds:.0f} --writers {args.writers} "
          f"--readers {args.readers} --app-workers {args.app_workers}`\n")
    print("| journey step (through nginx, HTTPS) | ok | detail |\n|---|---|---|")
    for c in checks:
        print(f"| {c.step} | {'yes' if c.ok else '**no**'} | {c.detail.replace('|', '/')} |")
    print("\n| request kind | sent | 2xx/3xx | failed | p50 ms | p95 ms |\n|---|---:|---:|---:|---:|---:|")
    for kind in ("submit", "result", "home", "report"):
        mine = [o for o in load.outcomes if o.kind == kind]
        good = [o for o in mine if 200 <= o.status < 400]
        lat = [(o.end - o.start) * 1000 for o in good]
        print(f"| {kind} | {len(mine)} | {len(good)} | {len(mine) - len(good)} | {statistics.median(lat) if lat else 0:.0f} | {pct(lat, 0.95):.0f} |")
    print(f"\n- load: {len(load.outcomes)} requests in {duration:.1f} s; before the first kill {steady_rps:.0f} req/s "
          f"answered through nginx by 2 app processes × {args.app_workers} worker(s) (closed loop, {args.writers + args.readers} client threads on the same cores)")
    print(f"\nCPU time per answered request before the first kill ({len(steady)} requests: "
          + ", ".join(f"{n} {k}" for k, n in steady_kinds.items()) + "), from /proc, per process tree:\n")
    print("| component | CPU ms / request | requests/s one core could carry |\n|---|---:|---:|")
    for name, seconds in cpu_steady.items():
        per = seconds * 1000 / max(1, len(steady))
        print(f"| {name} | {per:.2f} | {1000 / per if per else float('inf'):,.0f} |")
    print()
    print(f"- writes answered 2xx: {len(ok_ids)}; found in the primary: {found}; **missing: {missing}**")
    print(f"- result rows added during the load: {rows_after - rows_before} (2xx answers: {len(ok_ids)}; a row without a 2xx answer is a write that committed while its answer was lost at a kill)")
    print(f"- failed requests: {len(failures)}; in flight at a kill: {len(failures) - len(unexpected)}; **other failures: {len(unexpected)}**")
    for o in failures:
        print(f"  - {o.start - load_start:6.2f}–{o.end - load_start:6.2f} s {o.kind:6} status {o.status or '-'} "
              f"{('in flight at ' + in_flight(o)) if in_flight(o) else 'NOT in flight at a kill'}: {short(o.error)}")
    print(f"- staff report after the replica died: {sum(1 for o in report_after if o.status == 200)}/{len(report_after)} answered 200 "
          f"(read from the primary; 'replica unreachable' warnings in the app logs: {fallback_log})")
    print(f"- app process {ports['app_b']}: SIGKILL at {kill_at - load_start:.2f} s, last process gone at {events['app_gone'] - load_start:.2f} s, "
          f"serving again at {events.get('restarted_app', 0) - load_start:.1f} s; replica: SIGKILL at {events['kill_replica'] - load_start:.2f} s, "
          f"gone at {events['replica_gone'] - load_start:.2f} s")
    bad_checks = [c for c in checks if not c.ok]
    if missing:
        print(f"\nFAILED: {missing} write(s) answered 2xx are not in the primary")
        return 1
    if unexpected or bad_checks:
        print(f"\nFAILED: {len(unexpected)} failure(s) not explained by a kill; {len(bad_checks)} journey step(s) failed")
        return 2
    print("\nOK: no lost writes; failures only for requests in flight at a kill")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (TopologyError, ServerError) as exc:
        print(f"topology: {exc}", file=sys.stderr)
        sys.exit(3)
