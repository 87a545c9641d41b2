from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brands"
    verbose_name = _("Brands")

    def ready(self) -> None:
        # Wagtail's own publish and move signals (sent by every publish path: editor,
        # workflow approval, scheduled publishing) purge the page cache.
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .cache import page_cache_purge

        def purge(**kwargs) -> None:
            page_cache_purge()

        page_published.connect(
            purge, weak=False, dispatch_uid="brands_cache_purge_publish"
        )
        page_unpublished.connect(
            purge, weak=False, dispatch_uid="brands_cache_purge_unpublish"
        )
        # A move changes URLs and listings without a publish.
        post_page_move.connect(
            purge, weak=False, dispatch_uid="brands_cache_purge_move"
        )
