"""Starting and stopping the servers a benchmark measures — one place for every bench script.

- `process_group(cmd, ...)`: a command in its own process group, always stopped as a whole
  (granian's workers included) when the `with` block ends, whatever happened;
- `app_server(port, workers, database_url)`: lifecareer under `scripts/serve-prod.sh`;
- `ceiling_server(port, database=...)`: the reference project in `bench/ceiling/` (a bare
  Django 5.2 project: `/hello/`, the naive `/page/`, the 40-field `/survey/` insert) under the
  same granian flags, on SQLite or on a PostgreSQL database of its own, so that a benchmark can
  report lifecareer's figures as ratios of the reference measured in the same run;
- `wait_healthy`, `http`, `free_port`, `log_tail`: the small helpers around them.

Everything binds to 127.0.0.1 only. Nothing here installs anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
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
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback URL built here
    if isinstance(body, dict):
        req.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
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


def wait_healthy(proc: subprocess.Popen[bytes], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"the server exited with status {proc.returncode} before {url} answered")
        with contextlib.suppress(OSError):
            status, _ = http("GET", url, timeout=2)
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
    collectstatic run first: on a busy machine the brotli compression alone can take minutes)."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env.setdefault("LOG_LEVEL", "WARNING")
    env.update(extra_env)
    with process_group([str(SERVE), str(port), str(workers)], cwd=ROOT, env=env, log_path=log_path) as proc:
        try:
            wait_healthy(proc, f"http://{HOST}:{port}/healthz", timeout=timeout)
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
