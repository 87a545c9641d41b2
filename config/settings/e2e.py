"""Settings for the app server the browser tests start (gunicorn, a real process).

Test settings, plus what a separate process needs: emails written to files the
test can read (EMAIL_URL=filemail:///path), static files served by WhiteNoise
straight from the apps (no collectstatic), media under DJANGO_MEDIA_ROOT.
"""

from pathlib import Path

import environ

from config import env

from .test import *  # noqa: F403

if env.EMAIL_URL:
    vars().update(environ.Env.email_url_config(env.EMAIL_URL))
MEDIA_ROOT = env.MEDIA_ROOT
PRIVATE_MEDIA_ROOT = env.PRIVATE_MEDIA_ROOT
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # Without DATABASE_URL the server runs on the file TEST_DB_NAME names, with
    # base.py's WAL and busy-timeout options (several gunicorn threads write).
    DATABASES["default"]["NAME"] = env.TEST_DB_NAME  # noqa: F405

if not env.REDIS_URL:
    # gunicorn runs several worker processes. With base.py's per-process memory
    # cache, a purge in one worker (a publish, a price change) would leave the
    # others serving the old page; without Redis they share a cache on disk.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(env.TEST_DB_NAME).with_suffix(".cache")),
        },
        # The login counters, shared by the workers too, in a store of their own
        # that the page cache's culling never touches (see base.py).
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(env.TEST_DB_NAME).with_suffix(".ratelimit-cache")),
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }
