"""Run localstripe (a fake Stripe API, test tool only) on the loopback interface.

localstripe's own CLI binds every interface and pickles its state to a fixed
file shared by all instances; this wrapper serves the same aiohttp app on
127.0.0.1 only and keeps the state in memory. Used by `make run`
(scripts/run.sh) and by the test suite (tests/shop/conftest.py).

    python scripts/localstripe_server.py --port 8420 \
        --webhook-url http://127.0.0.1:8000/stripe/webhook/ --webhook-secret whsec_...
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass


def _app():
    # localstripe (and aiohttp below) are dev-only: the app never imports them.
    from localstripe import resources, server  # noqa: PLC0415

    # In memory only: no shared /tmp/localstripe.pickle between instances.
    resources.Store.dump_to_disk = lambda self: None
    return server.app


@dataclass
class RunningServer:
    base_url: str
    port: int
    _loop: asyncio.AbstractEventLoop
    _runner: object
    _thread: threading.Thread

    def stop(self) -> None:
        future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
        future.result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


def start_in_thread(port: int = 0) -> RunningServer:
    """Start localstripe on 127.0.0.1 (``port`` 0: a free one) in a daemon thread."""
    from aiohttp import web  # noqa: PLC0415

    app = _app()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict = {}

    async def setup():
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        state["runner"] = runner
        state["port"] = runner.addresses[0][1]

    def run():
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(setup())
        except Exception as error:  # noqa: BLE001 - reported to the caller below
            state["error"] = error
            ready.set()
            return
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="localstripe", daemon=True)
    thread.start()
    ready.wait(timeout=20)
    if "error" in state:
        raise state["error"]
    return RunningServer(
        base_url=f"http://127.0.0.1:{state['port']}",
        port=state["port"],
        _loop=loop,
        _runner=state["runner"],
        _thread=thread,
    )


def register_webhook(
    *, base_url: str, url: str, secret: str, name: str = "agdb"
) -> None:
    """Tell localstripe where to POST signed events (registrations live in memory)."""
    data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
    url_ = f"{base_url}/_config/webhooks/{name}"
    request = urllib.request.Request(url_, data=data, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook-url")
    parser.add_argument("--webhook-secret")
    args = parser.parse_args()
    running = start_in_thread(args.port)
    if args.webhook_url and args.webhook_secret:
        register_webhook(
            base_url=running.base_url, url=args.webhook_url, secret=args.webhook_secret
        )
    message = f"localstripe on {running.base_url} (webhook -> {args.webhook_url})"
    print(message, flush=True)  # noqa: T201
    try:
        running._thread.join()
    except KeyboardInterrupt:
        running.stop()


if __name__ == "__main__":
    main()
