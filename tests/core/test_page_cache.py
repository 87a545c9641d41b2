"""The page cache's own rules, without a page: keys fixed before rendering."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from core.page_cache import cached_response, page_cache_purge, serve_cached


def test_a_purge_while_a_page_renders_is_not_undone(rf):
    """An editor publishing while a visitor's page renders: the page rendered
    from the old data must not be served after the purge."""

    def visitor():
        request = rf.get("/thuong-hieu/gao/")
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = "vi"
        return request

    def render_during_publish():
        page_cache_purge()
        return HttpResponse("giá cũ")

    assert serve_cached(visitor(), render_during_publish).content == "giá cũ".encode()
    assert cached_response(visitor()) is None
    # Without a purge the page is stored and served as usual.
    serve_cached(visitor(), lambda: HttpResponse("giá mới"))
    assert cached_response(visitor()).content == "giá mới".encode()
