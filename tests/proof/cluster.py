"""The live stack of the multi-server tests (tests/proof/test_two_servers.py):
two gunicorn app servers on loopback over one PostgreSQL (a copy of the test
database, seeded with the demo) and one Redis database, the task worker, and
localstripe, whose signed webhooks go to the second server only.

Seeding takes most of a minute, so every test of test_two_servers.py (the
60-second load included) shares one stack; a test that kills a server calls
``revive`` first.
"""

from __future__ import annotations

import signal
import subprocess
from dataclasses import dataclass

import pytest

from scripts import s3_server
from tests.livestack import BIN, ROOT, Stack, free_port, new_stack, wait_http

WEBHOOK_SECRET = "whsec_two_servers"
MEDIA_BUCKET = "two-servers-media"
PUBLISHABLE_KEY = "pk_test_two_servers"


@dataclass
class Cluster:
    stack: Stack
    ports: list[int]
    media_endpoint: str
    servers: list[subprocess.Popen]
    worker: subprocess.Popen
    stripe_url: str

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def kill(self, index: int) -> None:
        self.stack.stop(self.servers[index], signal.SIGKILL)

    def revive(self) -> None:
        """Restart any server an earlier test killed, on its old port."""
        for index, process in enumerate(self.servers):
            if process.poll() is not None:
                self.servers[index] = self.stack.gunicorn(self.ports[index])

    def log(self, name: str) -> str:
        return (ROOT / "test-artifacts" / f"{self.stack.label}-{name}.log").read_text()

    def emails(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")
            for path in sorted(self.stack.mail_dir.glob("*.log"))
        )


def _s3_stand_in(port: int) -> subprocess.Popen:
    """The S3-compatible media store both servers share (scripts/s3_server.py)."""
    process = subprocess.Popen(
        [
            str(BIN / "python"),
            "scripts/s3_server.py",
            f"--port={port}",
            f"--bucket={MEDIA_BUCKET}",
        ],
        cwd=ROOT,
        stdout=open(ROOT / "test-artifacts" / "two-servers-s3.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_http(f"http://127.0.0.1:{port}/", process)
    return process


@pytest.fixture(scope="module", name="cluster")
def cluster_fixture(django_db_setup, django_db_blocker):
    taken: set[int] = set()
    stripe_port, s3_port, *ports = (free_port(taken) for _ in range(4))
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    s3 = _s3_stand_in(s3_port)
    media_env = {
        "MEDIA_S3_BUCKET": MEDIA_BUCKET,
        "MEDIA_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "MEDIA_S3_ACCESS_KEY_ID": s3_server.ACCESS_KEY_ID,
        "MEDIA_S3_SECRET_ACCESS_KEY": s3_server.SECRET_ACCESS_KEY,
        "MEDIA_S3_REGION": s3_server.REGION,
    }
    try:
        with django_db_blocker.unblock():
            stack = new_stack("two-servers", redis_db=10, extra_env=media_env)
    except BaseException:
        s3.terminate()
        raise
    stack.processes.insert(0, s3)
    stripe_url = f"http://127.0.0.1:{stripe_port}"
    stack.env.update(
        DJANGO_TASKS_BACKEND="database",
        STRIPE_SECRET_KEY="sk_test_two_servers",
        STRIPE_PUBLISHABLE_KEY=PUBLISHABLE_KEY,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=stripe_url,
        STRIPE_JS_URL=f"{stripe_url}/js.stripe.com/v3/",
    )
    try:
        # The loopback-only wrapper, state in memory (localstripe's own CLI binds
        # every interface and shares a pickle file with other runs). Stripe's
        # signed events go to the second server only.
        stripe = stack.spawn(
            "localstripe",
            [
                str(BIN / "python"),
                "scripts/localstripe_server.py",
                f"--port={stripe_port}",
                f"--webhook-url=http://127.0.0.1:{ports[1]}/stripe/webhook/",
                f"--webhook-secret={WEBHOOK_SECRET}",
            ],
        )
        wait_http(f"{stripe_url}/js.stripe.com/v3/", stripe)
        servers = [stack.gunicorn(port) for port in ports]
        worker = stack.spawn(
            "worker", [str(BIN / "python"), "manage.py", "db_worker", "--interval", "1"]
        )
        yield Cluster(
            stack,
            ports,
            media_env["MEDIA_S3_ENDPOINT_URL"],
            servers,
            worker,
            stripe_url,
        )
    finally:
        stack.close()
