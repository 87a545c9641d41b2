from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.page_cache import page_cache_purge, page_cache_purge_keys


class BrandsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brands"
    verbose_name = _("Brands")

    def ready(self) -> None:
        # Wagtail's own publish and move signals (sent by every publish path: editor,
        # workflow approval, scheduled publishing) purge the page cache: a brand's
        # or product's pages and the listings by key, anything else everywhere.
        # Imported here: wagtail.signals loads Wagtail's models, which cannot be
        # imported while the app registry is being populated.
        from wagtail.signals import (  # noqa: PLC0415
            page_published,
            page_unpublished,
            post_page_move,
        )

        def purge(**kwargs) -> None:
            page_cache_purge()

        page_published.connect(
            _purge_page, weak=False, dispatch_uid="brands_cache_purge_publish"
        )
        page_unpublished.connect(
            _purge_page, weak=False, dispatch_uid="brands_cache_purge_unpublish"
        )
        # Create the new version's image renditions in the background, after the
        # publish commits, so its first visitor does not wait for them. The signal
        # (not the after_publish_page hook) because workflow approval and
        # scheduled publishing, the usual paths for owners, run no admin hook.
        page_published.connect(
            _renditions_warm, weak=False, dispatch_uid="brands_renditions_warm"
        )
        # A move changes URLs (a whole subtree's) and listings without a publish.
        post_page_move.connect(
            purge, weak=False, dispatch_uid="brands_cache_purge_move"
        )
        _purge_on_privacy_changes(purge)


def _purge_on_privacy_changes(purge) -> None:
    """A page made private (or public again) leaves the cached pages at once.

    The page cache answers before Wagtail checks view restrictions, so a
    cached copy of a page made private would stay readable until it expired,
    and listings would keep its products. Wagtail sends no signal of its own
    for privacy and its privacy view runs no hook; the model's save and delete
    (the admin's privacy dialog, a cascade from deleting the page, a script)
    and the groups it admits are the one place every path passes through.
    Purged after commit, so no request caches the old state in between.
    """
    from django.db.models.signals import (  # noqa: PLC0415
        m2m_changed,
        post_delete,
        post_save,
    )
    from wagtail.models import PageViewRestriction  # noqa: PLC0415

    def purge_after_commit(**kwargs) -> None:
        transaction.on_commit(purge)

    post_save.connect(
        purge_after_commit,
        sender=PageViewRestriction,
        weak=False,
        dispatch_uid="brands_cache_purge_privacy_save",
    )
    post_delete.connect(
        purge_after_commit,
        sender=PageViewRestriction,
        weak=False,
        dispatch_uid="brands_cache_purge_privacy_delete",
    )
    m2m_changed.connect(
        purge_after_commit,
        sender=PageViewRestriction.groups.through,
        weak=False,
        dispatch_uid="brands_cache_purge_privacy_groups",
    )


def _purge_page(*, instance, **kwargs) -> None:
    from .selectors import cache_keys_of_page  # noqa: PLC0415 (see above)

    keys = cache_keys_of_page(instance)
    if keys is None:
        page_cache_purge()
    else:
        page_cache_purge_keys(keys)


def _renditions_warm(*, instance, **kwargs) -> None:
    # The models (and the tasks, which import Wagtail's) cannot be imported by
    # apps.py at module level: it loads before the app registry is ready.
    from .models import BrandPage, ProductPage  # noqa: PLC0415
    from .tasks import page_renditions_warm_task  # noqa: PLC0415

    if isinstance(instance, BrandPage | ProductPage):
        page_id = instance.pk
        transaction.on_commit(lambda: page_renditions_warm_task.enqueue(page_id))
