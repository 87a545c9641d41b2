import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Cached pages of an earlier test must not leak into the next one."""
    cache.clear()
    yield
    cache.clear()
