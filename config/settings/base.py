"""Settings shared by every mode. Values that vary come from ``config.env``."""

from __future__ import annotations

from typing import Any

import environ
from django.utils.translation import gettext_lazy
from wagtail.embeds import oembed_providers

from config import env

BASE_DIR = env.BASE_DIR

SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    # Project apps first so their templates and translations win; core (the
    # plumbing every app may use) before the apps that use it.
    "core",
    "accounts",
    "organisations",
    "pages",
    "brands",
    "shop",
    "assessment",
    "joining",
    # Demo content and its seed_demo command; no runtime app imports it.
    "demo",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks_db",
    # ISO country names, translated (the checkout's country list).
    "django_countries",
    # allauth
    "allauth",
    "allauth.account",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside SessionMiddleware, so it sees the Vary: Cookie of a response
    # that read the session and marks it private (core.page_cache).
    "core.page_cache.private_when_personal",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pages.middleware.QueryLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.SiteCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Refuses admin URLs outside an organisation member's own pages and media.
    "organisations.admin_guard.AdminScopeMiddleware",
    # Last, so a page-cache hit still gets every header the middleware above adds.
    "core.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite is the embedded default so a fresh machine needs no server;
# DATABASE_URL (postgres://...) switches to PostgreSQL.
if env.DATABASE_URL:
    _db = environ.Env.db_url_config(env.DATABASE_URL)
    _db.setdefault("CONN_MAX_AGE", 60)
    _db["CONN_HEALTH_CHECKS"] = True
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # WAL and a busy timeout let the dev server, the task runner and
            # tests' threads share one file without "database is locked".
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -------------------------------------------------------
# REDIS_URL switches the caches (and sessions) to Redis, shared by every app
# server; locmem is per process. "default" (the page cache) evicts; "ratelimit"
# (login counters, accounts.ratelimit_store) must not, or a flood of junk URLs
# would unlock a locked-out account.
if env.REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.REDIS_URL,
            "KEY_PREFIX": "agdb",
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.RATELIMIT_REDIS_URL,
            "KEY_PREFIX": "agdb-ratelimit",
        },
    }
    # Reads come from Redis; writes also go to the database so a Redis
    # restart never empties a buyer's cart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "agdb",
        },
        # Counters expire within minutes: the bound only keeps memory finite.
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "agdb-ratelimit",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Page cache and edge ------------------------------------------------------
PAGE_CACHE_SHARED_MAX_AGE = env.PAGE_CACHE_SHARED_MAX_AGE
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.PAGE_CACHE_STALE_WHILE_REVALIDATE
if env.EDGE_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "edge": {
            "BACKEND": "core.edge_cache.VarnishXkeyBackend",
            "LOCATION": env.EDGE_CACHE_URL,
        }
    }

# --- Auth ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# One login path, allauth's (rate limits, lockout): Wagtail's admin and
# front-end logins redirect there (config.urls); private pages link there in
# the visitor's language (a URL name, resolved per request).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Password resets go through allauth (rate limited), not Wagtail's own views.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Email and password changes too: allauth asks for the password again and
# verifies new addresses, so a borrowed session cannot take an account over.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
# Managing email addresses (add, make primary, remove) asks for the password
# again when the last login is older than ACCOUNT_REAUTHENTICATION_TIMEOUT.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# A signed-in user sent to log in (e.g. a buyer opening /admin/) sees the form
# and Wagtail's "no permission" message instead of a redirect loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_SESSION_REMEMBER = None
# Lazy, so a Vietnamese visitor's emails carry the Vietnamese site name.
ACCOUNT_EMAIL_SUBJECT_PREFIX = gettext_lazy("[An Giang Digital Brands] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Rate limits are on and live in the "ratelimit" cache (see CACHES), which is
# Redis in production so every app server shares the counters.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", "Tiếng Việt"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The checkout's country list starts with Vietnam (django-countries).
COUNTRIES_FIRST = ["VN"]
COUNTRIES_FIRST_REPEAT = False
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
# locale/ (project chrome) wins over third_party_locale/ (our Vietnamese for
# allauth, which ships none, and for Wagtail's admin, which ships a fraction).
# Both win over every app catalogue, brands/shop/assessment included.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "third_party_locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.STATIC_ROOT
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT
# Outside MEDIA_ROOT and with no URL: served only by joining.views (staff).
PRIVATE_MEDIA_ROOT = env.PRIVATE_MEDIA_ROOT
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
if env.MEDIA_S3_BUCKET:
    # Several app servers share one bucket; images, renditions and documents
    # all go there. Objects are public-read by URL (product photos), but
    # documents are still served through Wagtail's view (WAGTAILDOCS_SERVE_METHOD
    # below), which adds the attachment header and the privacy checks.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.MEDIA_S3_BUCKET,
            "endpoint_url": env.MEDIA_S3_ENDPOINT_URL,
            "region_name": env.MEDIA_S3_REGION,
            "access_key": env.MEDIA_S3_ACCESS_KEY_ID,
            "secret_key": env.MEDIA_S3_SECRET_ACCESS_KEY,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
            # Renditions are immutable (their names carry the filter spec).
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
            "custom_domain": env.MEDIA_CUSTOM_DOMAIN,
            "url_protocol": env.MEDIA_URL_PROTOCOL,
        },
    }
    if env.MEDIA_BASE_URL:
        MEDIA_URL = env.MEDIA_BASE_URL.rstrip("/") + "/"
