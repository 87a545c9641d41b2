"""Settings load in every mode; production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_SECRET_KEY": "x" * 10
    + "prod-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "thuonghieu.angiang.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "STRIPE_", "REDIS_", "RATELIMIT_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


SETUP = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.LANGUAGE_CODE)"
)


@pytest.mark.parametrize(
    ("module", "extra", "debug"),
    [
        ("config.settings.dev", {}, "True"),
        ("config.settings.test", {}, "False"),
        ("config.settings.production", PROD_ENV, "False"),
    ],
)
def test_settings_load_in_every_mode(module, extra, debug):
    result = _run(SETUP, {"DJANGO_SETTINGS_MODULE": module, **extra})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [debug, "vi"]


def test_base_settings_import_alone():
    result = _run(
        "import config.settings.base as b; print(b.LANGUAGE_CODE)",
        {"DJANGO_SETTINGS_MODULE": "config.settings.base"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "vi"


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "REDIS_URL"]
)
def test_production_refuses_missing_secret(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = _run(
        SETUP, {"DJANGO_SETTINGS_MODULE": "config.settings.production", **env}
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_wildcard_host():
    env = {**PROD_ENV, "DJANGO_ALLOWED_HOSTS": "*"}
    result = _run(
        SETUP, {"DJANGO_SETTINGS_MODULE": "config.settings.production", **env}
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_database_url_switches_to_postgresql_and_redis_url_to_redis():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    )
    result = _run(
        code,
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/whatever",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "redis://127.0.0.1:6379/4"),
        (
            {"RATELIMIT_REDIS_URL": "redis://counters.internal:6379/0"},
            "redis://counters.internal:6379/0",
        ),
    ],
)
def test_rate_limits_get_a_redis_database_of_their_own(extra, expected):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['LOCATION'], s.CACHES['ratelimit']['LOCATION'])"
    )
    result = _run(
        code,
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            **extra,
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["redis://127.0.0.1:6379/3", expected]


def test_only_env_module_reads_the_environment():
    offenders = []
    for path in ROOT.glob("**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "tests", "bench", "scripts"} or rel == Path(
            "config/env.py"
        ):
            continue
        text = path.read_text(encoding="utf-8")
        if "os.environ" in text or "os.getenv" in text:
            offenders.append(str(rel))
    # manage.py, wsgi and asgi only choose the default settings module.
    assert sorted(offenders) == ["config/asgi.py", "config/wsgi.py", "manage.py"]


def test_media_bucket_switches_storage_urls_and_csp_in_production():
    env = {
        **PROD_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "MEDIA_S3_BUCKET": "agdb-media",
        "MEDIA_S3_ENDPOINT_URL": "https://s3.example.vn",
        "MEDIA_BASE_URL": "https://media.thuonghieu.angiang.example/",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, settings.MEDIA_URL, s.url('a/b.jpg')); "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    storage_line, csp_line = result.stdout.strip().splitlines()
    assert storage_line == (
        "S3Storage https://media.thuonghieu.angiang.example/ "
        "https://media.thuonghieu.angiang.example/a/b.jpg"
    )
    assert "https://media.thuonghieu.angiang.example" in csp_line
    # Without a bucket, media stay on the local disk as before.
    result = _run(
        code.replace("; print(settings.CONTENT", "#"),
        {**PROD_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
    )
    assert result.stdout.startswith("FileSystemStorage /media/ /media/a/b.jpg")
