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

        from core.page_cache import page_cache_purge

        def purge(**kwargs) -> None:
            page_cache_purge()

        page_published.connect(
            purge, weak=False, dispatch_uid="brands_cache_purge_publish"
        )
        page_unpublished.connect(
            purge, weak=False, dispatch_uid="brands_cache_purge_unpublish"
        )
        # Create the new version's image renditions in the background, after the
        # publish commits, so its first visitor does not wait for them. The signal
        # (not the after_publish_page hook) because workflow approval and
        # scheduled publishing, the usual paths for owners, run no admin hook.
        page_published.connect(
            _renditions_warm, weak=False, dispatch_uid="brands_renditions_warm"
        )
        # A move changes URLs and listings without a publish.
        post_page_move.connect(
            purge, weak=False, dispatch_uid="brands_cache_purge_move"
        )


def _renditions_warm(*, instance, **kwargs) -> None:
    from django.db import transaction

    from .models import BrandPage, ProductPage
    from .tasks import page_renditions_warm_task

    if isinstance(instance, BrandPage | ProductPage):
        page_id = instance.pk
        transaction.on_commit(lambda: page_renditions_warm_task.enqueue(page_id))