# Phone photos are large; anything beyond this is refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email --------------------------------------------------------------------
if env.EMAIL_URL:
    vars().update(environ.Env.email_url_config(env.EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SERVER_EMAIL = env.DEFAULT_FROM_EMAIL

# --- Tasks --------------------------------------------------------------------
# Emails and slow jobs run through django-tasks; immediate outside production.
# DJANGO_TASKS_BACKEND=database queues them for `manage.py db_worker`, which
# several app servers need (a task must not die with the process that queued it).
if env.TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Wagtail ------------------------------------------------------------------
# The admin is Vietnamese for editors, so its site name is too.
WAGTAIL_SITE_NAME = "Thương hiệu số An Giang"
WAGTAILADMIN_BASE_URL = env.SITE_BASE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
# 50 MP accepts the 40-48 MP photos of current phones (decoded: about 150 MB
# of RAM per upload); decompression bombs and panoramas beyond are refused.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp", "heic"]
# Content checks (bombs read by header, damaged photos, fake PDFs) for every
# upload path: add, multiple add and the choosers' upload tabs.
# brands.uploads adds re-warming the renditions of pages showing a changed image.
WAGTAILIMAGES_IMAGE_FORM_BASE = "brands.uploads.WarmingImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "organisations.uploads.SafeDocumentForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS = True
# Video blocks accept YouTube and Vimeo only: the players CSP's frame-src allows.
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [oembed_providers.youtube, oembed_providers.vimeo],
    }
]
# Documents are always downloads (a PDF shown inline runs in the site's
# origin); the serve view adds nosniff and "default-src 'none'".
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link"]},
    }
}

# --- Security defaults and headers: config/settings/security.py -------------
from config.settings.security import *  # noqa: E402, F403

# --- Project ------------------------------------------------------------------
SITE_BASE_URL = env.SITE_BASE_URL
OWNERS_CAN_PUBLISH = env.OWNERS_CAN_PUBLISH
ORGANISATION_INVITATION_DAYS = env.ORGANISATION_INVITATION_DAYS
STRIPE_SECRET_KEY = env.STRIPE_SECRET_KEY
STRIPE_PUBLISHABLE_KEY = env.STRIPE_PUBLISHABLE_KEY
STRIPE_WEBHOOK_SECRET = env.STRIPE_WEBHOOK_SECRET
STRIPE_API_BASE = env.STRIPE_API_BASE
STRIPE_JS_URL = env.STRIPE_JS_URL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        }
    },
}
DEMO_PASSWORD = env.DEMO_PASSWORD

# --- Brands -------------------------------------------------------------------

# --- Shop ---------------------------------------------------------------------
# Stripe: the API version is pinned so a Stripe-side default change never
# alters payloads under us; explicit timeout and retries (the gateway).
STRIPE_API_VERSION = "2026-10-28.endive"
STRIPE_TIMEOUT_SECONDS = 15
STRIPE_MAX_NETWORK_RETRIES = 2
# Webhook timestamps older or further in the future than this are refused.
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
SHOP_PLATFORM_FEE_BASIS_POINTS = env.SHOP_PLATFORM_FEE_BASIS_POINTS
SHOP_RESERVATION_MINUTES = env.SHOP_RESERVATION_MINUTES
SHOP_VIETQR_EXPIRY_MINUTES = env.SHOP_VIETQR_EXPIRY_MINUTES
SHOP_GUEST_RESERVATION_MINUTES = env.SHOP_GUEST_RESERVATION_MINUTES
SHOP_GUEST_VIETQR_EXPIRY_MINUTES = env.SHOP_GUEST_VIETQR_EXPIRY_MINUTES
SHOP_UNPAID_ORDERS_PER_WINDOW = env.SHOP_UNPAID_ORDERS_PER_WINDOW
SHOP_UNPAID_ORDERS_WINDOW_MINUTES = env.SHOP_UNPAID_ORDERS_WINDOW_MINUTES
SHOP_HOLD_MAX_UNITS_PER_VARIANT = env.SHOP_HOLD_MAX_UNITS_PER_VARIANT
SHOP_HOLD_MAX_UNITS_PER_ORDER = env.SHOP_HOLD_MAX_UNITS_PER_ORDER
SHOP_COD_CONFIRM_HOURS = env.SHOP_COD_CONFIRM_HOURS
SHOP_VIETQR_BANK_BIN = env.SHOP_VIETQR_BANK_BIN
SHOP_VIETQR_ACCOUNT = env.SHOP_VIETQR_ACCOUNT
SHOP_VIETQR_ACCOUNT_HOLDER = env.SHOP_VIETQR_ACCOUNT_HOLDER
SHOP_VIETQR_BANK_NAME = env.SHOP_VIETQR_BANK_NAME
SHOP_BANK_FEED_SECRET = env.SHOP_BANK_FEED_SECRET
SHOP_PAYMENT_METHODS = env.SHOP_PAYMENT_METHODS
# Bank-feed notifications signed longer ago (or further ahead) than this are
# refused, so a captured request cannot be replayed later.
SHOP_BANK_FEED_TOLERANCE_SECONDS = 300
# Largest quantity of one variant per cart line (bulk buyers contact the brand).
SHOP_MAX_LINE_QUANTITY = 999
# Pending orders older than this are checked with Stripe by `shop_reconcile`.
SHOP_RECONCILE_AFTER_MINUTES = 10
# A PaymentIntent creation claim older than this is considered crashed.
SHOP_PAYMENT_CLAIM_SECONDS = 60
# The guest's cart moves into the account at login (allauth's extension point).
ACCOUNT_ADAPTER = "shop.account_adapter.ShopAccountAdapter"

# --- Assessment ---------------------------------------------------------------
