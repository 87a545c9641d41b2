from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported here: apps.py loads before the app registry is ready.
        from accounts.ratelimit_store import (  # noqa: PLC0415
            bind_allauth_ratelimit_cache,
        )

        bind_allauth_ratelimit_cache()
