from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = _("Site pages")

    def ready(self) -> None:
        from . import checks  # noqa: PLC0415, F401 - registers the system checks once apps load
