"""Real processes for the browser and multi-server tests: a cloned database,
gunicorn app servers, localstripe, the task worker.

Every process listens on 127.0.0.1 only, on a free port in 8700-8799, and is
stopped by its own PID. The database the servers use is a copy of the test
database pytest-django has just migrated (SQLite: the backup API; PostgreSQL:
CREATE DATABASE ... TEMPLATE), so no test pays for a second migration.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SCREENS = ARTIFACTS / "screens"
PASSWORD = "e2e-password-123"
PORTS = range(8700, 8800)
BIN = Path(sys.executable).parent


def free_port(taken: set[int] | None = None, ports: range = PORTS) -> int:
    """The first port in ``ports`` nobody listens on (and we have not handed out)."""
    taken = taken if taken is not None else set()
    # Random order: two stacks starting at once rarely race for the same port.
    for port in random.sample(ports, len(ports)):
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            # As gunicorn binds: a port whose last connections linger in
            # TIME_WAIT is free; only a listening server makes bind() fail.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def clone_test_database(label: str) -> tuple[dict[str, str], bool]:
    """Copy the migrated test database; return the env pointing a process at the
    copy, and whether the copy still needs `migrate`.

    Runs right after pytest-django's django_db_setup and before any test
    writes, so the copy carries the data migrations (communes, locales, root
    page). pytest-django creates the test database only when a collected test
    asks for one; when none does (`pytest tests/e2e`), the copy starts empty.
    """
    from django.db import connections

    connection = connections["default"]
    # The connection's settings carry the test database's name once it exists.
    db = dict(connection.settings_dict)
    migrated = db["NAME"] == connection.creation._get_test_db_name()
    connections.close_all()
    if "postgresql" in db["ENGINE"]:
        import psycopg

        target = f"{db['NAME']}_{label}"[:63]
        dsn = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
        if db.get("PASSWORD"):
            dsn += f" password={db['PASSWORD']}"
        template = f' TEMPLATE "{db["NAME"]}"' if migrated else ""
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{target}"{template}')
        return {"DATABASE_URL": _postgres_url(db, target)}, not migrated
    target = ARTIFACTS / f"{label}.sqlite3"
    ARTIFACTS.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    if migrated:
        with sqlite3.connect(db["NAME"]) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    # config.settings.e2e runs SQLite on TEST_DB_NAME when DATABASE_URL is unset.
    return {"DATABASE_URL": "", "TEST_DB_NAME": str(target)}, not migrated


def _postgres_url(db: dict, name: str) -> str:
    user = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{user}@{db['HOST']}:{db['PORT']}/{name}"


def same_database_env() -> dict[str, str]:
    """The env pointing another process at the test database itself, not a copy
    (a transactional test's committed rows are what that process must see)."""
    from django.db import connection

    db = connection.settings_dict
    if "postgresql" in db["ENGINE"]:
        return {"DATABASE_URL": _postgres_url(db, db["NAME"])}
    # config.settings.e2e runs SQLite on TEST_DB_NAME when DATABASE_URL is unset.
    return {"DATABASE_URL": "", "TEST_DB_NAME": str(db["NAME"])}


def redis_env(db_index: int) -> dict[str, str]:
    """Point the processes at their own Redis database, flushed, when Redis is in use."""
    from config import env as project_env

    if not project_env.REDIS_URL:
        return {"REDIS_URL": ""}
    base = project_env.REDIS_URL.rsplit("/", 1)[0]
    url = f"{base}/{db_index}"
    import redis

    redis.Redis.from_url(url).flushdb()
    return {"REDIS_URL": url}


@dataclass
class Stack:
    """Environment shared by every process of one live stack, and the processes."""

    label: str
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list = field(default_factory=list)
    log_dir: Path = ARTIFACTS

    @property
    def mail_dir(self) -> Path:
        return ARTIFACTS / f"{self.label}-mail"

    def manage(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def shell(self, code: str) -> str:
        """Run Python inside the stack's Django (its database) and return stdout."""
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{self.label}-{name}.log", "w")
        self.logs.append(log)
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def gunicorn(self, port: int, *, workers: int = 2) -> subprocess.Popen:
        process = self.spawn(
            f"gunicorn-{port}",
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
            ],
        )
        wait_http(f"http://127.0.0.1:{port}/healthz", process)
        return process

    def localstripe(self, port: int) -> subprocess.Popen:
        process = self.spawn(
            "localstripe", [str(BIN / "localstripe"), "--port", str(port)]
        )
        wait_http(f"http://127.0.0.1:{port}/js.stripe.com/v3/", process)
        return process

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def close(self) -> None:
        for process in reversed(self.processes):
            self.stop(process)
        for log in self.logs:
            log.close()


def wait_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def new_stack(
    label: str,
    *,
    redis_db: int,
    settings: str = "config.settings.e2e",
    extra_env: dict[str, str] | None = None,
) -> Stack:
    """A cloned database, seeded with the demo content, and the env to serve it.

    ``extra_env`` applies from the seed on (media in a bucket must be seeded
    into that bucket).
    """
    mail_dir = ARTIFACTS / f"{label}-mail"
    shutil.rmtree(mail_dir, ignore_errors=True)
    mail_dir.mkdir(parents=True)
    media_dir = ARTIFACTS / f"{label}-media"
    shutil.rmtree(media_dir, ignore_errors=True)
    # The page cache the e2e settings keep on disk without Redis: a last run's
    # pages must not be served.
    shutil.rmtree(ARTIFACTS / f"{label}.cache", ignore_errors=True)
    # Nor its login counters (a lockout left by the last run).
    shutil.rmtree(ARTIFACTS / f"{label}.ratelimit-cache", ignore_errors=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "STRIPE_", "PYTEST_"))
    }
    database_env, needs_migrate = clone_test_database(label)
    env.update(database_env)
    env.update(redis_env(redis_db))
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        EMAIL_URL=f"filemail:///{mail_dir}",
        DJANGO_MEDIA_ROOT=str(media_dir),
        DJANGO_PRIVATE_MEDIA_ROOT=str(media_dir.with_name(media_dir.name + "-private")),
        DEMO_PASSWORD=PASSWORD,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    stack = Stack(label=label, env=env)
    if needs_migrate:
        stack.manage("migrate", "--noinput")
    # Renditions are made on demand here: warming all of them (AVIF is slow)
    # costs each live stack about 100 s, more than the pages ever visited cost.
    stack.manage("seed_demo", "--password", PASSWORD, "--quiet", "--no-renditions")
    return stack


def live_tests_first(config, items) -> None:
    """Collection hook: run the live-stack tests first, while the test database
    still holds only what its migrations put there (transactional tests flush it)."""
    live = [item for item in items if _is_live(item)]
    if live:
        rest = [item for item in items if not _is_live(item)]
        items[:] = live + rest


def _is_live(item) -> bool:
    path = str(item.path)
    return "/tests/e2e/" in path or path.endswith("test_two_servers.py")
