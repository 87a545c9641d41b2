"""The only module that reads the process environment.

Every setting that differs between a laptop, CI and production is read here,
once, with a documented default that works on a fresh machine. Settings
modules import the values; nothing else touches ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A developer's .env is read only outside production and tests, so a stray
# file can never change what CI or a server does.
_settings_module = env.str("DJANGO_SETTINGS_MODULE", default="config.settings.dev")
if _settings_module.endswith(".dev") and (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SETTINGS_MODULE: str = _settings_module

SECRET_KEY: str | None = env.str("DJANGO_SECRET_KEY", default=None)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DEBUG: bool = env.bool("DJANGO_DEBUG", default=False)

DATABASE_URL: str | None = env.str("DATABASE_URL", default=None)
REDIS_URL: str | None = env.str("REDIS_URL", default=None)


def _next_redis_database(url: str) -> str:
    """``url`` with its database number plus one (redis://h:6379/0 -> /1)."""
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"
    return urlunsplit(parts._replace(path=f"/{int(database) + 1}"))


# Login rate-limit counters live apart from the evicting page cache, in the
# next Redis database by default (REDIS_URL .../0 -> .../1). Eviction is a
# setting of the Redis server, not of a database: give this store a server
# with maxmemory-policy noeviction (or enough memory) through
# RATELIMIT_REDIS_URL when the cache's server evicts.
RATELIMIT_REDIS_URL: str | None = env.str(
    "RATELIMIT_REDIS_URL",
    default=_next_redis_database(REDIS_URL) if REDIS_URL else None,
)

SITE_BASE_URL: str = env.str("SITE_BASE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL: str = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="An Giang Digital Brands <no-reply@localhost>"
)
EMAIL_URL: str | None = env.str("EMAIL_URL", default=None)

MEDIA_ROOT: Path = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Applicants' registration documents: never under MEDIA_ROOT, which the web
# server may publish; only the staff-only evidence view reads them.
PRIVATE_MEDIA_ROOT: Path = Path(
    env.str("DJANGO_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
)
STATIC_ROOT: Path = Path(
    env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
)

# Media in an S3-compatible bucket (production, and the two-server proof);
# unset, media stay on the local disk under MEDIA_ROOT. The endpoint is the
# bucket server's API (a provider's or the local stand-in's); MEDIA_BASE_URL
# is where browsers fetch media (the CDN, or the bucket itself).
MEDIA_S3_BUCKET: str | None = env.str("MEDIA_S3_BUCKET", default=None)
MEDIA_S3_ENDPOINT_URL: str | None = env.str("MEDIA_S3_ENDPOINT_URL", default=None)
MEDIA_S3_REGION: str = env.str("MEDIA_S3_REGION", default="ap-southeast-1")
MEDIA_S3_ACCESS_KEY_ID: str | None = env.str("MEDIA_S3_ACCESS_KEY_ID", default=None)
MEDIA_S3_SECRET_ACCESS_KEY: str | None = env.str(
    "MEDIA_S3_SECRET_ACCESS_KEY", default=None
)
MEDIA_BASE_URL: str | None = env.str("MEDIA_BASE_URL", default=None)
# django-storages wants the host (and path) and the scheme apart.
_media_base = urlsplit(MEDIA_BASE_URL) if MEDIA_BASE_URL else None
MEDIA_CUSTOM_DOMAIN: str | None = (
    (_media_base.netloc + _media_base.path.rstrip("/")) if _media_base else None
)
MEDIA_URL_PROTOCOL: str = f"{_media_base.scheme}:" if _media_base else "https:"

# Number of reverse proxies in front of the app whose X-Forwarded-For is
# trusted; 0 means the socket address is the client (allauth rate limits).
TRUSTED_PROXY_COUNT: int = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
SECURE_SSL_REDIRECT: bool = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
HSTS_SECONDS: int = env.int("DJANGO_HSTS_SECONDS", default=31536000)

STRIPE_SECRET_KEY: str | None = env.str("STRIPE_SECRET_KEY", default=None)
STRIPE_PUBLISHABLE_KEY: str | None = env.str("STRIPE_PUBLISHABLE_KEY", default=None)
STRIPE_WEBHOOK_SECRET: str | None = env.str("STRIPE_WEBHOOK_SECRET", default=None)
STRIPE_API_BASE: str | None = env.str("STRIPE_API_BASE", default=None)
STRIPE_JS_URL: str = env.str("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
# Platform fee kept from each paid line before paying the organisation, in
# basis points (500 = 5 %).
SHOP_PLATFORM_FEE_BASIS_POINTS: int = env.int(
    "SHOP_PLATFORM_FEE_BASIS_POINTS", default=500
)
# Minutes an unpaid order holds its stock before it expires.
SHOP_RESERVATION_MINUTES: int = env.int("SHOP_RESERVATION_MINUTES", default=30)
# Minutes an unpaid VietQR (bank transfer) order holds its stock: longer than
# a card's, since the buyer switches to a banking app and may wait for NAPAS.
SHOP_VIETQR_EXPIRY_MINUTES: int = env.int("SHOP_VIETQR_EXPIRY_MINUTES", default=60)
# Anti-hoarding limits on unpaid orders (shop.limits). A guest's order holds
# its stock for less time than a signed-in buyer's, by card and by VietQR
# (a card order can still switch to VietQR, so both must be shorter).
SHOP_GUEST_RESERVATION_MINUTES: int = env.int(
    "SHOP_GUEST_RESERVATION_MINUTES", default=15
)
SHOP_GUEST_VIETQR_EXPIRY_MINUTES: int = env.int(
    "SHOP_GUEST_VIETQR_EXPIRY_MINUTES", default=30
)
# How many orders left unpaid one client address, one browser session and one
# email (or account) may place within the window.
SHOP_UNPAID_ORDERS_PER_WINDOW: int = env.int("SHOP_UNPAID_ORDERS_PER_WINDOW", default=3)
SHOP_UNPAID_ORDERS_WINDOW_MINUTES: int = env.int(
    "SHOP_UNPAID_ORDERS_WINDOW_MINUTES", default=60
)
# Most units one unpaid order may hold of one variant, and in all.
SHOP_HOLD_MAX_UNITS_PER_VARIANT: int = env.int(
    "SHOP_HOLD_MAX_UNITS_PER_VARIANT", default=10
)
SHOP_HOLD_MAX_UNITS_PER_ORDER: int = env.int(
    "SHOP_HOLD_MAX_UNITS_PER_ORDER", default=30
)
# Hours a cash-on-delivery order's part waits for its brand to confirm it
# (phone the buyer) before it is cancelled and its stock released; once
# confirmed, the hold lasts until the part is delivered, cancelled or refused.
SHOP_COD_CONFIRM_HOURS: int = env.int("SHOP_COD_CONFIRM_HOURS", default=72)
# The account VietQR transfers go to: the bank's 6-digit NAPAS BIN, the account
# number, the holder's name as the bank shows it, and the bank's name.
SHOP_VIETQR_BANK_BIN: str = env.str("SHOP_VIETQR_BANK_BIN", default="")
SHOP_VIETQR_ACCOUNT: str = env.str("SHOP_VIETQR_ACCOUNT", default="")
SHOP_VIETQR_ACCOUNT_HOLDER: str = env.str("SHOP_VIETQR_ACCOUNT_HOLDER", default="")
SHOP_VIETQR_BANK_NAME: str = env.str("SHOP_VIETQR_BANK_NAME", default="")
# The ways to pay the checkout offers, in this order: card (Stripe), vietqr
# (bank transfer to the account above), cod (cash on delivery). Each brand may
# refuse some of them in its shipping policy.
SHOP_PAYMENT_METHODS: list[str] = env.list(
    "SHOP_PAYMENT_METHODS", default=["card", "vietqr", "cod"]
)
# Shared secret of the bank-feed service's signed notifications (HMAC-SHA256).
SHOP_BANK_FEED_SECRET: str | None = env.str("SHOP_BANK_FEED_SECRET", default=None)

# Content-Security-Policy: extra image origins (object storage or CDN serving
# media in production) and an optional violation report endpoint.
CSP_IMG_ORIGINS: list[str] = env.list("DJANGO_CSP_IMG_ORIGINS", default=[])
# Pages show media from the bucket (or its CDN): that origin is always allowed.
_media_origin_url = MEDIA_BASE_URL or (
    MEDIA_S3_ENDPOINT_URL if MEDIA_S3_BUCKET else None
)
if _media_origin_url:
    _media_origin = urlsplit(_media_origin_url)
    CSP_IMG_ORIGINS.append(f"{_media_origin.scheme}://{_media_origin.netloc}")
CSP_REPORT_URI: str | None = env.str("DJANGO_CSP_REPORT_URI", default=None)

# Task backend: empty runs tasks in the request (laptop, tests); "database"
# queues them for `manage.py db_worker` (several app servers, production).
TASKS_BACKEND: str = env.str("DJANGO_TASKS_BACKEND", default="")

# The edge cache (Varnish with vmod-xkey) in front of the app servers: the URL
# that accepts PURGE requests. Unset, no edge is purged (core.edge_cache).
EDGE_CACHE_URL: str | None = env.str("EDGE_CACHE_URL", default=None)
# How long the edge may keep a public page (s-maxage), and serve it stale
# while it fetches a fresh one, in seconds (docs/caching.md).
PAGE_CACHE_SHARED_MAX_AGE: int = env.int("PAGE_CACHE_SHARED_MAX_AGE", default=60)
PAGE_CACHE_STALE_WHILE_REVALIDATE: int = env.int(
    "PAGE_CACHE_STALE_WHILE_REVALIDATE", default=300
)

# Test database file on SQLite; parallel test runs on one machine need their own.
TEST_DB_NAME: str = env.str("TEST_DB_NAME", default=str(BASE_DIR / ".test-db.sqlite3"))

DEMO_PASSWORD: str | None = env.str("DEMO_PASSWORD", default=None)
# Owners may publish without moderation when the province allows it.
OWNERS_CAN_PUBLISH: bool = env.bool("OWNERS_CAN_PUBLISH", default=False)
# How long an owner's invitation to a colleague stays open, in days.
ORGANISATION_INVITATION_DAYS: int = env.int("ORGANISATION_INVITATION_DAYS", default=7)
