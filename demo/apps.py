from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only so that Django finds the seed_demo command; no models."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo content"
