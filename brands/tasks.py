"""Background work of the brands app (django-tasks: immediate in dev and tests,
the database worker in production)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from .renditions import pages_renditions_warm


@task()
def page_renditions_warm_task(page_id: int) -> int:
    """Create the renditions a just-published brand or product page shows."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return pages_renditions_warm([page])


@task()
def image_pages_renditions_warm_task(image_id: int) -> int:
    """Re-create the renditions of the live pages showing a changed image."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    # Gallery rows and StreamField blocks are indexed under their page.
    page_ids = (
        ReferenceIndex.get_references_to(image)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids])
    return pages_renditions_warm(pages)
