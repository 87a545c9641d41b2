"""Purges of the edge cache (Varnish with xkey) by surrogate key.

Public pages name what they show in their ``xkey`` / ``Surrogate-Key``
header (``core.page_cache``); a purge sends those keys to the edge, so only
the pages showing a changed brand or product leave it. The backend is a
``wagtail.contrib.frontend_cache`` backend, configured in
``WAGTAILFRONTENDCACHE`` like any other (``config/settings/base.py`` adds it
when ``EDGE_CACHE_URL`` is set), so Wagtail's own purge of a published page's
URLs goes to the same edge. Without an edge configured, a purge does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger("wagtail.frontendcache")

# Varnish's xkey module takes many keys, space-separated, in one header.
KEY_HEADER = "xkey"
# The edge must answer a purge quickly; a slow one must not hold a publish.
TIMEOUT_SECONDS = 5
# Keys per request: keeps the header well under Varnish's limits.
KEYS_PER_REQUEST = 100


class XkeyPurgeRequest(Request):
    def get_method(self) -> str:
        return "PURGE"


class VarnishXkeyBackend(HTTPBackend):
    """Purge URLs (Wagtail's HTTP backend) and surrogate keys (xkey) at Varnish.

    ``LOCATION`` is the Varnish admin URL that accepts PURGE; a purge by key
    is a PURGE of ``/`` carrying the keys in an ``xkey`` header (and
    ``Surrogate-Key``, which other edges read), as vmod-xkey's examples do.
    """

    def __init__(self, params):
        self.location = params["LOCATION"].rstrip("/") + "/"
        super().__init__(params)

    def purge_keys(self, keys: Iterable[str]) -> None:
        names = list(keys)
        for start in range(0, len(names), KEYS_PER_REQUEST):
            chunk = " ".join(names[start : start + KEYS_PER_REQUEST])
            request = XkeyPurgeRequest(
                self.location,
                headers={KEY_HEADER: chunk, "Surrogate-Key": chunk},
            )
            try:
                urlopen(request, timeout=TIMEOUT_SECONDS)  # noqa: S310 (URL from config)
            except HTTPError as error:
                logger.error(
                    "Couldn't purge keys %s from the edge. HTTPError: %d %s",
                    chunk,
                    error.code,
                    error.reason,
                )
            except (URLError, TimeoutError) as error:
                logger.error(
                    "Couldn't purge keys %s from the edge. URLError: %s",
                    chunk,
                    getattr(error, "reason", error),
                )


def edge_purge_keys(keys: Iterable[str]) -> None:
    """Send a key purge to every configured edge that purges by key."""
    names = list(keys)
    for backend in get_backends().values():
        purge_keys = getattr(backend, "purge_keys", None)
        if purge_keys is not None:
            purge_keys(names)
