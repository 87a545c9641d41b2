"""allauth's rate-limit counters go to the "ratelimit" cache, not the default one.

allauth 65.22 has no setting for the cache its rate limits use:
``allauth.core.internal.ratelimit`` does ``from django.core.cache import cache``
and counts (``cache.get``/``cache.set``), locks (``cache.add``) and clears
(``cache.delete``) through that one module-level name. The default cache also
holds the page cache, which evicts under a flood of URLs and would take the
counters (and with them a lockout) along. So the name is rebound, once, at
start-up, to a proxy of the "ratelimit" alias (resolved per use, like
Django's own ``cache``, so per-thread connections and override_settings keep
working). Should an allauth upgrade move that name, start-up fails here
instead of silently counting in the evicting cache again.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils.connection import ConnectionProxy

RATELIMIT_CACHE_ALIAS = "ratelimit"


def bind_allauth_ratelimit_cache() -> None:
    if not hasattr(ratelimit, "cache"):
        raise ImproperlyConfigured(
            "allauth.core.internal.ratelimit no longer has a module-level `cache`: "
            "check how this allauth version picks its rate-limit cache and "
            "update accounts.ratelimit_store."
        )
    ratelimit.cache = ConnectionProxy(caches, RATELIMIT_CACHE_ALIAS)
