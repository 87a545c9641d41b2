from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site's plumbing (page cache, text folding, renditions, shared blocks,
    request language, spreadsheet guard). No business rule; imports no project app.
    It has no models, so no verbose name shows anywhere."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self) -> None:
        # Every integer field of Wagtail's admin forms (variant prices and
        # weights, stock, organisation figures, page fields) reads 0-9 only:
        # Django's IntegerField reads full-width digits through int().
        # Imported here: Wagtail's admin forms load models, which cannot be
        # imported while the app registry is being populated.
        from django.db import models  # noqa: PLC0415
        from wagtail.admin.forms.models import (  # noqa: PLC0415
            register_form_field_override,
        )

        from .digits import AsciiIntegerField  # noqa: PLC0415

        register_form_field_override(
            models.IntegerField, override={"form_class": AsciiIntegerField}
        )
