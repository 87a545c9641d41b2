from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JoiningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "joining"
    verbose_name = _("Joining")
