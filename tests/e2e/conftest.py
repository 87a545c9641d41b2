"""Browser harness: gunicorn serving a seeded copy of the test database, and
Debian's chromium driven by Playwright at a desktop and a phone viewport.

Screenshots go to test-artifacts/screens/ (printed at the end of the run).
The browser is never downloaded: /usr/bin/chromium comes from apt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from config import env as project_env
from tests.livestack import ROOT, SCREENS, Stack, free_port, new_stack
from tests.livestack import live_tests_first as pytest_collection_modifyitems  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
# Runs in parallel on one machine (each with its own TEST_DB_NAME) must not
# share the server's database copy, its mail folder or the screenshots.
_RUN = Path(project_env.TEST_DB_NAME).stem.lstrip(".")
LABEL = "e2e" if _RUN == "test-db" else f"e2e-{_RUN}"
SHOTS = SCREENS if LABEL == "e2e" else SCREENS.with_name(f"screens-{_RUN}")
BANK_BIN = "970436"
BANK_ACCOUNT = "0071000123456"
BANK_HOLDER = "CONG TY AN GIANG DIGITAL"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class LiveApp:
    base_url: str
    stack: Stack
    localstripe_url: str = ""

    def url(self, path: str) -> str:
        return self.base_url + path

    def emails(self) -> list[str]:
        """Every email the app has sent, as raw message text."""
        return [
            path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(self.stack.mail_dir.glob("*.log"))
        ]


@pytest.fixture(scope="package")
def live_app(django_db_setup, django_db_blocker) -> Iterator[LiveApp]:
    """One seeded app server (and localstripe) for the whole browser session."""
    if not CHROMIUM.exists():
        message = "Debian's chromium is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Each run's screenshots replace the last run's.
    shutil.rmtree(SHOTS, ignore_errors=True)
    taken: set[int] = set()
    with django_db_blocker.unblock():
        stack = new_stack(LABEL, redis_db=9)
    try:
        stripe_port = free_port(taken)
        stripe_url = f"http://127.0.0.1:{stripe_port}"
        stack.env.update(
            STRIPE_SECRET_KEY="sk_test_e2e_localstripe",
            STRIPE_PUBLISHABLE_KEY="pk_test_e2e_localstripe",
            STRIPE_WEBHOOK_SECRET="whsec_e2e_localstripe",
            STRIPE_API_BASE=stripe_url,
            STRIPE_JS_URL=f"{stripe_url}/js.stripe.com/v3/",
            # The account VietQR transfers go to, and the bank feed's secret
            # (manage.py shop_fake_bank_transfer signs with it).
            SHOP_VIETQR_BANK_BIN=BANK_BIN,
            SHOP_VIETQR_ACCOUNT=BANK_ACCOUNT,
            SHOP_VIETQR_ACCOUNT_HOLDER=BANK_HOLDER,
            SHOP_VIETQR_BANK_NAME="Vietcombank",
            SHOP_BANK_FEED_SECRET="bank-feed-e2e-secret",
        )
        stack.localstripe(stripe_port)
        port = free_port(taken)
        base_url = f"http://127.0.0.1:{port}"
        register_localstripe_webhook(stripe_url, base_url, stack.env)
        stack.gunicorn(port)
        yield LiveApp(base_url=base_url, stack=stack, localstripe_url=stripe_url)
    finally:
        stack.close()


def register_localstripe_webhook(stripe_url: str, base_url: str, env: dict) -> None:
    """localstripe posts signed events to the app, as Stripe would."""
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode(
        {"url": f"{base_url}/stripe/webhook/", "secret": env["STRIPE_WEBHOOK_SECRET"]}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{stripe_url}/_config/webhooks/agdb", data=data, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200


# Package scope: Playwright's sync API keeps an event loop running in this
# thread, which makes Django refuse ORM calls until the browser is closed.
@pytest.fixture(scope="package")
def browser(live_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Session:
    """One person's browser at one viewport, with screenshot and axe helpers.

    Further browsers (a second device, another person) come from new_page(),
    so their pages are watched for CSP violations like the first.
    """

    app: LiveApp
    browser: object
    viewport: str
    test_name: str
    page: object = None
    csp_violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)
    shots: int = 0

    def new_page(self):
        """A page in a fresh browser context at this viewport, closed at teardown."""
        context = self.browser.new_context(
            base_url=self.app.base_url, locale="vi-VN", **VIEWPORTS[self.viewport]
        )
        context.set_default_timeout(30_000)
        context.set_default_navigation_timeout(60_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._on_console)
        return page

    def same_buyer_without_javascript(self, *, locale: str = "vi-VN"):
        """A page for the same visitor (this session's cookies) with
        JavaScript off, at this viewport; closed at teardown."""
        context = self.browser.new_context(
            base_url=self.app.base_url,
            locale=locale,
            java_script_enabled=False,
            **VIEWPORTS[self.viewport],
        )
        self.contexts.append(context)
        context.add_cookies(self.page.context.cookies())
        return context.new_page()

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)
        else:
            self.console_errors.append(message.text)

    def close(self) -> None:
        # Closing a context the test already closed is a no-op in Playwright.
        for context in self.contexts:
            context.close()

    def goto(self, path: str):
        response = self.page.goto(self.app.url(path))
        return response

    def shot(self, name: str) -> Path:
        self.shots += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.test_name}-{self.viewport}-{self.shots:02d}-{name}.png"
        # A page shown after a click may still be fetching its images (renditions
        # are made on first request): shoot once the eager ones are in.
        self.page.wait_for_load_state("load")
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self) -> list[dict]:
        """Serious and critical axe-core violations on the current page.

        The script is evaluated through the DevTools protocol, not injected as
        a <script> element, so the site's strict CSP stays untouched.
        """
        self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: "
            "['violations']}); return r.violations.map(v => ({id: v.id, impact: "
            "v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))"
            ".slice(0, 5)})); }"
        )
        return [v for v in result if v["impact"] in {"serious", "critical"}]

    def assert_accessible(self) -> None:
        violations = self.axe()
        assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.fixture(params=list(VIEWPORTS))
def session(request, live_app, browser) -> Iterator[Session]:
    name = re.sub(r"\W+", "-", request.node.originalname).strip("-")
    current = Session(
        app=live_app, browser=browser, viewport=request.param, test_name=name
    )
    current.page = current.new_page()
    yield current
    current.close()
    assert current.csp_violations == [], current.csp_violations


def pytest_terminal_summary(terminalreporter):
    if SHOTS.exists() and any(SHOTS.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {SHOTS}")
