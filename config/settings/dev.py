"""Laptop settings: debug on, console email, an insecure key that never leaves."""

from config import env

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = (
    env.SECRET_KEY or "dev-only-not-secret-3f9c1e0a7b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e"
)
ALLOWED_HOSTS = env.ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
SERVE_MEDIA = True
# A demo receiving account and the fake bank feed's shared secret, so a VietQR
# order shows its QR and `manage.py shop_fake_bank_transfer` can "pay" it.
SHOP_BANK_FEED_SECRET = env.SHOP_BANK_FEED_SECRET or "bank-feed-dev-only-not-secret"
SHOP_VIETQR_BANK_BIN = env.SHOP_VIETQR_BANK_BIN or "970436"
SHOP_VIETQR_ACCOUNT = env.SHOP_VIETQR_ACCOUNT or "0123456789"
SHOP_VIETQR_ACCOUNT_HOLDER = env.SHOP_VIETQR_ACCOUNT_HOLDER or "AN GIANG DIGITAL BRANDS"
SHOP_VIETQR_BANK_NAME = env.SHOP_VIETQR_BANK_NAME or "Vietcombank (demo)"
