"""Production settings: every secret explicit, HTTPS only, deploy checks clean."""

from django.core.exceptions import ImproperlyConfigured

from config import env

from .base import *  # noqa: F403
from .base import STORAGES, TEMPLATES

_missing = [
    name
    for name, value in (
        ("DJANGO_SECRET_KEY", env.SECRET_KEY),
        ("DJANGO_ALLOWED_HOSTS", env.ALLOWED_HOSTS),
        # Several app processes must share one cache: the page cache's purge on
        # publish, carts in sessions and login rate limits all live there. A
        # per-process memory cache would serve stale pages after a publish.
        ("REDIS_URL", env.REDIS_URL),
    )
    if not value
]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )
if "*" in env.ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list real host names, not '*'."
    )

DEBUG = False
SECRET_KEY = env.SECRET_KEY
ALLOWED_HOSTS = env.ALLOWED_HOSTS

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.SECURE_SSL_REDIRECT
# /healthz is probed by the load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

ACCOUNT_EMAIL_VERIFICATION = "mandatory"

# Templates are compiled once per process.
TEMPLATES[0]["APP_DIRS"] = False
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    (
        "django.template.loaders.cached.Loader",
        [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
]

# Background work runs in the database-backed worker (manage.py db_worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Media lives in object storage behind a CDN (docs/deploy.md).
SERVE_MEDIA = False
