"""Test settings: fast hashing, in-memory email, plain static storage."""

from config import env

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-only-not-secret-8a1f3c5e7b9d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
MEDIA_ROOT = env.BASE_DIR / ".test-media"
PRIVATE_MEDIA_ROOT = env.BASE_DIR / ".test-private-media"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Tests on SQLite use a file, not :memory:, so threads in race tests share it.
    DATABASES["default"]["TEST"] = {"NAME": env.TEST_DB_NAME}
SERVE_MEDIA = True
# The suite places many orders as one buyer (one email, no client address);
# tests/shop/test_hoarding.py sets the production limit back where it counts.
SHOP_UNPAID_ORDERS_PER_WINDOW = 1000
