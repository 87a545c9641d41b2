from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site's plumbing (page cache, text folding, renditions, shared blocks,
    request language, spreadsheet guard). No business rule; imports no project app.
    It has no models, so no verbose name shows anywhere."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
