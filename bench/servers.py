"""Starting and stopping the servers a benchmark measures — one place for every bench script.

- `process_group(cmd, ...)`: a command in its own process group, always stopped as a whole
  (granian's workers included) when the `with` block ends, whatever happened;
- `app_server(port, workers, database_url)`: lifecareer under `scripts/serve-prod.sh`;
- `ceiling_server(port, database=...)`: the reference project in `bench/ceiling/` (a bare
  Django 5.2 project: `/hello/`, the naive `/page/`, the 40-field `/survey/` insert) under the
  same granian flags, on SQLite or on a PostgreSQL database of its own, so that a benchmark can
  report lifecareer's figures as ratios of the reference measured in the same run;
- `pg_primary(...)`, `pg_replica(...)`: a throw-away PostgreSQL cluster of its own (initdb
  as the `postgres` user, trust on loopback) and a streaming replica of it (pg_basebackup -R),
  each its own `postgres` process group on its own port (bench/topology.py);
- `redis_server(port, ...)`, `nginx_proxy(conf, ...)`, `qcluster(env, ...)`: Redis without
  persistence, nginx in the foreground with a generated config, a django-q2 worker process;
- `wait_healthy`, `http`, `free_port`, `log_tail`: the small helpers around them.

Everything binds to 127.0.0.1 only. Nothing here installs anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SERVE = ROOT / "scripts" / "serve-prod.sh"
VENV_BIN = ROOT / ".venv" / "bin"
CEILING = Path(__file__).resolve().parent / "ceiling"
HOST = "127.0.0.1"
# The reference project's PostgreSQL settings are fixed in bench/ceiling/bench/settings.py.
CEILING_PG = {"name": "bench", "user": "bench", "password": "bench"}


class ServerError(RuntimeError):
    """A server did not start or answer; the message says which and why."""


def http(
    method: str,
    url: str,
    body: dict[str, Any] | bytes | None = None,
    timeout: float = 10.0,
    headers: dict[str, str] | None = None,
    context: ssl.SSLContext | None = None,
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback URL built here
    if isinstance(body, dict):
        req.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:  # noqa: S310
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port(start: int) -> int:
    """The first free loopback port at or above `start`."""
    for port in range(start, start + 200):
        if port_is_free(port):
            return port
    raise ServerError(f"no free port in {start}..{start + 199}")


def stop_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    # granian's workers are in the same group; make sure none outlives the master
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def process_group(
    cmd: list[str], *, cwd: Path, env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        stop_group(proc)
        log.close()


def wait_healthy(
    proc: subprocess.Popen[bytes],
    url: str,
    timeout: float,
    headers: dict[str, str] | None = None,
    context: ssl.SSLContext | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"the server exited with status {proc.returncode} before {url} answered")
        with contextlib.suppress(OSError):
            status, _ = http("GET", url, timeout=2, headers=headers, context=context)
            if status == 200:
                return
        time.sleep(0.3)
    raise ServerError(f"{url} did not answer 200 within {timeout:.0f} s")


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


@contextlib.contextmanager
def app_server(
    port: int, workers: int, database_url: str, log_path: Path, timeout: float = 180, **extra_env: str
) -> Iterator[subprocess.Popen[bytes]]:
    """lifecareer as production serves it; waits up to `timeout` s for /healthz (migrate and
    collectstatic run first: on a busy machine the brotli compression alone can take minutes),
    asking as the proxy would (`X-Forwarded-Proto: https`, so SECURE_SSL_REDIRECT=1 does not
    redirect the probe)."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env.setdefault("LOG_LEVEL", "WARNING")
    env.update(extra_env)
    with process_group([str(SERVE), str(port), str(workers)], cwd=ROOT, env=env, log_path=log_path) as proc:
        try:
            wait_healthy(proc, f"http://{HOST}:{port}/healthz", timeout=timeout, headers={"X-Forwarded-Proto": "https"})
        except ServerError as exc:
            raise ServerError(f"lifecareer: {exc}\n{log_tail(log_path)}") from exc
        yield proc


