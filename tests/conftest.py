from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Every anonymous page may be cached (core.page_cache) and every login
    counted (the "ratelimit" cache): no test sees another's."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def site_pages(db):
    """The bilingual home page, standard pages and site settings (no demo firms)."""
    from demo.site import seed_site

    return seed_site()


@pytest.fixture
def demo(db):
    # Renditions are left to the pages that show them: warming every demo
    # image costs a minute, and tests/test_seed_demo.py covers the warm-up.
    call_command(
        "seed_demo", "--password", "demo-password-123", "--quiet", "--no-renditions"
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` rely on row locks, which SQLite silently ignores,
    or on column limits, which SQLite does not enforce."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks, column limits)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
