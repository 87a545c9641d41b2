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
