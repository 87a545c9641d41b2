"""The admin's image form: organisations' safe-upload checks, plus re-warming
the renditions of the live pages that show an image whose picture changed.

Wagtail 7.4 runs no hook when an image is edited, and a new file deletes every
rendition (BaseImageForm.save) while a moved focal point needs new crops, so
without this the next visitor of each page showing it would wait for them.
Registered through WAGTAILIMAGES_IMAGE_FORM_BASE.
"""

from __future__ import annotations

from django.db import transaction

from core.page_cache import page_cache_purge, page_cache_purge_keys
from organisations.uploads import SafeImageForm

from .selectors import cache_keys_of_image
from .tasks import image_pages_renditions_warm_task

# Fields whose change alters the renditions (the file, or the focal point the
# fill crops centre on).
_PICTURE_FIELDS = {
    "file",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
}


class WarmingImageForm(SafeImageForm):
    def save(self, commit=True):
        image = super().save(commit=commit)
        if commit and image.pk and _PICTURE_FIELDS & set(self.changed_data):
            image_id = image.pk
            # Cached pages point at renditions a new file has just deleted
            # (or at crops around the old focal point): the pages showing it.
            transaction.on_commit(lambda: _purge_pages_showing(image))
            transaction.on_commit(
                lambda: image_pages_renditions_warm_task.enqueue(image_id)
            )
        return image


def _purge_pages_showing(image) -> None:
    keys = cache_keys_of_image(image)
    if keys is None:
        page_cache_purge()
    else:
        page_cache_purge_keys(keys)