def _ceiling_env(database: str, sqlite_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"):
        env.pop(key, None)
    env["BENCH_CONN_MAX_AGE"] = "600"  # persistent connections, as lifecareer uses
    if database == "pg":
        env["BENCH_DB"] = "pg"
    else:
        env["CEILING_DB"] = str(sqlite_path)
    return env


def _reset_ceiling_pg() -> None:
    """Role and database "bench" on the loopback server (trust auth), dropped and created."""
    name, user, password = CEILING_PG["name"], CEILING_PG["user"], CEILING_PG["password"]
    base = ["psql", "-h", HOST, "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qAt"]
    exists = subprocess.run(
        [*base, "-c", f"SELECT 1 FROM pg_roles WHERE rolname = '{user}'"],
        capture_output=True, text=True, timeout=30, check=False,
    )
    if exists.returncode != 0:
        raise ServerError(f"psql failed: {exists.stderr.strip()}")
    if exists.stdout.strip() != "1":
        subprocess.run([*base, "-c", f"CREATE ROLE {user} LOGIN PASSWORD '{password}'"], check=True, timeout=30)
    for cmd in (
        ["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", "--force", name],
        ["createdb", "-h", HOST, "-U", "postgres", "-O", user, name],
    ):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise ServerError(f"{' '.join(cmd)} failed: {done.stderr.strip()}")


@contextlib.contextmanager
def ceiling_server(
    port: int, *, database: str = "sqlite", workers: int = 2, log_path: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """The reference project on `port`: migrated, seeded with its 1,000 items, served by granian
    with the flags lifecareer's production server uses. `database` is "sqlite" (a fresh file
    under var/bench/) or "pg" (database "bench" on 127.0.0.1:5432, dropped and created)."""
    if database not in {"sqlite", "pg"}:
        raise ServerError(f"ceiling database must be 'sqlite' or 'pg', not {database!r}")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sqlite_path = BENCH_DIR / "ceiling.sqlite3"
    if database == "pg":
        _reset_ceiling_pg()
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    env = _ceiling_env(database, sqlite_path)
    python = str(VENV_BIN / "python")
    for step in (
        [python, "manage.py", "migrate", "-v0"],
        [python, "manage.py", "shell", "-c", "from app import seed; seed.run()"],
    ):
        done = subprocess.run(step, cwd=CEILING, env=env, capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            raise ServerError(f"ceiling: {' '.join(step[1:3])} failed:\n{done.stderr[-2000:]}")
    log = log_path or BENCH_DIR / f"ceiling-{port}.log"
    cmd = [
        str(VENV_BIN / "granian"), "--interface", "wsgi", "--host", HOST, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", "1", "--no-ws", "--log-level", "warning",
        "bench.wsgi:application",
    ]
    with process_group(cmd, cwd=CEILING, env=env, log_path=log) as proc:
        try:
            wait_healthy(proc, f"http://{HOST}:{port}/hello/", timeout=60)
        except ServerError as exc:
            raise ServerError(f"ceiling: {exc}\n{log_tail(log)}") from exc
        yield proc


# --- the production topology on loopback (bench/topology.py) ------------------------------

PG_USER = "postgres"


def pg_bin(name: str) -> str:
    """A PostgreSQL server binary (Debian keeps them off PATH, per major version)."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise ServerError(f"PostgreSQL binary {name!r} not found (Debian: apt-get install postgresql)")


def _as_pg_user(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the `postgres` user then."""
    return ["runuser", "-u", PG_USER, "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], what: str, timeout: float = 120) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise ServerError(f"{what} failed ({' '.join(cmd)}):\n{done.stderr[-2000:]}")


def _fresh_pg_dir(datadir: Path) -> None:
    if datadir.exists():
        shutil.rmtree(datadir)
    datadir.mkdir(parents=True, mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(datadir, PG_USER, PG_USER)


def _wait_pg(proc: subprocess.Popen[bytes], port: int, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"postgres on {port} exited with {proc.returncode}:\n{log_tail(log_path)}")
        ready = subprocess.run([pg_bin("pg_isready"), "-h", HOST, "-p", str(port), "-q"], check=False)
        if ready.returncode == 0:
            return
        time.sleep(0.3)
    raise ServerError(f"postgres on {port} not ready within {timeout:.0f} s:\n{log_tail(log_path)}")


def _postgres_cmd(datadir: Path, port: int) -> list[str]:
    return _as_pg_user([pg_bin("postgres"), "-D", str(datadir), "-p", str(port), "-k", str(datadir), "-h", HOST])


@contextlib.contextmanager
def pg_primary(datadir: Path, port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A new PostgreSQL cluster in `datadir` (wiped first) on 127.0.0.1:`port`: trust for
    loopback, WAL for streaming replication. Superuser `postgres`, no password."""
    _fresh_pg_dir(datadir)
    _run(_as_pg_user([pg_bin("initdb"), "-D", str(datadir), "-U", PG_USER, "-A", "trust", "-E", "UTF8", "--no-instructions"]), "initdb")
    with (datadir / "postgresql.conf").open("a") as conf:
        conf.write("\n# bench/servers.py pg_primary\nwal_level = replica\nmax_wal_senders = 5\n"
                   "wal_keep_size = 256MB\nhot_standby = on\nfsync = on\nsynchronous_commit = on\n")
    with (datadir / "pg_hba.conf").open("w") as hba:
        hba.write("local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n")
    with process_group(_postgres_cmd(datadir, port), cwd=ROOT, env=dict(os.environ), log_path=log_path) as proc:
        _wait_pg(proc, port, log_path)
        yield proc


@contextlib.contextmanager
def pg_replica(datadir: Path, port: int, primary_port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A hot-standby streaming replica of the primary on `primary_port` (pg_basebackup -R:
    standby.signal and primary_conninfo written for us), serving reads on `port`."""
    _fresh_pg_dir(datadir)
    _run(_as_pg_user([pg_bin("pg_basebackup"), "-h", HOST, "-p", str(primary_port), "-U", PG_USER,
                      "-D", str(datadir), "-R", "-X", "stream", "-c", "fast"]), "pg_basebackup", timeout=300)
    with process_group(_postgres_cmd(datadir, port), cwd=ROOT, env=dict(os.environ), log_path=log_path) as proc:
        _wait_pg(proc, port, log_path)
        yield proc


@contextlib.contextmanager
def redis_server(port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Redis on 127.0.0.1:`port`, nothing saved to disk."""
    redis = shutil.which("redis-server")
    if redis is None:
        raise ServerError("redis-server not found (Debian: apt-get install redis-server)")
    cmd = [redis, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--daemonize", "no"]
    with process_group(cmd, cwd=ROOT, env=dict(os.environ), log_path=log_path) as proc:
        deadline = time.monotonic() + 20
        while port_is_free(port):  # not listening yet
            if proc.poll() is not None or time.monotonic() > deadline:
                raise ServerError(f"redis-server on {port} did not start:\n{log_tail(log_path)}")
            time.sleep(0.1)
        yield proc


@contextlib.contextmanager
def nginx_proxy(
    conf_path: Path, prefix: Path, health_url: str, context: ssl.SSLContext, log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """nginx in the foreground with `conf_path`; waits until `health_url` answers 200."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise ServerError("nginx not found (Debian: apt-get install nginx)")
    _run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf_path), "-e", str(prefix / "error.log")], "nginx -t")
    cmd = [nginx, "-p", str(prefix), "-c", str(conf_path), "-e", str(prefix / "error.log"), "-g", "daemon off;"]
    with process_group(cmd, cwd=ROOT, env=dict(os.environ), log_path=log_path) as proc:
        try:
            wait_healthy(proc, health_url, timeout=30, context=context)
        except ServerError as exc:
            raise ServerError(f"nginx: {exc}\n{log_tail(prefix / 'error.log')}") from exc
        yield proc


@contextlib.contextmanager
def qcluster(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A django-q2 worker process (`manage.py qcluster`) with the app's environment."""
    cmd = [str(VENV_BIN / "python"), "manage.py", "qcluster"]
    with process_group(cmd, cwd=ROOT, env=env, log_path=log_path) as proc:
        time.sleep(1.0)
        if proc.poll() is not None:
            raise ServerError(f"qcluster exited with {proc.returncode}:\n{log_tail(log_path)}")
        yield proc
